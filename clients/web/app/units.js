// The supervisor's overview: every unit with tasks, its open and overdue counts, linked to its
// inbox. Worst first (most overdue).
import { h, clear } from './dom.js';
import { renderNotifyFailures } from './notify.js';

export function renderUnits(app, container) {
  const body = h('div', {}, h('p', { class: 'muted' }, '加载中…'));
  const filter = h('input', { type: 'search', class: 'search', placeholder: '搜索单位', 'aria-label': '搜索单位', oninput: () => draw() });
  container.append(h('section', { class: 'units' },
    h('div', { class: 'page-head' }, h('h1', {}, '单位总览'), h('p', { class: 'muted small' }, '各承办单位的在办与逾期任务；点击进入其收件箱')),
    h('div', { class: 'toolbar' }, filter), body));
  renderNotifyFailures(app, container);
  let rows = [];
  let timer = null;

  async function load() {
    try {
      const page = await app.api.get('/scorecards?limit=1000');
      rows = page.scorecards;
    } catch (e) {
      clear(body).append(h('p', { class: 'alert', role: 'alert' }, e.message));
      return;
    }
    draw();
  }

  function draw() {
    const q = filter.value.trim().toLowerCase();
    const shown = rows
      .filter((r) => !q || `${r.unit} ${app.unitName(r.unit)}`.toLowerCase().includes(q))
      .sort((a, b) => b.red_now - a.red_now || b.open_now - a.open_now || a.unit.localeCompare(b.unit));
    clear(body).append(h('table', { class: 'tasks unit-table' },
      h('thead', {}, h('tr', {}, ['单位', '在办', '逾期', '已签收', '已办结', '被催办'].map((t) => h('th', { scope: 'col' }, t)))),
      h('tbody', {}, shown.map((r) => h('tr', { dataset: { unit: r.unit }, class: r.red_now ? 'row-red' : '' },
        h('td', { 'data-label': '单位' }, h('a', { href: '#/inbox/' + encodeURIComponent(r.unit) }, app.unitName(r.unit)),
          h('span', { class: 'muted small' }, ' ', r.unit)),
        h('td', { 'data-label': '在办' }, r.open_now),
        h('td', { 'data-label': '逾期', class: r.red_now ? 'num-red' : '' }, r.red_now),
        h('td', { 'data-label': '已签收' }, r.acknowledged),
        h('td', { 'data-label': '已办结' }, r.closed),
        h('td', { 'data-label': '被催办' }, r.urged))))));
  }

  load();
  return {
    onEvent() { clearTimeout(timer); timer = setTimeout(load, 300); },
    dispose() { clearTimeout(timer); },
  };
}
