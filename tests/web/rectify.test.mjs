// The rectification ledger (整改台账) in a real chromium against the real server on a fresh demo
// district: the demo's cross audit on the ledger page with its marks and export; a cross audit of
// another pilot unit walked from rectification to closure by the people who do it (the audited
// unit's auditor reports measures, progress and claims with files; the team lead sends a claim back,
// moves a deadline, closes and turns an item continuous; the 对账销号单 and the ledger export are
// real XLSX files; the follow-up and the step to 已结项); and overdue escalation seen by the unit's
// principal leader and its supervisor on a second server whose clock (AUDITGRID_NOW) is past the
// deadline, and not by the leader of another unit.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { startAll, openPage, login, done, shot, apiGet, apiPost, AG, SRC, PW, AUDITOR_UNIT } from './lib.mjs';

const XLSX_MIME = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const DEMO_CODE = 'NK-JCHS-2026-01';

let env;
before(async () => { env = await startAll(); });
after(async () => { if (env) await env.stop(); });

// What an XLSX file says (sheet names, shared and inline strings), read by tests/cli/xlsx_text.mjs.
function xlsxText(file) {
  return execFileSync(process.execPath, [path.join(SRC, 'tests/cli/xlsx_text.mjs'), file], { encoding: 'utf8' });
}

// Clicks a download link; the file saved in the scratch dir, its bytes, and the Content-Type the
// server sends for the same URL (fetched by the page with the user's session).
async function download(page, selector, name) {
  const [dl] = await Promise.all([page.waitForEvent('download'), page.click(selector)]);
  const file = path.join(env.dir, name);
  await dl.saveAs(file);
  const href = await page.getAttribute(selector, 'href');
  const type = await page.evaluate(async (u) => (await fetch(u)).headers.get('content-type'), href);
  return { file, bytes: readFileSync(file), type, suggested: dl.suggestedFilename() };
}

// Signs in and waits for the landing dashboard to be drawn in full, so that it cannot replace the
// next page the test opens (a page renders when its data arrives).
async function signIn(page, e, who) {
  await login(page, e, who);
  await page.waitForSelector('.kpi[data-kpi="rect-overdue"] b');
}
async function waitState(page, s) {
  await page.waitForSelector(`[data-testid="state"] [data-state="${s}"]`);
}
async function openItem(page, id) {
  await page.goto(`${env.url}/#/rectifications/${id}`);
  await page.waitForSelector('[data-testid="rect"]');
}
const textFile = (name, text) => ({ name, mimeType: 'text/plain', buffer: Buffer.from(text, 'utf8') });
const pdfFile = (name) => ({ name, mimeType: 'application/pdf',
  buffer: Buffer.from('%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n', 'latin1') });

test('the demo cross audit on the ledger: states, 逾期N天, 屡审屡犯, filters in the URL, the export link', async () => {
  const page = await openPage(env);
  await signIn(page, env, 'admin');
  // The dashboard shows the rectification figures of GET /dashboard, and marks the late unit's tile.
  await page.waitForSelector('.kpi[data-kpi="rect-overdue"] b');
  const d = await apiGet(page, '/dashboard');
  assert.equal(await page.textContent('.kpi[data-kpi="rect-open"] b'), String(d.rectification.not_closed));
  assert.equal(await page.textContent('.kpi[data-kpi="rect-overdue"] b'), String(d.rectification.overdue));
  assert.equal(d.rectification.overdue, (await apiGet(page, '/rectifications?state=overdue&per_page=1')).total);
  assert.equal(await page.getAttribute(`a.tile[data-unit="${AUDITOR_UNIT}"] .badge.rect`, 'data-rect-overdue'), '1');
  assert.equal(await page.locator('a.tile .badge.rect').count(), d.rectification.by_unit.filter((u) => u.overdue).length);
  await page.waitForFunction(() => window.echarts && document.querySelector('#chart-cells canvas'));
  await page.screenshot({ path: shot(env, 'dashboard.png') });

  const demo = (await apiGet(page, '/audits?per_page=500')).items.find((p) => p.code === DEMO_CODE);
  const items = (await apiGet(page, `/rectifications?project=${demo.id}`)).items;
  await page.click('nav a[href="#/rectifications"]');
  await page.waitForSelector('[data-testid="rects"]');
  await page.selectOption('select[name="project"]', String(demo.id));
  await page.click('form.filters button[type="submit"]');
  await page.waitForURL((u) => u.hash === `#/rectifications?project=${demo.id}`);
  await page.waitForSelector(`[data-testid="total"][data-total="${items.length}"]`);
  assert.equal(items.length, 4);
  const rows = await page.$$eval('[data-testid="rects"] tbody tr', (trs) => trs.map((tr) => ({
    id: Number(tr.dataset.rect),
    state: tr.querySelector('[data-state]').dataset.state,
    stateText: tr.querySelector('[data-state]').textContent,
    overdue: tr.querySelector('[data-overdue]')?.textContent ?? null,
    repeat: !!tr.querySelector('.badge.repeat'),
    amount: tr.querySelector('[data-col="amount"]').textContent,
    notice: tr.querySelector('[data-col="notice"]').textContent,
  })));
  assert.deepEqual(rows.map((r) => r.id), items.map((r) => r.id), 'the rows of the API, by deadline');
  const zh = { open: '未整改', in_progress: '整改中', claimed: '已整改', continuous: '持续整改', closed: '已销号' };
  for (const [i, r] of rows.entries()) {
    const it = items[i];
    assert.equal(r.state, it.state);
    assert.equal(r.stateText, zh[it.state]);
    assert.equal(r.overdue, it.overdue ? `逾期${it.days_overdue}天` : null);
    assert.equal(r.repeat, it.repeat);
    assert.equal(r.amount.replaceAll(',', ''), it.amount, 'amount in yuan, grouped by thousands');
    assert.equal(r.notice, '南审通〔2026〕5号');
  }
  assert.deepEqual(rows.map((r) => r.state).sort(), ['claimed', 'closed', 'in_progress', 'open']);
  const late = rows.filter((r) => r.overdue);
  assert.equal(late.length, 1, 'one overdue item');
  assert.equal(late[0].state, 'open');
  assert.ok(items.find((r) => r.overdue).days_overdue > 0);
  const rep = rows.filter((r) => r.repeat);
  assert.equal(rep.length, 1, 'one 屡审屡犯');
  assert.equal(rep[0].state, 'in_progress');
  assert.equal(await page.getAttribute('[data-testid="export"]', 'href'), `/api/v1/rectifications/export.xlsx?project=${demo.id}`);
  await page.screenshot({ path: shot(env, 'rectifications.png') });

  // 逾期 as a state filter, from the form, kept through a reload; the export follows the filters.
  await page.selectOption('select[name="state"]', 'overdue');
  await page.click('form.filters button[type="submit"]');
  await page.waitForURL((u) => u.hash === `#/rectifications?project=${demo.id}&state=overdue`);
  await page.waitForSelector('[data-testid="total"][data-total="1"]');
  await page.reload();
  await page.waitForSelector('[data-testid="total"][data-total="1"]');
  assert.equal(await page.inputValue('select[name="state"]'), 'overdue');
  assert.equal(await page.getAttribute('[data-testid="export"]', 'href'),
    `/api/v1/rectifications/export.xlsx?project=${demo.id}&state=overdue`);
  const x = await download(page, '[data-testid="export"]', 'overdue.xlsx');
  assert.equal(x.type, XLSX_MIME);
  assert.equal(x.bytes.subarray(0, 2).toString('latin1'), 'PK');
  const text = xlsxText(x.file);
  assert.match(text, /sheet: 整改台账/);
  assert.ok(text.includes(items.find((r) => r.overdue).title), 'the overdue item is in the export');
  assert.ok(!text.includes(items.find((r) => r.repeat).title), 'and only it');
  // The repeat item's page links its earlier finding; the English page too.
  await openItem(page, rep[0].id);
  assert.match(await page.textContent('h1'), /屡审屡犯/);
  assert.ok(await page.locator('[data-testid="rect"] a[href^="#/findings/"]').count() >= 2);
  await page.click('#lang');
  await page.waitForSelector('h1:text("Rectification item")');
  assert.match(await page.textContent('[data-testid="state"]'), /in progress/);
  await page.click('#lang');
  await page.waitForSelector('h1:text("整改事项")');
  // The school's unit page lists its audits and the items not yet closed.
  await page.goto(`${env.url}/#/units/${AUDITOR_UNIT}`);
  await page.waitForSelector('[data-testid="unit-audits"]');
  assert.ok(await page.locator(`[data-testid="unit-projects"] tr[data-project="${demo.id}"]`).count() === 1);
  const open = items.filter((r) => r.state !== 'closed').map((r) => r.id).sort();
  const shown = (await page.$$eval('[data-testid="unit-audits"] [data-testid="rects"] tbody tr', (trs) => trs.map((tr) => Number(tr.dataset.rect)))).sort();
  assert.deepEqual(shown, open);
  await done(page);
});

/* ---- a cross audit of another pilot unit, walked to closure ------------------------------------- */

const w = {}; // the walk: units, persons, projects, items

// Through the API as admin: accounts for the audited unit's leader and auditor and for a lead from
// another pilot unit (each linked to its person), and two cross audits of the unit up to 审后·整改:
// P1 with an immediate and a phased finding, P2 with one immediate finding left open (overdue later).
async function setUp() {
  const page = await openPage(env);
  await signIn(page, env, 'admin');
  const demoTeams = [];
  // issue 14 §1 (xaudit): the demo's 2026 cross-audit round covers every pilot unit; it is left aside
  const notRound = (p) => !p.name.startsWith('2026年交叉互审：');
  for (const p of (await apiGet(page, '/audits?per_page=500')).items.filter(notRound))
    for (const m of (await apiGet(page, `/audits/${p.id}`)).team) demoTeams.push(m.from_unit);
  const pilots = (await apiGet(page, '/units?pilot=true&per_page=500')).items.filter((u) => u.principal && u.auditors.length);
  for (const u of pilots.filter((x) => x.cell_id === 'D01' && x.code !== AUDITOR_UNIT))
    if ((await apiGet(page, `/audits?unit=${u.code}&per_page=100`)).items.filter(notRound).length === 0) { w.unit = u; break; }
  w.leadUnit = pilots.find((u) => u.cell_id !== 'D01' && u.code !== AUDITOR_UNIT && !demoTeams.includes(u.code));
  assert.ok(w.unit && w.leadUnit, 'a pilot unit of D01 without an audit, and a lead from another cell');
  w.lead = w.leadUnit.auditors[0];
  const users = [['r7lead', 'auditor', w.leadUnit.code, w.lead], ['r7leader', 'leader', w.unit.code, w.unit.principal],
    ['r7auditor', 'auditor', w.unit.code, w.unit.auditors[0]]];
  for (const [username, role, unit_code, p] of users)
    await apiPost(page, '/users', { username, role, unit_code, person_id: p.id, display_name: p.name, password: PW });

  const record = (id, kind, title, doc_no) => apiPost(page, `/audits/${id}/records`, { kind, title, ...(doc_no ? { doc_no } : {}) });
  const audit = async (code, notice, items, findings) => {
    const p = await apiPost(page, '/audits', { code, name: `2026年试点单位资金安全交叉互审（${code}）`, kind: 'cross',
      unit_code: w.unit.code, period_from: '2025-01-01', period_to: '2025-12-31', items });
    await apiPost(page, `/audits/${p.id}/team`, { person_id: w.lead.id, role: 'lead' });
    await record(p.id, 'plan', '审计实施方案');
    await record(p.id, 'plan_approval', '关于审计实施方案的批复');
    await record(p.id, 'notice', '审计通知书', notice);
    await record(p.id, 'survey', '审前调查记录');
    await apiPost(page, `/audits/${p.id}/advance`, {});
    for (const f of findings) await apiPost(page, `/audits/${p.id}/findings`, f);
    await record(p.id, 'working_paper', '审计工作底稿');
    await apiPost(page, `/audits/${p.id}/advance`, {});
    await record(p.id, 'draft_report', '审计报告（征求意见稿）');
    await record(p.id, 'response', '被审计单位书面意见');
    await record(p.id, 'final_report', '审计报告');
    const done_ = await apiPost(page, `/audits/${p.id}/advance`, {});
    assert.equal(done_.stage, 'rectify');
    return p.id;
  };
  w.p1 = await audit('NK-JCHS-2026-07', '南审通〔2026〕27号', ['F03', 'K2'], [
    { item: 'F03', title: '食堂设备采购款未经集体决策支付', description: '2025年6月支付食堂设备采购款268,000.00元，无领导班子集体研究记录。',
      severity: 'high', amount: '268000.00', basis: '《行政事业单位内部控制规范（试行）》第十四条', rect_class: 'immediate',
      responsible: w.unit.principal.name, responsible_person_id: w.unit.principal.id },
    { item: 'K2', title: '课后服务经费结余未按规定清理', description: '课后服务经费结余86,500.00元挂账未清理。',
      severity: 'medium', amount: '86500.00', basis: '《中华人民共和国预算法》第五十七条', rect_class: 'phased' }]);
  w.p2 = await audit('NK-JCHS-2026-08', '南审通〔2026〕28号', ['F07'], [
    { item: 'F07', title: '其他应收款长期挂账未清理', description: '三年以上其他应收款5笔合计42,300.00元未清理。',
      severity: 'medium', amount: '42300.00', basis: '《政府会计制度》“1218 其他应收款”科目使用说明', rect_class: 'immediate' }]);
  const rects = (await apiGet(page, `/rectifications?project=${w.p1}`)).items;
  w.f03 = rects.find((r) => r.item === 'F03');
  w.k2 = rects.find((r) => r.item === 'K2');
  w.f07 = (await apiGet(page, `/rectifications?project=${w.p2}`)).items[0];
  assert.equal(w.f03.state, 'open');
  assert.equal(w.f07.state, 'open');
  await done(page);
}

test('the audited unit reports and claims; the lead sends back, closes; certificate and export; the project closes', async (t) => {
  await setUp();
  // The unit's auditor: measures, progress with a file, a claim with a file. No verification form.
  let page = await openPage(env);
  await signIn(page, env, 'r7auditor');
  await page.click('nav a[href="#/rectifications"]');
  await page.waitForSelector(`[data-testid="rects"] tr[data-rect="${w.f03.id}"]`);
  assert.equal(await page.locator('[data-testid="rects"] tbody tr').count(), 3, 'the unit sees its own items only');
  await page.click(`[data-testid="rects"] tr[data-rect="${w.f03.id}"] a[href="#/rectifications/${w.f03.id}"]`);
  await page.waitForSelector('[data-testid="unit-side"]');
  assert.equal(await page.locator('[data-testid="verify"]').count(), 0);
  assert.equal(await page.locator('[data-testid="deadline"]').count(), 0);
  assert.equal(await page.getAttribute('[data-testid="finding-link"]', 'href'), `#/findings/${w.f03.finding_id}`);
  // An empty text is caught before anything is sent.
  await page.click('form[data-form="measures"] button[type="submit"]');
  await page.waitForSelector('[data-testid="rect-msg"].error');
  await page.fill('textarea[name="measures"]', '修订《资金支付审批办法》，30万元以下大额支出亦须班子集体研究；补充审议该笔采购。');
  await page.click('form[data-form="measures"] button[type="submit"]');
  await page.waitForSelector('[data-testid="rect-msg"]:text("已保存")');
  assert.match(await page.textContent('[data-testid="measures"]'), /修订《资金支付审批办法》/);
  await page.fill('textarea[name="progress_text"]', '已召开校务会补充审议，制度修订稿已印发征求意见。');
  await page.setInputFiles('input[name="progress_files"]', textFile('校务会纪要.txt', '校务会纪要：补充审议食堂设备采购事项。'));
  await page.click('form[data-form="progress"] button[type="submit"]');
  await page.waitForSelector('li[data-event="progress"] a[data-attachment]');
  await waitState(page, 'in_progress');
  const note = await download(page, 'li[data-event="progress"] a[data-attachment]', 'note.txt');
  assert.equal(note.bytes.toString('utf8'), '校务会纪要：补充审议食堂设备采购事项。');
  assert.equal(note.suggested, '校务会纪要.txt');
  await page.fill('textarea[name="result"]', '制度已修订印发，该笔采购经班子会补充审议通过。');
  await page.setInputFiles('input[name="claim_files"]', pdfFile('整改报告.pdf'));
  await page.click('form[data-form="claim"] button[type="submit"]');
  await waitState(page, 'claimed');
  await page.waitForSelector('[data-testid="awaiting"]');
  assert.equal(await page.locator('[data-testid="verify"]').count(), 0, 'the unit cannot verify its own claim');
  assert.equal(await page.locator('li[data-event="claim"] a[data-attachment]').textContent(), '整改报告.pdf');
  await done(page);

  // The lead: no unit forms; the verification form; reopening needs a note.
  page = await openPage(env);
  await signIn(page, env, 'r7lead');
  await openItem(page, w.f03.id);
  await page.waitForSelector('[data-testid="verify"]');
  assert.equal(await page.locator('[data-testid="unit-side"]').count(), 0);
  assert.equal(await page.locator('button[data-decision="continuous"]').count(), 0, 'an immediate item cannot turn continuous');
  await page.screenshot({ path: shot(env, 'rectification.png') });
  await page.click('button[data-decision="reopen"]');
  await page.waitForSelector('[data-testid="rect-msg"]:text("退回或转为持续整改须填写核实说明")');
  await page.fill('textarea[name="verify_note"]', '整改报告未附班子会会议纪要，请补充后重新申请。');
  await page.click('button[data-decision="reopen"]');
  await waitState(page, 'in_progress');
  await page.waitForSelector('li[data-event="reopen"]');
  // The deadline: a date before today is refused by the server, in Chinese; a later one is taken.
  page.expectStatus(422, `/rectifications/${w.f03.id}/deadline`);
  await page.fill('input[name="deadline"]', '2020-01-01');
  await page.fill('textarea[name="deadline_reason"]', '测试');
  await page.click('form[data-form="deadline"] button[type="submit"]');
  await page.waitForSelector('[data-testid="rect-msg"].error');
  assert.match(await page.textContent('[data-testid="rect-msg"]'), /早于今天/);
  const later = new Date(Date.parse(w.f03.deadline) + 15 * 86400e3).toISOString().slice(0, 10);
  await page.fill('input[name="deadline"]', later);
  await page.fill('textarea[name="deadline_reason"]', '补充会议纪要需待下次班子会');
  await page.click('form[data-form="deadline"] button[type="submit"]');
  await page.waitForSelector('li[data-event="deadline"]');
  assert.match(await page.textContent('[data-testid="deadline-value"]'), new RegExp(later));
  await done(page);

  // The unit claims again (the earlier files count) and claims the phased item with a file.
  page = await openPage(env);
  await signIn(page, env, 'r7auditor');
  await openItem(page, w.f03.id);
  await page.fill('textarea[name="result"]', '已补充班子会会议纪要，制度已修订印发。');
  await page.click('form[data-form="claim"] button[type="submit"]');
  await waitState(page, 'claimed');
  await openItem(page, w.k2.id);
  await page.fill('textarea[name="result"]', '结余资金已上缴12,000.00元，其余按新学期课后服务方案分期使用。');
  await page.setInputFiles('input[name="claim_files"]', textFile('结余资金清理情况.txt', '结余资金清理情况说明'));
  await page.click('form[data-form="claim"] button[type="submit"]');
  await waitState(page, 'claimed');
  await done(page);

  // The lead closes the first (销号) and turns the phased one continuous (with a note).
  page = await openPage(env);
  await signIn(page, env, 'r7lead');
  await openItem(page, w.f03.id);
  await page.click('button[data-decision="close"]');
  await waitState(page, 'closed');
  await page.waitForSelector('li[data-event="close"]');
  assert.equal(await page.locator('[data-testid="verify"], [data-testid="deadline"]').count(), 0);
  const cert = await download(page, '[data-testid="certificate"]', 'certificate.xlsx');
  assert.equal(cert.type, XLSX_MIME);
  assert.equal(cert.bytes.subarray(0, 4).toString('hex'), '504b0304', 'a zip (PK) file');
  const ct = xlsxText(cert.file);
  assert.ok(ct.includes('对账销号单'), 'the certificate names itself');
  assert.ok(ct.includes(w.unit.name), 'and the unit');
  assert.ok(ct.includes('食堂设备采购款未经集体决策支付'), 'and the problem');
  await openItem(page, w.k2.id);
  await page.click('button[data-decision="continuous"]');
  await page.waitForSelector('[data-testid="rect-msg"]:text("退回或转为持续整改须填写核实说明")');
  await page.fill('textarea[name="verify_note"]', '结余资金需随新学期分期使用，转为持续整改，按季度报送进展。');
  await page.click('button[data-decision="continuous"]');
  await waitState(page, 'continuous');
  assert.equal(await page.locator('[data-testid="certificate"]').count(), 0, 'no certificate before 销号');
  // The ledger export of the project holds both items.
  await page.goto(`${env.url}/#/rectifications?project=${w.p1}`);
  await page.waitForSelector('[data-testid="total"][data-total="2"]');
  const ledger = await download(page, '[data-testid="export"]', 'ledger.xlsx');
  assert.equal(ledger.type, XLSX_MIME);
  assert.equal(ledger.bytes.subarray(0, 2).toString('latin1'), 'PK');
  const lt = xlsxText(ledger.file);
  for (const s of ['整改台账', '南审通〔2026〕27号', w.unit.name, '食堂设备采购款未经集体决策支付', '课后服务经费结余未按规定清理', '已销号', '持续整改'])
    assert.ok(lt.includes(s), `the export has ${s}`);

  // The follow-up record and the step to 已结项.
  w.closedVia = existsSync(path.join(SRC, 'web/js/pages/audit.js')) ? 'page' : 'api';
  if (w.closedVia === 'page') {
    await page.goto(`${env.url}/#/audits/${w.p1}`);
    await page.waitForSelector('[data-testid="record-form"]');
    await page.selectOption('[data-testid="record-form"] select[name="kind"]', 'followup');
    await page.fill('[data-testid="record-form"] input[name="title"]', '整改跟踪检查记录');
    await page.click('[data-testid="record-form"] button[type="submit"]');
    await page.waitForSelector('[data-testid="records"] tr[data-kind="followup"]');
    await page.click('[data-testid="advance"]');
    await page.waitForSelector('[data-testid="stages"][data-stage="closed"]');
  } else {
    await apiPost(page, `/audits/${w.p1}/records`, { kind: 'followup', title: '整改跟踪检查记录' });
    await apiPost(page, `/audits/${w.p1}/advance`, {});
  }
  assert.equal((await apiGet(page, `/audits/${w.p1}`)).stage, 'closed');
  t.diagnostic(`the follow-up was filed and the project closed through ${w.closedVia === 'page' ? 'the audit page' : 'the API'}`);
  await done(page);

  // After closing, the unit's page shows the continuous item still open, no form is offered.
  page = await openPage(env);
  await signIn(page, env, 'r7auditor');
  await page.goto(`${env.url}/#/units/${w.unit.code}`);
  await page.waitForSelector('[data-testid="unit-audits"]');
  assert.equal(await page.locator(`[data-testid="unit-projects"] tr[data-project="${w.p1}"] td`).nth(3).textContent(), '已结项');
  const open = await page.$$eval('[data-testid="unit-audits"] [data-testid="rects"] tbody tr', (trs) => trs.map((tr) => Number(tr.dataset.rect)));
  assert.deepEqual(open.sort(), [w.k2.id, w.f07.id].sort());
  await openItem(page, w.k2.id);
  assert.equal(await page.locator('[data-testid="unit-side"], [data-testid="verify"]').count(), 0);
  await page.waitForSelector('[data-testid="not-live"]');
  await done(page);
});

// A second server on the same database, its clock at `now` (AUDITGRID_NOW); it escalates at start.
async function serverAt(now) {
  const srv = spawn(AG, ['--db', env.db, 'serve', '--listen', '127.0.0.1:0', '--web', path.join(SRC, 'web')],
    { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, AUDITGRID_NOW: now } });
  let err = '';
  srv.stderr.on('data', (d) => { err = (err + d).slice(-20000); });
  const url = await new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error('the second server did not start: ' + err)), 30000);
    srv.stdout.on('data', (d) => {
      out += d;
      const m = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
      if (m) { clearTimeout(timer); resolve(m[1]); }
    });
    srv.on('exit', (c) => reject(new Error(`the second server exited (${c}): ${err}`)));
  });
  return { ...env, url, async stop() { srv.kill('SIGTERM'); await new Promise((r) => (srv.exitCode !== null ? r() : srv.on('exit', r))); } };
}

test('overdue escalation on a controllable clock: the leader and the supervisor are told, another leader is not', async () => {
  assert.ok(w.f07, 'the walk above set up P2');
  const day = new Date(Date.parse(w.f07.deadline) + 3 * 86400e3).toISOString().slice(0, 10);
  const env2 = await serverAt(day);
  try {
    for (const who of ['r7leader', 'supervisor']) {
      const page = await openPage(env2);
      await signIn(page, env2, who);
      // The header's link carries the unread count as a badge.
      const badge = page.locator('nav a[href="#/notifications"] [data-testid="unread-badge"]');
      await badge.waitFor();
      const unread = (await apiGet(page, '/notifications?unread=1&limit=1')).unread;
      assert.equal(await badge.textContent(), String(unread));
      await page.click('nav a[href="#/notifications"]');
      await page.waitForSelector('[data-testid="notifications"], [data-testid="no-notifications"]');
      const notice = page.locator(`li[data-rect="${w.f07.id}"]`);
      assert.equal(await notice.count(), 1, `${who} has the notice`);
      const text = await notice.textContent();
      assert.ok(text.includes(w.unit.name) && text.includes('其他应收款长期挂账未清理') && text.includes('逾期 3 天'), text);
      assert.match(text, who === 'supervisor' ? /致主管部门/ : /致主要负责人/);
      assert.equal(await notice.getAttribute('data-read'), '0', 'unread, emphasised');
      assert.equal(await page.getAttribute('[data-testid="unread"]', 'data-unread'), String(unread));
      assert.match(await page.title(), new RegExp(`^提醒 \\(${unread}\\) · `), "the unread count in the title of its own");
      if (who === 'r7leader') {
        // Marked read from the keyboard, the count drops by one (the demo's other notices of the
        // unit, e.g. an overdue guidance opinion, stay unread) and the notice stays listed, as
        // read, also when the page is drawn afresh.
        assert.ok(unread >= 1, 'the leader has this notice unread');
        const rest = unread - 1;
        await notice.locator('button[data-testid="mark-read"]').focus();
        await page.keyboard.press('Enter');
        await page.waitForSelector(`li[data-rect="${w.f07.id}"][data-read="1"] [data-testid="read-at"]`);
        if (rest === 0) await badge.waitFor({ state: 'detached' });
        else await page.waitForFunction((n) => document.querySelector('nav a[href="#/notifications"] [data-testid="unread-badge"]')?.textContent === n, String(rest));
        assert.equal(await page.getAttribute('[data-testid="unread"]', 'data-unread'), String(rest));
        assert.equal(await notice.locator('button[data-testid="mark-read"]').count(), 0);
        await page.reload();
        await page.waitForSelector(`li[data-rect="${w.f07.id}"][data-read="1"]`);
        await page.waitForLoadState('networkidle');
        assert.equal(await page.locator('[data-testid="unread-badge"]').count(), rest ? 1 : 0);
        assert.equal((await apiGet(page, '/notifications?unread=1&limit=1')).unread, rest);
      }
      await notice.locator('a[data-testid="open-item"]').click();
      await page.waitForSelector('[data-testid="rect"]');
      assert.match(await page.textContent('h1'), /逾期3天/);
      await page.waitForSelector('li[data-event="escalate"]');
      // The dashboard counts it among the overdue items, and marks the unit's tile.
      await page.click('nav a[href="#/dashboard"]');
      await page.waitForSelector('.kpi[data-kpi="rect-overdue"] b');
      const d = await apiGet(page, '/dashboard');
      assert.equal(await page.textContent('.kpi[data-kpi="rect-overdue"] b'), String(d.rectification.overdue));
      assert.equal(d.rectification.overdue, (await apiGet(page, '/rectifications?state=overdue&per_page=1')).total);
      assert.equal(await page.getAttribute(`a.tile[data-unit="${w.unit.code}"] .badge.rect`, 'data-rect-overdue'), '1');
      if (who === 'r7leader') assert.equal(d.rectification.overdue, 1, 'the unit has this one overdue item');
      else assert.ok(d.rectification.overdue >= 2, 'the cell has the demo school\'s too');
      await done(page);
    }
    // The leader of another unit (the demo school) is not told about it.
    const page = await openPage(env2);
    await signIn(page, env2, 'leader');
    await page.goto(`${env2.url}/#/notifications`);
    await page.waitForSelector('[data-testid="total"]');
    assert.equal(await page.locator(`li[data-rect="${w.f07.id}"]`).count(), 0);
    assert.ok(await page.locator('li[data-notification]').count() >= 1, 'it sees its own unit\'s notice');
    await page.goto(`${env2.url}/#/dashboard`);
    await page.waitForSelector('.kpi[data-kpi="rect-overdue"] b');
    assert.equal(await page.locator(`a.tile[data-unit="${w.unit.code}"]`).count(), 0);
    await done(page);
  } finally { await env2.stop(); }
});

// ---- issue 13 (usecase): the page draws the forms the server's transition table offers ----
test('the forms on an item are the actions GET /rectifications/{id} offers the user', async () => {
  const page = await openPage(env);
  await login(page, env, 'admin');
  const list = await apiGet(page, '/rectifications?state=claimed&per_page=1');
  const open = await apiGet(page, '/rectifications?state=open&per_page=1');
  for (const it of [list.items[0], open.items[0]].filter(Boolean)) {
    const r = await apiGet(page, `/rectifications/${it.id}`);
    assert.ok(Array.isArray(r.actions), 'the item carries its actions');
    const acts = r.actions.map((a) => a.action);
    for (const a of r.actions) assert.ok(a.label && a.next, `action ${a.action} has its label and next state`);
    await page.goto(`${env.url}/#/rectifications/${it.id}`);
    await page.waitForLoadState('networkidle');
    await page.waitForSelector('[data-testid="rect-msg"]', { state: 'attached' });
    for (const [form, action] of [['measures', 'measures'], ['progress', 'progress'], ['claim', 'claim'], ['deadline', 'deadline']])
      assert.equal(await page.locator(`form[data-form="${form}"]`).count(), acts.includes(action) ? 1 : 0, `${form} form for ${acts}`);
    assert.equal(await page.locator('[data-decision]').count(), acts.filter((a) => ['close', 'reopen', 'continuous'].includes(a)).length);
  }
  const reviewer = await openPage(env);
  await login(reviewer, env, 'reviewer');
  const any = (await apiGet(reviewer, '/rectifications?per_page=1')).items[0];
  assert.deepEqual((await apiGet(reviewer, `/rectifications/${any.id}`)).actions, [], 'a reviewer reads only');
  await done(reviewer);
  await done(page);
});
