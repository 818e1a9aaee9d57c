// The "live activity" list: events this page received over the WebSocket, newest first, each
// once (data-position is the event's log position).
import { h, clear } from './dom.js';
import { EVENTS, personText, eventTime, when } from './format.js';
import { fillTaskTitle } from './tasklabel.js';

function item(app, e) {
  const what = EVENTS[e.event_type] || e.event_type;
  // A task is shown by its clause label and heading, never by its raw id (tasklabel.js).
  const link = e.task ? h('a', { href: '#/task/' + encodeURIComponent(e.task) }) : e.document || '';
  if (e.task) fillTaskTitle(app, link, e.task);
  return h('li', { class: 'feed-item', dataset: { position: e.position, type: e.event_type } },
    h('span', { class: 'feed-what' }, what),
    h('span', { class: 'feed-target' }, link),
    h('span', { class: 'feed-meta muted' }, `${personText(e, (u) => app.unitName(u))} · ${when(eventTime(e))} · #${e.position}`));
}

// Fills `list` and keeps it current; returns the function that stops listening.
export function renderFeed(app, list) {
  clear(list);
  const placeholder = h('li', { class: 'feed-empty muted' }, '暂无新动态。有变化时将在此实时出现。');
  if (app.feed.length === 0) list.append(placeholder);
  for (const e of app.feed) list.append(item(app, e));
  const listener = (e) => {
    placeholder.remove();
    list.prepend(item(app, e));
    while (list.children.length > 40) list.lastChild.remove();
  };
  app.feedListeners.add(listener);
  return () => app.feedListeners.delete(listener);
}
