// A unit's inbox: the open tasks it leads or takes part in, sortable and filterable, overdue
// first by default. Live: any pushed event for the unit reloads the list (debounced) and the
// table is reconciled by task id, so new rows appear, reassigned-away rows leave and changed
// rows (a light turning red) update in place, each briefly highlighted.
import { newCommandId, path } from './api.js';
import { h, clear } from './dom.js';
import {
  LIGHTS, LIGHT_ORDER, ROLES, STATUSES, STATUS_ORDER, lightBadge, statusBadge, deadlineText,
  dueText, ago, when, eventTime,
} from './format.js';
import { renderFeed } from './feed.js';
import { rememberTask } from './tasklabel.js';

const COLUMNS = [
  { key: 'light', label: '状态灯' },
  { key: 'document', label: '文件' },
  { key: 'label', label: '条款' },
  { key: 'heading', label: '标题' },
  { key: 'role', label: '角色' },
  { key: 'deadline', label: '期限' },
  { key: 'status', label: '办理状态' },
];

const byDeadline = (a, b) => (a.deadline || '9999') .localeCompare(b.deadline || '9999');

const COMPARE = {
  light: (a, b) => LIGHT_ORDER.indexOf(a.light) - LIGHT_ORDER.indexOf(b.light) || byDeadline(a, b) || a.order - b.order,
  document: (a, b) => a.order - b.order,
  label: (a, b) => a.order - b.order,
  heading: (a, b) => a.heading.localeCompare(b.heading, 'zh-CN') || a.order - b.order,
  role: (a, b) => a.role.localeCompare(b.role) || a.order - b.order,
  deadline: (a, b) => byDeadline(a, b) || a.order - b.order,
  status: (a, b) => STATUS_ORDER.indexOf(a.status) - STATUS_ORDER.indexOf(b.status) || a.order - b.order,
};

const HIGHLIGHT_MS = 4000;

export function renderInbox(app, container, unit) {
  const state = {
    items: [],
    known: null,        // task -> signature of the last load; null before the first
    changed: new Map(), // task -> 'new' | 'changed', cleared after HIGHLIGHT_MS
    sort: { key: 'light', dir: 1 },
    q: '', role: 'all', light: 'all', scope: 'open',
    stat: 'all',        // the counter card that filters the list
    asOf: '',
    denied: false,      // the API refused this inbox (another unit's)
  };
  // Per task, what the inbox list does not carry (from GET /tasks/{id}): urges, the latest
  // return, a pending extension, the latest percentage, the last update. Fetched after each
  // load for rows without it or with an event since.
  const details = new Map();
  const dirty = new Set();
  let dense = localStorage.getItem('duban.dense') === '1';
  let disposed = false;
  let timer = null;

  const title = h('h1', {}, app.unitName(unit), ' ', h('span', { class: 'muted' }, '收件箱'));
  const sub = h('p', { class: 'muted small' });
  const summary = h('div', { class: 'summary' });
  const notice = h('p', { class: 'notice', role: 'status', 'aria-live': 'polite' });
  const error = h('p', { class: 'alert', role: 'alert', hidden: true });
  const tbody = h('tbody');
  const empty = h('p', { class: 'empty', hidden: true }, '没有符合条件的任务。');
  const headRow = h('tr');
  const sortSelect = h('select', {
    'aria-label': '排序', class: 'sort-select',
    onchange: (e) => { state.sort = { key: e.target.value, dir: 1 }; draw(); },
  }, COLUMNS.map((c) => h('option', { value: c.key }, '按' + c.label + '排序')));

  const toolbar = h('div', { class: 'toolbar' },
    h('input', {
      type: 'search', placeholder: '搜索文件、条款或标题', 'aria-label': '搜索', class: 'search',
      oninput: (e) => { state.q = e.target.value.trim(); draw(); },
    }),
    h('select', { 'aria-label': '角色', onchange: (e) => { state.role = e.target.value; draw(); } },
      h('option', { value: 'all' }, '全部角色'),
      Object.entries(ROLES).map(([k, v]) => h('option', { value: k }, v))),
    h('select', { 'aria-label': '状态灯', onchange: (e) => { state.light = e.target.value; draw(); } },
      h('option', { value: 'all' }, '全部状态灯'),
      LIGHT_ORDER.map((k) => h('option', { value: k }, LIGHTS[k]))),
    h('select', {
      'aria-label': '范围',
      onchange: (e) => { state.scope = e.target.value; state.known = null; load(); },
    }, h('option', { value: 'open' }, '未办结'), h('option', { value: 'all' }, '全部（含已办结）')),
    sortSelect,
    h('label', { class: 'dense-toggle' },
      h('input', {
        type: 'checkbox', id: 'dense-toggle', checked: dense,
        onchange: (e) => {
          dense = e.target.checked;
          localStorage.setItem('duban.dense', dense ? '1' : '0');
          table.classList.toggle('dense', dense);
        },
      }), ' 紧凑显示'));

  const table = h('table', { class: 'tasks' + (dense ? ' dense' : ''), id: 'inbox-table' }, h('thead', {}, headRow), tbody);
  const STAT_FILTER = {
    all: () => true,
    lead: (t) => t.role === 'lead',
    participant: (t) => t.role === 'participant',
    red: (t) => t.light === 'red',
    yellow: (t) => t.light === 'yellow',
    ack: (t) => !t.acknowledged && t.status !== 'closed' && t.status !== 'cancelled',
  };
  // 批量签收: a unit acknowledges every listed task it has not yet (the list as filtered).
  const batchStatus = h('span', { class: 'muted small', role: 'status', id: 'batch-status' });
  const batchAck = h('button', {
    type: 'button', id: 'batch-ack', class: 'secondary', hidden: true,
    onclick: async () => {
      const tasks = visible().filter(STAT_FILTER.ack).map((t) => t.task);
      batchAck.disabled = true;
      batchStatus.textContent = `正在签收 ${tasks.length} 项…`;
      let done = 0;
      for (const task of tasks) {
        try {
          const t = await app.api.get(path('tasks', task));
          if (!(t.allowed_actions || []).includes('acknowledge')) continue;
          await app.api.post(path('tasks', task, 'acknowledge'), { command_id: newCommandId(), expected_version: t.version });
          done++;
        } catch { /* counted as not done */ }
      }
      batchAck.disabled = false;
      batchStatus.textContent = done === tasks.length ? `已签收 ${done} 项。` : `已签收 ${done} 项，${tasks.length - done} 项未能签收。`;
      load();
    },
  });
  toolbar.append(batchAck, batchStatus);
  const feedList = h('ol', { class: 'feed-list', id: 'feed' });
  container.append(h('section', { class: 'inbox' },
    h('div', { class: 'page-head' }, title, sub),
    summary,
    toolbar,
    notice,
    error,
    h('div', { class: 'inbox-grid' },
      h('div', { class: 'table-wrap' },
        table,
        empty),
      h('aside', { class: 'feed' }, h('h2', {}, '实时动态'), feedList))));

  const stopFeed = renderFeed(app, feedList);

  function drawHead() {
    clear(headRow);
    for (const c of COLUMNS) {
      const active = state.sort.key === c.key;
      headRow.append(h('th', { scope: 'col', 'aria-sort': active ? (state.sort.dir > 0 ? 'ascending' : 'descending') : 'none' },
        h('button', {
          type: 'button', class: 'th-sort',
          onclick: () => {
            state.sort = { key: c.key, dir: active ? -state.sort.dir : 1 };
            sortSelect.value = c.key;
            draw();
          },
        }, c.label, active ? (state.sort.dir > 0 ? ' ▲' : ' ▼') : '')));
    }
  }

  function visible() {
    const q = state.q.toLowerCase();
    return state.items
      .filter((t) => state.role === 'all' || t.role === state.role)
      .filter((t) => state.light === 'all' || t.light === state.light)
      .filter(STAT_FILTER[state.stat])
      .filter((t) => !q || `${t.document} ${t.label} ${t.heading}`.toLowerCase().includes(q))
      .sort((a, b) => COMPARE[state.sort.key](a, b) * state.sort.dir);
  }

  function row(t) {
    const due = dueText(t, state.asOf);
    const href = '#/task/' + encodeURIComponent(t.task);
    return h('tr', {
      class: ['task-row', `row-${t.light}`, state.changed.get(t.task) ? `row-${state.changed.get(t.task)}` : ''].join(' '),
      dataset: { task: t.task, light: t.light, status: t.status },
    },
    h('td', { 'data-label': '状态灯', class: 'cell-light' }, lightBadge(t.light)),
    h('td', { 'data-label': '文件', class: 'cell-doc' },
      h('a', { href: '#/document/' + encodeURIComponent(t.document), class: 'subtle' }, t.document)),
    h('td', { 'data-label': '条款', class: 'cell-label' }, t.label || '—'),
    h('td', { 'data-label': '标题', class: 'cell-heading' }, h('a', { href }, t.heading || t.label || t.task),
      markers(t)),
    h('td', { 'data-label': '角色', class: 'cell-role' }, h('span', { class: `role role-${t.role}` }, ROLES[t.role] || t.role)),
    h('td', { 'data-label': '期限', class: 'cell-deadline' }, deadlineText(t.deadline),
      due ? h('span', { class: due.startsWith('逾期') ? 'overdue-note' : 'due-note' }, due) : ''),
    h('td', { 'data-label': '办理状态', class: 'cell-status' }, statusBadge(t.status),
      t.acknowledged ? '' : h('span', { class: 'pending-ack' }, '待签收')));
  }

  function markers(t) {
    const d = details.get(t.task);
    if (!d) return '';
    const m = [];
    if (d.returned) m.push(h('span', { class: 'marker marker-returned', title: d.returned }, d.returnedBy === 'head' ? '负责人已退回' : '已退回'));
    if (d.awaitingSignOff) m.push(h('span', { class: 'marker marker-signoff' }, '待负责人签发'));
    if (d.pendingExtension) m.push(h('span', { class: 'marker marker-ext' }, '延期待批'));
    if (d.urges) m.push(h('span', { class: 'marker marker-urged' }, `被催办 ${d.urges} 次`));
    if (d.percent !== null) m.push(h('span', { class: 'marker marker-pct' }, `${d.percent}%`));
    // Child tasks (分解/转办) and contributions (配合单位), issue 15.
    if (d.parent) m.push(h('span', { class: 'marker marker-child', title: d.parent }, '子任务'));
    if (d.children) m.push(h('span', { class: 'marker marker-children' }, `子任务 ${d.childrenClosed}/${d.children} 已办结`));
    if (d.contributions) m.push(h('span', { class: 'marker marker-contrib' }, `配合报送 ${d.contributions} 条`));
    if (d.lastUpdate && ago(d.lastUpdate, state.asOf)) m.push(h('span', { class: 'marker marker-updated muted' }, '更新于 ' + ago(d.lastUpdate, state.asOf)));
    return m.length ? h('div', { class: 'markers' }, m) : '';
  }

  function summarize(task) {
    let returned = '';
    let returnedBy = '';
    let percent = null;
    for (const e of task.history) {
      if (e.event_type === 'TaskReturned' || e.event_type === 'SignOffRefused') {
        returned = e.data?.reason || '已退回';
        returnedBy = e.event_type === 'SignOffRefused' ? 'head' : 'office';
      } else if (['CompletionSubmitted', 'CompletionReported', 'CompletionApproved', 'TaskClosed', 'TaskReopened'].includes(e.event_type)) returned = '';
      if (e.event_type === 'ProgressReported' && e.data?.percent !== undefined && e.data?.percent !== null) percent = e.data.percent;
    }
    const last = task.history[task.history.length - 1];
    return {
      urges: task.urges, returned, returnedBy, percent,
      // A handler's completion waiting for the unit head (负责人签发).
      awaitingSignOff: (task.parts || []).some((p) => p.status === 'awaiting_sign_off'),
      pendingExtension: !!task.pending_extension,
      parent: task.parent || '',
      children: (task.children || []).length,
      childrenClosed: (task.children || []).filter((c) => c.status === 'closed').length,
      contributions: (task.contributions || []).length,
      lastUpdate: last ? eventTime(last) : '',
    };
  }

  let detailRun = 0;
  async function loadDetails() {
    const mine = ++detailRun;
    const todo = state.items.filter((t) => !details.has(t.task) || dirty.has(t.task)).map((t) => t.task);
    for (const task of todo) dirty.delete(task);
    const worker = async () => {
      while (todo.length && !disposed && mine === detailRun) {
        const task = todo.shift();
        try {
          details.set(task, summarize(await app.api.get(path('tasks', task))));
        } catch { /* the row just shows no markers */ }
      }
    };
    await Promise.all([worker(), worker(), worker(), worker()]);
    if (!disposed && mine === detailRun) draw();
  }

  function draw() {
    if (state.denied) return;
    drawHead();
    const rows = visible();
    clear(tbody);
    for (const t of rows) tbody.append(row(t));
    empty.hidden = rows.length > 0;
    const toAck = rows.filter(STAT_FILTER.ack).length;
    batchAck.hidden = app.isSupervisor() || toAck === 0;
    batchAck.textContent = `签收所列 ${toAck} 项`;
    const count = (f) => state.items.filter(f).length;
    clear(summary).append(
      stat('全部任务', state.items.length, 'all'),
      stat('牵头', count((t) => t.role === 'lead'), 'lead'),
      stat('参与', count((t) => t.role === 'participant'), 'participant'),
      stat('逾期', count((t) => t.light === 'red'), 'red'),
      stat('临期', count((t) => t.light === 'yellow'), 'yellow'),
      stat('待签收', count((t) => !t.acknowledged && t.status !== 'closed' && t.status !== 'cancelled'), 'ack'));
    sub.textContent = `截至 ${state.asOf ? when(state.asOf) : ''}`;
  }

  function stat(label, value, key) {
    const active = state.stat === key;
    return h('button', {
      type: 'button', class: `stat stat-${key}` + (active ? ' active' : ''), dataset: { stat: key },
      'aria-pressed': active ? 'true' : 'false', title: '只看' + label,
      onclick: () => { state.stat = active && key !== 'all' ? 'all' : key; draw(); },
    }, h('span', { class: 'stat-value' }, value), h('span', { class: 'stat-label' }, label));
  }

  async function fetchAll() {
    const items = [];
    let after = '';
    let asOf = '';
    for (;;) {
      const q = `?status=${state.scope}&limit=1000` + (after ? '&after=' + encodeURIComponent(after) : '');
      const page = await app.api.get(path('units', unit, 'inbox') + q);
      asOf = page.as_of;
      items.push(...page.lead, ...page.participant);
      if (!page.next_after) break;
      after = page.next_after;
    }
    return { items, asOf };
  }

  let loads = 0; // only the newest load's answer is drawn: an older one may answer last
  async function load() {
    const mine = ++loads;
    let result;
    try {
      result = await fetchAll();
    } catch (e) {
      if (disposed || mine !== loads) return;
      if (e.status === 403) {
        // Another unit's inbox: say so in words, offer the way home, show no empty list.
        state.denied = true;
        clear(error).append('您只能查看本单位的收件箱，无权查看“', app.unitName(unit), '”的任务。 ',
          app.me?.unit ? h('a', { href: '#/inbox/' + encodeURIComponent(app.me.unit) }, '返回本单位收件箱') : '');
        summary.hidden = true;
        toolbar.hidden = true;
        table.hidden = true;
        empty.hidden = true;
        sub.textContent = '';
      } else {
        error.textContent = '未能加载收件箱：' + e.message;
      }
      error.hidden = false;
      return;
    }
    if (disposed || mine !== loads) return;
    error.hidden = true;
    // The server orders by document and clause line; keep that as the "document order".
    result.items.forEach((t, i) => { t.order = i; rememberTask(t); });
    const signature = (t) => [t.role, t.status, t.light, t.deadline, t.acknowledged].join('|');
    const next = new Map(result.items.map((t) => [t.task, signature(t)]));
    if (state.known) {
      const added = [], removed = [];
      for (const t of result.items) {
        const before = state.known.get(t.task);
        if (before === undefined) { state.changed.set(t.task, 'new'); added.push(t); }
        else if (before !== next.get(t.task)) state.changed.set(t.task, 'changed');
      }
      for (const [task] of state.known) {
        if (!next.has(task)) removed.push(state.items.find((t) => t.task === task));
      }
      const words = [];
      if (added.length) words.push('新到任务：' + added.map((t) => `${t.label} ${t.heading}`).join('、'));
      if (removed.length) words.push('已移出：' + removed.map((t) => `${t.label} ${t.heading}`).join('、'));
      if (words.length) notice.textContent = words.join('；');
      setTimeout(() => {
        for (const t of added) state.changed.delete(t.task);
        for (const [task, kind] of state.changed) if (kind === 'changed') state.changed.delete(task);
        if (!disposed) draw();
      }, HIGHLIGHT_MS);
    }
    state.known = next;
    state.items = result.items;
    state.asOf = result.asOf;
    draw();
    loadDetails();
  }

  draw();
  load();
  return {
    onEvent(e) {
      if (e?.task) dirty.add(e.task);
      if (e?.type === 'resync') for (const t of state.items) dirty.add(t.task);
      clearTimeout(timer);
      timer = setTimeout(load, 150);
    },
    dispose() {
      disposed = true;
      clearTimeout(timer);
      stopFeed();
    },
  };
}
