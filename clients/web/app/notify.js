// The office's panel of notifications given up (GET /api/v1/notify/failures, docs/operations.md
// "Notifications"): shown above the unit overview only when there are some, so the office knows
// which units were not reached and can tell them another way. Office only; nothing for units.
import { h } from './dom.js';

export function renderNotifyFailures(app, container) {
  const panel = h('section', { class: 'notify-failures', hidden: true });
  container.prepend(panel);
  if (!app.isSupervisor()) return panel;
  app.api.get('/notify/failures').then((page) => {
    const rows = page.failures || [];
    if (!rows.length) return;
    panel.hidden = false;
    panel.append(
      h('h2', {}, '未送达的提醒 ', h('span', { class: 'muted small' }, `${rows.length} 条（已重试 ${rows[0].attempts} 次后放弃）`)),
      h('table', { class: 'tasks' },
        h('thead', {}, h('tr', {}, ['单位', '渠道', '尝试', '原因', '时间'].map((t) => h('th', { scope: 'col' }, t)))),
        h('tbody', {}, rows.map((r) => h('tr', { class: 'row-red', dataset: { key: r.idempotency_key } },
          h('td', { 'data-label': '单位' }, app.unitName(r.recipient)),
          h('td', { 'data-label': '渠道' }, r.channel),
          h('td', { 'data-label': '尝试' }, r.attempts),
          h('td', { 'data-label': '原因' }, r.last_error),
          h('td', { 'data-label': '时间' }, r.failed_at))))));
  }).catch(() => { /* the panel is a hint: the overview works without it */ });
  return panel;
}
