// The department's guidance and supervision (issue 14 §2) in the browser, on the demo district
// (D01 区教育局 has one opinion overdue and a supervision visit with a finding): the supervisor
// sees its units' counts in one view and the overdue opinion on the dashboard, issues an opinion
// (a refused one shows the server's words, naming no command-line option); the demo leader's
// unit replies on the opinion's page; a submission is returned with a note, filed again and
// accepted; the visit's finding is a rectification item.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startAll, openPage, login, done, apiGet, AUDITOR_UNIT } from './lib.mjs';

let env;
before(async () => { env = await startAll(); });
after(async () => { if (env) await env.stop(); });

const inDays = (n) => new Date(Date.now() + 8 * 3600e3 + n * 86400e3).toISOString().slice(0, 10);

test('the supervisor sees its units in one view and issues an opinion', async () => {
  const page = await openPage(env);
  await login(page, env, 'supervisor');
  await page.waitForSelector('[data-kpi="guidance-overdue"]');
  assert.match(await page.textContent('[data-kpi="guidance-overdue"]'), /^逾期未答复的指导意见1/);
  await page.click('nav a[href="#/department"]');
  await page.waitForSelector('[data-testid="dp-counts"]');
  const dept = await apiGet(page, '/department');
  assert.equal(dept.cell.id, 'D01');
  assert.equal(await page.locator('[data-testid="dp-units"] tbody tr').count(), dept.units.length);
  assert.equal(await page.textContent('[data-testid="dp-op-overdue"] b'), String(dept.counts.overdue_opinions));
  assert.equal(dept.counts.overdue_opinions, 1);
  assert.equal(await page.locator('[data-testid="gd-list"] tr[data-state="overdue"]').count(), 1);
  assert.ok(dept.rectifications.length >= 1, 'the visit finding is in the list');
  assert.equal(await page.locator('[data-testid="vs-list"] tbody tr').count(), 1);

  // A due date in the past: the server refuses in its words.
  const form = '[data-testid="gd-form"]';
  await page.fill(`${form} input[name="subject"]`, '关于报送2026年内审计划的指导意见');
  await page.fill(`${form} textarea[name="body"]`, '请于期限前报送年度内审计划。');
  await page.check(`${form} input[value="${AUDITOR_UNIT}"]`);
  await page.fill(`${form} input[name="due_date"]`, '2020-01-01');
  page.expectStatus(422, '/guidance');
  await page.click(`${form} button[type="submit"]`);
  await page.waitForSelector('[data-testid="dp-status"].error');
  const refusal = await page.textContent('[data-testid="dp-status"]');
  assert.match(refusal, /答复期限/);
  assert.doesNotMatch(refusal, /--/);
  await page.fill(`${form} input[name="due_date"]`, inDays(10));
  await page.click(`${form} button[type="submit"]`);
  await page.waitForSelector('[data-testid="dp-status"]:has-text("指导意见已下发")');
  const first = page.locator('[data-testid="gd-list"] tbody tr').first();
  assert.match(await first.textContent(), /^关于报送2026年内审计划的指导意见区教育局.*0\/1待答复$/);
  await done(page);
});

test('the leader answers on the opinion page and the department sees the reply', async () => {
  const page = await openPage(env);
  await login(page, env, 'leader');
  await page.click('nav a[href="#/department"]');
  await page.waitForSelector('[data-testid="gd-list"]');
  await page.click('[data-testid="gd-list"] a:has-text("关于报送2026年内审计划的指导意见")');
  await page.waitForSelector('[data-testid="gd-reply-form"]');
  assert.equal(await page.locator('[data-testid="gd-targets"] tbody tr').count(), 1, 'its own part only');
  await page.fill('[data-testid="gd-reply-form"] textarea', '已编制完成，随附计划文本。');
  await page.click('[data-testid="gd-reply-form"] button[type="submit"]');
  await page.waitForSelector('[data-testid="gd-status"]:has-text("答复已提交")');
  assert.equal(await page.getAttribute(`[data-testid="gd-targets"] tr[data-unit="${AUDITOR_UNIT}"]`, 'data-state'), 'replied');
  assert.match(await page.textContent('[data-testid="gd-targets"] tbody'), /已答复已编制完成，随附计划文本。/);

  // A submission to the department.
  await page.click('nav a[href="#/submissions"]');
  await page.waitForSelector('[data-testid="sb-form"]');
  await page.fill('[data-testid="sb-form"] input[name="to_cell"]', 'D01');
  await page.fill('[data-testid="sb-form"] input[name="period"]', '2026');
  await page.fill('[data-testid="sb-form"] input[name="title"]', '2026年度内部审计计划');
  await page.click('[data-testid="sb-form"] button[type="submit"]');
  await page.waitForSelector('[data-testid="sb-status"]:has-text("已报送")');
  assert.match(await page.textContent('[data-testid="sb-list"] tbody tr:first-child'), /年度内审计划2026年度内部审计计划2026.*区教育局已报送/);
  await done(page);

  const sup = await openPage(env);
  await login(sup, env, 'supervisor');
  await sup.goto(env.url + '/#/department');
  await sup.waitForSelector('[data-testid="gd-list"]');
  await sup.click('[data-testid="gd-list"] a:has-text("关于报送2026年内审计划的指导意见")');
  await sup.waitForSelector('[data-testid="gd-targets"]');
  assert.match(await sup.textContent('h1'), /已全部答复/);
  await done(sup);
});

test('a submission is returned with a note, filed again and accepted', async () => {
  const sup = await openPage(env);
  await login(sup, env, 'supervisor');
  await sup.goto(env.url + '/#/submissions?state=filed');
  await sup.waitForSelector('[data-testid="sb-list"]');
  const row = sup.locator('[data-testid="sb-list"] tr:has-text("2026年度内部审计计划")');
  const id = await row.getAttribute('data-submission');
  sup.expectStatus(422, `/submissions/${id}/return`);
  await row.locator('button[data-action="return"]').click();
  await sup.waitForSelector('[data-testid="sb-status"].error');
  assert.match(await sup.textContent('[data-testid="sb-status"]'), /退回时须写明退回意见/);
  assert.doesNotMatch(await sup.textContent('[data-testid="sb-status"]'), /--/);
  await row.locator('input[name="note"]').fill('请补充预算安排');
  await row.locator('button[data-action="return"]').click();
  await sup.waitForSelector('[data-testid="sb-status"]:has-text("已退回")');
  await done(sup);

  const leader = await openPage(env);
  await login(leader, env, 'leader');
  await leader.goto(env.url + '/#/submissions?state=returned');
  await leader.waitForSelector(`tr[data-submission="${id}"]`);
  assert.match(await leader.textContent(`tr[data-submission="${id}"]`), /已退回请补充预算安排/);
  await leader.click(`tr[data-submission="${id}"] button[data-action="refile"]`);
  await leader.waitForSelector('[data-testid="sb-status"]:has-text("已重新报送")');
  await done(leader);

  const sup2 = await openPage(env);
  await login(sup2, env, 'supervisor');
  await sup2.goto(env.url + '/#/submissions');
  await sup2.waitForSelector(`tr[data-submission="${id}"][data-state="filed"]`);
  await sup2.click(`tr[data-submission="${id}"] button[data-action="accept"]`);
  await sup2.waitForSelector(`tr[data-submission="${id}"][data-state="accepted"]`);
  const s = await apiGet(sup2, `/submissions/${id}`);
  assert.deepEqual(s.history.map((x) => x.action), ['file', 'return', 'refile', 'accept']);
  assert.equal(s.decided_by_name !== undefined, true);
  await done(sup2);
});

test("the visit's finding is a rectification item", async () => {
  const page = await openPage(env);
  await login(page, env, 'supervisor');
  const visits = await apiGet(page, '/guidance/visits');
  await page.goto(env.url + `/#/guidance/visits/${visits.items[0].id}`);
  await page.waitForSelector('[data-testid="vs-findings"]');
  assert.match(await page.textContent('[data-testid="vs-findings"] tbody'), /^F03大额资金支付缺少集体决策记录/);
  await page.click('[data-testid="vs-rect"]');
  await page.waitForURL(/#\/rectifications\/\d+$/);
  const r = await apiGet(page, '/rectifications/' + page.url().split('/').pop());
  assert.equal(r.unit_code, visits.items[0].unit_code);
  await done(page);
});
