// The browser UI in a real chromium against the real server on a fresh demo district.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { startAll, openPage, login, done, shot, AUDITOR_UNIT, SRC } from './lib.mjs';

let env;
before(async () => { env = await startAll(); });
after(async () => { if (env) await env.stop(); });


test('an unsigned visitor lands on the login page and a wrong password is refused', async () => {
  const page = await openPage(env);
  page.expectStatus(401, '/api/v1/me');
  await page.goto(env.url + '/#/dashboard');
  await page.waitForSelector('input[name="username"]');
  assert.equal(await page.isVisible('#top'), false);
  await page.fill('input[name="username"]', 'admin');
  await page.fill('input[name="password"]', 'wrong-password');
  page.expectStatus(401, '/api/v1/session');
  await page.click('button[type="submit"]');
  await page.waitForSelector('.error:text("用户名或口令错误")');
  await done(page);
});

test('admin sees the whole grid, charts and every unit; deep links survive reload', async () => {
  const page = await openPage(env);
  await login(page, env, 'admin');
  assert.match(await page.textContent('#who'), /审计局管理员/);
  await page.waitForSelector('.kpi[data-kpi="units"] b');
  assert.equal(await page.textContent('.kpi[data-kpi="units"] b'), '147');
  assert.equal(await page.textContent('.kpi[data-kpi="pilot"] b'), '30');
  assert.equal(await page.textContent('.kpi[data-kpi="open"] b'), '190');
  assert.match(await page.textContent('.kpi[data-kpi="imports"]'), /^本月导入\d+\d{4}-\d{2}$/);
  assert.equal(await page.locator('a.tile').count(), 147);
  assert.equal(await page.locator('#chart-items canvas').count(), 1);
  assert.equal(await page.locator('#chart-cells canvas').count(), 1);
  assert.equal(await page.locator('nav a[href="#/imports"]').count(), 0, 'admin does not import');
  await page.screenshot({ path: shot(env, 'dashboard.png') });
  await page.click(`a.tile[data-unit="${AUDITOR_UNIT}"]`);
  await page.waitForSelector('[data-testid="subjects"]');
  assert.equal(page.url(), `${env.url}/#/units/${AUDITOR_UNIT}`);
  await page.reload();
  await page.waitForSelector('[data-testid="ledgers"] table');
  assert.match(await page.textContent('h1'), /天津市南开区第二中学/);
  assert.match(await page.textContent('[data-testid="subjects"]'), /董秀凯/);
  await page.screenshot({ path: shot(env, 'unit.png'), fullPage: false });
  await page.goto(env.url + '/#/warnings?severity=high&status=open');
  await page.waitForSelector('[data-testid="warnings"]');
  await page.reload();
  await page.waitForSelector('[data-testid="warnings"]');
  assert.equal(await page.inputValue('select[name="severity"]'), 'high');
  const rows = await page.locator('[data-testid="warnings"] tbody tr').count();
  assert.ok(rows > 0);
  assert.equal(await page.locator('[data-testid="warnings"] tbody .badge.medium').count(), 0);
  await page.goto(env.url + '/#/warnings?cell=D01&status=open&from=2024-01-01&to=2024-12-31&sort=-amount');
  await page.waitForSelector('[data-testid="warnings"]');
  assert.equal(await page.getAttribute('th:has(a[data-sort="amount"])', 'aria-sort'), 'descending');
  await page.screenshot({ path: shot(env, 'inbox.png') });
  // The English switch.
  await page.click('#lang');
  await page.waitForSelector('h1:text("Warning inbox")');
  await page.click('#lang');
  await page.waitForSelector('h1:text("预警收件箱")');
  await page.click('#logout');
  await page.waitForSelector('input[name="username"]');
  await done(page);
});

test('the auditor sees only its unit, cannot open another, and imports a ledger', async () => {
  const page = await openPage(env);
  await login(page, env, 'auditor');
  assert.match(await page.textContent('#who'), /内审人员/);
  await page.waitForSelector('a.tile');
  assert.equal(await page.locator('a.tile').count(), 1);
  assert.equal(await page.textContent('.kpi[data-kpi="units"] b'), '1');
  page.expectStatus(404, '/api/v1/units/91120104MA4257977U');
  page.expectStatus(404, '/api/v1/units/91120104MA4257977U/ledger');
  await page.goto(env.url + '/#/units/91120104MA4257977U');
  await page.waitForSelector('h1:text("未找到或无权查看")');
  // Import: a refused file shows file:line, a good one its report.
  await page.click('nav a[href="#/imports"]');
  await page.waitForSelector('input[type="file"]');
  await page.setInputFiles('input[type="file"]', path.join(SRC, 'tests/web/fixtures/bad.csv'));
  page.expectStatus(422, '/imports');
  await page.click('form button[type="submit"]');
  await page.waitForSelector('[data-testid="import-error"]');
  assert.match(await page.textContent('[data-testid="import-error"]'), /bad\.csv:\d+/);
  await page.setInputFiles('input[type="file"]', path.join(SRC, 'tests/web/fixtures/ledger-2023.csv'));
  await page.click('form button[type="submit"]');
  await page.waitForSelector('[data-testid="import-report"]');
  assert.equal(await page.textContent('[data-testid="import-status"]'), '已导入');
  assert.equal(await page.textContent('[data-testid="import-lines"]'), '2');
  await page.goto(`${env.url}/#/units/${AUDITOR_UNIT}`);
  await page.waitForSelector('[data-testid="ledgers"] table');
  assert.match(await page.textContent('[data-testid="ledgers"]'), /ledger-2023\.csv/);
  await done(page);
});

test('the auditor triages a warning; dismissing needs a reason; the choice shows with the user', async () => {
  const page = await openPage(env);
  await login(page, env, 'auditor');
  await page.goto(env.url + '/#/warnings?status=open');
  await page.waitForSelector('[data-testid="warnings"] tbody tr');
  const first = page.locator('[data-testid="warnings"] tbody tr a[href^="#/warnings/"]').first();
  const id = await first.textContent();
  await first.click();
  await page.waitForSelector('[data-testid="evidence"] tbody tr');
  await page.click('button[data-action="dismiss"]');
  await page.waitForSelector('[data-testid="triage-msg"]:text("排除须填写理由")');
  await page.fill('textarea[name="reason"]', '已核实：系正常报销');
  await page.click('button[data-action="dismiss"]');
  await page.waitForSelector('[data-testid="status"]:text("已排除")');
  assert.equal(await page.textContent('[data-testid="status-by"]'), 'auditor');
  await page.reload();
  await page.waitForSelector('[data-testid="status"]:text("已排除")');
  assert.equal(page.url(), `${env.url}/#/warnings/${id}`);
  await page.click('button[data-action="escalate"]');
  await page.waitForSelector('[data-testid="status"]:text("已上报")');
  await done(page);
});

test('the supervisor sees its cell read-only: no triage, no imports', async () => {
  const page = await openPage(env);
  await login(page, env, 'supervisor');
  await page.waitForSelector('a.tile');
  const cells = await page.locator('.cells section h3').allTextContents();
  assert.ok(cells.length >= 1 && cells.every((c) => c.startsWith('D01')), cells.join('|'));
  assert.equal(await page.locator('nav a[href="#/imports"]').count(), 0);
  await page.goto(env.url + '/#/warnings');
  await page.waitForSelector('[data-testid="warnings"] tbody tr');
  await page.locator('[data-testid="warnings"] tbody tr a[href^="#/warnings/"]').first().click();
  await page.waitForSelector('[data-testid="evidence"]');
  assert.equal(await page.locator('button[data-action]').count(), 0);
  await page.goto(env.url + '/#/imports');
  await page.waitForSelector('h1:text("导入账套")');
  assert.equal(await page.locator('input[type="file"]').count(), 0);
  await done(page);
});

test('an expired session returns to login, keeps the typed filter and the page', async () => {
  const page = await openPage(env);
  await login(page, env, 'auditor');
  await page.goto(env.url + '/#/warnings?status=open');
  await page.waitForSelector('input[name="rule"]');
  await page.fill('input[name="rule"]', 'payee_is_staff');
  await page.ctx.clearCookies(); // the session is gone as far as the browser can tell
  page.expectStatus(401, '/api/v1/grid'); // the inbox loads the grid (cells, units) and the list
  page.expectStatus(401, '/api/v1/warnings?');
  page.expectStatus(401, '/api/v1/notifications?unread=1'); // the header's unread badge
  await page.evaluate(() => window.dispatchEvent(new HashChangeEvent('hashchange')));
  await page.waitForSelector('input[name="username"]');
  assert.match(await page.textContent('.error'), /会话已过期/);
  await page.fill('input[name="username"]', 'auditor');
  await page.fill('input[name="password"]', 'Nankai#2026');
  await page.click('button[type="submit"]');
  await page.waitForSelector('input[name="rule"]');
  assert.equal(page.url(), `${env.url}/#/warnings?status=open`);
  assert.equal(await page.inputValue('input[name="rule"]'), 'payee_is_staff');
  await done(page);
});
