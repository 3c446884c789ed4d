// A warning's life in a real chromium (issue 12 §2), per role: the unit's auditor triages and
// escalates, the bureau finds the escalation in 提醒 and in its queue and acts on it; a dismissal
// waits for review (待复核) until the bureau upholds it; a warning turned into a finding, or used
// as a finding's evidence, is 已确认 naming the finding. Every page visited is read as text: no
// raw ids, no `null`, no UTC ISO times, and no console errors.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startAll, openPage, login, done, apiGet, rawTextProblems, AUDITOR_UNIT } from './lib.mjs';

let env;
before(async () => { env = await startAll(); });
after(async () => { if (env) await env.stop(); });

const status = (page) => page.textContent('[data-testid="status"]');
const noRawText = async (page, where) => assert.deepEqual(await rawTextProblems(page), [], `${where}: the page reads as Chinese`);

async function openWarning(page, id) {
  await page.goto(`${env.url}/#/warnings/${id}`);
  await page.waitForSelector('[data-testid="status"]');
}

// Clicks an action and waits for the status line that says it was done.
async function act(page, action, reason) {
  if (reason !== undefined) await page.fill('textarea[name="reason"]', reason);
  await page.click(`button[data-action="${action}"]`);
  await page.waitForSelector('[data-testid="triage-msg"].ok');
}

test('the auditor escalates; the bureau sees it in 提醒 and in its queue, and reopens it', async () => {
  const page = await openPage(env);
  await login(page, env, 'auditor');
  const list = await apiGet(page, `/warnings?unit=${AUDITOR_UNIT}&status=open&severity=high&per_page=5`);
  const w = list.items[0];
  await openWarning(page, w.id);
  // The bureau's word problem of today: no `null` under the evidence, names instead of codes.
  await page.waitForSelector('[data-testid="evidence"] tbody tr, [data-testid="no-evidence"]');
  assert.equal(await page.locator('[data-testid="rule"]').textContent(), w.rule_name);
  await noRawText(page, 'the warning, open');
  assert.deepEqual(await page.$$eval('button[data-action]', (bs) => bs.map((b) => b.dataset.action)), ['acknowledge', 'dismiss', 'escalate']);
  await act(page, 'escalate', '金额较大，报区审计局');
  assert.match(await status(page), /已上报/);
  assert.match(await page.textContent('[data-testid="triage-msg"]'), /已上报区审计局/);
  assert.deepEqual(await page.$$eval('button[data-action]', (bs) => bs.map((b) => b.dataset.action)), ['dismiss', 'acknowledge'],
    'the unit may still withdraw (dismiss) or confirm');
  await noRawText(page, 'the warning, escalated');
  await done(page);

  const admin = await openPage(env);
  await login(admin, env, 'admin');
  await admin.goto(env.url + '/#/notifications');
  const notice = admin.locator(`li.notice[data-warning="${w.id}"]`);
  await notice.waitFor();
  assert.match(await notice.textContent(), /预警上报/);
  assert.match(await notice.textContent(), /致区审计局/);
  await noRawText(admin, 'the bureau\'s notifications');
  // The queue 待局复核 lists it too.
  await admin.goto(env.url + '/#/warnings');
  await admin.click('[data-queue="escalated"]');
  await admin.waitForSelector(`[data-testid="warnings"] tr[data-warning="${w.id}"]`);
  assert.match(await admin.textContent(`tr[data-warning="${w.id}"] [data-col="status"]`), /已上报/);
  await noRawText(admin, 'the queue');
  await admin.goto(env.url + '/#/notifications');
  await notice.locator('[data-testid="open-warning"]').click();
  await admin.waitForSelector('[data-testid="status"]');
  assert.deepEqual(await admin.$$eval('button[data-action]', (bs) => bs.map((b) => b.dataset.action)), ['dismiss', 'reopen', 'to_finding', 'to_rectification']);
  await admin.click('button[data-action="reopen"]');
  await admin.waitForSelector('[data-testid="triage-msg"].error');
  await act(admin, 'reopen', '请补充付款审批依据后重新处理');
  assert.equal(await status(admin), '未处理');
  assert.equal(await admin.textContent('[data-testid="review-note"]'), '请补充付款审批依据后重新处理');
  await noRawText(admin, 'the warning, reopened');
  await done(admin);
});

test('a dismissal waits for review (待复核) until the reviewer upholds it', async () => {
  const page = await openPage(env);
  await login(page, env, 'auditor');
  // High severity: always sampled.
  const w = (await apiGet(page, `/warnings?unit=${AUDITOR_UNIT}&state=open&severity=high&per_page=5`)).items[1];
  await openWarning(page, w.id);
  await page.click('button[data-action="dismiss"]');
  await page.waitForSelector('[data-testid="triage-msg"]:text("排除须填写理由")');
  await act(page, 'dismiss', '已核实：系正常报销');
  assert.equal(await status(page), '已排除·待复核');
  await noRawText(page, 'the warning, dismissed');
  await done(page);

  const reviewer = await openPage(env);
  await login(reviewer, env, 'reviewer');
  await reviewer.goto(env.url + '/#/notifications');
  await reviewer.locator(`li.notice[data-warning="${w.id}"]`).waitFor();
  assert.match(await reviewer.textContent(`li.notice[data-warning="${w.id}"]`), /排除待复核/);
  await reviewer.goto(env.url + '/#/warnings?status=review');
  await reviewer.waitForSelector(`tr[data-warning="${w.id}"]`);
  assert.equal(await reviewer.textContent(`tr[data-warning="${w.id}"] [data-col="status"]`), '已排除·待复核');
  await reviewer.click(`tr[data-warning="${w.id}"] a[href="#/warnings/${w.id}"]`);
  await reviewer.waitForSelector('button[data-action="accept"]');
  await noRawText(reviewer, 'the dismissal to review');
  await act(reviewer, 'accept');
  assert.equal(await status(reviewer), '已排除');
  assert.match(await reviewer.textContent('[data-testid="review-by"]'), /\d{4}-\d\d-\d\d \d\d:\d\d/);
  assert.equal(await reviewer.locator('button[data-action]').count(), 0, 'a final dismissal offers nothing');
  await noRawText(reviewer, 'the upheld dismissal');
  await done(reviewer);
});

test('a warning turned into a finding, or used as its evidence, is 已确认 naming the finding', async () => {
  const admin = await openPage(env);
  await login(admin, env, 'admin');
  const projects = (await apiGet(admin, '/audits?stage=field')).items;
  const p = projects[0];
  const all = (await apiGet(admin, `/warnings?unit=${encodeURIComponent(p.unit_code)}&state=open&per_page=100`)).items;
  const w = all.find((x) => p.items.includes(x.item));
  assert.ok(w, 'a warning of the project\'s unit on one of its items');
  await openWarning(admin, w.id);
  await admin.selectOption('select[name="project_id"]', String(p.id));
  await act(admin, 'to_finding');
  assert.equal(await status(admin), '已确认');
  const named = await admin.textContent('[data-testid="finding"]');
  assert.ok(named.includes(p.code), `the finding is named with its project: ${named}`);
  await noRawText(admin, 'the warning made a finding');
  // Another warning of the unit, attached as the finding's evidence.
  const got = await apiGet(admin, `/warnings/${w.id}`);
  const other = all.find((x) => x.id !== w.id);
  const res = await admin.evaluate(async ([fid, ref]) => {
    const me = await (await fetch('/api/v1/me')).json();
    const r = await fetch(`/api/v1/findings/${fid}/evidence`, { method: 'POST', body: JSON.stringify({ kind: 'warning', ref_id: ref }),
      headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': me.csrf_token } });
    return r.status;
  }, [got.finding.id, other.id]);
  assert.equal(res, 201);
  await openWarning(admin, other.id);
  assert.equal(await status(admin), '已确认');
  assert.ok((await admin.textContent('[data-testid="finding"]')).includes(p.code));
  await admin.click('[data-testid="finding"] a');
  await admin.waitForFunction((id) => location.hash === `#/findings/${id}`, got.finding.id);
  await done(admin);
});

test('the bureau turns a warning straight into a rectification item of the unit\'s standing ledger', async () => {
  const admin = await openPage(env);
  await login(admin, env, 'admin');
  const w = (await apiGet(admin, `/warnings?unit=${AUDITOR_UNIT}&state=open&per_page=5`)).items[0];
  assert.ok(w, 'an open warning of the auditor\'s unit');
  await openWarning(admin, w.id);
  await admin.selectOption('select[name="rect_class"]', 'phased');
  await act(admin, 'to_rectification');
  assert.equal(await status(admin), '已确认');
  assert.match(await admin.textContent('[data-testid="triage-msg"]'), /预警跟踪整改台账/);
  const named = await admin.textContent('[data-testid="finding"]');
  assert.match(named, /^YJ-\d{4}-/, `the finding is named with its ledger: ${named}`);
  assert.equal(await admin.locator('button[data-action="to_rectification"]').count(), 0, 'not twice');
  await noRawText(admin, 'the warning made a rectification item');
  const got = await apiGet(admin, `/warnings/${w.id}`);
  const items = (await apiGet(admin, `/rectifications?unit=${AUDITOR_UNIT}&per_page=100`)).items;
  const item = items.find((r) => r.finding_id === got.finding.id);
  assert.ok(item, 'the unit has the item in its rectification ledger');
  assert.equal(item.class, 'phased');
  // The ledger is a project in 整改, marked as the standing ledger.
  await admin.goto(`${env.url}/#/audits/${item.project_id}`);
  await admin.waitForSelector('[data-testid="audit-kind"]');
  assert.match(await admin.textContent('[data-testid="audit-kind"]'), /预警跟踪整改台账/);
  await noRawText(admin, 'the standing ledger');
  await done(admin);
});

test('the inbox filters by a rule chosen by its Chinese name', async () => {
  const page = await openPage(env);
  await login(page, env, 'admin');
  await page.goto(env.url + '/#/warnings');
  await page.waitForSelector('[data-testid="warnings"] tbody tr');
  const offered = await page.$$eval('select[name="rule"] option', (os) => os.map((o) => [o.value, o.textContent]));
  assert.ok(offered.some(([v, text]) => v === 'dup_payment' && text === '重复支付'), 'dup_payment is offered as 重复支付');
  await page.selectOption('select[name="rule"]', 'dup_payment');
  await page.click('form[role="search"] button[type="submit"]');
  await page.waitForFunction(() => location.hash.includes('rule=dup_payment'));
  await page.waitForSelector('[data-testid="warnings"] tbody tr');
  const api = await apiGet(page, '/warnings?rule=dup_payment&per_page=1');
  assert.equal(Number(await page.getAttribute('[data-testid="total"]', 'data-total')), api.total);
  assert.ok(api.total > 0);
  await noRawText(page, 'the inbox by rule');
  await done(page);
});

test('the supervisor reads a warning and its evidence without actions', async () => {
  const page = await openPage(env);
  await login(page, env, 'supervisor');
  const w = (await apiGet(page, '/warnings?per_page=1')).items[0];
  await openWarning(page, w.id);
  assert.equal(await page.locator('button[data-action]').count(), 0);
  await noRawText(page, 'the supervisor\'s view');
  await done(page);
});
