// lib.mjs - the browser-test harness: a fresh demo database, the real server on a free loopback
// port serving web/, and Debian's chromium driven by playwright-core. Every page is guarded: a
// console error, an uncaught exception, a failed request or an HTTP status >= 400 that the test
// did not announce with expect() fails the test.
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import assert from 'node:assert/strict';
import { chromium } from 'playwright-core';

export const SRC = process.env.AG_SOURCE_DIR || path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const AG = process.env.AG_BIN || path.join(SRC, 'build/auditgrid');
export const PW = 'Nankai#2026';
export const AUDITOR_UNIT = '12120104MBKX0792XX';

export async function startAll() {
  const base = process.env.AG_TEST_TMP || tmpdir();
  mkdirSync(base, { recursive: true });
  const dir = mkdtempSync(path.join(base, 'web.'));
  const db = path.join(dir, 'a.db');
  // Run in the scratch dir, so the books are recorded as imported from ledgers/… (screenshots).
  execFileSync(AG, ['--db', 'a.db', 'demo', '--lines', '50000', '--no-serve'], { cwd: dir, stdio: 'ignore' });
  const srv = spawn(AG, ['--db', db, 'serve', '--listen', '127.0.0.1:0', '--web', path.join(SRC, 'web')],
    { stdio: ['ignore', 'pipe', 'pipe'] });
  let serverErr = '';
  srv.stderr.on('data', (d) => { serverErr = (serverErr + d).slice(-20000); });
  const url = await new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error('the server did not start: ' + serverErr)), 30000);
    srv.stdout.on('data', (d) => {
      out += d;
      const m = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
      if (m) { clearTimeout(timer); resolve(m[1]); }
    });
    srv.on('exit', (c) => reject(new Error(`the server exited (${c}): ${serverErr}`)));
  }).catch((e) => { srv.kill('SIGTERM'); throw e; });
  const browser = await chromium.launch({
    executablePath: process.env.AG_CHROMIUM || '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    // playwright-core gives every launch a fresh temporary profile (--user-data-dir).
    timeout: 30000,
  }).catch((e) => { srv.kill('SIGTERM'); throw e; });
  const env = {
    dir, db, url, browser,
    async stop() {
      await browser.close().catch(() => {});
      srv.kill('SIGTERM');
      await new Promise((r) => (srv.exitCode !== null ? r() : srv.on('exit', r)));
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return env;
}

// A new browser context and page at 1366x768 with the guards. page.expectStatus(status, pathPart)
// announces a response the test expects (once); page.problems() lists what went wrong. Every
// Content-Security-Policy violation is recorded in the page (window.__csp) as well, since the
// server's CSP is strict (no inline styles or scripts) and the UI must live within it.
export async function openPage(env, opts = {}) {
  const ctx = await env.browser.newContext({ viewport: { width: 1366, height: 768 }, locale: 'zh-CN', ...opts });
  await ctx.addInitScript(() => {
    window.__csp = [];
    document.addEventListener('securitypolicyviolation',
      (e) => window.__csp.push(`${e.violatedDirective} blocked ${e.blockedURI || 'inline'} at ${e.sourceFile}:${e.lineNumber}`));
  });
  const page = await ctx.newPage();
  const problems = [];
  const expected = [];
  page.on('console', (m) => {
    if (m.type() !== 'error') return;
    // Chromium also logs each >= 400 response as a console error; those are judged below.
    if (/Failed to load resource: the server responded with a status of/.test(m.text())) return;
    problems.push(`console error: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('requestfailed', (r) => problems.push(`request failed: ${r.method()} ${r.url()} ${r.failure()?.errorText}`));
  page.on('response', (r) => {
    if (r.status() < 400) return;
    const u = new URL(r.url());
    // The most specific announcement that matches (the longest path part).
    let i = -1;
    expected.forEach((e, k) => {
      if (e.status === r.status() && (u.pathname + u.search).includes(e.part) && (i < 0 || e.part.length > expected[i].part.length)) i = k;
    });
    if (i >= 0) expected.splice(i, 1);
    else problems.push(`unexpected HTTP ${r.status()}: ${r.request().method()} ${u.pathname}${u.search}`);
  });
  page.expectStatus = (status, part) => expected.push({ status, part });
  page.problems = () => problems;
  page.ctx = ctx;
  return page;
}

// Closes the page's context and fails on anything the guards saw, CSP violations included.
export async function done(page) {
  const csp = await page.evaluate(() => window.__csp || []).catch(() => []);
  const p = page.problems().concat(csp.map((v) => `CSP violation: ${v}`));
  await page.ctx.close();
  assert.deepEqual(p, [], 'no console errors, CSP violations, failed or unexpected requests');
}

// GET /api/v1{path} as the page's signed-in user (its session cookie); the JSON answer.
export async function apiGet(page, path) {
  return page.evaluate(async (p) => {
    const r = await fetch('/api/v1' + p, { credentials: 'same-origin' });
    if (!r.ok) throw new Error(`GET ${p}: HTTP ${r.status}`);
    return r.json();
  }, path);
}

// POST /api/v1{path} with a JSON body, the CSRF token of GET /me, as the page's user.
export async function apiPost(page, path, body) {
  return page.evaluate(async ([p, b]) => {
    const me = await (await fetch('/api/v1/me')).json();
    const r = await fetch('/api/v1' + p, { method: 'POST', body: JSON.stringify(b),
      headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': me.csrf_token } });
    if (!r.ok) throw new Error(`POST ${p}: HTTP ${r.status}`);
    return r.json();
  }, [path, body]);
}

export async function login(page, env, user, password = PW) {
  await page.goto(env.url + '/#/login');
  await page.fill('input[name="username"]', user);
  await page.fill('input[name="password"]', password);
  await page.click('button[type="submit"]');
  await page.waitForSelector('#who:not(:empty)');
}

// Where screenshots go: docs/img/ with AG_SCREENSHOTS=1 (make screenshots), else the scratch dir.
// Rows of a query on the test's database, read by the sqlite3 shell (one array of columns per row).
export function sql(env, query) {
  const out = execFileSync('sqlite3', ['-separator', '\t', env.db, query], { encoding: 'utf8' });
  return out.split('\n').filter((l) => l !== '').map((l) => l.split('\t'));
}

export function shot(env, name) {
  return process.env.AG_SCREENSHOTS === '1' ? path.join(SRC, 'docs/img', name) : path.join(env.dir, name);
}

export function readFixture(name) { return readFileSync(path.join(SRC, 'tests/web/fixtures', name)); }

// ---- names, not codes (issue 12 §3, part "names") --------------------------------------------
// What a user must never read on a page (its visible text, innerText of <body>): a rule or kind id
// (`dup_payment`), a stored actor (`user:admin`, `person:杜宇`, `cli:…`), `null`/`undefined`,
// a stored record kind (`(plan)`), a UTC ISO time (`T06:33:00Z`, `+00:00`) and, on a Chinese
// page, an English severity word (`high`). Returns the offending snippets, each with some context.
export async function rawTextProblems(page, { lang = 'zh' } = {}) {
  const text = await page.evaluate(() => document.body.innerText);
  const rules = [
    [/\b[a-z]+(?:_[a-z0-9]+)+\b/g, 'a raw id'],
    [/\b(?:user|person|cli|system|http):[^\s·，,）)]*/g, 'a stored actor'],
    [/\b(?:null|undefined|NaN)\b/g, 'null'],
    [/\((?:plan|report|followup|notice|summary)\)/g, 'a record kind id'],
    [/\d{4}-\d\d-\d\dT\d\d:\d\d|\d\d:\d\d(?::\d\d)?(?:\.\d+)?Z\b|[+-]00:00\b/g, 'a UTC ISO time'],
  ];
  if (lang === 'zh') rules.push([/\b(?:high|medium|low)\b/g, 'an English severity']);
  const out = [];
  for (const [re, what] of rules)
    for (const m of text.matchAll(re)) out.push(`${what}: …${text.slice(Math.max(0, m.index - 20), m.index + m[0].length + 20).replace(/\s+/g, ' ')}…`);
  return out;
}

// The page's <title>: its own name before the product's ("预警收件箱 · 审计监督一张网").
export async function titleProblems(page, { lang = 'zh' } = {}) {
  const title = await page.title();
  const app = lang === 'en' ? 'Audit supervision grid' : '审计监督一张网';
  return title.endsWith(` · ${app}`) && title.length > app.length + 3 ? [] : [`the page has no title of its own: "${title}"`];
}

// At phone width the document does not scroll sideways (wide tables scroll in their own box).
export async function phoneScrollProblems(page) {
  const r = await page.evaluate(() => ({ sw: document.documentElement.scrollWidth, w: window.innerWidth }));
  return r.sw <= r.w ? [] : [`the page scrolls sideways at ${r.w}px (scrollWidth ${r.sw})`];
}
