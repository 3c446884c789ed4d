// SOE chief auditors, internal-audit bodies and training (issue 14 §3–§4) in the browser, on the
// demo district where every SOE group but one has a chief auditor: the bureau sees the one on the
// dashboard and registers its chief auditor on #/soe; the chief auditor of a group sees that group
// only, plans an audit of a subsidiary and files the quarterly report; the bureau records a unit's
// supervising leader on #/iabody and the missing count drops; it records a training session and
// the attendee's hours of the year grow by its hours.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startAll, openPage, login, done, apiGet, rawTextProblems } from './lib.mjs';

let env;
before(async () => { env = await startAll(); });
after(async () => { if (env) await env.stop(); });
let allGroups = []; // every SOE group, as the bureau sees them (first test)

test('the bureau sees the group without a chief auditor and registers one', async () => {
  const page = await openPage(env);
  await login(page, env, 'admin');
  await page.waitForSelector('[data-kpi="soe-no-chief"]');
  const groups = (await apiGet(page, '/soe/groups')).items;
  allGroups = groups;
  const bare = groups.filter((g) => !g.chief_auditor);
  assert.equal(bare.length, 1, 'the demo leaves one group without');
  assert.equal(await page.textContent('[data-kpi="soe-no-chief"] b'), '1');
  assert.match(await page.textContent('[data-kpi="soe-no-chief"] a'), new RegExp(bare[0].name));
  await page.click('[data-kpi="soe-no-chief"] a');
  await page.waitForSelector('[data-testid="soe-groups"]');
  assert.equal(await page.locator('[data-testid="no-chief"]').count(), 1);
  assert.equal(await page.locator('[data-testid="soe-groups"] tbody tr').count(), groups.length);
  assert.equal(await page.inputValue('[data-testid="soe-chief-form"] select[name="group"]'), bare[0].code);
  // A date after today is refused by the server, in its words.
  await page.fill('[data-testid="soe-chief-form"] input[name="appointed_on"]', '2030-01-01');
  await page.evaluate(() => document.querySelector('[data-testid="soe-chief-form"] input[name="appointed_on"]').removeAttribute('max'));
  await page.fill('[data-testid="soe-chief-form"] input[name="doc_no"]', '南开国资任〔2026〕9号');
  page.expectStatus(422, '/chief-auditor');
  await page.click('[data-testid="soe-chief-form"] button[type="submit"]');
  await page.waitForSelector('[data-testid="soe-status"].error');
  assert.match(await page.textContent('[data-testid="soe-status"]'), /任命日期不能晚于今天/);
  assert.doesNotMatch(await page.textContent('[data-testid="soe-status"]'), /--/);
  await page.fill('[data-testid="soe-chief-form"] input[name="appointed_on"]', '2026-03-01');
  await page.click('[data-testid="soe-chief-form"] button[type="submit"]');
  await page.waitForSelector('[data-testid="soe-status"]:has-text("总审计师已登记")');
  assert.equal(await page.locator('[data-testid="no-chief"]').count(), 0);
  const now = (await apiGet(page, '/soe/groups')).items.find((g) => g.code === bare[0].code);
  assert.equal(now.chief_auditor.doc_no, '南开国资任〔2026〕9号');
  assert.equal(now.chief_auditor.appointed_on, '2026-03-01');
  const dash = await apiGet(page, '/dashboard');
  assert.deepEqual(dash.soe_without_chief, []);
  assert.deepEqual(await rawTextProblems(page), []);
  await done(page);
});

test('the chief auditor sees its own group, plans an audit of a subsidiary and files the quarterly report', async () => {
  const page = await openPage(env);
  await login(page, env, 'chief');
  await page.click('nav a[href="#/soe"]');
  await page.waitForSelector('[data-testid="soe-group"]');
  const me = await apiGet(page, '/me');
  const groups = (await apiGet(page, '/soe/groups')).items;
  assert.deepEqual(groups.map((g) => g.code), [me.user.unit_code], 'only its own group');
  assert.equal(await page.locator('[data-testid="soe-groups"] tbody tr').count(), 1);
  const g = await apiGet(page, '/soe/groups/' + me.user.unit_code);
  assert.ok(g.subsidiaries.length >= 1);
  assert.equal(await page.locator('[data-testid="soe-subs"] tbody tr').count(), g.subsidiaries.length);
  // Another group is not found for it.
  const otherGroup = allGroups.find((x) => x.code !== me.user.unit_code).code;
  page.expectStatus(404, '/soe/groups/' + otherGroup);
  const other = await page.evaluate(async (c) => (await fetch('/api/v1/soe/groups/' + c)).status, otherGroup);
  assert.equal(other, 404);
  const sub = g.subsidiaries[0];
  assert.equal(await page.inputValue('[data-testid="soe-plan-form"] select[name="unit_code"]'), sub.code);
  await page.fill('[data-testid="soe-plan-form"] input[name="name"]', '子企业资金管理专项审计');
  await page.click('[data-testid="soe-plan-form"] button[type="submit"]');
  await page.waitForSelector('[data-testid="soe-status"]:has-text("审计项目已建立")');
  await page.waitForSelector('[data-testid="soe-audits"] li:has-text("子企业资金管理专项审计")');
  const audits = (await apiGet(page, '/soe/groups/' + me.user.unit_code)).audits;
  const planned = audits.find((a) => a.name === '子企业资金管理专项审计');
  assert.equal(planned.unit_code, sub.code);
  assert.equal(planned.stage, 'pre');
  const project = await apiGet(page, '/audits/' + planned.id);
  assert.ok(project.team.some((m) => m.person_id === me.user.person_id && m.role === 'lead'), 'the chief auditor leads');

  await page.fill('[data-testid="soe-report-form"] input[name="title"]', '总审计师季度工作报告');
  await page.fill('[data-testid="soe-report-form"] textarea[name="body"]', '本季度完成子企业审计一项。');
  await page.click('[data-testid="soe-report-form"] button[type="submit"]');
  await page.waitForSelector('[data-testid="soe-reports"] li:has-text("总审计师季度工作报告")');
  const subs = await apiGet(page, '/submissions?kind=soe_quarterly');
  assert.equal(subs.items.length, 1);
  assert.equal(subs.items[0].to_cell, 'D22');
  assert.equal(subs.items[0].state, 'filed');
  assert.deepEqual(await rawTextProblems(page), []);
  await done(page);
});

test('the bureau records a supervising leader and the missing count drops', async () => {
  const page = await openPage(env);
  await login(page, env, 'admin');
  const before0 = await apiGet(page, '/ia-bodies/missing');
  const unit = before0.items.find((u) => u.missing.includes('supervisor'));
  assert.ok(unit, 'the demo has a unit without a supervising leader');
  await page.goto(env.url + '/#/iabody?unit=' + unit.code);
  await page.waitForSelector('[data-testid="ia-form"]');
  assert.equal(await page.textContent('[data-kpi="supervisor"] b'), String(before0.counts.supervisor));
  assert.match(await page.textContent('[data-testid="ia-unit-missing"]'), /分管内审的主要负责人/);
  const first = await page.$eval('[data-testid="ia-form"] select[name="supervisor"] option:nth-child(2)', (o) => o.value);
  await page.selectOption('[data-testid="ia-form"] select[name="supervisor"]', first);
  await page.click('[data-testid="ia-form"] button[type="submit"]');
  await page.waitForSelector('[data-testid="ia-status"]:has-text("已保存")');
  assert.equal(await page.textContent('[data-kpi="supervisor"] b'), String(before0.counts.supervisor - 1));
  const body = await apiGet(page, `/units/${unit.code}/ia-body`);
  assert.equal(body.supervisor.person_id, Number(first));
  assert.ok(!body.missing.includes('supervisor'));
  assert.deepEqual(await rawTextProblems(page), []);
  await done(page);
});

test('the bureau records a training session and the attendee hours grow', async () => {
  const page = await openPage(env);
  await login(page, env, 'admin');
  await page.goto(env.url + '/#/training?year=2026');
  await page.waitForSelector('[data-testid="tr-form"]');
  assert.equal(await page.locator('[data-testid="tr-competition"]').count(), 1, 'the demo has one skills competition');
  const hours0 = (await apiGet(page, '/training/hours?year=2026')).items;
  const p = hours0[hours0.length - 1];
  await page.fill('[data-testid="tr-form"] input[name="date"]', '2026-11-05');
  await page.fill('[data-testid="tr-form"] input[name="topic"]', '内部控制评价实务');
  await page.selectOption('[data-testid="tr-form"] select[name="system"]', '卫健');
  await page.fill('[data-testid="tr-form"] input[name="hours"]', '2.5');
  await page.selectOption('[data-testid="tr-form"] select[name="attendees"]', [String(p.person_id)]);
  await page.click('[data-testid="tr-form"] button[type="submit"]');
  await page.waitForSelector('[data-testid="tr-status"]:has-text("培训已登记")');
  await page.waitForSelector('[data-testid="tr-sessions"] tr:has-text("内部控制评价实务")');
  const after0 = (await apiGet(page, '/training/hours?year=2026')).items.find((x) => x.person_id === p.person_id);
  assert.equal(Number(after0.hours), Number(p.hours) + 2.5);
  assert.equal(await page.textContent(`[data-testid="tr-hours"] tr[data-person="${p.person_id}"] [data-testid="tr-person-hours"]`), after0.hours);
  assert.deepEqual(await rawTextProblems(page), []);
  await done(page);

  // The chief auditor reads training but records none.
  const chief = await openPage(env);
  await login(chief, env, 'chief');
  await chief.goto(env.url + '/#/training?year=2026');
  await chief.waitForSelector('[data-testid="tr-hours"]');
  assert.equal(await chief.locator('[data-testid="tr-form"]').count(), 0);
  await done(chief);
});
