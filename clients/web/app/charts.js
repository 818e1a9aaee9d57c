// Inline SVG charts (no library, nothing loaded from elsewhere): a stacked bar of counts by
// category, and a labelled horizontal bar chart.
import { h, svg } from './dom.js';

// parts: [{key, label, value}], drawn left to right in the order given, each in the colour of
// its CSS class `seg-<key>`.
export function stackedBar(parts, { height = 18, title = '' } = {}) {
  const total = parts.reduce((s, p) => s + p.value, 0);
  const root = svg('svg', {
    class: 'stacked', viewBox: `0 0 100 ${height}`, preserveAspectRatio: 'none',
    role: 'img', 'aria-label': title || parts.map((p) => `${p.label} ${p.value}`).join('，'),
  });
  let x = 0;
  if (total === 0) root.append(svg('rect', { class: 'seg-empty', x: 0, y: 0, width: 100, height }));
  for (const p of parts) {
    if (!p.value) continue;
    const w = (p.value / total) * 100;
    root.append(svg('rect', { class: `seg-${p.key}`, x, y: 0, width: w, height },
      svg('title', {}, `${p.label}: ${p.value}`)));
    x += w;
  }
  return root;
}

// rows: [{key, label, value}] as horizontal bars against the largest value.
export function barChart(rows, { unit = '' } = {}) {
  const max = Math.max(1, ...rows.map((r) => r.value));
  return h('div', { class: 'bars', role: 'list' },
    rows.map((r) => h('div', { class: 'bar-row', role: 'listitem' },
      h('span', { class: 'bar-label' }, r.label),
      h('span', { class: 'bar-track' },
        svg('svg', { class: 'bar-svg', viewBox: '0 0 100 10', preserveAspectRatio: 'none', 'aria-hidden': 'true' },
          svg('rect', { class: `seg-${r.key}`, x: 0, y: 0, width: (r.value / max) * 100, height: 10, rx: 0 }))),
      h('span', { class: 'bar-value' }, `${r.value}${unit}`))));
}

export function legend(parts) {
  return h('div', { class: 'legend' },
    parts.map((p) => h('span', { class: 'legend-item' },
      h('span', { class: `swatch seg-${p.key}` }), `${p.label} ${p.value}`)));
}
