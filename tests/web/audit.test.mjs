// The audit-project pages in a real chromium against the real server on a fresh demo district: a
// cross audit walked by the people who do it, from its creation by the bureau through 审前 and 审中
// to 审后·报告 and into 审后·整改, with the refusals a user meets on the way (a stage that still lacks a
// record, a user who may not advance, a reviewer who only reads, a user outside the scope).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startAll, openPage, login, done, shot, apiGet, apiPost, PW } from './lib.mjs';

const AUDITED = '12120104MB98L558XM'; // 天津市南开区科技实验小学: a pilot unit of D01 without a demo audit
const LEAD_UNIT = '12120104MBFARUM9XH'; // 天津市南开区学府街社区卫生服务中心: the lead's unit (D02)
const DEMO = { 'NK-JCHS-2026-01': 'rectify', 'NK-ZC-2026-02': 'field', 'NK-ZX-2025-03': 'closed' };

let env;
let who = {}; // the persons behind the accounts made for the test
let pid; // the project walked through
const findings = {}; // seq -> finding id

before(async () => {
  env = await startAll();
  // The accounts of the walk: the team lead and a member (internal auditors of another unit), and
  // the audited unit's principal leader, each linked to its person (that makes them who they are).
  const page = await openPage(env);
  await login(page, env, 'admin');
  // issue 14 §1 (xaudit): every pilot unit is audited in the demo's published 2026 cross-audit round
  assert.equal((await apiGet(page, `/audits?unit=${AUDITED}`)).items.filter((p) => !p.name.startsWith('2026年交叉互审：')).length, 0,
    'the audited unit has no demo audit but the round\'s');
  const lp = (await apiGet(page, `/units/${LEAD_UNIT}/persons?per_page=500`)).items;
  const ap = (await apiGet(page, `/units/${AUDITED}/persons?per_page=500`)).items;
  who.lead = lp.find((x) => x.roles.includes('auditor'));
  who.member = lp.find((x) => x.id !== who.lead.id && !x.roles.includes('principal'));
  who.principal = ap.find((x) => x.roles.includes('principal'));
  await apiPost(page, '/users', { username: 'xlead', role: 'auditor', unit_code: LEAD_UNIT, person_id: who.lead.id,
    display_name: who.lead.name, password: PW });
  await apiPost(page, '/users', { username: 'xmember', role: 'auditor', unit_code: LEAD_UNIT, person_id: who.member.id,
    display_name: who.member.name, password: PW });
  await apiPost(page, '/users', { username: 'xleader', role: 'leader', unit_code: AUDITED, person_id: who.principal.id,
    display_name: who.principal.name, password: PW });
  await done(page);
});
after(async () => { if (env) await env.stop(); });

const project = (page) => page.goto(`${env.url}/#/audits/${pid}`).then(() => page.waitForSelector('[data-testid="stages"]'));
const stage = (page) => page.getAttribute('[data-testid="stages"]', 'data-stage');
const kinds = (page) => page.$$eval('[data-testid="record-form"] select[name="kind"] option', (o) => o.map((x) => x.value));
// Waits for the message the page shows after a change (the page is drawn again with it).
const flash = (page, re) => page.locator('[data-testid="flash"]', { hasText: re }).waitFor();

// Files a record through the form of the project page.
async function file(page, kind, title, extra = {}) {
  await page.selectOption('[data-testid="record-form"] select[name="kind"]', kind);
  await page.fill('[data-testid="record-form"] input[name="title"]', title);
  if (extra.doc_no) await page.fill('[data-testid="record-form"] input[name="doc_no"]', extra.doc_no);
  await page.fill('[data-testid="record-form"] textarea[name="body"]', extra.body || `${title}（正文）`);
  if (extra.file) await page.setInputFiles('[data-testid="record-form"] input[type="file"]', extra.file);
  await page.click('[data-testid="record-form"] button[type="submit"]');
  await flash(page, /已登记：/);
  await page.waitForSelector(`[data-testid="records"] tr[data-kind="${kind}"]`);
}

// Clicks the advance button and expects the API's refusal naming what is missing.
async function refusedAdvance(page, re) {
  page.expectStatus(422, `/api/v1/audits/${pid}/advance`);
  await page.click('[data-testid="advance"]');
  await page.waitForSelector('[data-testid="advance-msg"].error');
  const msg = await page.textContent('[data-testid="advance-msg"]');
  assert.match(msg, re);
  return msg;
}

async function advance(page, to) {
  await page.click('[data-testid="advance"]');
  await page.waitForSelector(`[data-testid="stages"][data-stage="${to}"]`);
  await flash(page, /项目已进入/);
}

test('admin lists the demo projects; filters live in the URL', async () => {
  const page = await openPage(env);
  await login(page, env, 'admin');
  await page.click('nav a[href="#/audits"]');
  await page.waitForSelector('[data-testid="audits"] tbody tr');
  const api = await apiGet(page, '/audits?per_page=100');
  assert.equal(await page.getAttribute('[data-testid="total"]', 'data-total'), String(api.total));
  await page.screenshot({ path: shot(env, 'audits.png') });
  // issue 14 §1 (xaudit): the demo's 30 round projects (审前) come first; each demo project by its stage
  for (const [code, st] of Object.entries(DEMO)) {
    await page.goto(`${env.url}/#/audits?stage=${st}`);
    const row = page.locator(`[data-testid="audits"] tr[data-code="${code}"]`);
    await row.waitFor();
    assert.equal(await row.count(), 1, code);
    assert.equal(await row.locator('td[data-col="stage"]').getAttribute('data-stage'), st, code);
    if (code === 'NK-JCHS-2026-01') assert.match(await row.textContent(), /审后·整改.*逾期 1/);
  }
  await page.goto(`${env.url}/#/audits`);
  await page.waitForSelector('[data-testid="audits"] tbody tr');
  // Filter by stage from the form: the URL keeps it through a reload.
  // In 整改: the demo's audit and the standing ledgers (预警跟踪整改) of the units its supervision
  // visits found something at.
  const rectify = (await apiGet(page, '/audits?stage=rectify&per_page=100')).items;
  assert.ok(rectify.some((p) => p.code === 'NK-JCHS-2026-01'));
  assert.ok(rectify.every((p) => p.code === 'NK-JCHS-2026-01' || p.kind === 'tracking'), JSON.stringify(rectify.map((p) => p.code)));
  await page.selectOption('form[role="search"] select[name="stage"]', 'rectify');
  await page.click('form[role="search"] button[type="submit"]');
  await page.waitForSelector(`[data-testid="total"][data-total="${rectify.length}"]`);
  assert.match(page.url(), /#\/audits\?stage=rectify$/);
  await page.reload();
  await page.waitForSelector('[data-testid="audits"] tbody tr');
  assert.equal(await page.inputValue('select[name="stage"]'), 'rectify');
  assert.deepEqual((await page.$$eval('[data-testid="audits"] tbody tr', (r) => r.map((x) => x.dataset.code))).sort(), rectify.map((p) => p.code).sort());
  await page.goto(`${env.url}/#/audits?kind=self_check&unit=12120104MB7K8GU695`);
  await page.waitForSelector('[data-testid="audits"] tbody tr');
  assert.deepEqual(await page.$$eval('[data-testid="audits"] tbody tr', (r) => r.map((x) => x.dataset.code)), ['NK-ZC-2026-02']);
  await page.goto(`${env.url}/#/audits?stage=report`);
  await page.waitForSelector('[data-testid="no-audits"]');
  // Clearing the filters lists every project again (the round's come first, so the closed one
  // of 2025 is on a later page).
  await page.click('[data-testid="clear"]');
  await page.waitForSelector(`[data-testid="total"][data-total="${api.total}"]`);
  assert.match(page.url(), /#\/audits$/);
  await done(page);
});

test('the demo cross audit: 屡审屡犯 marked, its lead may advance, the audited unit only reads', async () => {
  const page = await openPage(env);
  await login(page, env, 'auditor2'); // the demo's cross-audit lead, from another unit
  await page.goto(`${env.url}/#/audits`);
  await page.click('[data-testid="audits"] tr[data-code="NK-JCHS-2026-01"] a');
  await page.waitForSelector('[data-testid="findings"]');
  const id = Number(/audits\/(\d+)$/.exec(page.url())[1]);
  const p = await apiGet(page, `/audits/${id}`);
  assert.equal(await page.locator('[data-testid="findings"] tbody tr').count(), p.findings.length);
  for (const f of p.findings) {
    const row = page.locator(`[data-testid="findings"] tr[data-finding="${f.id}"]`);
    assert.equal(await row.locator('[data-testid="repeat"]').count(), f.repeat ? 1 : 0, f.title);
    assert.equal(await row.locator('a[data-rect]').getAttribute('href'), `#/rectifications/${f.rectification_id}`);
  }
  assert.ok(p.findings.some((f) => f.repeat), 'the demo has a repeat offence');
  assert.match(await page.getAttribute('[data-testid="findings"] [data-testid="repeat"]', 'title'), /NK-ZX-2025-03/);
  assert.equal(await page.locator('[data-testid="advance"]').count(), 1);
  assert.deepEqual(await kinds(page), ['followup']);
  await done(page);
  const p2 = await openPage(env);
  await login(p2, env, 'auditor'); // an internal auditor of the audited unit
  await p2.goto(`${env.url}/#/audits/${id}`);
  await p2.waitForSelector('[data-testid="findings"]');
  assert.equal(await p2.locator('[data-testid="advance"]').count(), 0);
  assert.equal(await p2.locator('main form').count(), 0);
  await done(p2);
});

test('admin creates a cross audit and appoints a lead from another unit', async () => {
  const page = await openPage(env);
  await login(page, env, 'admin');
  await page.goto(`${env.url}/#/audits`);
  await page.click('[data-testid="create"] summary');
  const form = '[data-testid="create-audit"]';
  // Nothing ticked: the form says so before asking the server.
  await page.fill(`${form} input[name="name"]`, '2026年试点单位资金安全交叉互审（第二组）');
  await page.click(`${form} button[type="submit"]`);
  await page.waitForSelector('[data-testid="create-msg"]:text("请至少勾选一个审计事项")');
  await page.selectOption(`${form} select[name="kind"]`, 'cross');
  await page.selectOption(`${form} select[name="unit_code"]`, AUDITED);
  await page.fill(`${form} input[name="period_from"]`, '2025-01-01');
  await page.fill(`${form} input[name="period_to"]`, '2025-12-31');
  for (const c of ['F03', 'F07', 'K2']) await page.check(`${form} input[name="items"][value="${c}"]`);
  await page.click(`${form} button[type="submit"]`);
  await page.waitForURL(/#\/audits\/\d+$/);
  pid = Number(/audits\/(\d+)$/.exec(page.url())[1]);
  await page.waitForSelector('[data-testid="stages"]');
  assert.equal(await stage(page), 'pre');
  assert.equal(await page.getAttribute('ol.stages li[aria-current="step"]', 'data-stage'), 'pre');
  assert.equal(await page.textContent('[data-testid="audit-kind"]'), '交叉互审');
  assert.match(await page.textContent('[data-testid="audit-items"]'), /F03 资金支付审批、F07 往来款清理、K2 预算执行与财务收支/);
  assert.deepEqual(await page.$$eval('[data-testid="missing"] li', (l) => l.map((x) => x.dataset.code)),
    ['team_lead', 'plan', 'plan_approval', 'notice', 'survey']);
  // Without a lead the server refuses, and says why.
  await refusedAdvance(page, /尚未确定审计组组长/);
  // The audited unit cannot staff its own cross audit, so it is not offered.
  assert.equal(await page.locator(`[data-testid="team-form"] select[name="team_unit"] option[value="${AUDITED}"]`).count(), 0);
  await page.selectOption('[data-testid="team-form"] select[name="team_unit"]', LEAD_UNIT);
  await page.waitForSelector(`[data-testid="team-form"] select[name="person_id"] option[value="${who.lead.id}"]`, { state: 'attached' });
  await page.selectOption('[data-testid="team-form"] select[name="person_id"]', String(who.lead.id));
  assert.equal(await page.inputValue('[data-testid="team-form"] select[name="role"]'), 'lead');
  await page.click('[data-testid="team-form"] button[type="submit"]');
  await flash(page, /已加入审计组/);
  const lead = page.locator(`[data-testid="team"] tr[data-person="${who.lead.id}"]`);
  assert.equal(await lead.getAttribute('data-role'), 'lead');
  assert.match(await lead.textContent(), /组长.*学府街社区卫生服务中心/);
  assert.equal(await page.textContent('[data-testid="audit-lead"]'), who.lead.name);
  // A lead now exists: the form offers only members.
  assert.deepEqual(await page.$$eval('[data-testid="team-form"] select[name="role"] option', (o) => o.map((x) => x.value)), ['member']);
  await done(page);
});

test('the lead staffs the team and files the pre-audit records; the refusal names the missing approval', async () => {
  const page = await openPage(env);
  await login(page, env, 'xlead');
  await page.click('nav a[href="#/audits"]');
  await page.click(`[data-testid="audits"] tr[data-audit="${pid}"] a[href="#/audits/${pid}"]`);
  await page.waitForSelector('[data-testid="record-form"]');
  assert.deepEqual(await kinds(page), ['plan', 'notice', 'survey'], 'the plan is approved by someone else');
  assert.equal(await page.locator('[data-testid="advance"]').count(), 1);
  // A member from the lead's own unit (the form is folded once the team has its lead).
  await page.click('[data-testid="team-add"] summary');
  await page.selectOption('[data-testid="team-form"] select[name="team_unit"]', LEAD_UNIT);
  await page.waitForSelector(`[data-testid="team-form"] select[name="person_id"] option[value="${who.member.id}"]`, { state: 'attached' });
  await page.selectOption('[data-testid="team-form"] select[name="person_id"]', String(who.member.id));
  await page.click('[data-testid="team-form"] button[type="submit"]');
  await page.waitForSelector(`[data-testid="team"] tr[data-person="${who.member.id}"][data-role="member"]`);
  // The plan with its file, the notice with its number.
  await file(page, 'plan', '审计实施方案', { file: { name: '审计实施方案.txt', mimeType: 'text/plain',
    buffer: Buffer.from('审计实施方案\n审计范围：F03、F07、K2；审计期间：2025年。\n', 'utf8') } });
  const link = page.locator('[data-testid="records-pre"] tr[data-kind="plan"] a[data-attachment]');
  assert.equal(await link.textContent().then((s) => s.startsWith('审计实施方案.txt')), true);
  const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
  assert.equal(download.suggestedFilename(), '审计实施方案.txt');
  assert.match((await download.createReadStream().then((s) => s.toArray())).join(''), /审计范围/);
  await file(page, 'notice', '审计通知书', { doc_no: '南审通〔2026〕21号' });
  assert.match(await page.textContent('[data-testid="records-pre"] tr[data-kind="notice"]'), /南审通〔2026〕21号/);
  // Advancing now: the server names the first thing missing, the plan's approval.
  await refusedAdvance(page, /实施方案审批（plan_approval）.*共缺 2 项/);
  await file(page, 'survey', '审前调查记录');
  assert.deepEqual(await page.$$eval('[data-testid="missing"] li', (l) => l.map((x) => x.dataset.code)), ['plan_approval']);
  await done(page);
});

test('the supervisor of the cell approves the plan and may not advance', async () => {
  const page = await openPage(env);
  await login(page, env, 'supervisor');
  await project(page);
  assert.deepEqual(await kinds(page), ['plan_approval']);
  assert.equal(await page.locator('[data-testid="advance"]').count(), 0);
  assert.equal(await page.locator('[data-testid="team-form"]').count(), 0);
  await file(page, 'plan_approval', '关于审计实施方案的批复', { body: '同意该实施方案。' });
  await page.waitForSelector('[data-testid="ready"]');
  assert.match(await page.textContent('[data-testid="ready"]'), /可以进入“审中”/);
  await done(page);
});

test('a team member files records but neither staffs the team nor advances', async () => {
  const page = await openPage(env);
  await login(page, env, 'xmember');
  await project(page);
  await page.waitForSelector('[data-testid="ready"]');
  assert.equal(await page.locator('[data-testid="advance"]').count(), 0);
  assert.equal(await page.locator('[data-testid="team-form"]').count(), 0);
  assert.deepEqual(await kinds(page), ['plan', 'notice', 'survey']);
  await done(page);
});

test('the lead takes the audit into the field: working paper, findings, evidence, a basis added', async () => {
  const page = await openPage(env);
  await login(page, env, 'xlead');
  await project(page);
  await advance(page, 'field');
  assert.deepEqual(await kinds(page), ['working_paper']);
  assert.deepEqual(await page.$$eval('[data-testid="missing"] li', (l) => l.map((x) => x.dataset.code)), ['working_paper']);
  await file(page, 'working_paper', '资金支付审批审计工作底稿', { body: '抽查2024年付款凭证，核对审批单与会议纪要。' });
  // Two findings; the second without its basis yet.
  const ff = '[data-testid="finding-form"]';
  assert.deepEqual(await page.$$eval(`${ff} select[name="item"] option`, (o) => o.map((x) => x.value)), ['F03', 'F07', 'K2']);
  await page.selectOption(`${ff} select[name="item"]`, 'F03');
  await page.fill(`${ff} input[name="title"]`, '大额支付处于审批限额边缘');
  await page.fill(`${ff} textarea[name="description"]`, '2024年2月支付95,842.00元，处于10万元审批限额的95%至100%之间，疑似规避审批。');
  await page.fill(`${ff} input[name="amount"]`, '95,842.00');
  await page.fill(`${ff} textarea[name="basis"]`, '《行政事业单位内部控制规范（试行）》第二十九条');
  await page.selectOption(`${ff} select[name="severity"]`, 'high');
  await page.fill(`${ff} input[name="responsible"]`, who.principal.name);
  await page.click(`${ff} button[type="submit"]`);
  await flash(page, /已登记第 1 个审计发现/);
  await page.selectOption(`${ff} select[name="item"]`, 'K2');
  await page.fill(`${ff} input[name="title"]`, '项目支出预算执行率偏低');
  await page.fill(`${ff} textarea[name="description"]`, '2024年度项目支出预算执行率不足七成。');
  await page.fill(`${ff} input[name="amount"]`, '1236000');
  await page.selectOption(`${ff} select[name="rect_class"]`, 'phased');
  await page.click(`${ff} button[type="submit"]`);
  await flash(page, /已登记第 2 个审计发现/);
  const rows = await page.$$eval('[data-testid="findings"] tbody tr', (r) => r.map((x) => [x.dataset.seq, x.dataset.finding]));
  assert.equal(rows.length, 2);
  for (const [seq, id] of rows) findings[seq] = Number(id);
  assert.match(await page.textContent('[data-testid="findings"] tr[data-seq="1"]'), /F03 资金支付审批.*95,842\.00.*高/);
  assert.match(await page.textContent('[data-testid="findings"] tr[data-seq="2"]'), /1,236,000\.00/);
  assert.equal(await page.locator('[data-testid="findings"] tr[data-seq="2"] [data-testid="no-basis"]').count(), 1);
  assert.deepEqual(await page.$$eval('[data-testid="missing"] li', (l) => l.map((x) => x.dataset.code)), ['finding_basis']);
  await refusedAdvance(page, /第 2 号审计发现缺少定性依据/);

  // Finding 1: a warning of the audited unit pulled in as evidence, and a file.
  await page.click(`[data-testid="findings"] tr[data-seq="1"] a[href="#/findings/${findings[1]}"]`);
  await page.waitForSelector('[data-testid="evidence-form"]');
  assert.equal(await page.locator('[data-testid="no-evidence"]').count(), 1);
  const unitWarnings = await apiGet(page, `/warnings?unit=${AUDITED}&per_page=500`);
  const opts = await page.$$eval('[data-testid="evidence-form"] select[name="warning_id"] option', (o) => o.map((x) => x.value).filter(Boolean));
  assert.deepEqual(opts.map(Number).sort((a, b) => a - b), unitWarnings.items.map((w) => w.id).sort((a, b) => a - b));
  const w = unitWarnings.items.find((x) => x.item === 'F03') || unitWarnings.items[0];
  await page.selectOption('[data-testid="evidence-form"] select[name="warning_id"]', String(w.id));
  await page.fill('[data-testid="evidence-form"] input[name="note"]', '付款凭证');
  await page.click('[data-testid="evidence-form"] button[type="submit"]');
  await flash(page, /已添加证据：预警/);
  const wrow = page.locator(`[data-testid="evidence"] tr[data-kind="warning"][data-ref="${w.id}"]`);
  assert.equal(await wrow.locator(`a[href="#/warnings/${w.id}"]`).count(), 1);
  assert.match(await wrow.textContent(), new RegExp(`${w.rule}.*付款凭证`));
  await page.selectOption('[data-testid="evidence-form"] select[name="ev_kind"]', 'attachment');
  await page.setInputFiles('[data-testid="evidence-form"] input[name="evidence_file"]', { name: '审批单.txt', mimeType: 'text/plain',
    buffer: Buffer.from('付款审批单：金额95842.00元，审批人签字齐全但无集体决策记录。\n', 'utf8') });
  await page.click('[data-testid="evidence-form"] button[type="submit"]');
  await page.waitForSelector('[data-testid="evidence"] tr[data-kind="attachment"]');
  assert.match(await page.textContent('[data-testid="evidence"] tr[data-kind="attachment"]'), /审批单\.txt/);
  // A ledger line found through the search of the audited unit's books: the year comes from the
  // audit period, voucher, amount and counterparty narrow it down, Enter searches and the keyboard
  // picks the line. A line id of another unit typed into the fallback field is refused.
  await page.selectOption('[data-testid="evidence-form"] select[name="ev_kind"]', 'ledger_line');
  const ls = '[data-testid="line-search"]';
  assert.equal(await page.locator(ls).isVisible(), true);
  assert.equal(await page.inputValue(`${ls} input[name="ls_year"]`), '2025', 'the audit period gives the year');
  const other = (await apiGet(page, `/units/${LEAD_UNIT}/ledger/lines?per_page=1`)).items[0];
  await page.fill('[data-testid="evidence-form"] input[name="ledger_line_id"]', String(other.id));
  page.expectStatus(404, `/api/v1/findings/${findings[1]}/evidence`);
  await page.click('[data-testid="evidence-form"] button[type="submit"]');
  await page.waitForSelector('[data-testid="evidence-msg"].error');
  const target = (await apiGet(page, `/units/${AUDITED}/ledger/lines?year=2025&counterparty=${encodeURIComponent('公司')}&per_page=1`)).items[0];
  const amount = target.debit !== '0.00' ? target.debit : target.credit;
  await page.fill(`${ls} input[name="ls_voucher"]`, target.voucher);
  await page.fill(`${ls} input[name="ls_amount"]`, amount);
  await page.fill(`${ls} input[name="ls_counterparty"]`, target.counterparty.slice(0, 4));
  await page.press(`${ls} input[name="ls_counterparty"]`, 'Enter');
  await page.waitForSelector(`${ls} [data-testid="lines"] tr[data-line="${target.id}"]`);
  const want = await apiGet(page, `/units/${AUDITED}/ledger/lines?year=2025&voucher=${encodeURIComponent(target.voucher)}`
    + `&amount=${amount}&counterparty=${encodeURIComponent(target.counterparty.slice(0, 4))}&per_page=20`);
  assert.deepEqual(await page.$$eval(`${ls} [data-testid="lines"] tbody tr`, (r) => r.map((x) => Number(x.dataset.line))),
    want.items.map((l) => l.id), 'the lines the API finds for those filters, in its order');
  assert.match(await page.textContent(`${ls} [data-testid="lines-count"]`), new RegExp(`共 ${want.total} 行`));
  await page.focus(`${ls} tr[data-line="${target.id}"] input[type="radio"]`);
  await page.keyboard.press('Space');
  assert.equal(await page.inputValue('[data-testid="evidence-form"] input[name="ledger_line_id"]'), String(target.id));
  assert.match(await page.textContent('[data-testid="line-search-msg"]'), new RegExp(`已选分录行 #${target.id}`));
  await page.click('[data-testid="evidence-form"] button[type="submit"]');
  await page.waitForSelector(`[data-testid="evidence"] tr[data-kind="ledger_line"][data-ref="${target.id}"]`);
  assert.match(await page.textContent(`[data-testid="evidence"] tr[data-kind="ledger_line"][data-ref="${target.id}"]`),
    new RegExp(`${target.voucher} 第${target.line_no}行`));
  // A filter the server refuses shows its message in the search.
  await page.selectOption('[data-testid="evidence-form"] select[name="ev_kind"]', 'ledger_line');
  await page.fill(`${ls} input[name="ls_amount"]`, 'abc');
  page.expectStatus(400, `/units/${AUDITED}/ledger/lines`);
  await page.click(`${ls} [data-testid="line-search-go"]`);
  await page.waitForSelector('[data-testid="line-search-msg"].error');
  assert.match(await page.textContent('[data-testid="line-search-msg"]'), /amount/);
  const f1 = await apiGet(page, `/findings/${findings[1]}`);
  assert.equal(await page.locator('[data-testid="evidence"] tbody tr').count(), f1.evidence.length);
  assert.equal(f1.amount, '95842.00');

  // Finding 2 gets its basis through the edit form (PUT), then the stage is complete.
  await page.goto(`${env.url}/#/findings/${findings[2]}`);
  await page.waitForSelector('[data-testid="edit"]');
  await page.click('[data-testid="edit"] summary');
  assert.equal(await page.inputValue('[data-testid="finding-edit"] input[name="title"]'), '项目支出预算执行率偏低');
  assert.equal(await page.inputValue('[data-testid="finding-edit"] select[name="rect_class"]'), 'phased');
  await page.fill('[data-testid="finding-edit"] textarea[name="basis"]', '《中华人民共和国预算法》第五十七条');
  await page.click('[data-testid="finding-edit"] button[type="submit"]');
  await flash(page, /审计发现已保存/);
  assert.equal(await page.textContent('[data-testid="basis"]'), '《中华人民共和国预算法》第五十七条');
  await page.click(`a[href="#/audits/${pid}"]`);
  await page.waitForSelector('[data-testid="ready"]');
  await advance(page, 'report');
  assert.equal(await page.locator('[data-testid="finding-form"]').count(), 0, 'findings are filed in the field only');
  assert.deepEqual(await kinds(page), ['draft_report', 'final_report'], 'the response is the audited unit\'s');
  await file(page, 'draft_report', '审计报告（征求意见稿）', { doc_no: '南审征〔2026〕21号' });
  await refusedAdvance(page, /被审计单位书面意见/);
  // The refusal in the user's language.
  await page.click('#lang');
  await page.waitForSelector('[data-testid="advance"]:has-text("Advance to: Post-audit · rectification")');
  await refusedAdvance(page, /cannot advance yet: the audited unit's response/);
  await page.click('#lang');
  await page.waitForSelector('[data-testid="advance"]:has-text("进入下一阶段")');
  await done(page);
});

test('the audited unit\'s leader files its response; it cannot advance or add findings', async () => {
  const page = await openPage(env);
  await login(page, env, 'xleader');
  await project(page);
  assert.equal(await page.locator('[data-testid="advance"]').count(), 0);
  assert.equal(await page.locator('[data-testid="team-form"]').count(), 0);
  assert.deepEqual(await kinds(page), ['response']);
  await file(page, 'response', '关于审计报告征求意见稿的书面意见', { body: '对审计反映的问题无异议，将按期整改。' });
  await page.goto(`${env.url}/#/findings/${findings[1]}`);
  await page.waitForSelector('[data-testid="finding"]');
  assert.equal(await page.locator('main form').count(), 0);
  await done(page);
});

test('the lead files the final report and opens rectification: each finding has its item', async () => {
  const page = await openPage(env);
  await login(page, env, 'xlead');
  await project(page);
  await file(page, 'final_report', '审计报告', { doc_no: '南审报〔2026〕21号' });
  await advance(page, 'rectify');
  assert.equal(await page.getAttribute('ol.stages li[aria-current="step"]', 'data-stage'), 'rectify');
  assert.deepEqual(await kinds(page), ['followup']);
  const items = (await apiGet(page, `/rectifications?project=${pid}`)).items;
  assert.equal(items.length, 2);
  for (const it of items) {
    const a = page.locator(`[data-testid="findings"] tr[data-finding="${it.finding_id}"] a[data-rect]`);
    assert.equal(await a.getAttribute('href'), `#/rectifications/${it.id}`);
    assert.match(await a.textContent(), /未整改/);
  }
  assert.deepEqual(await page.$$eval('[data-testid="missing"] li', (l) => l.map((x) => x.dataset.code)), ['rectification_open', 'followup']);
  // The English page shows the same project.
  await page.click('#lang');
  await page.waitForSelector('ol.stages li[aria-current="step"]:has-text("Post-audit · rectification")');
  assert.match(await page.textContent('[data-testid="missing"]'), /2 rectification item\(s\) are neither closed nor continuous/);
  await page.click('#lang');
  await page.waitForSelector('ol.stages li[aria-current="step"]:has-text("审后·整改")');
  await page.screenshot({ path: shot(env, 'audit.png') });
  await done(page);
});

test('a reviewer reads the project without any form; users outside the scope get not-found', async () => {
  const page = await openPage(env);
  await login(page, env, 'reviewer');
  await project(page);
  await page.waitForSelector('[data-testid="findings"]');
  assert.equal(await page.locator('main form').count(), 0);
  assert.equal(await page.locator('[data-testid="advance"]').count(), 0);
  assert.equal(await page.locator('[data-testid="records"] tr[data-kind]').count(), 8);
  await page.goto(`${env.url}/#/findings/${findings[1]}`);
  await page.waitForSelector('[data-testid="evidence"]');
  assert.equal(await page.locator('main form').count(), 0);
  await page.goto(`${env.url}/#/audits`);
  await page.waitForSelector('[data-testid="audits"] tbody tr');
  assert.equal(await page.locator('[data-testid="create"]').count(), 0, 'a reviewer starts no project');
  await done(page);

  for (const user of ['auditor', 'chief']) {
    const p2 = await openPage(env);
    await login(p2, env, user);
    p2.expectStatus(404, `/api/v1/audits/${pid}`);
    await p2.goto(`${env.url}/#/audits/${pid}`);
    await p2.waitForSelector('h1:text("未找到或无权查看")');
    p2.expectStatus(404, `/api/v1/findings/${findings[1]}`);
    await p2.goto(`${env.url}/#/findings/${findings[1]}`);
    await p2.waitForSelector('h1:text("未找到或无权查看")');
    await p2.goto(`${env.url}/#/audits`);
    await p2.waitForSelector('[data-testid="total"]');
    assert.equal(await p2.locator(`[data-testid="audits"] tr[data-audit="${pid}"]`).count(), 0, user);
    // Its own form offers a self-check of its unit (or group) only.
    const me = (await apiGet(p2, '/me')).user;
    await p2.click('[data-testid="create"] summary');
    assert.deepEqual(await p2.$$eval('[data-testid="create-audit"] select[name="kind"] option', (o) => o.map((x) => x.value)), ['self_check']);
    const offered = await p2.$$eval('[data-testid="create-audit"] select[name="unit_code"] option', (o) => o.map((x) => x.value));
    assert.ok(offered.includes(me.unit_code) && !offered.includes(AUDITED), offered.join());
    if (user === 'auditor') assert.deepEqual(offered, [me.unit_code]);
    await done(p2);
  }
});

// ---- issue 13 (usecase): the advance button is the stage action GET /audits/{id} offers ----
test('the advance button follows the stage table the server serves', async () => {
  const page = await openPage(env);
  await login(page, env, 'admin');
  const audits = (await apiGet(page, '/audits?per_page=100')).items;
  const live = audits.find((a) => a.stage !== 'closed');
  const closed = audits.find((a) => a.stage === 'closed');
  for (const a of [live, closed].filter(Boolean)) {
    const p = await apiGet(page, `/audits/${a.id}`);
    const acts = p.actions.map((x) => x.action + '>' + x.next);
    assert.deepEqual(acts, a.stage === 'closed' ? [] : [`advance>${{ pre: 'field', field: 'report', report: 'rectify', rectify: 'closed' }[a.stage]}`]);
    await page.goto(`${env.url}/#/audits/${a.id}`);
    await page.waitForSelector('h1');
    await page.waitForLoadState('networkidle');
    assert.equal(await page.locator('[data-testid="advance"]').count(), acts.length);
  }
  await done(page);
});
