// admin.test.mjs - administration in the browser (issue 12 §5): the bureau's administrator adds
// and edits a unit, a person, a responsible subject and a login account, disables one, opens the
// audit log and runs the hash-chain check. Every page read has no raw ids, no null, no UTC times;
// at 390 px the page never scrolls sideways; no console error anywhere. The API confirms what the
// pages did, and the audit log holds an entry, by the administrator, for each change.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startAll, openPage, done, login, apiGet, rawTextProblems, titleProblems, phoneScrollProblems } from './lib.mjs';

let env;
before(async () => { env = await startAll(); });
after(async () => { await env?.stop(); });

// A unified social credit code with its GB 32100 check character.
function uscc(body17) {
  const cs = '0123456789ABCDEFGHJKLMNPQRTUWXY';
  const w = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += cs.indexOf(body17[i]) * w[i];
  return body17 + cs[(31 - (sum % 31)) % 31];
}
const CODE = uscc('12120104MB9900123');

async function clean(page, what) {
  assert.deepEqual(await rawTextProblems(page), [], `${what}: no raw ids, null or UTC times`);
  assert.deepEqual(await titleProblems(page), [], `${what}: a title of its own`);
}
const status = (page) => page.locator('[data-testid="admin-status"]');
async function save(page, expectText) {
  await page.click('[data-testid="admin-save"]');
  await page.waitForFunction((t) => document.querySelector('[data-testid="admin-status"]')?.textContent.includes(t), expectText);
  assert.equal(await status(page).getAttribute('class'), 'ok', `the status line says it worked: ${await status(page).textContent()}`);
}

test('the administrator keeps units, persons, subjects, cells and accounts, and checks the audit log', async () => {
  const page = await openPage(env);
  await login(page, env, 'admin');
  // The admin has a link in the header; other roles do not (checked below).
  await page.click('#nav a[href="#/admin"]');
  await page.waitForSelector('[data-testid="admin-units"] tbody tr');
  await clean(page, 'units');

  // A unit: added with a wrong check character first (the CLI's message, in the page's words).
  await page.click('[data-testid="admin-add"]');
  await page.fill('form[data-testid="admin-form"] input[name="code"]', CODE.slice(0, 17) + (CODE[17] === '0' ? '1' : '0'));
  await page.fill('form[data-testid="admin-form"] input[name="name"]', '南开区测试实验小学');
  await page.selectOption('form[data-testid="admin-form"] select[name="type"]', '学校');
  await page.selectOption('form[data-testid="admin-form"] select[name="cell_id"]', 'D01');
  page.expectStatus(422, '/api/v1/units');
  await page.click('[data-testid="admin-save"]');
  await page.waitForSelector('[data-testid="admin-status"].error');
  const refusal = await status(page).textContent();
  assert.match(refusal, /校验/, `the refusal names the check character: ${refusal}`);
  assert.doesNotMatch(refusal, /--[a-z]/, 'no command-line option in the page');
  await page.fill('form[data-testid="admin-form"] input[name="code"]', CODE);
  await save(page, '已添加');
  const row = page.locator(`tr[data-unit="${CODE}"]`);
  assert.match(await row.textContent(), /南开区测试实验小学/);
  // Edited: a new name, made a pilot unit.
  await row.locator('[data-testid="edit"]').click();
  await page.fill('form[data-testid="admin-form"] input[name="name"]', '南开区实验小学');
  await page.check('form[data-testid="admin-form"] input[name="pilot"]');
  await save(page, '已保存');
  let u = await apiGet(page, '/units/' + CODE);
  assert.equal(u.name, '南开区实验小学');
  assert.equal(u.pilot, true);
  assert.equal(u.cell_id, 'D01');

  // A person of the new unit, then edited.
  await page.click('a[data-tab="persons"]');
  await page.waitForSelector('[data-testid="admin-persons"]');
  await clean(page, 'persons');
  await page.click('[data-testid="admin-add"]');
  await page.fill('form[data-testid="admin-form"] input[name="name"]', '郑晓燕');
  await page.selectOption('form[data-testid="admin-form"] select[name="unit_code"]', CODE);
  await page.fill('form[data-testid="admin-form"] input[name="title"]', '会计');
  await page.fill('form[data-testid="admin-form"] input[name="phone"]', '022-23001234');
  await save(page, '已添加');
  await page.fill('[data-testid="admin-search"]', '郑晓燕');
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="admin-persons"] tbody tr').length === 1);
  const prow = page.locator('[data-testid="admin-persons"] tbody tr').first();
  const pid = Number(await prow.getAttribute('data-person'));
  await prow.locator('[data-testid="edit"]').click();
  await page.fill('form[data-testid="admin-form"] input[name="title"]', '内审专员');
  await save(page, '已保存');
  let p = await apiGet(page, '/persons/' + pid);
  assert.equal(p.title, '内审专员');
  assert.equal(p.unit_name, '南开区实验小学');

  // The person becomes the unit's internal auditor (两个主体), seen on the unit's own page.
  await page.click('a[data-tab="units"]');
  await page.waitForSelector(`tr[data-unit="${CODE}"]`);
  await page.locator(`tr[data-unit="${CODE}"] [data-testid="subjects"]`).click();
  await page.waitForSelector('[data-testid="person-pick-person_id"] option[value="' + pid + '"]', { state: 'attached' });
  await page.selectOption('[data-testid="person-pick-person_id"]', String(pid));
  await page.selectOption('form[data-testid="admin-form"] select[name="role"]', 'auditor');
  await save(page, '已设置');
  u = await apiGet(page, '/units/' + CODE);
  assert.deepEqual(u.auditors.map((a) => a.name), ['郑晓燕']);
  // An account for that auditor, edited, then disabled.
  await page.goto(env.url + '/#/admin/users');
  await page.waitForSelector('[data-testid="admin-users"] tbody tr');
  await clean(page, 'users');
  await page.click('[data-testid="admin-add"]');
  await page.fill('form[data-testid="admin-form"] input[name="username"]', 'zhengxy');
  await page.fill('form[data-testid="admin-form"] input[name="display_name"]', '郑晓燕');
  await page.selectOption('form[data-testid="admin-form"] select[name="role"]', 'auditor');
  await page.selectOption('form[data-testid="admin-form"] select[name="unit_code"]', CODE);
  await page.fill('form[data-testid="admin-form"] input[name="password"]', 'Xiaoyan#2026');
  await save(page, '已添加');
  const urow = page.locator('tr[data-user="zhengxy"]');
  assert.match(await urow.textContent(), /南开区实验小学/, 'the scope by name');
  await urow.locator('[data-testid="edit"]').click();
  await page.fill('form[data-testid="admin-form"] input[name="display_name"]', '郑晓燕（内审）');
  await save(page, '已保存');
  await page.locator('tr[data-user="zhengxy"] [data-testid="disable"]').click();
  await page.waitForFunction(() => document.querySelector('[data-testid="admin-status"]')?.textContent.includes('已停用'));
  assert.match(await page.locator('tr[data-user="zhengxy"]').textContent(), /已停用/);
  const users = await apiGet(page, '/users?per_page=100');
  const acc = users.items.find((x) => x.username === 'zhengxy');
  assert.equal(acc.display_name, '郑晓燕（内审）');
  assert.equal(acc.disabled, true);
  assert.equal(acc.unit_code, CODE);

  // A cell: edited (its cadence) and shown with its liaisons by name.
  await page.click('a[data-tab="cells"]');
  await page.waitForSelector('[data-testid="admin-cells"] tbody tr');
  await clean(page, 'cells');
  await page.locator('tr[data-cell="D01"] [data-testid="edit"]').click();
  await page.fill('form[data-testid="admin-form"] input[name="visit_days"]', '21');
  await save(page, '已保存');
  assert.match(await page.locator('tr[data-cell="D01"]').textContent(), /21 天/);

  // The audit log: Beijing time, the administrator by name, actions in Chinese; the check passes.
  await page.click('a[data-tab="audit-log"]');
  await page.waitForSelector('[data-testid="audit-log"] tbody tr');
  await clean(page, 'audit log');
  const first = await page.locator('[data-testid="audit-log"] tbody tr').first().textContent();
  assert.match(first, /审计局管理员|admin/, 'the newest entry is the administrator, by name');
  assert.match(first, /修改|新增/);
  assert.match(first, /\d{4}-\d\d-\d\d \d\d:\d\d/, 'a Beijing time');
  await page.click('[data-testid="verify"]');
  await page.waitForSelector('[data-testid="verify-result"] [data-ok="1"]');
  assert.match(await page.locator('[data-testid="verify-result"]').textContent(), /哈希链校验通过/);
  // Each change above is in the log, by the administrator.
  const log = await apiGet(page, '/audit-log?per_page=200');
  const by = (tbl, action) => log.items.filter((e) => e.table === tbl && e.action === action && e.actor === 'user:admin').length;
  assert.ok(by('unit', 'insert') >= 1 && by('unit', 'update') >= 1, 'unit added and edited');
  assert.ok(by('person', 'insert') >= 1 && by('person', 'update') >= 1, 'person added and edited');
  assert.ok(by('unit_subject', 'insert') >= 1, 'subject set');
  assert.ok(by('app_user', 'insert') >= 1 && by('app_user', 'update') >= 2, 'account added, edited, disabled');
  assert.ok(by('grid_cell', 'update') >= 1, 'cell edited');
  // The unit's own page shows its new internal auditor (no more 内审人员 无).
  await page.goto(env.url + '/#/units/' + CODE);
  await page.waitForSelector('[data-testid="subjects"]');
  assert.match(await page.locator('[data-testid="subjects"]').textContent(), /内审人员郑晓燕/);

  await done(page);

  // The disabled account cannot sign in.
  const off = await openPage(env);
  await off.goto(env.url + '/#/login');
  await off.fill('input[name="username"]', 'zhengxy');
  await off.fill('input[name="password"]', 'Xiaoyan#2026');
  off.expectStatus(401, '/api/v1/session');
  await off.click('button[type="submit"]');
  await off.waitForSelector('.error');
  await done(off);
});

test('the administrator sets the share of dismissals reviewed and the rectification deadlines', async () => {
  const page = await openPage(env);
  await login(page, env, 'admin');
  await page.goto(env.url + '/#/admin/settings');
  const share = page.locator('[data-testid="review-share-form"] input[name="share"]');
  await share.waitFor();
  assert.equal(await share.inputValue(), String((await apiGet(page, '/settings/warning-review')).share));
  await clean(page, 'the settings');
  await share.fill('35');
  await page.click('[data-testid="save-review-share"]');
  await page.waitForFunction(() => document.querySelector('[data-testid="admin-status"]')?.textContent.includes('35%'));
  assert.equal(await status(page).getAttribute('class'), 'ok');
  assert.equal((await apiGet(page, '/settings/warning-review')).share, 35, 'the server keeps it');
  await page.fill('[data-testid="deadlines-form"] input[name="phased"]', '200');
  await page.click('[data-testid="save-deadlines"]');
  await page.waitForFunction(() => document.querySelector('[data-testid="admin-status"]')?.textContent.includes('已保存整改期限'));
  assert.equal((await apiGet(page, '/settings/rectify-deadlines')).phased, 200);
  // Drawn again from the server: the page shows what is stored.
  await page.reload();
  await share.waitFor();
  assert.equal(await share.inputValue(), '35');
  assert.equal(await page.inputValue('[data-testid="deadlines-form"] input[name="phased"]'), '200');
  const log = await apiGet(page, '/audit-log?per_page=5');
  assert.ok(log.items.some((e) => e.table === 'setting'), 'the changes are in the audit log');
  await done(page);
});

test('at phone width every administration page scrolls only inside its tables', async () => {
  const page = await openPage(env, { viewport: { width: 390, height: 844 }, isMobile: true });
  await login(page, env, 'admin');
  for (const tab of ['units', 'persons', 'cells', 'users', 'settings', 'audit-log']) {
    await page.goto(env.url + '/#/admin/' + tab);
    if (tab !== 'settings') await page.waitForSelector(`[data-testid="admin-${tab}"] table tbody tr`);
    if (tab === 'settings') {
      await page.waitForSelector('[data-testid="deadlines-form"]');
    } else if (tab === 'audit-log') {
      await page.click('[data-testid="verify"]');
      await page.waitForSelector('[data-testid="verify-result"] [data-ok="1"]');
    } else {
      await page.click('[data-testid="admin-add"]');
      await page.waitForSelector('form[data-testid="admin-form"]');
    }
    assert.deepEqual(await phoneScrollProblems(page), [], `#/admin/${tab} at 390 px`);
    await clean(page, tab + ' at 390 px');
  }
  await done(page);
});

test('only the administrator has the administration pages', async () => {
  const page = await openPage(env);
  await login(page, env, 'reviewer');
  assert.equal(await page.locator('#nav a[href="#/admin"]').count(), 0, 'no link for a reviewer');
  page.expectStatus(403, '/api/v1/persons');
  const r = await page.evaluate(async () => (await fetch('/api/v1/persons')).status);
  assert.equal(r, 403, 'the server refuses the persons list to a reviewer');
  await done(page);
});
