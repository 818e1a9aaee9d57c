// What every browser test (tests/web/*.e2e.mjs) needs besides its own checks: its arguments, a
// work folder with a SQLite store, the `duban` binary and its server on 127.0.0.1, the HTTP API
// as a second client, Chromium through playwright-core, and a run bounded by a time budget that
// always stops the browser and the server and removes the work folder.
//
// usage (in a test): const t = new E2E('web_e2e', 'inbox.e2e.mjs');
//                    ... await t.run(BUDGET_MS, main);
// A test is started as: node X.e2e.mjs --duban PATH --source ROOT --artifacts DIR
import { spawn, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';

export const CHROMIUM = process.env.DUBAN_CHROMIUM || '/usr/lib/chromium/chromium';
export const enc = encodeURIComponent;

function parseArgs(script) {
  const out = {};
  const argv = process.argv.slice(2);
  for (let i = 0; i < argv.length; i += 2) out[argv[i].replace(/^--/, '')] = argv[i + 1];
  for (const k of ['duban', 'source', 'artifacts']) {
    if (!out[k]) throw new Error(`missing --${k} (usage: node ${script} --duban PATH --source ROOT --artifacts DIR)`);
    out[k] = path.resolve(out[k]); // the binary runs with its own working folder
  }
  return out;
}

// Signs the page in with a machine token (the link toggles the token form), signing out first
// when someone is signed in; resolves once the top bar shows.
export async function signInWithToken(page, token) {
  if (await page.locator('#signout').isVisible()) await page.click('#signout');
  if (!(await page.locator('#token').isVisible())) await page.click('#use-token');
  await page.fill('#token', token);
  await page.click('#token-form button[type=submit]');
  await page.locator('#topbar:not([hidden])').waitFor();
}

// Opens a task's page and waits for its timeline.
export async function openTask(page, task) {
  await page.evaluate((id) => { location.hash = '#/task/' + encodeURIComponent(id); }, task);
  await page.locator('.task-view .timeline').waitFor();
}

const exited = (child) => child.exitCode !== null || child.signalCode !== null;

export class E2E {
  // `name` prefixes the log lines and names the work folder; `script` is for the usage line.
  constructor(name, script) {
    this.name = name;
    this.opts = parseArgs(script);
    this.work = fs.mkdtempSync(path.join(os.tmpdir(), `duban-${name}-`));
    fs.mkdirSync(this.opts.artifacts, { recursive: true });
    this.db = path.join(this.work, 'duban.db');
    this.server = null;
    this.base = '';
    this.context = null; // the browser's (browser()), closed by run()
    this.commandSeq = 0;
  }

  log = (...m) => console.log(`[${this.name}]`, ...m);

  check = (condition, message) => {
    if (!condition) throw new Error('check failed: ' + message);
  };

  // Runs `duban ARGS...` in the work folder; its standard output, trimmed.
  duban = (...a) =>
    execFileSync(this.opts.duban, a, { cwd: this.work, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();

  // Starts `duban serve --db <store> ARGS...` and resolves with {base, out} once it prints where it
  // listens (`out`: what it printed until then). Its stderr goes to the artifacts folder.
  startServer(args, { stderrName = 'server.stderr.log', timeoutMs = 20_000 } = {}) {
    return new Promise((resolve, reject) => {
      const stderr = fs.openSync(path.join(this.opts.artifacts, stderrName), 'a');
      const child = spawn(this.opts.duban, ['serve', '--db', this.db, ...args],
        { cwd: this.work, stdio: ['ignore', 'pipe', stderr] });
      this.server = child;
      let out = '';
      const timer = setTimeout(() => reject(new Error('duban serve did not say where it listens:\n' + out)), timeoutMs);
      child.stdout.setEncoding('utf8');
      child.stdout.on('data', (chunk) => {
        out += chunk;
        const m = out.match(/listening on (http:\/\/[\d.]+:\d+)/);
        if (m) {
          clearTimeout(timer);
          this.base = m[1];
          resolve({ base: m[1], out });
        }
      });
      child.on('exit', (code, signal) => {
        clearTimeout(timer);
        // Once started, an exit nobody asked for is a crash: say so, the page's waits will fail.
        console.error(`[${this.name}] duban serve exited (${signal || code}); see ${stderrName}`);
        reject(new Error(`duban serve exited (${signal || code}):\n${out}`));
      });
    });
  }

  // SIGTERM, then SIGKILL after 12 s; resolves once the server is gone.
  stopServer() {
    return new Promise((resolve) => {
      const child = this.server;
      if (!child || exited(child)) return resolve();
      const kill = setTimeout(() => child.kill('SIGKILL'), 12_000);
      child.removeAllListeners('exit');
      child.on('exit', () => { clearTimeout(kill); resolve(); });
      child.kill('SIGTERM');
    });
  }

  // --- the HTTP API, as another client ---

  api = async (token, method, p, body) => {
    const r = await fetch(this.base + '/api/v1' + p, {
      method,
      headers: { Authorization: 'Bearer ' + token, ...(body ? { 'Content-Type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    const data = await r.json();
    if (!r.ok) throw new Error(`${method} ${p}: ${r.status} ${JSON.stringify(data)}`);
    return data;
  };

  // Every task of the unit's inbox (led and joined).
  inbox = async (token, unit) => {
    const d = await this.api(token, 'GET', `/units/${enc(unit)}/inbox?limit=1000`);
    return [...d.lead, ...d.participant];
  };

  // A task command at the task's current version, with a fresh command id.
  command = async (token, task, action, body) => {
    const t = await this.api(token, 'GET', `/tasks/${enc(task)}`);
    return this.api(token, 'POST', `/tasks/${enc(task)}/${action}`,
      { command_id: `e2e-${process.pid}-${++this.commandSeq}`, expected_version: t.version, ...body });
  };

  // --- the browser ---

  playwright() {
    this.check(fs.existsSync(CHROMIUM), `${CHROMIUM} is missing: run tools/dev/setup.sh (apt-get install chromium)`);
    const require = createRequire(import.meta.url);
    try {
      return require('playwright-core');
    } catch {
      throw new Error('playwright-core is not installed in tests/web: run tools/dev/setup.sh ' +
        '(npm ci --prefix tests/web)');
    }
  }

  // Chromium, headless, in a fresh profile under the work folder, Chinese locale: its context,
  // its page (15 s default waits, console errors logged) and the page's script errors so far.
  async browser({ width = 1280, height = 900, ...options } = {}) {
    const { chromium } = this.playwright();
    const profile = fs.mkdtempSync(path.join(this.work, 'chromium-'));
    this.context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      viewport: { width, height },
      locale: 'zh-CN',
      ...options,
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
        '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    const context = this.context;
    const page = context.pages()[0] || await context.newPage();
    page.setDefaultTimeout(15_000);
    const pageErrors = [];
    page.on('pageerror', (e) => { pageErrors.push(e.message); this.log('page error:', e.message); });
    page.on('console', (m) => { if (m.type() === 'error') this.log('console error:', m.text()); });
    return { context, page, pageErrors };
  }

  screenshot = async (page, name, fullPage = false) => {
    const file = path.join(this.opts.artifacts, name + '.png');
    await page.screenshot({ path: file, fullPage });
    this.log('screenshot', file);
  };

  // Runs `main` within `budgetMs`; on failure saves `<failureShot>.png` of the browser's page.
  // Always closes the browser, stops the server and removes the work folder, then exits 0 or 1.
  async run(budgetMs, main, failureShot = 'failure') {
    let failed = false;
    const watchdog = setTimeout(() => {
      console.error(`[${this.name}] FAILED: over the time budget of`, budgetMs / 1000, 's');
      this.server?.kill('SIGKILL');
      process.exit(1);
    }, budgetMs);
    try {
      await main();
    } catch (e) {
      failed = true;
      console.error(`[${this.name}] FAILED:`, e.stack || e.message);
      try {
        const page = this.context?.pages()[0];
        if (page) await page.screenshot({ path: path.join(this.opts.artifacts, failureShot + '.png'), timeout: 5_000 });
      } catch { /* the browser may be gone */ }
    } finally {
      await Promise.race([this.context?.close().catch(() => {}), new Promise((r) => setTimeout(r, 10_000))]);
      await this.stopServer();
      clearTimeout(watchdog);
      fs.rmSync(this.work, { recursive: true, force: true });
    }
    process.exit(failed ? 1 : 0);
  }
}
