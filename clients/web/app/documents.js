// Documents: the list with each one's progress, and one document's per-clause progress with
// charts (tasks by light and by status, clause by clause). Inline SVG only.
import { path } from './api.js';
import { h, clear } from './dom.js';
import { barChart, legend, stackedBar } from './charts.js';
import { rememberTask } from './tasklabel.js';
import { LIGHTS, LIGHT_ORDER, STATUSES, STATUS_ORDER, deadlineText, lightBadge, statusBadge } from './format.js';

function lightParts(byLight) {
  return LIGHT_ORDER.map((k) => ({ key: k, label: LIGHTS[k], value: byLight[k] || 0 }));
}

// How far along a status is, for the per-clause bar.
const STATUS_PROGRESS = { assigned: 0.1, in_progress: 0.5, completion_reported: 0.85, closed: 1, cancelled: 0 };

function reloading(app, load, match) {
  let timer = null;
  let disposed = false;
  return {
    onEvent(e) {
      if (e.type === 'resync' || match(e)) {
        clearTimeout(timer);
        timer = setTimeout(() => { if (!disposed) load(); }, 250);
      }
    },
    dispose() { disposed = true; clearTimeout(timer); },
  };
}

export function renderDocuments(app, container) {
  const body = h('div', {}, h('p', { class: 'muted' }, '加载中…'));
  container.append(h('section', { class: 'documents' },
    h('div', { class: 'page-head' }, h('h1', {}, '文件'), h('p', { class: 'muted small' }, '已登记的政策文件及其任务落实情况')),
    body));

  async function load() {
    const docs = [];
    let after = '';
    try {
      for (;;) {
        const page = await app.api.get('/documents?limit=1000' + (after ? '&after=' + encodeURIComponent(after) : ''));
        docs.push(...page.documents);
        if (!page.next_after) break;
        after = page.next_after;
      }
    } catch (e) {
      clear(body).append(h('p', { class: 'alert', role: 'alert' }, e.message));
      return;
    }
    docs.sort((a, b) => b.tasks - a.tasks || a.document.localeCompare(b.document, 'zh-CN'));
    clear(body).append(h('div', { class: 'doc-list' }, docs.map((d) => {
      const parts = lightParts(d.by_light);
      return h('a', { class: 'doc-card card', href: '#/document/' + encodeURIComponent(d.document) },
        h('div', { class: 'doc-title' }, d.title),
        h('div', { class: 'muted small' }, d.number || '（无文号）', ` · ${d.tasks} 项任务`),
        d.tasks ? stackedBar(parts, { title: `${d.title}：任务状态灯分布` }) : h('div', { class: 'muted small' }, '无需督办的条款'),
        d.tasks ? legend(parts.filter((p) => p.value)) : '');
    })));
  }
  load();
  return reloading(app, load, (e) => e.event_type === 'DocumentRegistered' || e.event_type === 'TaskCreated' ||
    e.event_type === 'TaskClosed' || e.event_type === 'TaskOverdue' || e.event_type === 'DeadlineSet');
}

export function renderDocument(app, container, documentId) {
  const body = h('div', {}, h('p', { class: 'muted' }, '加载中…'));
  container.append(h('section', { class: 'document' }, body));

  async function load() {
    let d;
    try {
      d = await app.api.get(path('documents', documentId));
    } catch (e) {
      clear(body).append(h('p', { class: 'alert', role: 'alert' }, e.message));
      return;
    }
    for (const t of d.task_list) rememberTask({ ...t, document: documentId });
    const lights = lightParts(d.by_light);
    const statuses = STATUS_ORDER.map((k) => ({ key: k, label: STATUSES[k], value: d.by_status[k] || 0 }));
    const closed = d.by_status.closed || 0;
    const share = d.tasks ? Math.round((closed / d.tasks) * 100) : 0;
    const visibleNote = app.isSupervisor() ? '' : h('p', { class: 'muted small' }, '下表只列出本单位承办的条款；统计为全文件。');
    clear(body).append(
      h('nav', { class: 'crumbs' }, h('a', { href: '#/documents' }, '文件'), ' › ', d.number || d.document),
      h('div', { class: 'page-head' },
        h('h1', { class: 'doc-h1' }, d.title),
        h('p', { class: 'muted small' }, [d.number, d.issuer, d.signed_date].filter(Boolean).join(' · '))),
      h('div', { class: 'charts' },
        h('section', { class: 'card' }, h('h2', {}, '落实进度'),
          h('div', { class: 'big-number' }, `${share}%`, h('span', { class: 'muted small' }, ` 已办结 ${closed} / ${d.tasks}`)),
          stackedBar(lights, { title: '任务状态灯分布' }), legend(lights)),
        h('section', { class: 'card' }, h('h2', {}, '按办理状态'), barChart(statuses, { unit: ' 项' })),
        h('section', { class: 'card' }, h('h2', {}, '按状态灯'), barChart(lights, { unit: ' 项' }))),
      h('section', { class: 'card' }, h('h2', {}, '逐条落实情况'), visibleNote,
        h('table', { class: 'clauses' },
          h('thead', {}, h('tr', {}, ['条款', '标题', '牵头单位', '期限', '状态灯', '进度'].map((t) => h('th', { scope: 'col' }, t)))),
          h('tbody', {}, d.task_list.map((t) => h('tr', { dataset: { task: t.task } },
            h('td', { 'data-label': '条款' }, t.label),
            h('td', { 'data-label': '标题' }, h('a', { href: '#/task/' + encodeURIComponent(t.task) }, t.heading || t.label)),
            h('td', { 'data-label': '牵头单位', class: 'small' }, t.leads.map((u) => app.unitName(u)).join('、')),
            h('td', { 'data-label': '期限' }, deadlineText(t.deadline)),
            h('td', { 'data-label': '状态灯' }, lightBadge(t.light)),
            h('td', { 'data-label': '进度' }, progress(t.status))))))));
  }

  function progress(status) {
    const meter = h('meter', { min: 0, max: 1, value: STATUS_PROGRESS[status] ?? 0, class: 'progress' });
    return h('span', { class: 'progress-cell' }, meter, statusBadge(status));
  }

  load();
  return reloading(app, load, (e) => e.document === documentId);
}
