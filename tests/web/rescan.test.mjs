// Rescanning a unit from the browser (issue 13 §2): the bureau admin clicks 重新扫描 on a unit page
// and reads the phase while the scan runs (another process holds the database's write lock, so
// the scan waits in 记录预警 long enough to be seen), then the result line; the status API names
// the run. A unit auditor has no button and the server refuses the POST with 403.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, execFileSync } from 'node:child_process';
import { startAll, openPage, login, done, apiGet, AUDITOR_UNIT } from './lib.mjs';

let env;
before(async () => { env = await startAll(); });
after(async () => { if (env) await env.stop(); });

// Holds the write lock of the database in a sqlite3 process until release() (the server waits 2 s
// for a lock, so the test releases it as soon as it has seen the phase).
async function holdLock(db) {
  const p = spawn('sqlite3', [db], { stdio: ['pipe', 'ignore', 'ignore'] });
  p.stdin.write('BEGIN IMMEDIATE;\n');
  for (let i = 0; i < 100; i++) {
    try { execFileSync('sqlite3', ['-cmd', '.timeout 0', db, 'BEGIN IMMEDIATE; ROLLBACK;'], { stdio: 'ignore' }); } catch { break; }
    await new Promise((r) => setTimeout(r, 50));
  }
  return () => new Promise((r) => { p.on('exit', r); p.stdin.end('COMMIT;\n'); });
}

test('the bureau admin rescans a unit and follows its progress to the result', async () => {
  const page = await openPage(env);
  await login(page, env, 'admin');
  const before0 = await apiGet(page, `/units/${AUDITOR_UNIT}/scan`);
  assert.equal(before0.running, false);
  await page.goto(`${env.url}/#/units/${AUDITOR_UNIT}`);
  await page.waitForSelector('[data-testid="rescan"]');
  assert.equal((await page.textContent('[data-testid="rescan"]')).trim(), '重新扫描');

  const release = await holdLock(env.db);
  let released = false;
  try {
    await page.click('[data-testid="rescan"]');
    assert.equal(await page.isDisabled('[data-testid="rescan"]'), true, 'one click, one scan');
    await page.waitForSelector('[data-testid="rescan-status"]:has-text("记录预警")', { timeout: 1500 });
    assert.match(await page.textContent('[data-testid="rescan-status"]'), /^正在扫描：记录预警/);
    await release();
    released = true;
  } finally {
    if (!released) await release();
  }
  await page.waitForSelector('[data-testid="rescan-status"]:has-text("扫描完成")');
  const text = await page.textContent('[data-testid="rescan-status"]');
  const after0 = await apiGet(page, `/units/${AUDITOR_UNIT}/scan`);
  assert.equal(after0.running, false);
  assert.ok(after0.last && after0.last.run_id > 0, 'the status names the run');
  assert.equal(text, `扫描完成：发现预警 ${after0.last.warnings} 条，其中新增 ${after0.last.new_warnings} 条`);
  assert.ok(after0.last.warnings > 0, 'the auditor unit has warnings in the demo');
  assert.equal(await page.isDisabled('[data-testid="rescan"]'), false);
  await done(page);
});

test('a unit auditor has no rescan button and the server refuses the POST', async () => {
  const page = await openPage(env);
  await login(page, env, 'auditor');
  await page.goto(`${env.url}/#/units/${AUDITOR_UNIT}`);
  await page.waitForSelector('[data-testid="ledgers"]');
  assert.equal(await page.locator('[data-testid="rescan"]').count(), 0);
  page.expectStatus(403, '/scan');
  const status = await page.evaluate(async (u) => {
    const me = await (await fetch('/api/v1/me')).json();
    const r = await fetch(`/api/v1/units/${u}/scan`, { method: 'POST', headers: { 'X-CSRF-Token': me.csrf_token } });
    return r.status;
  }, AUDITOR_UNIT);
  assert.equal(status, 403);
  await done(page);
});
