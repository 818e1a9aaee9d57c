// The web inbox page: sign-in, the top bar, hash routing between views, and the one live
// connection whose events every view hears. docs/web.md describes the page.
//
//   #/inbox/<unit>     a unit's inbox (a unit sees only its own)
//   #/task/<task>      one task: clause, units, history, actions
//   #/documents        every document with its progress
//   #/document/<doc>   one document: per-clause progress and charts
//   #/units            the supervisor's overview of all units
//   #/drafts, #/draft/<doc>   the supervisor's 拟办: review a draft and 交办 it (drafts.js)
//   #/tasks, #/overdue, #/scorecards, #/notices   the supervisor's lists, 逾期, 考评 and the
//                      printable 督办通知单 (supervise.js)
import { Api, ApiError } from './api.js';
import { h, clear } from './dom.js';
import { Live } from './live.js';
import { renderInbox } from './inbox.js';
import { renderTask } from './task.js';
import { renderDocuments, renderDocument } from './documents.js';
import { renderUnits } from './units.js';
import { renderSignIn } from './signin.js';
import { renderDrafts, renderDraft } from './drafts.js';
import { renderOverdue, renderScorecards, renderAllTasks, renderNotices } from './supervise.js';

const TOKEN_KEY = 'duban.token';
const FEED_LIMIT = 40;

const app = {
  api: null,
  me: null,          // {role: "unit"|"supervisor", unit}
  account: null,     // the signed-in person (POST /api/v1/session's answer); null with a token
  units: new Map(),  // id -> {id, name, kind}
  live: null,
  feed: [],          // newest first: the events this page received live
  feedListeners: new Set(),
  view: null,        // {onEvent(event), dispose()} of the view on screen
  lastInbox: null,   // the supervisor's last viewed unit, for the nav link

  unitName(id) {
    return this.units.get(id)?.name || id;
  },
  go(hash) {
    if (location.hash === hash) route();
    else location.hash = hash;
  },
  isSupervisor() { return this.me?.role === 'supervisor'; },
};
window.duban = app; // for the console and the end-to-end test's diagnostics

const view = document.getElementById('view');

function signOut(message) {
  // Signed in by password: end the session on the server too (the cookie goes with it).
  if (app.api && !app.api.token) {
    fetch('/api/v1/session', { method: 'DELETE', credentials: 'same-origin' }).catch(() => {});
  }
  sessionStorage.removeItem(TOKEN_KEY);
  app.live?.stop();
  app.live = null;
  app.me = null;
  app.api = null;
  app.feed = [];
  app.view?.dispose?.();
  app.view = null;
  document.getElementById('topbar').hidden = true;
  history.replaceState(null, '', '#/');
  showSignIn(message);
}

function showSignIn(message) {
  clear(view);
  renderSignIn(view, { message, onToken: signIn, onPassword: signInWithPassword });
}

async function loadUnits() {
  app.units.clear();
  let after = '';
  for (;;) {
    const page = await app.api.get('/units?limit=1000' + (after ? '&after=' + encodeURIComponent(after) : ''));
    for (const u of page.units) app.units.set(u.id, u);
    if (!page.next_after) break;
    after = page.next_after;
  }
}

// Signs in with a password: the server sets the session cookie; throws ApiError when refused.
async function signInWithPassword(login, password) {
  const anonymous = new Api(null, null);
  const account = await anonymous.post('/session', { login, password });
  await signIn(null, account);
}

// Checks the token (or, `token` null, the session cookie) with the server; throws ApiError when
// it is refused.
async function signIn(token, account = null) {
  // A refused check stays on the form with its error; once signed in, a 401 signs out.
  const api = new Api(token, null);
  const me = await api.get('/whoami');
  api.onUnauthorized = (message) => signOut(message);  // already in Chinese (api.js)
  if (token) sessionStorage.setItem(TOKEN_KEY, token);
  app.account = account;
  app.api = api;
  app.me = me;
  await loadUnits();
  startLive(token);
  renderTopbar();
  if (!location.hash || location.hash === '#/' || location.hash === '#') app.go(home());
  else route();
}

function home() {
  return app.isSupervisor() ? '#/units' : '#/inbox/' + encodeURIComponent(app.me.unit);
}

function startLive(token) {
  app.live = new Live({
    token,
    // A unit follows its own tasks; the supervisor follows everything, so switching units or
    // documents needs no new subscription and one position covers the whole page.
    filter: app.isSupervisor() ? { all: true } : { unit: app.me.unit },
    onEvent: (event) => {
      app.feed.unshift(event);
      app.feed.length = Math.min(app.feed.length, FEED_LIMIT);
      for (const listener of app.feedListeners) listener(event);
      app.view?.onEvent?.(event);
    },
    onState: (state) => {
      const el = document.getElementById('live');
      el.dataset.state = state;
      el.querySelector('.live-text').textContent =
        { live: '实时', connecting: '连接中…', reconnecting: '重新连接…', offline: '未连接' }[state] || state;
    },
    onResync: () => app.view?.onEvent?.({ type: 'resync' }),
    onRevoked: (reason) => signOut('登录已失效：' + (reason || '会话已结束')),
  });
  app.live.start();
}

function renderTopbar() {
  const bar = document.getElementById('topbar');
  bar.hidden = false;
  const where = app.isSupervisor() ? '督办机关' : app.unitName(app.me.unit);
  document.getElementById('who').textContent =
    app.account ? `${app.account.display_name} · ${where}` : where;
  document.getElementById('signout').onclick = () => signOut();
  const nav = clear(document.getElementById('nav'));
  const link = (href, text, name) => h('a', { href, 'data-nav': name }, text);
  if (app.isSupervisor()) {
    nav.append(link('#/units', '单位总览', 'units'));
    nav.append(link('#/drafts', '拟办', 'drafts'));
    nav.append(link('#/tasks', '全部任务', 'tasks'));
    nav.append(link('#/overdue', '逾期', 'overdue'));
    nav.append(link('#/scorecards', '考评', 'scorecards'));
    const select = h('select', {
      id: 'unit-switch', 'aria-label': '切换单位收件箱',
      onchange: (e) => { if (e.target.value) app.go('#/inbox/' + encodeURIComponent(e.target.value)); },
    }, h('option', { value: '' }, '切换单位收件箱…'),
    [...app.units.values()]
      .sort((a, b) => a.name.localeCompare(b.name, 'zh-CN'))
      .map((u) => h('option', { value: u.id }, u.name)));
    nav.append(select);
  } else {
    nav.append(link(home(), '收件箱', 'inbox'));
  }
  nav.append(link('#/documents', '文件', 'documents'));
}

function markNav(name, unit) {
  for (const a of document.querySelectorAll('#nav a')) {
    a.classList.toggle('active', a.dataset.nav === name || (name === 'draft' && a.dataset.nav === 'drafts'));
  }
  const select = document.getElementById('unit-switch');
  if (select) select.value = name === 'inbox' && unit ? unit : '';
}

function route() {
  if (!app.me) return;
  const parts = location.hash.replace(/^#\/?/, '').split('/').map(decodeURIComponent);
  const [name, ...rest] = parts;
  const arg = rest.join('/');
  app.view?.dispose?.();
  app.view = null;
  clear(view);
  window.scrollTo(0, 0);
  let v;
  if (name === 'inbox' && arg) {
    v = renderInbox(app, view, arg);
  } else if (name === 'task' && arg) {
    v = renderTask(app, view, arg);
  } else if (name === 'documents') {
    v = renderDocuments(app, view);
  } else if (name === 'document' && arg) {
    v = renderDocument(app, view, arg);
  } else if (name === 'units' && app.isSupervisor()) {
    v = renderUnits(app, view);
  } else if (name === 'overdue' && app.isSupervisor()) {
    v = renderOverdue(app, view);
  } else if (name === 'notices' && app.isSupervisor()) {
    v = renderNotices(app, view);
  } else if (name === 'scorecards' && app.isSupervisor()) {
    v = renderScorecards(app, view);
  } else if (name === 'tasks' && app.isSupervisor()) {
    v = renderAllTasks(app, view);
  } else if (name === 'drafts' && app.isSupervisor()) {
    v = renderDrafts(app, view);
  } else if (name === 'draft' && arg && app.isSupervisor()) {
    v = renderDraft(app, view, arg);
  } else {
    app.go(home());
    return;
  }
  markNav(name, arg);
  app.view = v;
}

window.addEventListener('hashchange', route);

async function boot() {
  const token = sessionStorage.getItem(TOKEN_KEY);
  if (!token) {
    // A session cookie from an earlier sign-in in this browser (reload, new tab)?
    try {
      const account = await new Api(null, null).get('/session');
      return await signIn(null, account);
    } catch {
      return showSignIn();
    }
  }
  try {
    await signIn(token);
  } catch (e) {
    sessionStorage.removeItem(TOKEN_KEY);
    showSignIn(e instanceof ApiError ? e.message : String(e));
  }
}

boot();
