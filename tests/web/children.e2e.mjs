// End-to-end test of child tasks and contributions (分解/转办, 配合单位; issue 15) on the web page
// (clients/web/app/task.js, docs/web.md "Child tasks and contributions") in a real browser:
// Debian's Chromium driven headless by playwright-core, against the real `duban serve` on a fresh
// SQLite store whose unit directory puts a body (fgw-pmc) below the lead unit fgw.
//
// Covers, in order:
//   1. the participant (commerce) opens the task, whose actions offer 报送配合情况 (allowed_actions
//      `contribute`), and contributes a text with a PDF chosen in the form's file input;
//   2. the lead (fgw) sees the contribution on the task (unit, text, the file's link), and again at
//      the top of its completion form; clicking the link downloads exactly the bytes chosen;
//   3. a child deadline later than the task's is refused in Chinese, nothing created;
//   4. the lead hands the task down (转办) to fgw-pmc with an earlier deadline: the child appears in
//      the task's 子任务 card with its unit, status and deadline; the lead's inbox marks the task
//      子任务 0/1 已办结 and 配合报送 1 条;
//   5. the office sees the child in fgw-pmc's inbox marked 子任务, opens it from the parent's
//      子任务 card, and expands (分解) a task of the group 市、州人民政府 into its eight members,
//      which appear as children.
//
// usage: node children.e2e.mjs --duban PATH --source ROOT --artifacts DIR
// Needs tests/web/node_modules (npm ci --prefix tests/web) and /usr/lib/chromium/chromium:
// tools/dev/setup.sh installs both.
import fs from 'node:fs';
import path from 'node:path';
import { E2E, enc, openTask, signInWithToken as signIn } from './harness.mjs';

const TOTAL_BUDGET_MS = 150_000; // the whole test; CTest's timeout is a little longer
const TASK = 'T-kids-e2e';
const GROUP_TASK = 'T-kids-e2e-group';
const DEADLINE = '2099-06-30';

const t = new E2E('web_children_e2e', 'children.e2e.mjs');
const { opts, work, db, log, check, duban, api, command } = t;

async function main() {
  // The bundled directory plus one body below fgw, recorded in the log by the first ingest.
  const units = path.join(work, 'units.tsv');
  fs.writeFileSync(units, fs.readFileSync(path.join(opts.source, 'data/units.tsv'), 'utf8') +
    'fgw-pmc\tdepartment\t省价格监测中心\t\tfgw\n');
  duban('ingest', path.join(opts.source, 'data/qinghai-gazette-2015-08.md'), '--units', units, '--db', db);
  const supervisor = duban('token', 'create', '--supervisor', '--db', db);
  const fgw = duban('token', 'create', '--unit', 'fgw', '--db', db);
  const commerce = duban('token', 'create', '--unit', 'commerce', '--db', db);
  await t.startServer(['--listen', '127.0.0.1:0', '--quiet', '--sweep-interval', '0'],
    { stderrName: 'children-server.stderr.log' });

  // A task led by fgw with commerce taking part, on a document of the gazette.
  const docs = await api(supervisor, 'GET', '/documents?limit=1');
  await api(supervisor, 'POST', '/tasks', {
    command_id: 'e2e-create', expected_version: 0, task: TASK,
    provenance: { document: docs.documents[0].document, label: '（一）', heading: '建立价格监测机制', text: '建立价格监测机制。（省发展改革委牵头，省商务厅配合）' },
    leads: ['fgw'], participants: ['commerce'], deadline: DEADLINE,
  });
  await command(fgw, TASK, 'acknowledge', {});
  await command(commerce, TASK, 'acknowledge', {});

  const pdfBytes = Buffer.concat([Buffer.from('%PDF-1.4\n'), Buffer.from(Array.from({ length: 40_000 }, (_, i) => (i * 7919) % 256))]);
  const pdf = path.join(work, '价格数据.pdf');
  fs.writeFileSync(pdf, pdfBytes);

  // 1. The participant contributes, with a file.
  const { page, pageErrors } = await t.browser({ acceptDownloads: true });
  await page.goto(t.base + '/');
  await signIn(page, commerce);
  await openTask(page, TASK);
  check(await page.locator('details[data-action="report-completion"]').count() === 0, 'a participant is not offered 报告办结');
  await page.click('details[data-action="contribute"] > summary');
  const contribute = page.locator('details[data-action="contribute"] form');
  await contribute.locator('textarea[name="text"]').fill('已提供全省进出口价格数据');
  await contribute.locator('input[type=file]').setInputFiles(pdf);
  await contribute.locator('button[type=submit]').click();
  await page.locator('#action-result.ok').waitFor();
  const state = await api(supervisor, 'GET', `/tasks/${enc(TASK)}`);
  check(state.contributions.length === 1 && state.contributions[0].unit === 'commerce' &&
    state.contributions[0].text === '已提供全省进出口价格数据', 'the task holds the contribution: ' + JSON.stringify(state.contributions));
  // The file's reference: on the contribution, as its event in the history carries it.
  const event = state.history.find((e) => e.event_type === 'ContributionReported');
  const ref = (state.contributions[0].attachments || event?.data?.attachments)?.[0];
  check(ref && ref.name === '价格数据.pdf' && ref.size === pdfBytes.length,
    'the contribution carries the file: ' + JSON.stringify(state.contributions[0]));

  // 2. The lead sees it on the task and above its completion form, and downloads the file.
  await page.click('#signout');
  await page.locator('#password-form').waitFor();
  await signIn(page, fgw);
  await openTask(page, TASK);
  const entry = page.locator('#contributions .contribution[data-unit="commerce"]');
  await entry.waitFor();
  check((await entry.textContent()).includes('省商务厅') && (await entry.textContent()).includes('已提供全省进出口价格数据'),
    'the contribution shows its unit and text: ' + await entry.textContent());
  await page.click('details[data-action="report-completion"] > summary');
  const received = page.locator('details[data-action="report-completion"] .contributions-received');
  check((await received.textContent()).includes('已提供全省进出口价格数据'), 'the completion form shows the contributions first');
  const link = entry.locator(`a.evidence-link[data-sha256="${ref.sha256}"]`);
  check((await link.textContent()) === '价格数据.pdf', 'the link shows the file name');
  await t.screenshot(page, 'children-contribution');
  const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
  check(download.suggestedFilename() === '价格数据.pdf', 'saved under its name: ' + download.suggestedFilename());
  const saved = path.join(work, 'downloaded.pdf');
  await download.saveAs(saved);
  check(Buffer.compare(fs.readFileSync(saved), pdfBytes) === 0, 'the lead downloads exactly the bytes contributed');

  // 3. A child deadline after the task's is refused, in Chinese, and nothing is created.
  if (!(await page.locator('details[data-action="delegate"] form').isVisible())) {
    await page.click('details[data-action="delegate"] > summary');
  }
  const again = page.locator('details[data-action="delegate"] form');
  await again.locator('select[name="units"]').selectOption(['fgw-pmc']);
  await again.locator('input[name="deadline"]').evaluate((el) => { el.removeAttribute('max'); });
  await again.locator('input[name="deadline"]').fill('2099-07-31');
  await again.locator('button[type=submit]').click();
  await page.locator('#action-result.alert').waitFor();
  const refusal = await page.locator('#action-result').textContent();
  check(refusal.includes('子任务的完成时限不能晚于本任务的期限'), 'the refusal says why, in Chinese: ' + refusal);
  const after = await api(supervisor, 'GET', `/tasks/${enc(TASK)}`);
  check(after.children.length === 0, 'no child: ' + JSON.stringify(after.children));
  // 4. 转办 to the body below fgw, by an earlier date (then 转办 is no longer offered: the one
  // body below fgw has its task).
  if (!(await page.locator('details[data-action="delegate"] form').isVisible())) {
    await page.click('details[data-action="delegate"] > summary');
  }
  const delegate = page.locator('details[data-action="delegate"] form');
  const options = await delegate.locator('select[name="units"] option').evaluateAll((os) => os.map((o) => o.value));
  check(options.length === 1 && options[0] === 'fgw-pmc', '转办 offers the bodies below fgw only: ' + options);
  await delegate.locator('select[name="units"]').selectOption(['fgw-pmc']);
  await delegate.locator('input[name="deadline"]').fill('2099-05-31');
  await delegate.locator('input[name="note"]').fill('按月报送监测数据');
  await delegate.locator('button[type=submit]').click();
  await page.locator('#action-result.ok').waitFor();
  const child = page.locator('#children tr[data-unit="fgw-pmc"]');
  await child.waitFor();
  const row = await child.textContent();
  check(row.includes('省价格监测中心') && row.includes('2099-05-31') && row.includes('转办'), 'the child row: ' + row);
  await t.screenshot(page, 'children-delegated');
  if (!(await page.locator('details[data-action="report-completion"] form').isVisible())) {
    await page.click('details[data-action="report-completion"] > summary');
  }
  const kids = await page.locator('details[data-action="report-completion"] .children-received').textContent();
  check(kids.includes('子任务 0/1 已办结') && kids.includes('省价格监测中心'), 'the completion form lists the children: ' + kids);
  const delegated = await api(supervisor, 'GET', `/tasks/${enc(TASK)}`);
  check(delegated.children.length === 1, 'one child: ' + JSON.stringify(delegated.children));
  const CHILD = delegated.children[0].task;


  // The lead's inbox marks the task with its children's progress and the contributions received.
  await page.evaluate(() => { location.hash = '#/inbox/fgw'; });
  const parentRow = page.locator(`#inbox-table tr[data-task="${TASK}"] .markers`);
  await parentRow.waitFor();
  const parentMarkers = await parentRow.textContent();
  check(parentMarkers.includes('子任务 0/1 已办结') && parentMarkers.includes('配合报送 1 条'),
    'the inbox row shows the children and contributions: ' + parentMarkers);

  // 5. The office opens the child from its link (a child task is seen by its own unit, the lead
  // that handed it down and the office), then expands a group task into its members.
  await page.click('#signout');
  await page.locator('#password-form').waitFor();
  await signIn(page, supervisor);
  await page.evaluate(() => { location.hash = '#/inbox/fgw-pmc'; });
  const childRow = page.locator(`#inbox-table tr[data-task="${CHILD}"] .markers`);
  await childRow.waitFor();
  check((await childRow.textContent()).includes('子任务'), 'the child unit\'s inbox lists the child task, marked 子任务');
  await openTask(page, TASK);
  await page.locator('#children tr[data-unit="fgw-pmc"] a.child-link').click();
  await page.locator('.task-view .unit-list li[data-unit="fgw-pmc"]').waitFor();
  check(decodeURIComponent(await page.evaluate(() => location.hash)) === `#/task/${CHILD}`, 'the link opens the child task');

  await api(supervisor, 'POST', '/tasks', {
    command_id: 'e2e-create-group', expected_version: 0, task: GROUP_TASK,
    provenance: { document: docs.documents[0].document, label: '（二）', heading: '落实监测责任', text: '落实监测责任。（各市州政府负责）' },
    leads: ['city-prefecture-govs'], deadline: DEADLINE,
  });
  await openTask(page, GROUP_TASK);
  await page.click('details[data-action="expand"] > summary');
  const expand = page.locator('details[data-action="expand"] form');
  check((await expand.locator('select[name="group"]').inputValue()) === 'city-prefecture-govs', 'the group on the task is offered');
  await expand.locator('button[type=submit]').click();
  await page.locator('#action-result.ok').waitFor();
  await page.locator('#children tr[data-unit="xining-gov"]').waitFor();
  check(await page.locator('#children tbody tr').count() === 8, 'eight member tasks in the 子任务 card');
  check((await page.locator('#children tr[data-unit="xining-gov"]').textContent()).includes('分解'), 'a member task says it was 分解 from the group');
  await t.screenshot(page, 'children-expanded');
  check(pageErrors.length === 0, 'no script errors on the page: ' + pageErrors.join('; '));
  log('ok');
}

await t.run(TOTAL_BUDGET_MS, main, 'children-failure');
