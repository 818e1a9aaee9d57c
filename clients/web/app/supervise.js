// The office's (督办机关) pages over every unit: all tasks with filters (#/tasks), the overdue
// list (#/overdue) and the 考评 scorecard (#/scorecards), each with an 导出 Excel button that
// downloads the server's workbook (GET /api/v1/report?format=xlsx). Days count from the
// server's `as_of`.
import { ApiError, newCommandId, path } from './api.js';
import { h, clear } from './dom.js';
import {
  LIGHTS, LIGHT_ORDER, STATUSES, STATUS_ORDER, lightBadge, statusBadge, deadlineText, dueText, daysUntil, when,
} from './format.js';

const xlsxName = (asOf) => `考评-${(asOf || '').slice(0, 10) || 'report'}.xlsx`;

// Fetches the workbook with the page's credentials and hands it to the browser as a download.
async function exportExcel(app, button, status) {
  button.disabled = true;
  status.textContent = '正在生成 Excel…';
  try {
    const { blob, filename } = await app.api.download('/report?format=xlsx');
    const url = URL.createObjectURL(blob);
    const a = h('a', { href: url, download: filename || xlsxName(''), hidden: true });
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 60_000);
    status.textContent = '已导出：' + (filename || 'Excel');
  } catch (e) {
    status.textContent = '未能导出：' + (e instanceof ApiError ? e.message : '页面出现错误');
  } finally {
    button.disabled = false;
  }
}

function exportButton(app) {
  const status = h('span', { class: 'muted small', role: 'status', id: 'export-status' });
  const button = h('button', { type: 'button', class: 'primary', id: 'export-xlsx', onclick: () => exportExcel(app, button, status) }, '导出 Excel');
  return h('span', { class: 'export' }, button, ' ', status);
}

async function allPages(app, p, key) {
  const rows = [];
  let after = '';
  let asOf = '';
  for (;;) {
    const page = await app.api.get(p + (p.includes('?') ? '&' : '?') + 'limit=1000' + (after ? '&after=' + encodeURIComponent(after) : ''));
    asOf = page.as_of || asOf;
    rows.push(...page[key]);
    if (!page.next_after) break;
    after = page.next_after;
  }
  return { rows, asOf };
}

const documentOf = (task) => String(task).split('|')[0];

function select(label, options, onchange) {
  return h('select', { 'aria-label': label, dataset: { filter: label }, onchange: (e) => onchange(e.target.value) },
    h('option', { value: '' }, '全部' + label), options.map(([v, text]) => h('option', { value: v }, text)));
}

function page(container, title, tools) {
  const error = h('p', { class: 'alert', role: 'alert', hidden: true });
  const body = h('div', {}, h('p', { class: 'muted' }, '加载中…'));
  const sub = h('p', { class: 'muted small' });
  container.append(h('section', { class: 'office' },
    h('div', { class: 'page-head' }, h('h1', {}, title), sub), tools, error, body));
  return {
    body, sub,
    fail(e) { error.textContent = '未能加载：' + (e instanceof ApiError ? e.message : '页面出现错误'); error.hidden = false; clear(body); },
  };
}

// Urges each task once (催办), reading its version first; resolves to how many succeeded.
async function urgeAll(app, tasks, note) {
  let done = 0;
  for (const task of tasks) {
    try {
      const t = await app.api.get(path('tasks', task));
      await app.api.post(path('tasks', task, 'urge'), { command_id: newCommandId(), expected_version: t.version, unit: null, note });
      done++;
    } catch { /* counted as not done */ }
  }
  return done;
}

// #/overdue: open tasks past their deadline, longest overdue first; tick rows to 批量催办 them
// or print their 督办通知单.
export function renderOverdue(app, container) {
  const filter = { unit: '', document: '', status: '' };
  let data = null;
  let disposed = false;
  const checked = new Set();
  const filters = h('div', { class: 'filters' });
  const batchStatus = h('span', { class: 'muted small', role: 'status', id: 'batch-status' });
  const urgeButton = h('button', {
    type: 'button', id: 'batch-urge', class: 'secondary',
    onclick: async () => {
      const tasks = [...checked];
      if (!tasks.length) { batchStatus.textContent = '请先勾选要催办的任务。'; return; }
      urgeButton.disabled = true;
      batchStatus.textContent = `正在催办 ${tasks.length} 项…`;
      const done = await urgeAll(app, tasks, '请抓紧办理，按期报送办理情况。');
      urgeButton.disabled = false;
      batchStatus.textContent = done === tasks.length ? `已催办 ${done} 项。` : `已催办 ${done} 项，${tasks.length - done} 项未能催办，请刷新后重试。`;
    },
  }, '批量催办');
  const printButton = h('button', {
    type: 'button', id: 'print-notices', class: 'secondary',
    onclick: () => {
      app.noticeTasks = checked.size ? [...checked] : shown().map((t) => t.task);
      app.go('#/notices');
    },
  }, '打印督办通知单');
  const p = page(container, '逾期任务', filters);

  function shown() {
    return data.rows.filter((t) => (!filter.unit || t.leads.includes(filter.unit))
      && (!filter.document || documentOf(t.task) === filter.document)
      && (!filter.status || t.status === filter.status));
  }

  function draw() {
    const rows = shown();
    p.sub.textContent = `截至 ${when(data.asOf)} · 共 ${data.rows.length} 项逾期`;
    const tick = (t) => h('input', {
      type: 'checkbox', class: 'row-check', 'aria-label': '选择 ' + (t.heading || ''), checked: checked.has(t.task),
      onchange: (e) => { if (e.target.checked) checked.add(t.task); else checked.delete(t.task); },
    });
    clear(p.body).append(rows.length
      ? h('div', { class: 'table-wrap' }, h('table', { class: 'tasks office-table', id: 'overdue-table' },
        h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, h('input', {
          type: 'checkbox', id: 'check-all', 'aria-label': '全选', checked: rows.every((t) => checked.has(t.task)),
          onchange: (e) => { for (const t of rows) if (e.target.checked) checked.add(t.task); else checked.delete(t.task); draw(); },
        })), ['文件', '标题', '牵头单位', '期限', '逾期天数', '办理状态'].map((c) => h('th', { scope: 'col' }, c)))),
        h('tbody', {}, rows.map((t) => h('tr', { dataset: { task: t.task } },
          h('td', { 'data-label': '选择' }, tick(t)),
          h('td', { 'data-label': '文件', class: 'nowrap' }, documentOf(t.task)),
          h('td', { 'data-label': '标题' }, h('a', { href: '#/task/' + encodeURIComponent(t.task) }, t.heading || t.task)),
          h('td', { 'data-label': '牵头单位' }, t.leads.map((u) => app.unitName(u)).join('、')),
          h('td', { 'data-label': '期限', class: 'nowrap' }, deadlineText(t.deadline)),
          // Calendar days at the server's date (due 6-30, on 7-31: 31 days), as the API counts.
          h('td', { 'data-label': '逾期天数', class: 'num overdue-days' }, `逾期 ${t.days_overdue} 天`),
          h('td', { 'data-label': '办理状态' }, statusBadge(t.status)))))))
      : h('p', { class: 'empty' }, '没有逾期任务。'));
  }

  async function load() {
    try {
      data = await allPages(app, '/overdue', 'overdue');
    } catch (e) { if (!disposed) p.fail(e); return; }
    if (disposed) return;
    const units = [...new Set(data.rows.flatMap((t) => t.leads))].sort();
    const docs = [...new Set(data.rows.map((t) => documentOf(t.task)))].sort();
    clear(filters).append(
      select('文件', docs.map((d) => [d, d]), (v) => { filter.document = v; draw(); }),
      select('单位', units.map((u) => [u, app.unitName(u)]), (v) => { filter.unit = v; draw(); }),
      select('办理状态', STATUS_ORDER.map((s) => [s, STATUSES[s]]), (v) => { filter.status = v; draw(); }),
      urgeButton, printButton, batchStatus,
      exportButton(app));
    draw();
  }
  load();
  let timer = null;
  return {
    onEvent() { clearTimeout(timer); timer = setTimeout(load, 300); },
    dispose() { disposed = true; clearTimeout(timer); },
  };
}

// A bar as long as the rate (set through the CSSOM: the CSP forbids style attributes).
function rateBar(rate) {
  const bar = h('span', { class: 'rate-bar' });
  bar.style.width = `${Math.max(2, rate * 0.6)}px`;
  return bar;
}

// #/scorecards: the 考评 per unit, with the on-time rate, and its trend by deadline month.
export function renderScorecards(app, container) {
  let disposed = false;
  const tools = h('div', { class: 'filters' }, exportButton(app));
  const p = page(container, '考评', tools);
  const pct = (a, b) => (b ? Math.round((100 * a) / b) : null);

  async function load() {
    let data, report;
    try {
      [data, report] = await Promise.all([allPages(app, '/scorecards', 'scorecards'), app.api.get('/report?format=json')]);
    } catch (e) { if (!disposed) p.fail(e); return; }
    if (disposed) return;
    const asOf = data.asOf || report.report?.now;
    p.sub.textContent = asOf ? `截至 ${when(asOf)} · 按时率 = 按时办结 ÷ 已办结` : '';
    const rows = data.rows.map((s) => ({ ...s, rate: pct(s.closed_on_time, s.closed) }))
      .sort((a, b) => (b.rate ?? -1) - (a.rate ?? -1) || a.red_now - b.red_now || a.unit.localeCompare(b.unit));
    const cols = [['assigned', '交办'], ['acknowledged', '签收'], ['progress_reports', '报告进展'], ['closed', '办结'],
      ['closed_on_time', '按时办结'], ['overdue', '逾期'], ['red_now', '当前逾期'], ['urged', '被催办'], ['returned', '退回'],
      ['extensions', '延期'], ['late_reports', '进展逾期未报']];
    clear(p.body).append(h('div', { class: 'table-wrap' }, h('table', { class: 'tasks office-table', id: 'scorecard-table' },
      h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, '单位'), h('th', { scope: 'col', class: 'num' }, '按时率'),
        cols.map(([, c]) => h('th', { scope: 'col', class: 'num' }, c)))),
      h('tbody', {}, rows.map((s) => h('tr', { dataset: { unit: s.unit } },
        h('td', { 'data-label': '单位' }, h('a', { href: '#/inbox/' + encodeURIComponent(s.unit) }, app.unitName(s.unit))),
        h('td', { 'data-label': '按时率', class: 'num rate' }, s.rate === null ? '—' : `${s.rate}%`,
          s.rate === null ? '' : rateBar(s.rate)),
        cols.map(([k, c]) => h('td', { 'data-label': c, class: 'num' }, s[k] ?? 0))))))),
    trend(report.deadlines || []));
  }

  // The trend: per deadline month, how the tasks due then ended (the report's "deadlines").
  function trend(months) {
    return h('section', { class: 'trend' }, h('h2', {}, '按期限月份的办结趋势'),
      months.length ? h('div', { class: 'table-wrap' }, h('table', { class: 'tasks office-table', id: 'trend-table' },
        h('thead', {}, h('tr', {}, ['期限月份', '任务', '按时办结', '逾期办结', '逾期未办结', '未到期', '按时率']
          .map((c, i) => h('th', { scope: 'col', class: i ? 'num' : '' }, c)))),
        h('tbody', {}, months.map((m) => {
          const rate = pct(m.closed_on_time, m.closed_on_time + m.closed_late + m.overdue);
          return h('tr', { dataset: { month: m.month } },
            h('td', { 'data-label': '期限月份' }, m.month),
            h('td', { 'data-label': '任务', class: 'num' }, m.tasks),
            h('td', { 'data-label': '按时办结', class: 'num' }, m.closed_on_time),
            h('td', { 'data-label': '逾期办结', class: 'num' }, m.closed_late),
            h('td', { 'data-label': '逾期未办结', class: 'num overdue' }, m.overdue),
            h('td', { 'data-label': '未到期', class: 'num' }, m.open_due_later),
            h('td', { 'data-label': '按时率', class: 'num rate' }, rate === null ? '—' : `${rate}%`, rate === null ? '' : rateBar(rate)));
        }))))
        : h('p', { class: 'muted' }, '还没有设定期限的任务。'));
  }
  load();
  let timer = null;
  return {
    onEvent() { clearTimeout(timer); timer = setTimeout(load, 300); },
    dispose() { disposed = true; clearTimeout(timer); },
  };
}

// #/tasks: every task of every document, filtered by document, unit, light and status.
export function renderAllTasks(app, container) {
  let disposed = false;
  const filter = { document: '', unit: '', light: '', status: '' };
  let rows = [];
  let asOf = '';
  const filters = h('div', { class: 'filters' });
  const p = page(container, '全部任务', filters);

  function draw() {
    const shown = rows.filter((t) => (!filter.document || t.document === filter.document)
      && (!filter.unit || t.leads.includes(filter.unit) || t.participants.includes(filter.unit))
      && (!filter.light || t.light === filter.light)
      && (!filter.status || t.status === filter.status))
      .sort((a, b) => LIGHT_ORDER.indexOf(a.light) - LIGHT_ORDER.indexOf(b.light) || (a.deadline || '9').localeCompare(b.deadline || '9'));
    p.sub.textContent = `截至 ${when(asOf)} · 显示 ${shown.length} / ${rows.length} 项`;
    clear(p.body).append(h('div', { class: 'table-wrap' }, h('table', { class: 'tasks office-table dense', id: 'all-tasks-table' },
      h('thead', {}, h('tr', {}, ['状态灯', '文件', '条款', '标题', '牵头单位', '期限', '办理状态'].map((c) => h('th', { scope: 'col' }, c)))),
      h('tbody', {}, shown.map((t) => {
        const due = dueText(t, asOf);
        return h('tr', { dataset: { task: t.task, light: t.light, status: t.status } },
          h('td', { 'data-label': '状态灯' }, lightBadge(t.light)),
          h('td', { 'data-label': '文件' }, t.document),
          h('td', { 'data-label': '条款' }, t.label || '—'),
          h('td', { 'data-label': '标题' }, h('a', { href: '#/task/' + encodeURIComponent(t.task) }, t.heading || t.task)),
          h('td', { 'data-label': '牵头单位' }, t.leads.map((u) => app.unitName(u)).join('、') || '—'),
          h('td', { 'data-label': '期限' }, deadlineText(t.deadline),
            due ? h('span', { class: due.startsWith('逾期') ? 'overdue-note' : 'due-note' }, due) : ''),
          h('td', { 'data-label': '办理状态' }, statusBadge(t.status)));
      })))));
  }

  async function load() {
    let all = [];
    try {
      const docs = await allPages(app, '/documents', 'documents');
      for (const d of docs.rows) {
        const doc = await app.api.get(path('documents', d.document));
        asOf = doc.as_of || docs.asOf;
        all.push(...doc.task_list.map((t) => ({ ...t, document: d.document })));
      }
    } catch (e) { if (!disposed) p.fail(e); return; }
    if (disposed) return;
    rows = all;
    const units = [...new Set(rows.flatMap((t) => [...t.leads, ...t.participants]))]
      .sort((a, b) => app.unitName(a).localeCompare(app.unitName(b), 'zh-CN'));
    clear(filters).append(
      select('文件', [...new Set(rows.map((t) => t.document))].map((d) => [d, d]), (v) => { filter.document = v; draw(); }),
      select('单位', units.map((u) => [u, app.unitName(u)]), (v) => { filter.unit = v; draw(); }),
      select('状态灯', LIGHT_ORDER.map((l) => [l, LIGHTS[l]]), (v) => { filter.light = v; draw(); }),
      select('办理状态', STATUS_ORDER.map((s) => [s, STATUSES[s]]), (v) => { filter.status = v; draw(); }),
      exportButton(app));
    draw();
  }
  load();
  let timer = null;
  return {
    onEvent() { clearTimeout(timer); timer = setTimeout(load, 500); },
    dispose() { disposed = true; clearTimeout(timer); },
  };
}

// #/notices: a 督办通知单 per task (the ticked overdue tasks, else every overdue one), one per
// A4 page when printed (app.css, @media print).
export function renderNotices(app, container) {
  let disposed = false;
  const sheets = h('div', { class: 'notices' }, h('p', { class: 'muted' }, '加载中…'));
  const error = h('p', { class: 'alert', role: 'alert', hidden: true });
  container.append(h('section', { class: 'notice-view' },
    h('div', { class: 'page-head no-print' }, h('h1', {}, '督办通知单'),
      h('p', {}, h('button', { type: 'button', class: 'primary', id: 'print', onclick: () => window.print() }, '打印'),
        ' ', h('a', { href: '#/overdue' }, '返回逾期任务'))),
    error, sheets));

  async function load() {
    let tasks = app.noticeTasks;
    let list;
    try {
      const overdue = await allPages(app, '/overdue', 'overdue');
      if (!tasks?.length) tasks = overdue.rows.map((t) => t.task);
      list = [];
      for (const id of tasks) list.push(await app.api.get(path('tasks', id)));
    } catch (e) {
      if (disposed) return;
      error.textContent = '未能加载：' + (e instanceof ApiError ? e.message : '页面出现错误');
      error.hidden = false;
      return;
    }
    if (disposed) return;
    clear(sheets).append(...(list.length ? list.map((t, i) => sheet(t, i + 1)) : [h('p', { class: 'empty' }, '没有需要通知的任务。')]));
  }

  function sheet(t, n) {
    const s = t.source;
    const date = (t.as_of || '').slice(0, 10);
    const due = dueText(t, t.as_of);
    const row = (k, v) => h('tr', {}, h('th', { scope: 'row' }, k), h('td', {}, v));
    return h('article', { class: 'notice-sheet', dataset: { task: t.task } },
      h('h2', {}, '督办通知单'),
      h('p', { class: 'notice-no' }, `督办〔${date.slice(0, 4)}〕第 ${n} 号`),
      h('p', { class: 'notice-to' }, [...t.leads, ...t.participants].map((u) => app.unitName(u)).join('、') + '：'),
      h('table', { class: 'notice-table' },
        row('文件', s.document),
        row('条款', `${s.label || ''} ${s.heading || ''}`),
        row('牵头单位', t.leads.map((u) => app.unitName(u)).join('、') || '—'),
        row('参与单位', t.participants.map((u) => app.unitName(u)).join('、') || '—'),
        row('办理期限', deadlineText(t.deadline) + (due ? `（${due}）` : '')),
        row('办理状态', STATUSES[t.status] || t.status),
        row('已催办', `${t.urges} 次`)),
      h('h3', {}, '原文'),
      h('blockquote', { class: 'notice-text', lang: 'zh-CN' }, s.text),
      h('p', { class: 'notice-ask' }, '请接此通知后抓紧办理，于三个工作日内将办理进展及下一步措施报督办机关；确有困难需延期的，请说明理由并申请延期。'),
      h('p', { class: 'notice-sign' }, '督办机关', h('br'), date));
  }

  load();
  return { dispose() { disposed = true; } };
}
