// End-to-end test of the page as officials expect it (issue 17; docs/web.md): Debian's Chromium
// driven by playwright-core against the real `duban serve`, whose clock is fixed with
// `--now 2016-07-31T04:00:00Z --simulate` (noon in Beijing), years before the browser's clock.
//
// Covers, in order:
//   1. day counts from the server's `as_of`: a task whose deadline is 2016-06-30 shows 逾期 31 天
//      in the inbox and on the task page, one due 2016-08-10 shows 剩 10 天;
//   2. buttons from `allowed_actions` only: a participant sees no 报告办结; a closed task offers
//      重新打开 (and nothing else) to the office and nothing to the unit;
//   3. errors in Chinese without internal ids: a refused extension, and a unit opening another
//      unit's inbox URL;
//   4. a returned task shows 已退回 with the latest reason at the top, history newest first; the
//      inbox marks it (已退回, 被催办 2 次, latest %); counter cards filter; the dense mode;
//   5. the office's pages: the overdue list, the 考评 scorecard, the all-tasks filters, and the
//      导出 Excel download, read back (a small unzip over the central directory with node's zlib)
//      to hold as many overdue rows as the page shows;
//   6. 批量催办 of the ticked overdue tasks, and their 督办通知单 printed by Chromium to PDF: one
//      A4 page per task;
//   7. 批量签收 of the listed (filtered) tasks by a unit;
//   8. screenshots at 1366×768 and 390×844 for docs/web.md.
//
// usage: node office.e2e.mjs --duban PATH --source ROOT --artifacts DIR
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { E2E, enc, openTask, signInWithToken as signIn } from './harness.mjs';

const TOTAL_BUDGET_MS = 170_000; // the whole test; CTest's timeout is a little longer

const t = new E2E('web_office_e2e', 'office.e2e.mjs');
const { opts, work, db, log, check, duban, api, inbox, command } = t;
const NOW = '2016-07-31T04:00:00Z';
// The server's clock is fixed (--now needs --simulate to write): every day count on the page
// must come from it, not from the browser's clock (years later).
const startServer = async (listen) =>
  (await t.startServer(['--listen', listen, '--quiet', '--now', NOW, '--simulate', '--sweep-interval', '0'],
    { stderrName: 'office-server.stderr.log' })).base;
const screenshot = (page, name) => t.screenshot(page, 'office-' + name);
let base = '';

// The entries of a zip file (the .xlsx), read from its central directory: name -> Buffer.
function unzip(buf) {
  let eocd = buf.length - 22;
  while (eocd >= 0 && buf.readUInt32LE(eocd) !== 0x06054b50) eocd--;
  check(eocd >= 0, 'the download is a zip (end of central directory found)');
  const count = buf.readUInt16LE(eocd + 10);
  let p = buf.readUInt32LE(eocd + 16);
  const out = new Map();
  for (let i = 0; i < count; i++) {
    check(buf.readUInt32LE(p) === 0x02014b50, 'a central directory entry');
    const method = buf.readUInt16LE(p + 10);
    const size = buf.readUInt32LE(p + 20);
    const nameLen = buf.readUInt16LE(p + 28), extraLen = buf.readUInt16LE(p + 30), commentLen = buf.readUInt16LE(p + 32);
    const local = buf.readUInt32LE(p + 42);
    const name = buf.toString('utf8', p + 46, p + 46 + nameLen);
    const dataStart = local + 30 + buf.readUInt16LE(local + 26) + buf.readUInt16LE(local + 28);
    const raw = buf.subarray(dataStart, dataStart + size);
    out.set(name, method === 8 ? zlib.inflateRawSync(raw) : Buffer.from(raw));
    p += 46 + nameLen + extraLen + commentLen;
  }
  return out;
}

// The rows of the sheet named `sheet` in an .xlsx (header row included).
function sheetRows(zip, sheet) {
  const workbook = zip.get('xl/workbook.xml').toString('utf8');
  const m = [...workbook.matchAll(/<sheet [^>]*name="([^"]+)"[^>]*r:id="([^"]+)"/g)].find((s) => s[1] === sheet);
  check(m, `the workbook has a sheet ${sheet} (sheets: ${[...workbook.matchAll(/name="([^"]+)"/g)].map((s) => s[1]).join(',')})`);
  const rels = zip.get('xl/_rels/workbook.xml.rels').toString('utf8');
  const target = [...rels.matchAll(/<Relationship [^>]*>/g)].map((r) => r[0]).find((r) => r.includes(`Id="${m[2]}"`));
  const file = 'xl/' + target.match(/Target="([^"]+)"/)[1].replace(/^\/?xl\//, '');
  const xml = zip.get(file).toString('utf8');
  return (xml.match(/<row[ >]/g) || []).length;
}

// Text a Chinese official reads: no English words, no internal ids.
const chinese = (text) => !/[A-Za-z]{3,}/.test(text) && !/unit:|\|/.test(text);

const row = (page, task) => page.locator(`#inbox-table tr[data-task="${task.replace(/"/g, '\\"')}"]`);

async function main() {

  duban('ingest', path.join(opts.source, 'data/qinghai-gazette-2015-08.md'), '--db', db);
  const supervisor = duban('token', 'create', '--supervisor', '--db', db);
  const fgw = duban('token', 'create', '--unit', 'fgw', '--db', db);
  base = await startServer('127.0.0.1:0');
  log('server at', base, 'clock', NOW);

  // The tasks: four fgw leads, one it takes part in.
  const all = await api(fgw, 'GET', '/units/fgw/inbox?limit=1000');
  check(all.as_of.startsWith('2016-07-31'), 'the server answers at its --now: ' + all.as_of);
  const leads = all.lead.filter((t) => t.status === 'assigned');
  check(leads.length >= 5 && all.participant.length >= 1, 'fgw leads four tasks and takes part in one');
  const [late, soon, returned, closed, later] = leads;
  const joined = all.participant[0];
  await command(supervisor, late.task, 'deadline', { deadline: '2016-06-30', reason: '限期完成' });
  await command(supervisor, soon.task, 'deadline', { deadline: '2016-08-10', reason: '限期完成' });
  await command(supervisor, later.task, 'deadline', { deadline: '2016-07-15', reason: '限期完成' });
  await command(fgw, returned.task, 'acknowledge', {});
  await command(fgw, returned.task, 'progress', { note: '已起草方案', percent: 60 });
  await command(fgw, returned.task, 'report-completion', { summary: '已完成' });
  await command(supervisor, returned.task, 'return', { reason: '材料不全，请补充佐证' });
  await command(supervisor, returned.task, 'urge', { note: '请尽快补充' });
  await command(supervisor, returned.task, 'urge', { note: '再次催办' });
  await command(fgw, closed.task, 'report-completion', { summary: '已办结' });
  await command(supervisor, closed.task, 'approve-completion', {});
  const closedState = await api(supervisor, 'GET', `/tasks/${enc(closed.task)}`);
  check(closedState.status === 'closed', 'approving completion closes the task: ' + closedState.status);

  const { context, page, pageErrors } = await t.browser({ width: 1366, height: 768, acceptDownloads: true });

  // 3a. A wrong token: a Chinese message.
  await page.goto(base + '/');
  await page.click('#use-token');
  await page.fill('#token', 'dbn_wrong');
  await page.click('#token-form button[type=submit]');
  await page.locator('.signin .alert', { hasText: '令牌' }).waitFor();
  const wrong = await page.locator('.signin .alert').textContent();
  check(chinese(wrong) && wrong.includes('令牌'), 'a wrong token is refused in Chinese: ' + wrong);

  // 1. Day counts from the server's clock.
  await signIn(page, fgw);
  await row(page, late.task).waitFor();
  check((await row(page, late.task).locator('.cell-deadline').textContent()).includes('逾期 31 天'),
    'a task 31 days overdue at the server\'s date shows 逾期 31 天');
  check((await row(page, soon.task).locator('.cell-deadline').textContent()).includes('剩 10 天'),
    'a green/yellow task shows 剩 10 天');
  // 4. Inbox markers (fetched per task after the list).
  await row(page, returned.task).locator('.marker-returned', { hasText: '已退回' }).waitFor();
  await row(page, returned.task).locator('.marker-urged', { hasText: '被催办 2 次' }).waitFor();
  await row(page, returned.task).locator('.marker-pct', { hasText: '60%' }).waitFor();
  // Counter cards filter.
  await page.click('button.stat[data-stat="red"]');
  const lights = await page.locator('#inbox-table tbody tr').evaluateAll((els) => els.map((e) => e.dataset.light));
  check(lights.length >= 1 && lights.every((l) => l === 'red'), 'the 逾期 card shows only red rows: ' + lights.join(','));
  await page.click('button.stat[data-stat="red"]');
  check(await page.locator('#inbox-table tbody tr').count() > lights.length, 'clicking it again shows every row');
  // Dense mode: more rows on one 1366×768 screen.
  const rowHeight = () => page.locator('#inbox-table tbody tr').first().evaluate((e) => e.getBoundingClientRect().height);
  const before = await rowHeight();
  await page.check('#dense-toggle');
  check(await page.locator('#inbox-table.dense').count() === 1, 'the dense mode applies');
  const after = await rowHeight();
  check(after < before, `dense rows are lower (${before} -> ${after})`);
  await screenshot(page, 'inbox-1366');
  await page.uncheck('#dense-toggle');

  // 批量签收: filter to the two dated tasks, acknowledge what is listed.
  await page.fill('input.search', '');
  await page.click('button.stat[data-stat="yellow"]');
  const listed = await page.locator('#inbox-table tbody tr').evaluateAll((els) => els.map((e) => e.dataset.task));
  await page.click('#batch-ack');
  await page.locator('#batch-status', { hasText: `已签收 ${listed.length} 项` }).waitFor();
  for (const t of listed) {
    const state = await api(fgw, 'GET', `/tasks/${enc(t)}`);
    check(state.acknowledged.includes('fgw'), 'batch 签收 acknowledged ' + t);
  }
  await page.click('button.stat[data-stat="yellow"]');

  await openTask(page, late.task);
  await page.locator('#due', { hasText: '逾期 31 天' }).waitFor();

  // 3b. A refusal in Chinese, without ids.
  await page.click('details[data-action="request-extension"] > summary');
  const form = page.locator('details[data-action="request-extension"] form');
  await form.locator('input[name="requested_deadline"]').fill('2016-01-01');
  await form.locator('input[name="reason"]').fill('测试');
  await form.locator('button[type=submit]').click();
  await page.locator('#action-result.alert').waitFor();
  const refusal = await page.locator('#action-result').textContent();
  check(chinese(refusal) && refusal.includes('晚于现行期限'), 'the refusal is in Chinese: ' + refusal);

  // 2. A participant sees no 报告办结 (nor 申请延期: leads only).
  await openTask(page, joined.task);
  await page.locator('.card h2', { hasText: '可办理事项' }).waitFor();
  check(await page.locator('[data-action="report-completion"]').count() === 0, 'a participant sees no 报告办结');
  check(await page.locator('[data-action="request-extension"]').count() === 0, 'a participant sees no 申请延期');
  check(await page.locator('details[data-action="progress"]').count() === 1, 'a participant may report progress');

  // 4. The returned task: 已退回 with the reason first, history newest first.
  await openTask(page, returned.task);
  const banner = page.locator('#returned');
  await banner.waitFor();
  check((await banner.textContent()).includes('材料不全，请补充佐证'), 'the return reason is in the banner');
  const bannerTop = await banner.evaluate((e) => e.getBoundingClientRect().top);
  const historyTop = await page.locator('.timeline').evaluate((e) => e.getBoundingClientRect().top);
  check(bannerTop < historyTop, 'the banner is above the history');
  const types = await page.locator('.timeline li').evaluateAll((els) => els.map((e) => e.dataset.type));
  check(types[0] === 'TaskUrged' && types.indexOf('TaskReturned') < types.indexOf('CompletionReported'),
    'history newest first: ' + types.join(','));
  // An event carrying its business time (`at`, the server's --now) shows it, relative to as_of.
  const ackHead = await page.locator('.timeline li[data-type="TaskAcknowledged"] .tl-head').textContent();
  check(ackHead.includes('2016-07-31') && ackHead.includes('刚刚'), 'history times follow the server\'s clock: ' + ackHead);
  await screenshot(page, 'task-returned-1366');

  // 2. A closed task: nothing for the unit.
  await openTask(page, closed.task);
  await page.locator('#no-actions').waitFor();
  check(await page.locator('details[data-action="reopen"]').count() === 0, 'the unit is not offered 重新打开');

  // 3c. Another unit's inbox URL: a Chinese message, no empty list.
  await page.evaluate(() => { location.hash = '#/inbox/grain'; });
  const denied = page.locator('.inbox .alert');
  await denied.waitFor();
  const deniedText = await denied.textContent();
  check(deniedText.includes('只能查看本单位') && chinese(deniedText.replace('grain', '')), 'another unit\'s inbox: ' + deniedText);
  check(await page.locator('#inbox-table').isHidden(), 'no empty list for a forbidden inbox');

  // The office.
  await signIn(page, supervisor);
  await openTask(page, closed.task);
  await page.locator('details[data-action="reopen"]').waitFor();
  const offered = await page.locator('.actions [data-action]').evaluateAll((els) => els.map((e) => e.dataset.action));
  check(offered.join(',') === 'reopen', 'a closed task offers the office only 重新打开: ' + offered.join(','));
  await openTask(page, late.task);
  for (const a of ['urge', 'reassign', 'deadline', 'cancel']) {
    check(await page.locator(`details[data-action="${a}"]`).count() === 1, `the office may ${a} an open task`);
  }
  check(await page.locator('[data-action="report-completion"]').count() === 0, 'the office does not report completion');

  // 5. The overdue list, its export, the scorecard, the filtered list.
  await page.click('#nav a[data-nav="overdue"]');
  await page.locator('#overdue-table tbody tr').first().waitFor();
  const overdueRows = await page.locator('#overdue-table tbody tr').count();
  const apiOverdue = await api(supervisor, 'GET', '/overdue?limit=1000');
  check(overdueRows === apiOverdue.overdue.length && overdueRows === 2, `the page lists every overdue task (${overdueRows})`);
  const lateDays = await page.locator(`#overdue-table tr[data-task="${late.task}"] .overdue-days`).textContent();
  check(lateDays === "逾期 31 天",
    "the overdue list counts 31 days: " + lateDays + " " + JSON.stringify(apiOverdue.overdue.find((t) => t.task === late.task)));
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('#export-xlsx')]);
  const file = path.join(work, 'report.xlsx');
  await download.saveAs(file);
  check(/\.xlsx$/.test(download.suggestedFilename()), 'the download is named .xlsx: ' + download.suggestedFilename());
  const zip = unzip(fs.readFileSync(file));
  const sheet = sheetRows(zip, '逾期任务');
  check(sheet === overdueRows + 1, `the 逾期任务 sheet holds the page's rows and a header (${sheet} vs ${overdueRows})`);
  log('xlsx: 逾期任务 rows', sheet - 1, 'entries', zip.size);
  await screenshot(page, 'overdue-1366');

  // 6. Batch 催办 of every overdue task, then their printed 督办通知单: one A4 page per task.
  const urgesBefore = await Promise.all(apiOverdue.overdue.map((t) => api(supervisor, 'GET', `/tasks/${enc(t.task)}`).then((x) => x.urges)));
  await page.check('#check-all');
  await page.click('#batch-urge');
  await page.locator('#batch-status', { hasText: `已催办 ${overdueRows} 项` }).waitFor();
  const urgesAfter = await Promise.all(apiOverdue.overdue.map((t) => api(supervisor, 'GET', `/tasks/${enc(t.task)}`).then((x) => x.urges)));
  check(urgesAfter.every((n, i) => n === urgesBefore[i] + 1), `each ticked task was urged once (${urgesBefore} -> ${urgesAfter})`);
  await page.click('#print-notices');
  await page.locator('.notice-sheet').nth(overdueRows - 1).waitFor();
  check(await page.locator('.notice-sheet').count() === overdueRows, 'one 督办通知单 per ticked task');
  check((await page.locator(`.notice-sheet[data-task="${late.task}"]`).textContent()).includes('逾期 31 天'), 'the notice counts the days overdue');
  await screenshot(page, 'notices-1366');
  const pdf = await page.pdf({ format: 'A4', printBackground: true });
  fs.writeFileSync(path.join(opts.artifacts, 'office-notices.pdf'), pdf);
  const pages = (pdf.toString('latin1').match(/\/Type\s*\/Page(?![s\w])/g) || []).length;
  check(pages === overdueRows, `the printed notices are one A4 page per task (${pages} pages for ${overdueRows} tasks)`);

  await page.click('#nav a[data-nav="scorecards"]');
  await page.locator('#scorecard-table tr[data-unit="fgw"]').waitFor();
  const scoreRows = await page.locator('#scorecard-table tbody tr').count();
  check(sheetRows(zip, '单位考评') >= 2 && scoreRows >= 1, 'the scorecard lists units');
  check((await page.locator('#scorecard-table tr[data-unit="fgw"] .rate').textContent()).includes('100%'),
    'fgw closed its one task on time: 按时率 100%');
  // The trend by deadline month: June 2016 has the task overdue now (0% on time).
  const june = page.locator('#trend-table tr[data-month="2016-06"]');
  await june.waitFor();
  check((await june.locator('.overdue').textContent()) === '1' && (await june.locator('.rate').textContent()).startsWith('0%'),
    'the trend shows June 2016 with one task overdue, 0% on time');
  await screenshot(page, 'scorecards-1366');

  await page.click('#nav a[data-nav="tasks"]');
  await page.locator('#all-tasks-table tbody tr').first().waitFor();
  await page.selectOption('select[data-filter="状态灯"]', 'red');
  const redRows = await page.locator('#all-tasks-table tbody tr').evaluateAll((els) => els.map((e) => e.dataset.light));
  check(redRows.length === overdueRows && redRows.every((l) => l === 'red'), 'the light filter shows the overdue tasks');
  await page.selectOption('select[data-filter="状态灯"]', '');
  await page.selectOption('select[data-filter="办理状态"]', 'closed');
  check(await page.locator('#all-tasks-table tbody tr').count() === 1, 'the status filter finds the closed task');

  // 6. Phone width.
  await page.setViewportSize({ width: 390, height: 844 });
  await openTask(page, returned.task);
  await screenshot(page, 'task-returned-390');
  check(await page.evaluate(() => document.documentElement.scrollWidth <= 390), 'the task view fits 390px');
  for (const [nav, sel] of [['overdue', '#overdue-table'], ['scorecards', '#scorecard-table']]) {
    await page.evaluate((n) => { location.hash = '#/' + n; }, nav);
    await page.locator(sel + ' tbody tr').first().waitFor();
    await screenshot(page, nav + '-390');
    check(await page.evaluate(() => document.documentElement.scrollWidth <= 390), `the ${nav} page fits 390px`);
  }

  check(pageErrors.length === 0, 'no script errors: ' + pageErrors.join('; '));
  log('all checks passed');
}

await t.run(TOTAL_BUDGET_MS, main, 'office-failure');
