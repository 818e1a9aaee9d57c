// End-to-end test of the web inbox page (clients/web, docs/web.md) in a real browser: Debian's
// Chromium driven headless by playwright-core, against the real `duban serve` binary.
//
// Covers, in order:
//   1. a fresh SQLite store: the bundled gazette ingested with `duban ingest`, tokens from
//      `duban token create`; `duban serve` on 127.0.0.1 with an ephemeral port;
//   2. the page is served by the binary (/, /app/*: types, UTF-8, cache and security headers);
//   3. a unit (fgw) signs in and sees its inbox with real clause headings, overdue first;
//   4. it acknowledges a task in the task view and sees the result (and the history entry);
//   5. a refused action (an extension to an earlier date) shows the refusal in Chinese;
//   6. live, without reload: the supervisor (HTTP from this test) reassigns a task into the
//      unit's inbox (the row appears), one out of it (the row leaves), and moves a deadline
//      into the past (the row's light turns red);
//   7. resume: the server is stopped and restarted on the same port; a change made right after
//      the restart reaches the page once (no event lost, none repeated);
//   8. the supervisor signs in, sees all units and switches to a unit's inbox;
//   9. screenshots at laptop (1280) and phone (390) widths, saved under the artifacts folder.
//
// usage: node inbox.e2e.mjs --duban PATH --source ROOT --artifacts DIR
// Needs tests/web/node_modules (npm ci --prefix tests/web) and /usr/lib/chromium/chromium:
// tools/dev/setup.sh installs both.
import fs from 'node:fs';
import path from 'node:path';
import { E2E, enc } from './harness.mjs';

const TOTAL_BUDGET_MS = 150_000; // the whole test; CTest's timeout is a little longer

const t = new E2E('web_e2e', 'inbox.e2e.mjs');
const { opts, work, db, log, check, duban, api, inbox, command } = t;
const startServer = async (listen) =>
  (await t.startServer(['--listen', listen, '--quiet', '--checkpoint-interval', '1'])).base;
const stopServer = () => t.stopServer();
const screenshot = (page, name) => t.screenshot(page, name);
let base = '';

const row = (page, task) => page.locator(`#inbox-table tr[data-task="${task.replace(/"/g, '\\"')}"]`);

async function main() {

  // 1. A fresh store, tokens, the server.
  duban('ingest', path.join(opts.source, 'data/qinghai-gazette-2015-08.md'), '--db', db);
  const supervisor = duban('token', 'create', '--supervisor', '--db', db);
  const fgw = duban('token', 'create', '--unit', 'fgw', '--db', db);
  base = await startServer('127.0.0.1:0');
  const port = new URL(base).port;
  log('server at', base);

  // 2. The page comes from the binary, typed and UTF-8.
  const index = await fetch(base + '/');
  check(index.status === 200, 'GET / answers 200');
  check(index.headers.get('content-type') === 'text/html; charset=utf-8', 'index.html is UTF-8 HTML');
  check(index.headers.get('cache-control') === 'no-cache', 'index.html is revalidated');
  check(/default-src 'self'/.test(index.headers.get('content-security-policy') || ''), 'a same-origin CSP');
  check((await index.text()).includes('督办'), 'index.html holds its Chinese title');
  const js = await fetch(base + '/app/main.js');
  check(js.status === 200 && js.headers.get('content-type') === 'text/javascript; charset=utf-8', '/app/main.js is JavaScript');
  check((await fetch(base + '/app/nope.js')).status === 404, 'a missing page file is 404');

  // The data the assertions use: fgw's real inbox, and a grain task fgw does not have.
  const fgwTasks = await inbox(supervisor, 'fgw');
  const fgwIds = new Set(fgwTasks.map((t) => t.task));
  const byHeading = (h) => fgwTasks.find((t) => t.heading === h);
  const toAck = byHeading('确保农业生产用地基本稳定');
  const toRefuse = byHeading('加强粮食仓储物流设施建设');
  const toLeave = byHeading('创新粮食储备机制');
  const toRed = byHeading('加强粮食产销合作');
  check(toAck && toRefuse && toLeave && toRed, 'fgw leads the grain-security clauses (四)(九)(十)(十一)');
  const incoming = (await inbox(supervisor, 'grain')).filter((t) => !fgwIds.has(t.task));
  check(incoming.length >= 2, 'grain has tasks fgw does not');

  // 3. Sign in as the unit.
  const { context, page, pageErrors } = await t.browser();

  await page.goto(base + '/');
  await page.click('#use-token'); // people sign in with a password (signin.e2e.mjs); this is the machine token
  await page.fill('#token', 'dbn_wrong');
  await page.click('#token-form button[type=submit]');
  await page.locator('.signin .alert', { hasText: '令牌无效' }).waitFor();
  await page.fill('#token', fgw);
  await page.click('#token-form button[type=submit]');
  await page.locator('#inbox-table tbody tr').first().waitFor();
  await page.locator('#live[data-state="live"]').waitFor();
  for (const t of [toAck, toRefuse, toLeave]) {
    await row(page, t.task).locator('.cell-heading', { hasText: t.heading }).waitFor();
  }
  check(await page.locator('#inbox-table tbody tr').count() === fgwTasks.length, 'every open task of fgw is listed');
  // Overdue first by default.
  check(await page.locator('#inbox-table tbody tr').first().getAttribute('data-light') === 'red', 'overdue tasks come first');
  await screenshot(page, 'inbox-laptop');

  // 4. An action: acknowledge, and see it recorded.
  await row(page, toAck.task).locator('.cell-heading a').click();
  await page.locator('.task-view h1', { hasText: toAck.heading }).waitFor();
  await page.locator('.source-text').waitFor();
  await page.click('button[data-action="acknowledge"]');
  await page.locator('#action-result.ok', { hasText: '已办理：签收' }).waitFor();
  await page.locator('.unit-line[data-unit="fgw"] .ack.yes').waitFor();
  await page.locator('.timeline li', { hasText: '签收' }).waitFor();
  check(await page.locator('button[data-action="acknowledge"]').count() === 0, 'acknowledge is gone once done');
  await screenshot(page, 'task-laptop');

  // 5. A refused action shows the refusal in Chinese (api.js maps the server's message).
  await page.evaluate((t) => { location.hash = '#/task/' + encodeURIComponent(t); }, toRefuse.task);
  await page.locator('.task-view h1', { hasText: toRefuse.heading }).waitFor();
  await page.click('details[data-action="request-extension"] > summary');
  const form = page.locator('details[data-action="request-extension"] form');
  await form.locator('input[name="requested_deadline"]').fill('2016-01-01');
  await form.locator('input[name="reason"]').fill('端到端测试');
  await form.locator('button[type=submit]').click();
  await page.locator('#action-result.alert', { hasText: '申请延期的日期须晚于现行期限' }).waitFor();
  log('refusal shown:', await page.locator('#action-result').textContent());

  // 6. Live changes from another client, without reload.
  await page.evaluate(() => { location.hash = '#/inbox/fgw'; });
  await row(page, toLeave.task).waitFor();
  await page.evaluate(() => { window.__noReload = 'still here'; });
  await command(supervisor, incoming[0].task, 'reassign', { leads: ['fgw'], participants: [], reason: '改由省发展改革委牵头' });
  await row(page, incoming[0].task).waitFor();
  await page.locator('.notice', { hasText: incoming[0].heading }).waitFor();
  await command(supervisor, toLeave.task, 'reassign', { leads: ['grain'], participants: [], reason: '改由省粮食局牵头' });
  await row(page, toLeave.task).waitFor({ state: 'detached' });
  check(await row(page, toRed.task).getAttribute('data-light') !== 'red', 'the deadline task starts without red');
  await command(supervisor, toRed.task, 'deadline', { deadline: '2016-06-30', reason: '限期完成' });
  await page.locator(`#inbox-table tr[data-task="${toRed.task}"][data-light="red"]`).waitFor();
  check(await page.evaluate(() => window.__noReload) === 'still here', 'the page was not reloaded');
  await screenshot(page, 'inbox-live-laptop');

  // 7. Drop and resume: stop the server, restart it on the same port, change something at once.
  await stopServer();
  await page.locator('#live[data-state="reconnecting"]').waitFor();
  base = await startServer('127.0.0.1:' + port);
  const resumed = await command(supervisor, incoming[1].task, 'reassign',
    { leads: ['fgw'], participants: [], reason: '断线期间改派' });
  // Usually the page is still backing off here, so the change reaches it in the replay.
  log('change made while the page was', await page.locator('#live').getAttribute('data-state'));
  await row(page, incoming[1].task).waitFor({ timeout: 30_000 });
  await page.locator('#live[data-state="live"]').waitFor({ timeout: 30_000 });
  const positions = await page.locator('#feed .feed-item').evaluateAll((els) => els.map((e) => Number(e.dataset.position)));
  check(new Set(positions).size === positions.length, `no event shown twice (feed: ${positions.join(',')})`);
  for (const p of resumed.positions) check(positions.includes(p), `event ${p} of the resumed change arrived`);
  check(positions.every((p, i) => i === 0 || positions[i - 1] > p), 'events arrive in log order');
  check(await page.evaluate(() => window.__noReload) === 'still here', 'the page was not reloaded across the drop');

  // 9a. Phone width.
  await page.setViewportSize({ width: 390, height: 844 });
  await page.evaluate(() => window.scrollTo(0, 0));
  await screenshot(page, 'inbox-phone');
  check(await page.evaluate(() => document.documentElement.scrollWidth <= 390), 'no horizontal scrolling at 390px');
  await page.evaluate((t) => { location.hash = '#/task/' + encodeURIComponent(t); }, toAck.task);
  await page.locator('.source-text').waitFor();
  await screenshot(page, 'task-phone');
  check(await page.evaluate(() => document.documentElement.scrollWidth <= 390), 'the task view fits 390px');
  await page.setViewportSize({ width: 1280, height: 900 });

  // Document view with its charts.
  await page.evaluate((d) => { location.hash = '#/document/' + encodeURIComponent(d); }, toAck.document);
  await page.locator('.document svg.stacked').first().waitFor();
  await page.locator('.clauses tr', { hasText: toAck.heading }).waitFor();
  await screenshot(page, 'document-laptop');

  // 8. The supervisor sees every unit and switches between inboxes.
  await page.click('#signout');
  await page.click('#use-token');
  await page.fill('#token', supervisor);
  await page.click('#token-form button[type=submit]');
  await page.locator('.unit-table tr[data-unit="fgw"]').waitFor();
  await page.selectOption('#unit-switch', 'grain');
  await page.locator('.page-head h1', { hasText: '省粮食局' }).waitFor();
  await row(page, toLeave.task).waitFor();
  await screenshot(page, 'supervisor-laptop');

  check(pageErrors.length === 0, 'no script errors: ' + pageErrors.join('; '));
  log('all checks passed');
}

await t.run(TOTAL_BUDGET_MS, main, 'failure');
