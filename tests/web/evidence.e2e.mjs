// End-to-end test of evidence attachments (佐证材料) on the web page (clients/web/app/evidence.js,
// docs/web.md, docs/api.md "Attachments") in a real browser: Debian's Chromium driven headless by
// playwright-core, against the real `duban serve` binary on a fresh SQLite store.
//
// Covers, in order:
//   1. a unit's officer opens a task it leads and reports progress with a PDF chosen in the
//      form's file input; the report reaches the server carrying the file's reference;
//   2. the task's history shows the file under the report, and clicking it downloads the file
//      under its Chinese name with exactly the bytes chosen;
//   3. a disguised executable chosen for the completion report is refused before the report is
//      posted, with a Chinese message beside the input; the task stays unreported;
//   4. the supervisor (another client) downloads the same bytes through the API.
//
// usage: node evidence.e2e.mjs --duban PATH --source ROOT --artifacts DIR
// Needs tests/web/node_modules (npm ci --prefix tests/web) and /usr/lib/chromium/chromium:
// tools/dev/setup.sh installs both.
import fs from 'node:fs';
import path from 'node:path';
import { E2E, enc, openTask, signInWithToken as signIn } from './harness.mjs';

const TOTAL_BUDGET_MS = 120_000; // the whole test; CTest's timeout is a little longer

const t = new E2E('web_evidence_e2e', 'evidence.e2e.mjs');
const { opts, work, db, log, check, duban, api, command } = t;
let base = '';

async function main() {
  duban('ingest', path.join(opts.source, 'data/qinghai-gazette-2015-08.md'), '--db', db);
  const supervisor = duban('token', 'create', '--supervisor', '--db', db);
  const fgw = duban('token', 'create', '--unit', 'fgw', '--db', db);
  base = (await t.startServer(['--listen', '127.0.0.1:0', '--quiet', '--sweep-interval', '0'],
    { stderrName: 'evidence-server.stderr.log' })).base;
  const inbox = await api(fgw, 'GET', '/units/fgw/inbox?limit=1000');
  const task = inbox.lead.find((row) => row.status === 'assigned');
  check(task, 'fgw leads an open task');
  await command(fgw, task.task, 'acknowledge', {});
  log('task', task.task);

  // The files chosen in the browser: a PDF with bytes of every value, and an executable
  // named like a PDF.
  const pdfBytes = Buffer.concat([Buffer.from('%PDF-1.4\n'), Buffer.from(Array.from({ length: 70_000 }, (_, i) => (i * 7919) % 256))]);
  const pdf = path.join(work, '验收报告.pdf');
  fs.writeFileSync(pdf, pdfBytes);
  const exe = path.join(work, '办结材料.pdf');
  fs.writeFileSync(exe, Buffer.concat([Buffer.from('MZ'), Buffer.alloc(200, 0x90)]));

  const { page, pageErrors } = await t.browser({ acceptDownloads: true });
  await page.goto(base + '/');
  await signIn(page, fgw);
  await openTask(page, task.task);

  // 1. Progress with the PDF attached.
  await page.click('details[data-action="progress"] > summary');
  const progress = page.locator('details[data-action="progress"] form');
  await progress.locator('textarea[name="note"]').fill('方案已印发，见附件');
  await progress.locator('input[type=file]').setInputFiles(pdf);
  await progress.locator('button[type=submit]').click();
  await page.locator('#action-result.ok').waitFor();
  const state = await api(supervisor, 'GET', `/tasks/${enc(task.task)}`);
  const reported = state.history.filter((e) => e.event_type === 'ProgressReported').pop();
  check(reported && reported.data.attachments.length === 1, 'the progress report carries one attachment');
  const ref = reported.data.attachments[0];
  check(ref.name === '验收报告.pdf' && ref.media_type === 'application/pdf' && ref.size === pdfBytes.length,
    'the reference has the name, the sniffed type and the size: ' + JSON.stringify(ref));

  // 2. The link in the history downloads the same bytes under the Chinese name.
  const link = page.locator(`.timeline a.evidence-link[data-sha256="${ref.sha256}"]`);
  await link.waitFor();
  check((await link.textContent()) === '验收报告.pdf', 'the link shows the file name');
  await t.screenshot(page, 'evidence-history');
  const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
  check(download.suggestedFilename() === '验收报告.pdf', 'saved under its name: ' + download.suggestedFilename());
  const saved = path.join(work, 'downloaded.pdf');
  await download.saveAs(saved);
  check(Buffer.compare(fs.readFileSync(saved), pdfBytes) === 0, 'the download has exactly the bytes chosen');

  // 3. A disguised executable on the completion report: refused, nothing reported.
  await page.click('details[data-action="report-completion"] > summary');
  const completion = page.locator('details[data-action="report-completion"] form');
  await completion.locator('textarea[name="summary"]').fill('已办结');
  await completion.locator('input[type=file]').setInputFiles(exe);
  await completion.locator('button[type=submit]').click();
  const refusal = completion.locator('.evidence-status.alert');
  await refusal.waitFor();
  const text = await refusal.textContent();
  check(text.includes('不能上传可执行程序'), 'the refusal says why, in Chinese: ' + text);
  const after = await api(supervisor, 'GET', `/tasks/${enc(task.task)}`);
  check(!after.history.some((e) => e.event_type === 'CompletionReported'), 'no completion was reported');

  // 4. The supervisor downloads the same bytes through the API.
  const r = await fetch(`${base}/api/v1/attachments/${ref.sha256}?task=${enc(task.task)}`,
    { headers: { Authorization: 'Bearer ' + supervisor } });
  check(r.status === 200, 'the supervisor may download: ' + r.status);
  check(Buffer.compare(Buffer.from(await r.arrayBuffer()), pdfBytes) === 0, 'the API serves the same bytes');
  check(/filename\*=UTF-8''%E9%AA%8C%E6%94%B6/.test(r.headers.get('content-disposition')),
    'Content-Disposition names the file in UTF-8: ' + r.headers.get('content-disposition'));
  check(pageErrors.length === 0, 'no script errors on the page: ' + pageErrors.join('; '));
  log('ok');
}

await t.run(TOTAL_BUDGET_MS, main, 'evidence-failure');
