// End-to-end test of the unit head's sign-off (负责人签发, issue 14) on the web page
// (clients/web/app/task.js, docs/web.md "Task view") in a real browser: Debian's Chromium driven
// headless by playwright-core, against the real `duban serve` binary, three people each signing
// in with their own password.
//
// Covers, in order:
//   1. a fresh SQLite store with the bundled gazette; accounts made with `duban account create
//      --password-stdin` before the server starts (a 承办人 and a 负责人 of a task's lead unit, a
//      督查员 of the office), and the unit's sign-off rule turned on (`duban account sign-off`);
//   2. the 承办人 signs in with the form, reports completion (报告办结): the task shows
//      待负责人签发 and offers the 承办人 neither 签发 nor 退回承办人; they sign out;
//   3. the 负责人 signs in, finds the task marked 待负责人签发 in the unit's inbox, sees it with 签发 and 退回承办人 (a required reason field), and
//      sends it back with a reason (负责人已退回 with the reason; the part is open again); the
//      承办人 signs in again, reads the reason and reports again; the 负责人 signs it off (签发);
//      the office now sees it reported;
//   4. the 督查员 signs in and approves (批准办结): the task is closed;
//   5. the page's history names each person for their step (提交办结 by the 承办人, 负责人签发 by
//      the 负责人, 批准办结 by the 督查员), and so does `duban audit history` on the log file.
//
// usage: node signoff.e2e.mjs --duban PATH --source ROOT --artifacts DIR
// Needs tests/web/node_modules (npm ci --prefix tests/web) and /usr/lib/chromium/chromium:
// tools/dev/setup.sh installs both.
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { E2E } from './harness.mjs';

const TOTAL_BUDGET_MS = 150_000; // the whole test; CTest's timeout is a little longer

const t = new E2E('web_signoff_e2e', 'signoff.e2e.mjs');
const { opts, work, db, log, check, duban } = t;

// `duban account create` with a password on stdin (never on the command line).
function createAccount({ login, name, unit, role, password }) {
  const where = unit ? ['--unit', unit] : ['--office'];
  execFileSync(opts.duban, ['account', 'create', '--login', login, '--name', name, ...where,
    '--role', role, '--password-stdin', '--db', db],
  { cwd: work, input: password + '\n', encoding: 'utf8', stdio: ['pipe', 'pipe', 'pipe'] });
}

async function main() {
  // 1. The store, the people, the unit's sign-off rule, the server.
  duban('ingest', path.join(opts.source, 'data/qinghai-gazette-2015-08.md'), '--db', db);
  // A task the unit leads whose one completion closes it (not 分别负责, where each lead reports).
  const unit = 'fgw';
  const target = duban('tasks', '--unit', unit, '--format', 'jsonl', '--db', db)
    .split('\n').filter(Boolean).map((l) => JSON.parse(l))
    .filter((r) => r.role === 'lead' && r.status === 'assigned')
    .find((r) => JSON.parse(duban('audit', 'history', r.task, '--format', 'json', '--db', db)).mode !== 'separately');
  check(target, `the gazette has a task ${unit} leads`);
  log('task', target.task, 'led by', unit);

  const handler = { login: 'zhang.cb', name: '张承办', unit, role: 'handler', password: 'handler-pass-1' };
  const head = { login: 'wang.fzr', name: '王负责', unit, role: 'unit_head', password: 'head-pass-12' };
  const inspector = { login: 'li.dc', name: '李督查', role: 'inspector', password: 'inspector-pass' };
  for (const a of [handler, head, inspector]) createAccount(a);
  const rule = duban('account', 'sign-off', '--unit', unit, '--required', 'yes', '--db', db);
  check(rule.includes('requires'), 'the unit requires its head\'s sign-off: ' + rule);

  await t.startServer(['--listen', '127.0.0.1:0', '--quiet', '--checkpoint-interval', '1'],
    { stderrName: 'signoff.server.stderr.log', timeoutMs: 30_000 });
  const { page, pageErrors } = await t.browser();

  const signIn = async (a) => {
    await page.goto(t.base + '/');
    await page.fill('#login', a.login);
    await page.fill('#password', a.password);
    await page.click('#signin-submit');
    await page.locator('#who', { hasText: a.name }).waitFor();
    log('signed in as', a.login);
  };
  const signOut = async () => {
    await page.click('#signout');
    await page.locator('#password-form').waitFor();
  };
  const openTask = async () => {
    await page.evaluate((id) => { location.hash = '#/task/' + encodeURIComponent(id); }, target.task);
    await page.locator('.source-text').waitFor();
  };
  // Opens an action's form, fills its fields ({name: value}) and submits it.
  const act = async (action, fields, done) => {
    const form = page.locator(`details[data-action="${action}"]`);
    await form.locator('summary').click();
    for (const [name, value] of Object.entries(fields)) await form.locator(`[name="${name}"]`).fill(value);
    await form.locator('button[type="submit"]').click();
    await page.locator('#action-result.ok', { hasText: '已办理：' + done }).waitFor();
  };
  const actions = async () => page.locator('.actions [data-action]').evaluateAll(
    (els) => els.map((e) => e.dataset.action));

  // 2. The 承办人 reports completion: it waits for the head.
  await signIn(handler);
  await openTask();
  await act('report-completion', { summary: '已完成制度建设并印发' }, '报告办结');
  await page.locator('#awaiting-sign-off', { hasText: '待负责人签发' }).waitFor();
  const byHandler = await actions();
  check(!byHandler.includes('sign-off') && !byHandler.includes('refuse-sign-off'),
    'a handler cannot sign off: ' + byHandler.join(','));
  check(!byHandler.includes('report-completion'), 'the submitted completion is not reported again');
  await t.screenshot(page, 'signoff-submitted');
  await signOut();

  // 3. The 负责人 finds it in the unit's inbox, sends it back once, then signs it off.
  await signIn(head);
  await page.locator(`#inbox-table tr[data-task="${target.task}"] .marker-signoff`, { hasText: '待负责人签发' }).waitFor();
  await openTask();
  await page.locator('#awaiting-sign-off', { hasText: '待负责人签发' }).waitFor();
  const byHead = await actions();
  check(byHead.includes('sign-off') && byHead.includes('refuse-sign-off'),
    'the head gets 签发 and 退回承办人: ' + byHead.join(','));
  check(await page.locator('details[data-action="refuse-sign-off"] [name="reason"]').getAttribute('required') !== null,
    '退回承办人 asks for a reason');
  check((await page.locator('details[data-action="refuse-sign-off"] summary').textContent()) === '退回承办人',
    'the refusal is labelled 退回承办人');
  await t.screenshot(page, 'signoff-head');
  const why = '请补充印发文件的文号';
  await act('refuse-sign-off', { reason: why }, '退回承办人');
  await page.locator('#returned', { hasText: '负责人已退回' }).waitFor();
  check((await page.locator('#returned').textContent()).includes(why), 'the banner gives the reason');
  await page.locator('#awaiting-sign-off').waitFor({ state: 'detached' });
  await signOut();

  await signIn(handler);
  await openTask();
  const banner = await page.locator('#returned').textContent();
  check(banner.includes('负责人已退回') && banner.includes(why) && banner.includes(head.name),
    'the handler reads who sent it back and why: ' + banner);
  await act('report-completion', { summary: '已印发，文号见附件' }, '报告办结');
  await page.locator('#awaiting-sign-off').waitFor();
  check(await page.locator('#returned').count() === 0, 'a new submission clears the banner');
  await signOut();

  await signIn(head);
  await openTask();
  await act('sign-off', { note: '同意上报' }, '签发');
  await page.locator('#awaiting-sign-off').waitFor({ state: 'detached' });
  await page.locator('.status', { hasText: '已报办结' }).waitFor();
  await signOut();

  // 4. The 督查员 approves: the task is closed.
  await signIn(inspector);
  await openTask();
  await act('approve-completion', {}, '批准办结');
  await page.locator('.status', { hasText: '已办结' }).waitFor();

  // 5. The history names each person for their step, on the page and in the audit.
  const steps = [
    ['CompletionSubmitted', handler],
    ['SignOffRefused', head],
    ['CompletionSignedOff', head],
    ['CompletionReported', head],
    ['CompletionApproved', inspector],
  ];
  for (const [type, who] of steps) {
    const line = page.locator(`.timeline li[data-type="${type}"] .tl-who`).first();
    const text = await line.textContent();
    check(text.includes(who.name), `the page's history names ${who.name} for ${type}: ${text}`);
  }
  await t.screenshot(page, 'signoff-history', true);
  check(pageErrors.length === 0, 'no script errors: ' + pageErrors.join('; '));
  await signOut();

  const audit = JSON.parse(duban('audit', 'history', target.task, '--format', 'json', '--db', db));
  const entries = audit.events;
  for (const [type, who] of steps) {
    const e = entries.find((x) => x.type === type);
    check(e, `the audit lists ${type}`);
    check(e.person_name === who.name && e.person === who.login,
      `the audit names ${who.name} (${who.login}) for ${type}: ${JSON.stringify(e)}`);
  }
  const table = duban('audit', 'history', target.task, '--db', db);
  for (const [, who] of steps) check(table.includes(who.name), `duban audit history shows ${who.name}`);
  log('audit:', steps.map(([type, who]) => `${type} by ${who.name}`).join(', '));
  log('all checks passed');
}

await t.run(TOTAL_BUDGET_MS, main, 'signoff-failure');
