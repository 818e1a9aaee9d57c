// The office's (督办机关) pages over every unit: all tasks with filters (#/tasks), the overdue
// list (#/overdue) and the 考评 scorecard (#/scorecards), each with an 导出 Excel button that
// downloads the server's workbook (GET /api/v1/report?format=xlsx). Days count from the
// server's `as_of`.
import { ApiError, path } from './api.js';
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

// #/overdue: open tasks past their deadline, longest overdue first.
export function renderOverdue(app, container) {
  const filter = { unit: '', document: '', status: '' };
  let data = null;
  let disposed = false;
  const filters = h('div', { class: 'filters' });
  const p = page(container, '逾期任务', filters);

  function draw() {
    const rows = data.rows.filter((t) => (!filter.unit || t.leads.includes(filter.unit))
      && (!filter.document || documentOf(t.task) === filter.document)
      && (!filter.status || t.status === filter.status));
    p.sub.textContent = `截至 ${when(data.asOf)} · 共 ${data.rows.length} 项逾期`;
    clear(p.body).append(rows.length
      ? h('table', { class: 'tasks office-table', id: 'overdue-table' },
        h('thead', {}, h('tr', {}, ['文件', '标题', '牵头单位', '期限', '逾期天数', '办理状态'].map((c) => h('th', { scope: 'col' }, c)))),
        h('tbody', {}, rows.map((t) => h('tr', { dataset: { task: t.task } },
          h('td', { 'data-label': '文件' }, documentOf(t.task)),
          h('td', { 'data-label': '标题' }, h('a', { href: '#/task/' + encodeURIComponent(t.task) }, t.heading || t.task)),
          h('td', { 'data-label': '牵头单位' }, t.leads.map((u) => app.unitName(u)).join('、')),
          h('td', { 'data-label': '期限' }, deadlineText(t.deadline)),
          // Calendar days at the server's date, as everywhere on the page (due 6-30, on 7-31:
          // 31 days); the API's days_overdue counts whole 24-hour periods since the deadline.
          h('td', { 'data-label': '逾期天数', class: 'num overdue-days' }, `逾期 ${-daysUntil(t.deadline, data.asOf)} 天`),
          h('td', { 'data-label': '办理状态' }, statusBadge(t.status))))))
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

// #/scorecards: the 考评 per unit, with the on-time rate.
export function renderScorecards(app, container) {
  let disposed = false;
  const tools = h('div', { class: 'filters' }, exportButton(app));
  const p = page(container, '考评', tools);
  const pct = (a, b) => (b ? Math.round((100 * a) / b) : null);

  async function load() {
    let data;
    try {
      data = await allPages(app, '/scorecards', 'scorecards');
    } catch (e) { if (!disposed) p.fail(e); return; }
    if (disposed) return;
    p.sub.textContent = data.asOf ? `截至 ${when(data.asOf)}` : '';
    const rows = data.rows.map((s) => ({ ...s, rate: pct(s.closed_on_time, s.closed) }))
      .sort((a, b) => (b.rate ?? -1) - (a.rate ?? -1) || a.red_now - b.red_now || a.unit.localeCompare(b.unit));
    const cols = [['assigned', '交办'], ['acknowledged', '签收'], ['progress_reports', '报告进展'], ['closed', '办结'],
      ['closed_on_time', '按时办结'], ['overdue', '逾期'], ['red_now', '当前逾期'], ['urged', '被催办'], ['returned', '退回'],
      ['extensions', '延期'], ['late_reports', '进展逾期未报']];
    clear(p.body).append(h('table', { class: 'tasks office-table', id: 'scorecard-table' },
      h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, '单位'), h('th', { scope: 'col', class: 'num' }, '按时率'),
        cols.map(([, c]) => h('th', { scope: 'col', class: 'num' }, c)))),
      h('tbody', {}, rows.map((s) => h('tr', { dataset: { unit: s.unit } },
        h('td', { 'data-label': '单位' }, h('a', { href: '#/inbox/' + encodeURIComponent(s.unit) }, app.unitName(s.unit))),
        h('td', { 'data-label': '按时率', class: 'num rate' }, s.rate === null ? '—' : `${s.rate}%`,
          s.rate === null ? '' : h('span', { class: 'rate-bar', style: `width:${Math.max(2, s.rate * 0.6)}px` })),
        cols.map(([k, c]) => h('td', { 'data-label': c, class: 'num' }, s[k] ?? 0)))))));
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
    clear(p.body).append(h('table', { class: 'tasks office-table dense', id: 'all-tasks-table' },
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
      }))));
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
