// End-to-end test of the supervisor's 拟办 (drafts) page (clients/web/app/drafts.js, docs/web.md)
// in a real browser: Debian's Chromium driven headless by playwright-core, against the real
// `duban serve` binary on an empty SQLite store.
//
// Covers, in order:
//   1. the bundled gazette, with one unit name of 青政〔2015〕70号 (六) changed to a name the
//      directory lacks (省粮油办), ingested with `duban ingest --review`: drafts, no tasks;
//   2. the supervisor opens 拟办, the draft lists its 17 clauses in document order, each next to
//      its source text; the clause with the unknown unit is marked 待核 and listed first;
//   3. the unknown name is mapped to 省粮食局 from the page (remembered, the clause reread);
//   4. a unit is fixed inline: 省教育厅 joins (十八) as participant; its mode becomes 牵头负责;
//      (十五) is split at its second sentence (the new clause follows it) and merged back;
//      (十六) gets a corrected heading, which its task then carries;
//      a clause the parser missed is added (its source line is asked for in Chinese first);
//   5. a clause is dropped with a reason (a missing reason is refused in Chinese first);
//   6. a clause another officer dropped meanwhile (HTTP from this test) refuses an edit with a
//      Chinese message; the page has announced the change live, and re-reads the draft;
//   7. a bulk deadline for the whole document (clauses with their own deadline keep it); one
//      clause's deadline cleared and "20 working days after 交办" chosen for it; a monthly
//      reporting cycle chosen for 交办;
//   8. 交办 behind a confirmation, with 办结须附佐证材料 ticked (recorded in the draft at once,
//      named by the confirmation, carried by every task): the page then shows the document live,
//      every task with a light; its bulk tools act on the tasks (deadlines kept, the cycle changed to quarterly);
//      publishing again over HTTP creates nothing;
//   9. the live feed names tasks by clause label and heading, never by their `doc|n` id;
//  10. the unit 省教育厅 signs in: its inbox holds the (十八) task as participant, with the bulk
//      deadline and a green light; 省粮食局 leads (六) (the mapped name holds); the unit has
//      no 拟办 page;
//  11. screenshots (laptop and phone widths) under the artifacts folder.
//
// usage: node drafts.e2e.mjs --duban PATH --source ROOT --artifacts DIR
// Needs tests/web/node_modules (npm ci --prefix tests/web) and /usr/lib/chromium/chromium:
// tools/dev/setup.sh installs both.
import fs from 'node:fs';
import path from 'node:path';
import { E2E, enc, openTask } from './harness.mjs';

const TOTAL_BUDGET_MS = 150_000; // the whole test; CTest's timeout is a little longer
const DOC = '青政〔2015〕70号';
const TASKS = 16; // its 17 clauses, two dropped and one added in review

const t = new E2E('web_drafts_e2e', 'drafts.e2e.mjs');
const { opts, work, db, log, check, duban, api, inbox, command } = t;
const startServer = async (listen) =>
  (await t.startServer(['--listen', listen, '--quiet'], { stderrName: 'drafts-server.stderr.log' })).base;
const screenshot = t.screenshot;
let base = '';

function isoDate(d) {
  return d.toISOString().slice(0, 10);
}

async function main() {

  // 1. The gazette with one unit name the directory lacks, ingested for review.
  const gazette = fs.readFileSync(path.join(opts.source, 'data/qinghai-gazette-2015-08.md'), 'utf8');
  const changed = gazette.replace('省金融办、省粮食局等)', '省金融办、省粮油办等)');
  check(changed !== gazette, 'the gazette still has clause (六) with 省金融办、省粮食局等');
  const file = path.join(work, 'gazette.md');
  fs.writeFileSync(file, changed);
  duban('ingest', file, '--review', '--db', db);
  const supervisor = duban('token', 'create', '--supervisor', '--db', db);
  const education = duban('token', 'create', '--unit', 'education', '--db', db);
  base = await startServer('127.0.0.1:0');
  log('server at', base);

  check((await inbox(supervisor, 'grain')).length === 0, 'a draft creates no task: the grain inbox is empty');
  const listed = (await api(supervisor, 'GET', '/drafts')).drafts.find((d) => d.document === DOC);
  check(listed && !listed.published && listed.clauses === 17, `${DOC} is a draft of 17 clauses`);
  const first = await api(supervisor, 'GET', `/drafts/${enc(DOC)}`);
  const keyOf = (label) => first.clauses.find((c) => c.label === label)?.key;
  const [k6, k15, k16, k17, k18, k19, k20] = ['(六)', '(十五)', '(十六)', '(十七)', '(十八)', '(十九)', '(二十)'].map(keyOf);
  check(k6 && k15 && k16 && k17 && k18 && k19 && k20, 'the draft has clauses (六) (十五)…(二十)');
  const withDeadline = first.clauses.filter((c) => c.deadline).map((c) => [c.key, c.deadline]);

  // 2. The supervisor opens 拟办.
  const { context, page, pageErrors } = await t.browser();

  await page.goto(base + '/');
  await page.click('#use-token'); // the machine token, not a person's password
  await page.fill('#token', supervisor);
  await page.click('#token-form button[type=submit]');
  await page.locator('#live[data-state="live"]').waitFor();
  await page.click('#nav a[data-nav="drafts"]');
  const listRow = page.locator(`.draft-table tr[data-document="${DOC}"]`);
  await listRow.waitFor();
  check((await listRow.textContent()).includes('审核中'), 'the draft is listed as in review');
  await screenshot(page, 'drafts-list-laptop');
  await listRow.locator('a').click();

  const card = (key) => page.locator(`article.draft-clause[data-key="${key}"]`);
  await card(k20).waitFor();
  const order = await page.locator('.clause-list article.draft-clause').evaluateAll((els) => els.map((e) => e.dataset.key));
  check(order.join() === first.clauses.map((c) => c.key).join(), 'clauses are shown in document order');
  check((await card(k18).locator('.source-text').textContent()).includes('爱粮节粮'), 'each clause shows its source text');
  check(await card(k6).getAttribute('data-doubtful') === 'true', 'the clause with an unknown unit is marked 待核');
  const firstDoubt = page.locator('#doubtful .doubt-list li').first();
  check(await firstDoubt.getAttribute('data-key') === k6, 'the doubtful clause is listed first');
  check((await firstDoubt.textContent()).includes('省粮油办'), 'the doubtful list says why (the unknown name)');
  await screenshot(page, 'draft-review-laptop');
  await page.check('#only-doubtful');
  const shownKeys = await page.locator('article.draft-clause:visible').evaluateAll((els) => els.map((e) => e.dataset.key));
  check(shownKeys.join() === k6, `只看待核条款 leaves only the doubtful clause (${shownKeys.join()})`);
  await page.uncheck('#only-doubtful');
  await card(k20).waitFor();

  // 3. Map the unknown name to a directory unit.
  await firstDoubt.locator('a').click();
  await screenshot(page, 'draft-doubtful-laptop');
  const unknownRow = card(k6).locator('.unit-row.unknown[data-mention="省粮油办"]');
  await unknownRow.locator('select').selectOption('grain');
  await unknownRow.locator('button.map-unit').click();
  await card(k6).locator('.unit-row[data-unit="grain"]').waitFor();
  check(await card(k6).locator('.unit-row.unknown').count() === 0, 'no unknown unit is left on (六)');
  await page.locator('#doubtful .ok-line').waitFor(); // nothing left to review
  const mapped = (await api(supervisor, 'GET', `/drafts/${enc(DOC)}`)).clauses.find((c) => c.key === k6);
  check(mapped.units.some((u) => u.unit === 'grain' && u.mention === '省粮油办'), 'the server reread (六) with the mapping');

  // 4. Fix a unit inline: 省教育厅 takes part in (十八).
  await card(k18).locator('button.add-unit').click();
  await card(k18).locator('select.add-select').selectOption('education');
  const eduRole = card(k18).locator('.unit-row[data-unit="education"] select.role-select');
  check(await eduRole.inputValue() === 'participant', 'a unit added next to leads joins as participant');
  await card(k18).locator('button.save-units').click();
  await card(k18).locator('.flag-corrected').waitFor();
  await card(k18).locator('.clause-result.ok', { hasText: '已保存' }).waitFor();
  check(await card(k18).locator('.unit-row[data-unit="education"] select.role-select').inputValue() === 'participant',
    'the saved reading keeps 省教育厅 as participant');

  await card(k18).locator('select.mode-select').selectOption('lead');
  await page.waitForFunction((k) => document.querySelector(`article.draft-clause[data-key="${k}"] select.mode-select`)?.value === 'lead'
    && document.querySelector(`article.draft-clause[data-key="${k}"] .clause-result.ok`), k18);

  // 4b. Split (十五) at its second sentence: the new clause follows it; merge them back.
  const text15 = first.clauses.find((c) => c.key === k15).text;
  const at = text15.split('。')[1].slice(0, 10);
  await card(k15).locator('details.more > summary').click();
  await card(k15).locator('.split-form input[name="at"]').fill(at);
  await card(k15).locator('.split-form button[type=submit]').click();
  const secondHalf = page.locator(`article.draft-clause[data-label="(十五)-2"]`);
  await secondHalf.waitFor();
  check((await secondHalf.locator('.source-text').textContent()).startsWith(at), 'the second clause starts where the split was');
  const splitOrder = await page.locator('.clause-list article.draft-clause').evaluateAll((els) => els.map((e) => e.dataset.label));
  check(splitOrder.indexOf('(十五)-2') === splitOrder.indexOf('(十五)') + 1, 'the split-off clause follows its first half');
  await card(k15).locator('details.more > summary').click();
  await card(k15).locator('button.merge-next', { hasText: '(十五)-2' }).click();
  await secondHalf.waitFor({ state: 'detached' });
  check((await card(k15).locator('.source-text').textContent()).includes(at), 'merged back, (十五) holds its whole text');
  // A corrected heading for (十六).
  const heading16 = '健全粮食质量安全保障体系（审核更正）';
  await card(k16).locator('details.more > summary').click();
  await card(k16).locator('.label-form input[name="heading"]').fill(heading16);
  await card(k16).locator('.label-form button[type=submit]').click();
  await card(k16).locator('.clause-head', { hasText: heading16 }).waitFor();

  // 4c. A clause the parser missed, added with its source line and a lead unit.
  const added = { label: '(二十一)', text: '建立粮食安全工作通报制度。每半年通报一次各地区落实情况。' };
  await page.click('details.add-clause > summary');
  await page.fill('#add-clause input[name="label"]', added.label);
  await page.fill('#add-clause textarea[name="text"]', added.text);
  await page.click('#add-clause button[type=submit]');
  await page.locator('details.add-clause .alert', { hasText: '请填写原文所在的行' }).waitFor();
  await page.fill('#add-clause input[name="line"]', '88');
  await page.selectOption('#add-clause select[name="lead"]', 'grain');
  await page.click('#add-clause button[type=submit]');
  await page.locator('details.add-clause .notice', { hasText: `已补充条款 ${added.label}` }).waitFor();
  await page.locator(`article.draft-clause[data-label="${added.label}"] .source-text`, { hasText: added.text }).waitFor();

  // 5. Drop a clause with a reason; without one the page says so in Chinese.
  await card(k19).locator('details.drop > summary').click();
  await card(k19).locator('.drop-form button[type=submit]').click();
  await card(k19).locator('.alert', { hasText: '请填写不列为任务的理由' }).waitFor();
  await card(k19).locator('.drop-form input[name="reason"]').fill('与第（十八）条合并督办');
  await card(k19).locator('.drop-form button[type=submit]').click();
  await card(k19).waitFor({ state: 'detached' });

  // 6. Another officer drops (二十) over HTTP; editing it on the stale page is refused in Chinese.
  check(await page.locator('#draft-stale').isHidden(), 'the page\'s own corrections are not announced as someone else\'s');
  await api(supervisor, 'POST', `/drafts/${enc(DOC)}/corrections`, { kind: 'drop', clause: k20, reason: '另一处理人删除' });
  await card(k20).locator('input.deadline-input').fill('2030-01-31');
  await card(k20).locator('button.save-deadline').click();
  await card(k20).locator('.alert', { hasText: '未找到该拟办或条款' }).waitFor();
  log('refusal shown:', (await card(k20).locator('.alert').textContent()).trim());
  // The page heard of the other officer's change live, and re-reads the draft on request.
  await page.locator('#draft-stale').waitFor();
  await page.click('#draft-reload');
  await card(k20).waitFor({ state: 'detached' });
  check(await page.locator('#draft-stale').isHidden(), 'the notice goes once the draft is re-read');

  // 7. A bulk deadline for the whole document, and a monthly reporting cycle.
  const bulk = new Date(Date.now() + 60 * 86400_000);
  const bulkDate = isoDate(bulk);
  await page.locator('#bulk-deadline input[name="deadline"]').fill(bulkDate);
  await page.locator('#bulk-deadline button[type=submit]').click();
  await page.locator('.bulk-result .notice', { hasText: '已为' }).waitFor({ timeout: 30_000 });
  log('bulk deadline:', await page.locator('.bulk-result .notice').textContent());
  await card(k20).waitFor({ state: 'detached' }); // the refresh caught up with the other officer
  const afterBulk = await api(supervisor, 'GET', `/drafts/${enc(DOC)}`);
  check(afterBulk.clauses.length === TASKS, 'two clauses were dropped and one added');
  for (const c of afterBulk.clauses) {
    const own = withDeadline.find(([k]) => k === c.key);
    check(c.deadline === (own ? own[1] : bulkDate), `clause ${c.label} has deadline ${own ? own[1] : bulkDate} (got ${c.deadline})`);
  }
  check(await page.locator('.stat-no-deadline .stat-value').textContent() === '0', 'no clause is left without a deadline');
  // (十七) instead: cleared, then "20 working days after 交办" for what has no deadline then.
  await card(k17).locator('.deadline-line button.link', { hasText: '清除' }).click();
  await page.waitForFunction((k) => document.querySelector(`article.draft-clause[data-key="${k}"] input.deadline-input`)?.value === '', k17);
  await page.locator('.stat-no-deadline .stat-value', { hasText: '1' }).waitFor();
  await page.locator('#bulk-deadline input[name="deadline"]').fill('');
  await page.locator('#bulk-deadline input[name="working_days"]').fill('20');
  await page.locator('#bulk-deadline button[type=submit]').click();
  await page.locator('.bulk-result .notice', { hasText: '交办后 20 个工作日' }).waitFor();
  await page.locator('#bulk-cycle select[name="cycle"]').selectOption('monthly');
  // The draft in review at phone width (11): one column, source above reading.
  await page.setViewportSize({ width: 390, height: 844 });
  await card(k18).scrollIntoViewIfNeeded();
  await screenshot(page, 'draft-review-phone');
  check(await page.evaluate(() => document.documentElement.scrollWidth <= 390), 'a draft in review fits 390px');
  await page.setViewportSize({ width: 1280, height: 900 });

  // 8. 交办 behind a confirmation, completions to carry evidence.
  await page.locator('#evidence-required').check();
  await page.waitForFunction(() => !document.querySelector('#evidence-required').disabled);
  check((await api(supervisor, 'GET', `/drafts/${enc(DOC)}`)).evidence_required === true,
    'ticking 办结须附佐证材料 records the rule in the draft');
  await page.click('#publish');
  const dialog = page.locator('#publish-dialog');
  await dialog.waitFor();
  check((await dialog.textContent()).includes(`${TASKS} 条条款`), 'the confirmation says how many clauses become tasks');
  check((await dialog.textContent()).includes('每月报送进展'), 'the confirmation names the reporting cycle');
  check((await dialog.textContent()).includes('交办后 20 个工作日'), 'the confirmation names the working-day deadline');
  check((await dialog.textContent()).includes('办结须附佐证材料'), 'the confirmation names the evidence rule');
  await screenshot(page, 'draft-confirm-laptop');
  await page.click('#publish-confirm');
  await page.locator('#live-badge', { hasText: '已交办' }).waitFor({ timeout: 30_000 });
  await page.locator('#published-notice', { hasText: `新建任务 ${TASKS} 项` }).waitFor();
  const liveRows = page.locator('table.live-tasks tbody tr');
  await liveRows.first().waitFor();
  check(await liveRows.count() === TASKS, `the live document lists ${TASKS} tasks`);
  const lights = await liveRows.evaluateAll((els) => els.map((e) => e.dataset.light));
  check(lights.every((l) => l === 'green' || l === 'red' || l === 'yellow'), `every task has a light (${lights.join(',')})`);
  await screenshot(page, 'draft-published-laptop');
  check(await liveRows.filter({ hasText: heading16 }).count() === 1, 'the corrected heading is the task\'s');
  // The bulk tools now act on the tasks: every task has a deadline already; the cycle changes.
  await page.locator('#bulk-deadline input[name="deadline"]').fill(isoDate(new Date(Date.now() + 90 * 86400_000)));
  await page.locator('#bulk-deadline button[type=submit]').click();
  await page.locator('.bulk-result .notice', { hasText: `已为 0 项任务设定期限；${TASKS} 项原有期限保留` }).waitFor();
  await page.locator('#bulk-cycle select[name="cycle"]').selectOption('quarterly');
  await page.locator('#bulk-cycle button[type=submit]').click();
  await page.locator('.bulk', { hasText: `已为 ${TASKS} 项任务设定报送周期` }).waitFor();
  const publishedTasks = (await api(supervisor, 'GET', `/drafts/${enc(DOC)}`)).tasks;
  const firstTask = await api(supervisor, 'GET', `/tasks/${enc(publishedTasks[0])}`);
  check(firstTask.evidence_required === true, 'the published tasks require evidence with completions');
  const again = await api(supervisor, 'POST', `/drafts/${enc(DOC)}/publish`, {});
  check(again.already_published && again.tasks_created === 0, 'publishing again creates nothing');

  // 9. The feed (shown on an inbox) names tasks by clause, not by id.
  await page.evaluate(() => { location.hash = '#/inbox/education'; });
  await page.locator('#feed .feed-item').first().waitFor();
  const targets = await page.locator('#feed .feed-item .feed-target a').allTextContents();
  check(targets.length > 0, 'the feed lists task events');
  await page.locator('#feed .feed-target a', { hasText: '(十八) 加强爱粮节粮宣传教育' }).first().waitFor();
  const shown = await page.locator('#feed .feed-item .feed-target a').allTextContents();
  check(shown.every((t) => !t.includes('|')), `no raw task id in the feed (${shown.slice(0, 3).join(' / ')})`);

  // 10. The unit sees its task with a light; the fixed and mapped units hold.
  const eduTasks = await inbox(supervisor, 'education');
  const t18 = eduTasks.find((t) => t.heading === '加强爱粮节粮宣传教育');
  check(t18 && t18.role === 'participant' && t18.deadline === bulkDate && t18.light === 'green',
    `education takes part in (十八), due ${bulkDate}, green (${JSON.stringify(t18)})`);
  const task18 = await api(supervisor, 'GET', `/tasks/${enc(t18.task)}`);
  check(task18.history.some((e) => e.event_type === 'ReportingCycleSet'), 'the monthly cycle was set at 交办');
  check(task18.mode === 'lead', `the corrected mode holds (${task18.mode})`);
  const grainTasks = await inbox(supervisor, 'grain');
  const t6 = grainTasks.find((t) => t.heading === '建立新型粮食生产经营体系');
  check(t6 && t6.role === 'lead', '省粮食局 leads (六) through the mapped name');
  const t21 = grainTasks.find((t) => t.label === added.label);
  check(t21 && t21.role === 'lead' && t21.deadline === bulkDate, `the added clause is 省粮食局's task, due ${bulkDate}`);
  // 20 working days from today: at least 20 and (with weekends and holidays) under 45 days on.
  const t17 = grainTasks.find((t) => t.heading === '落实粮食质量安全监管责任');
  const inDays = t17?.deadline ? Math.round((Date.parse(t17.deadline) - Date.parse(isoDate(new Date()))) / 86400_000) : null;
  check(inDays !== null && inDays >= 20 && inDays < 45 && t17.deadline !== bulkDate,
    `(十七) is due 20 working days after 交办 (${t17?.deadline}, in ${inDays} days)`);

  await page.click('#signout');
  await page.click('#use-token'); // the machine token, not a person's password
  await page.fill('#token', education);
  await page.click('#token-form button[type=submit]');
  const row = page.locator(`#inbox-table tr[data-task="${t18.task}"]`);
  await row.waitFor();
  check(await row.getAttribute('data-light') === 'green', 'the unit sees the task with a green light');
  check((await row.locator('.cell-role').textContent()).includes('参与'), 'the unit sees itself as participant');
  check((await row.locator('.cell-deadline').textContent()).includes(bulkDate), 'the unit sees the bulk deadline');
  await screenshot(page, 'drafts-unit-inbox-laptop');
  // The task page says a completion must carry evidence.
  await openTask(page, t18.task);
  await page.locator('#evidence-required', { hasText: '办结须附佐证材料' }).waitFor();
  await page.evaluate(() => { location.hash = '#/inbox/education'; });
  await row.waitFor();
  check(await page.locator('#nav a[data-nav="drafts"]').count() === 0, 'a unit has no 拟办 link');
  await page.evaluate(() => { location.hash = '#/drafts'; });
  await page.locator('.page-head h1', { hasText: '收件箱' }).waitFor(); // sent back to its inbox
  check(await page.locator('.draft-table').count() === 0, 'a unit cannot open the drafts page');

  // 11. Phone width: the published draft page fits.
  await page.click('#signout');
  await page.click('#use-token'); // the machine token, not a person's password
  await page.fill('#token', supervisor);
  await page.click('#token-form button[type=submit]');
  await page.locator('.unit-table').waitFor();
  await page.setViewportSize({ width: 390, height: 844 });
  await page.evaluate((d) => { location.hash = '#/draft/' + encodeURIComponent(d); }, DOC);
  await page.locator('table.live-tasks tbody tr').first().waitFor();
  await screenshot(page, 'draft-published-phone');
  check(await page.evaluate(() => document.documentElement.scrollWidth <= 390), 'the published draft page fits 390px');

  check(pageErrors.length === 0, 'no script errors: ' + pageErrors.join('; '));
  log('all checks passed');
}

await t.run(TOTAL_BUDGET_MS, main, 'drafts-failure');
