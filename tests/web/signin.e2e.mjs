// End-to-end test of signing in to the web page with a password (clients/web/app/signin.js,
// docs/web.md, docs/api.md "Accounts, sessions and sign-in") in a real browser: Debian's Chromium
// driven headless by playwright-core, against the real `duban serve --demo` binary.
//
// Covers, in order:
//   1. a fresh SQLite store with the bundled gazette; `duban serve --demo` prints demo accounts
//      with generated passwords (parsed here) and how to sign in, and no machine token;
//   2. a wrong password shows a Chinese error and sets no cookie;
//   3. a unit's 承办人 signs in with the login form: an HttpOnly session cookie, the page shows
//      the person's name and the unit's inbox, the live connection (cookie-authenticated) is up;
//   4. they acknowledge (签收) a task in the task view and see it in the task's history;
//   5. they sign out: the page returns to the form, and the API refuses the old cookie (401);
//   6. the task's history, read by a supervisor token from `duban token create`, holds the
//      acknowledgement by the unit.
//
// usage: node signin.e2e.mjs --duban PATH --source ROOT --artifacts DIR
// Needs tests/web/node_modules (npm ci --prefix tests/web) and /usr/lib/chromium/chromium:
// tools/dev/setup.sh installs both.
import fs from 'node:fs';
import path from 'node:path';
import { E2E, enc } from './harness.mjs';

const TOTAL_BUDGET_MS = 120_000; // the whole test; CTest's timeout is a little longer

const t = new E2E('web_signin_e2e', 'signin.e2e.mjs');
const { opts, work, db, log, check, duban } = t;
const startServer = () =>
  t.startServer(['--listen', '127.0.0.1:0', '--quiet', '--demo', '--checkpoint-interval', '1'],
    { stderrName: 'signin.server.stderr.log', timeoutMs: 30_000 });
let base = '';

// The API with the given headers (a cookie or a bearer token): {status, data}, never throws.
async function api(headers, method, p) {
  const r = await fetch(base + '/api/v1' + p, { method, headers });
  const text = await r.text();
  return { status: r.status, data: text ? JSON.parse(text) : null };
}

async function main() {

  // 1. The store, the server with demo accounts.
  duban('ingest', path.join(opts.source, 'data/qinghai-gazette-2015-08.md'), '--db', db);
  const started = await startServer();
  base = started.base;
  const accounts = [...started.out.matchAll(/^ {2}login (\S+) {2}password (\S+) {2}\((.*)\)$/gm)]
    .map((m) => ({ login: m[1], password: m[2], what: m[3] }));
  log('demo accounts:', accounts.map((a) => `${a.login} (${a.what})`).join(', '));
  check(accounts.some((a) => a.login === 'inspector') && accounts.some((a) => a.login === 'leader'),
    'the office inspector and leader are printed');
  const handlers = accounts.filter((a) => a.login.endsWith('.handler'));
  check(handlers.length === 2 && accounts.filter((a) => a.login.endsWith('.head')).length === 2,
    'a handler and a head for two units');
  check(started.out.includes('sign in at ' + base), 'the output says where to sign in');
  check(!/dbn_/.test(started.out), '--demo prints passwords for people and no machine token');
  // A machine token for the checks below, issued as an operator would (docs/operations.md).
  const supervisor = duban('token', 'create', '--name', 'e2e-office', '--supervisor', '--db', db)
    .split('\n').pop().trim();
  check(supervisor.startsWith('dbn_'), 'duban token create prints the token last');
  const bearer = { Authorization: 'Bearer ' + supervisor };

  // A unit of the demo accounts with an open task to acknowledge.
  let me = null;
  let target = null;
  for (const a of handlers) {
    const unit = a.login.slice(0, -'.handler'.length);
    const inbox = await api(bearer, 'GET', `/units/${enc(unit)}/inbox?limit=1000`);
    const open = [...inbox.data.lead, ...inbox.data.participant].find((t) => !t.acknowledged);
    if (open) { me = { ...a, unit }; target = open; break; }
  }
  check(me && target, 'a demo unit has a task it has not acknowledged');
  log('signing in as', me.login, 'to acknowledge', target.task);

  // 2. A wrong password: a Chinese error, no cookie.
  const { context, page, pageErrors } = await t.browser();

  await page.goto(base + '/');
  await page.fill('#login', me.login);
  await page.fill('#password', 'not-the-password');
  await page.click('#signin-submit');
  await page.locator('.signin .alert', { hasText: '登录名或密码错误' }).waitFor();
  check((await context.cookies(base)).every((c) => c.name !== 'duban_session'), 'no cookie after a wrong password');

  // 3. The right password: the cookie, the person's name, the unit's inbox, live.
  await page.fill('#password', me.password);
  await page.click('#signin-submit');
  await page.locator('#inbox-table tbody tr').first().waitFor();
  await page.locator('#live[data-state="live"]').waitFor();
  const cookie = (await context.cookies(base)).find((c) => c.name === 'duban_session');
  check(cookie && cookie.httpOnly && cookie.sameSite === 'Strict', 'an HttpOnly, SameSite=Strict session cookie');
  check((await page.locator('#who').textContent()).includes('承办人'), 'the top bar names the person');
  check(await page.evaluate(() => document.cookie.includes('duban_session')) === false, 'scripts cannot read the cookie');
  const asCookie = { Cookie: `${cookie.name}=${cookie.value}` };
  check((await api(asCookie, 'GET', '/whoami')).data.unit === me.unit, 'the cookie acts for the unit');

  // 4. Acknowledge (签收) the task and see it in the history.
  await page.evaluate((t) => { location.hash = '#/task/' + encodeURIComponent(t); }, target.task);
  await page.locator('.source-text').waitFor();
  await page.click('button[data-action="acknowledge"]');
  await page.locator('#action-result.ok', { hasText: '已办理：签收' }).waitFor();
  await page.locator('.timeline li', { hasText: '签收' }).waitFor();
  await page.screenshot({ path: path.join(opts.artifacts, 'signin-task.png') });

  // 5. Sign out: back to the form; the old cookie is refused.
  await page.click('#signout');
  await page.locator('#password-form').waitFor();
  const after = await api(asCookie, 'GET', '/whoami');
  check(after.status === 401, `the API refuses the signed-out cookie (got ${after.status})`);
  check(await page.evaluate(async () => (await fetch('/api/v1/whoami')).status) === 401,
    'the page itself is signed out');
  await page.reload();
  await page.locator('#password-form').waitFor();

  // 6. The history records the acknowledgement by the unit.
  const task = await api(bearer, 'GET', `/tasks/${enc(target.task)}`);
  const acked = task.data.history.find((e) => e.event_type === 'TaskAcknowledged');
  check(acked && acked.actor.includes(me.unit), `the history shows the acknowledgement by ${me.unit}`);
  log('history:', acked.event_type, 'by', acked.actor, acked.command_id);

  check(pageErrors.length === 0, 'no script errors: ' + pageErrors.join('; '));
  log('all checks passed');
}

await t.run(TOTAL_BUDGET_MS, main, 'signin-failure');
