// The cross-audit round pages (交叉互审, issue 14 §1) in a real chromium against the real server on
// the demo district: the published 2026 round with its score, constraints and declarations; a new
// round planned from the form, an edit that breaks a constraint refused in the server's words, an
// edit that keeps them saved, the round published into the audit workflow; an infeasible round
// refused with every reason; a reviewer who only reads.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startAll, openPage, login, done, apiGet } from './lib.mjs';

let env;
before(async () => { env = await startAll(); });
after(async () => { if (env) await env.stop(); });

const rows = (page) => page.$$eval('[data-testid="xa-assignments"] tbody tr', (trs) => trs.map((r) => [r.dataset.audited, r.dataset.auditor]));

test('the demo round: published, every constraint kept, its score and declarations', async () => {
  const page = await openPage(env);
  await login(page, env, 'admin');
  await page.click('nav a[href="#/crossaudit"]');
  await page.waitForSelector('[data-testid="xa-rounds"]');
  await page.click('[data-testid="xa-rounds"] a:has-text("2026年交叉互审")');
  await page.waitForSelector('[data-testid="xa-assignments"]');
  const id = page.url().split('/').pop();
  const r = await apiGet(page, '/crossaudit/rounds/' + id);
  assert.equal(r.state, 'published');
  assert.equal(await page.getAttribute('[data-testid="xa-state"]', 'data-state'), 'published');
  assert.equal((await rows(page)).length, 30);
  assert.deepEqual(await rows(page), r.assignments.map((x) => [x.audited, x.auditor_unit]));
  assert.equal(await page.textContent('[data-testid="xa-violations"]'), '全部硬约束均满足');
  assert.equal(await page.textContent('[data-score="outside"]'), String(r.score.teams_outside_cell));
  assert.match(await page.textContent('[data-testid="xa-score"]'), /审计组不来自被审计单位所在网格/);
  // no editing a published round; the projects are linked
  assert.equal(await page.locator('[data-testid="xa-edit"]').count(), 0);
  assert.equal(await page.locator('[data-testid="xa-publish"]').count(), 0);
  assert.equal(await page.locator('[data-testid="xa-assignments"] a[href^="#/audits/"]').count(), 30);
  // record one member's declaration from the page
  const signedBefore = await page.locator('[data-declared="1"]').count();
  assert.ok(signedBefore > 0, 'the demo has signed declarations');
  const x = r.assignments.find((a) => !a.declared);
  const m = x.team[0];
  await page.click(`tr[data-audited="${x.audited}"] li[data-person="${m.person_id}"] [data-testid="xa-sign"]`);
  await page.waitForSelector(`[data-testid="xa-status"]:has-text("已登记${m.name}的回避声明")`);
  assert.equal(await page.locator('[data-declared="1"]').count(), signedBefore + 1);
  await done(page);
});

test('a new round: planned, an edit refused by its constraint, an edit saved, published', async () => {
  const page = await openPage(env);
  await login(page, env, 'admin');
  await page.goto(env.url + '/#/crossaudit');
  await page.waitForSelector('[data-testid="xa-plan"]');
  await page.fill('[data-testid="xa-plan"] input[name="round"]', '2027年交叉互审');
  await page.fill('[data-testid="xa-plan"] input[name="year"]', '2027');
  await page.fill('[data-testid="xa-plan"] input[name="seed"]', '9');
  await page.click('[data-testid="xa-plan"] button[type="submit"]');
  await page.waitForSelector('[data-testid="xa-state"][data-state="draft"]');
  const id = page.url().split('/').pop();
  const r = await apiGet(page, '/crossaudit/rounds/' + id);
  assert.equal(r.violations.length, 0);
  // A audits B already: B for A is refused, the constraint named, nothing changed
  const [a0, b0] = [r.assignments[0].audited, r.assignments[0].auditor_unit];
  const audits = r.assignments.find((x) => x.auditor_unit === a0).audited;
  const row = `tr[data-audited="${a0}"]`;
  await page.click(`${row} [data-testid="xa-edit"] >> xpath=.. >> summary`);
  await page.selectOption(`${row} select[name="auditor_unit"]`, audits);
  page.expectStatus(422, '/assignments/');
  await page.click(`${row} [data-testid="xa-edit"] button[type="submit"]`);
  await page.waitForSelector('[data-testid="xa-status"].error');
  const refusal = await page.textContent('[data-testid="xa-status"]');
  assert.match(refusal, /不得互审/);
  assert.doesNotMatch(refusal, /--/);
  assert.deepEqual((await apiGet(page, '/crossaudit/rounds/' + id)).assignments[0].auditor_unit, b0);
  // the same auditing unit with the team chosen by the server is saved and checked again
  await page.selectOption(`${row} select[name="auditor_unit"]`, b0);
  await page.fill(`${row} input[name="team"]`, '');
  await page.click(`${row} [data-testid="xa-edit"] button[type="submit"]`);
  await page.waitForSelector('[data-testid="xa-status"]:has-text("已调整")');
  assert.equal((await apiGet(page, '/crossaudit/rounds/' + id)).assignments[0].team.length, 2);
  // publish: one project per audited unit, in 审前
  await page.click('[data-testid="xa-publish"]');
  await page.waitForSelector('[data-testid="xa-state"][data-state="published"]');
  assert.match(await page.textContent('[data-testid="xa-status"]'), /已发布/);
  const p = await apiGet(page, '/crossaudit/rounds/' + id);
  assert.ok(p.assignments.every((x) => x.project_id && x.stage === 'pre'));
  assert.equal(await page.locator('[data-testid="xa-assignments"] a[href^="#/audits/"]').count(), p.assignments.length);
  await done(page);
});

test('an infeasible round shows every reason; nothing is planned', async () => {
  const page = await openPage(env);
  await login(page, env, 'admin');
  await page.goto(env.url + '/#/crossaudit');
  await page.waitForSelector('[data-testid="xa-plan"]');
  const before0 = (await apiGet(page, '/crossaudit/rounds')).items.length;
  await page.fill('[data-testid="xa-plan"] input[name="round"]', '十六人一组');
  await page.fill('[data-testid="xa-plan"] input[name="team_min"]', '16');
  await page.fill('[data-testid="xa-plan"] input[name="team_max"]', '16');
  page.expectStatus(422, '/crossaudit/rounds');
  await page.click('[data-testid="xa-plan"] button[type="submit"]');
  await page.waitForSelector('[data-testid="xa-reasons"] li');
  const reasons = await page.$$eval('[data-testid="xa-reasons"] li', (li) => li.map((x) => x.textContent));
  assert.ok(reasons.length > 2);
  assert.match(reasons[0], /需要30个审计组/);
  assert.ok(reasons.slice(1).every((x) => /名内审人员，审计组至少需要16人/.test(x)));
  assert.equal((await apiGet(page, '/crossaudit/rounds')).items.length, before0);
  await done(page);
});

test('a reviewer reads a round without any form', async () => {
  const page = await openPage(env);
  await login(page, env, 'reviewer');
  await page.click('nav a[href="#/crossaudit"]');
  await page.waitForSelector('[data-testid="xa-rounds"]');
  assert.equal(await page.locator('[data-testid="xa-plan"]').count(), 0);
  await page.click('[data-testid="xa-rounds"] a:has-text("2026年交叉互审")');
  await page.waitForSelector('[data-testid="xa-assignments"]');
  assert.equal(await page.locator('[data-testid="xa-sign"], [data-testid="xa-edit"], [data-testid="xa-publish"]').count(), 0);
  await done(page);
});
