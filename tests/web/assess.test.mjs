// The internal-audit performance assessment (内审工作绩效考核, issue 15 §2) in a real chromium
// against the real server on a fresh demo district: the 2025 ranking of the 30 pilot units (ranks
// that follow the totals, equal totals sharing a rank, names not codes, states in Chinese, nothing
// raw), the cell filter and its ranks within the cell, the XLSX of the year; then the 2026 chain on
// the leader's own unit (第二中学): the leader fills an entered item with its basis and an evidence
// file and submits; the department's supervisor adjusts a score (refused in Chinese without a
// reason, accepted with one); the bureau gives the final score; the history shows every change by
// name, in Beijing time, with its stage in Chinese; and the pages at phone width.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { startAll, openPage, login, done, apiGet, apiPost, sql, SRC, AUDITOR_UNIT, rawTextProblems, titleProblems, phoneScrollProblems } from './lib.mjs';

const XLSX_MIME = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const STATE_ZH = { none: '未自评', self: '已自评', dept: '主管部门已复核', bureau: '审计局已终审', published: '已发布' };
const PHONE = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true };

let env;
before(async () => { env = await startAll(); });
after(async () => { if (env) await env.stop(); });

function xlsxText(file) {
  return execFileSync(process.execPath, [path.join(SRC, 'tests/cli/xlsx_text.mjs'), file], { encoding: 'utf8' });
}
const fmt = (x) => String(Math.round(Number(x) * 100) / 100).replace(/^-/, '−');
// The rank each total should have: one more than the number of greater totals (1, 1, 3).
const ranksOf = (totals) => totals.map((x) => 1 + totals.filter((y) => y > x + 1e-9).length);

// The ranking table's rows as the page shows them.
const tableRows = (page) => page.$$eval('[data-testid="as-ranking"] tbody tr', (trs) => trs.map((r) => ({
  unit: r.dataset.unit, state: r.dataset.state,
  rankDistrict: r.querySelector('[data-col="rank_district"]').textContent.trim(),
  rankCell: r.querySelector('[data-col="rank_cell"]').textContent.trim(),
  name: r.querySelector('[data-col="unit"] a').textContent.trim(),
  cell: r.querySelector('[data-col="cell"]').textContent.trim(),
  total: r.querySelector('[data-col="total"]').textContent.trim(),
  stateText: r.querySelector('[data-col="state"]').textContent.trim(),
  groups: Object.fromEntries([...r.querySelectorAll('[data-group]')].map((td) => [td.dataset.group, td.textContent.trim()])),
})));

async function openRanking(page, year, cell) {
  await page.goto(`${env.url}/#/assess?year=${year}${cell ? '&cell=' + cell : ''}`);
  await page.waitForSelector('[data-testid="as-ranking"] tbody tr');
}
async function openUnit(page, year, code) {
  await page.goto(`${env.url}/#/assess/${year}/${code}`);
  await page.waitForSelector('[data-testid="as-items"]');
}

test('the 2025 ranking: 30 pilot units, ranks follow the totals, ties share a rank, names and states in Chinese', async () => {
  const page = await openPage(env);
  await login(page, env, 'admin');
  await page.click('nav a[href="#/assess"]');
  await page.waitForSelector('[data-testid="as-filters"]');
  await page.selectOption('[data-testid="as-year"]', '2025');
  await page.waitForURL((u) => u.hash === '#/assess?year=2025');
  await page.waitForSelector('[data-testid="as-ranking"] tbody tr');
  const year = await apiGet(page, '/assess/years/2025');
  const rubric = await apiGet(page, '/assess/rubric');
  assert.equal(year.items.length, 30, 'the 30 pilot units');
  assert.equal(year.published, true, 'the demo published 2025');
  const rows = await tableRows(page);
  assert.deepEqual(rows.map((r) => r.unit), year.items.map((u) => u.unit), 'the server\'s order (by rank)');
  // The ranks shown follow the totals shown: computed here from the totals, not read from the server.
  const totals = year.items.map((u) => Number(u.total));
  assert.deepEqual(rows.map((r) => Number(r.rankDistrict)), ranksOf(totals));
  assert.deepEqual(rows.map((r) => r.total), totals.map(fmt));
  for (let i = 1; i < totals.length; i++) assert.ok(totals[i] <= totals[i - 1] + 1e-9, 'sorted by total');
  // Every pair of equal totals shares its rank; a unit after a tie skips the tied places.
  for (let i = 1; i < rows.length; i++)
    if (Math.abs(totals[i] - totals[i - 1]) < 1e-9) assert.equal(rows[i].rankDistrict, rows[i - 1].rankDistrict, `tie at ${i}`);
    else assert.equal(Number(rows[i].rankDistrict), i + 1, `after a tie the rank is the place (${i + 1})`);
  // The total is the sum of the items; each indicator (组织建设 20 …) is the sum of its items of its max.
  for (const u of year.items) {
    const sum = u.items.reduce((a, it) => a + Number(it.score), 0);
    assert.ok(Math.abs(sum - Number(u.total)) < 1e-6, `${u.unit}: total = sum of items`);
    const row = rows.find((r) => r.unit === u.unit);
    for (const g of rubric.groups) {
      const v = u.items.filter((it) => it.group === g.code).reduce((a, it) => a + Number(it.score), 0);
      assert.equal(row.groups[g.code], g.kind === 'penalty' ? fmt(v) : `${fmt(v)} / ${fmt(g.max)}`, `${u.unit} ${g.name_zh}`);
    }
    assert.equal(row.name, u.unit_name, 'the unit by name');
    assert.notEqual(row.name, u.unit);
    assert.equal(row.cell, u.cell_name);
    assert.equal(row.stateText, STATE_ZH[u.state]);
    assert.equal(u.state, 'published');
  }
  // Every indicator's Chinese name heads its column.
  const heads = await page.$$eval('[data-testid="as-ranking"] thead th', (ths) => ths.map((th) => th.textContent));
  assert.ok(rubric.groups.length >= 7, 'five indicators, the bonus and the penalty');
  for (const g of rubric.groups) assert.ok(heads.some((x) => x.startsWith(g.name_zh)), `a column for ${g.name_zh}`);
  assert.deepEqual(heads.slice(0, 4), ['区排名', '网格内排名', '单位', '网格']);
  // Published: no publish button any more.
  assert.equal(await page.$('[data-testid="as-publish"]'), null);
  assert.match(await page.textContent('[data-testid="as-summary"]'), /已发布/);
  assert.deepEqual([...await titleProblems(page), ...await rawTextProblems(page)], []);

  // The English page names the same columns in English.
  await page.click('#lang');
  await page.waitForSelector('[data-testid="as-ranking"] th:text("District rank")');
  assert.deepEqual(await rawTextProblems(page, { lang: 'en' }), []);
  await page.click('#lang');
  await page.waitForSelector('[data-testid="as-ranking"] th:text("区排名")');
  await done(page);
});

test('the cell filter keeps the cell\'s units, ranked within the cell; the XLSX follows it', async () => {
  const page = await openPage(env);
  await login(page, env, 'admin');
  await openRanking(page, 2025);
  const year = await apiGet(page, '/assess/years/2025');
  // The cell with the most units of the year (D01 in the demo has several schools).
  const counts = new Map();
  for (const u of year.items) counts.set(u.cell_id, (counts.get(u.cell_id) || 0) + 1);
  const [cell] = [...counts.entries()].sort((a, b) => b[1] - a[1])[0];
  assert.ok(counts.get(cell) >= 2, 'a cell with two or more units');
  await page.selectOption('[data-testid="as-cell"]', cell);
  await page.waitForURL((u) => u.hash === `#/assess?year=2025&cell=${cell}`);
  await page.waitForFunction((n) => document.querySelectorAll('[data-testid="as-ranking"] tbody tr').length === n, counts.get(cell));
  const mine = year.items.filter((u) => u.cell_id === cell);
  const rows = await tableRows(page);
  assert.deepEqual(rows.map((r) => r.unit).sort(), mine.map((u) => u.unit).sort());
  const totals = rows.map((r) => Number(r.total.replace('−', '-')));
  assert.deepEqual(rows.map((r) => Number(r.rankCell)), ranksOf(totals), 'ranks within the cell follow the totals');
  for (const r of rows) assert.equal(r.rankDistrict, String(year.items.find((u) => u.unit === r.unit).rank_district), 'the district rank stays');
  assert.match(await page.textContent('[data-testid="as-ranking"] caption'), /按网格内排名/);
  // Reload keeps the filter.
  await page.reload();
  await page.waitForSelector('[data-testid="as-ranking"] tbody tr');
  assert.equal(await page.inputValue('[data-testid="as-cell"]'), cell);

  // The XLSX of the cell: one sheet 考核结果, the column heads, the cell's units and no other.
  const href = await page.getAttribute('[data-testid="as-export"]', 'href');
  assert.equal(href, `/api/v1/assess/years/2025/export.xlsx?cell=${cell}`);
  const [dl] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid="as-export"]')]);
  const file = path.join(env.dir, 'assess-cell.xlsx');
  await dl.saveAs(file);
  assert.equal(readFileSync(file).subarray(0, 2).toString('latin1'), 'PK');
  assert.match(dl.suggestedFilename(), /2025\.xlsx$/);
  const type = await page.evaluate(async (u) => (await fetch(u)).headers.get('content-type'), href);
  assert.equal(type, XLSX_MIME);
  const text = xlsxText(file);
  assert.match(text, /^sheet: 考核结果$/m);
  for (const head of ['区排名', '网格内排名', '单位', '统一社会信用代码', '网格', '合计', '状态'])
    assert.match(text, new RegExp(`^${head}$`, 'm'), `the column ${head}`);
  for (const u of mine) assert.ok(text.includes(u.unit_name) && text.includes(u.unit), `${u.unit_name} in the cell's file`);
  for (const u of year.items.filter((x) => x.cell_id !== cell)) assert.ok(!text.includes(u.unit), `${u.unit_name} not in it`);
  assert.match(text, /已发布/);
  await done(page);
});

test('the whole year as XLSX: every unit, every indicator by its Chinese name', async () => {
  const page = await openPage(env);
  await login(page, env, 'reviewer');
  await openRanking(page, 2025);
  const year = await apiGet(page, '/assess/years/2025');
  const rubric = await apiGet(page, '/assess/rubric');
  const [dl] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid="as-export"]')]);
  const file = path.join(env.dir, 'assess-2025.xlsx');
  await dl.saveAs(file);
  const text = xlsxText(file);
  assert.match(text, /2025 年度内部审计工作绩效考核结果/);
  for (const g of rubric.groups) assert.ok(text.includes(`${g.name_zh}（${g.kind === 'penalty' ? g.min : g.max}）`), `the indicator ${g.name_zh}`);
  for (const ind of rubric.indicators) assert.ok(text.includes(ind.name_zh), `the item ${ind.name_zh}`);
  for (const u of year.items) assert.ok(text.includes(u.unit_name), u.unit_name);
  assert.match(text, new RegExp(`共 ${year.items.length} 个单位`));
  await done(page);
});

test('a unit\'s 2025 assessment: every item with its source and basis, the history by name in Beijing time', async () => {
  const page = await openPage(env);
  await login(page, env, 'admin');
  const rubric = await apiGet(page, '/assess/rubric');
  // A unit whose 2025 score the department changed (the demo has one).
  const [[code]] = sql(env, "SELECT unit_code FROM assess_change WHERE year = 2025 AND stage = 'dept' ORDER BY id LIMIT 1");
  const a = await apiGet(page, `/units/${code}/assess/2025`);
  await openRanking(page, 2025);
  await page.click(`[data-testid="as-ranking"] tr[data-unit="${code}"] [data-col="unit"] a`);
  await page.waitForSelector('[data-testid="as-items"]');
  assert.equal(page.url(), `${env.url}/#/assess/2025/${code}`);
  assert.match(await page.textContent('h1'), new RegExp(a.unit_name));
  const items = await page.$$eval('[data-testid="as-items"] tbody tr[data-ind]', (trs) => trs.map((r) => ({
    ind: r.dataset.ind, text: r.textContent })));
  assert.deepEqual(items.map((x) => x.ind), a.result.items.map((x) => x.indicator));
  for (const it of a.result.items) {
    const row = items.find((x) => x.ind === it.indicator).text;
    const penalty = rubric.groups.find((g) => g.code === it.group)?.kind === 'penalty';
    assert.ok(row.includes(penalty ? fmt(it.score) : `${fmt(it.score)} / ${fmt(it.max)}`), `${it.indicator}: score / max`);
    assert.ok(row.includes(it.source === 'data' ? '系统数据' : '填报'), `${it.indicator}: its source in Chinese`);
    if (it.basis) assert.ok(row.includes(it.basis), `${it.indicator}: its basis`);
  }
  assert.equal(await page.textContent('[data-testid="as-total"]'), fmt(a.result.total));
  assert.ok(a.history.some((x) => x.stage === 'dept' && x.from !== null), 'the department\'s change is in the history');
  const hist = await page.$$eval('[data-testid="as-history"] tbody tr', (trs) => trs.map((r) => [...r.cells].map((c) => c.textContent.trim())));
  assert.equal(hist.length, a.history.length);
  a.history.forEach((x, i) => {
    const bj = new Date(Date.parse(x.at) + 8 * 3600e3).toISOString().replace('T', ' ').slice(0, 16);
    assert.equal(hist[i][0], bj, 'Beijing time');
    assert.ok(!hist[i][1].includes(':'), `by name, not the stored actor: ${hist[i][1]}`);
    assert.equal(hist[i][2], { self: '单位自评', dept: '主管部门复核', bureau: '审计局终审' }[x.stage]);
    if (x.indicator) assert.equal(hist[i][3], rubric.indicators.find((y) => y.code === x.indicator).name_zh);
    assert.equal(hist[i][4], x.from === null && x.to === null ? '—' : `${x.from === null ? '—' : fmt(x.from)} → ${fmt(x.to)}`);
    assert.equal(hist[i][5], x.reason || '');
  });
  assert.deepEqual([...await titleProblems(page), ...await rawTextProblems(page)], []);
  assert.equal(await page.$('[data-testid="as-self-form"]'), null, 'a published year takes no more changes');
  await done(page);
});

test('the leader saves a draft with an evidence file; the file is listed with the entry', async () => {
  const leader = await openPage(env);
  await login(leader, env, 'leader');
  await openUnit(leader, 2026, AUDITOR_UNIT);
  await leader.waitForSelector('[data-testid="as-self-form"]');
  const a0 = await apiGet(leader, `/units/${AUDITOR_UNIT}/assess/2026`);
  // The second entered item the unit fills (the first is the chain's below).
  const item = a0.result.items.filter((x) => x.source === 'entered' && Number(x.max) > 1)[1];
  assert.ok(item, 'a second entered item');
  const fs = `[data-testid="as-self-form"] fieldset[data-ind="${item.indicator}"]`;
  await leader.fill(`${fs} input[type="number"]`, '1.5');
  await leader.fill(`${fs} textarea`, '内审发现的违规问题线索已移送区纪委监委');
  await leader.setInputFiles(`${fs} input[type="file"]`, { name: '线索移送函.pdf', mimeType: 'application/pdf',
    buffer: Buffer.from('%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n', 'latin1') });
  await leader.click('[data-testid="as-self-save"]');
  await leader.waitForSelector('[data-testid="as-status"].ok, [data-testid="as-status"].error');
  assert.equal(await leader.textContent('[data-testid="as-status"]'), '自评已保存');
  const a1 = await apiGet(leader, `/units/${AUDITOR_UNIT}/assess/2026`);
  assert.equal(a1.state, 'none', 'a draft: not submitted');
  assert.equal(a1.can_self, true);
  const e1 = a1.entered.find((x) => x.indicator === item.indicator);
  assert.equal(Number(e1.score), 1.5);
  assert.deepEqual(e1.attachments.map((f) => f.filename), ['线索移送函.pdf']);
  // The page lists the file with the entry, as a link to its content, and keeps the form open.
  assert.match(await leader.textContent(`[data-testid="as-items"] tr[data-ind="${item.indicator}"]`), /线索移送函\.pdf/);
  const href = await leader.getAttribute(`[data-testid="as-items"] tr[data-ind="${item.indicator}"] a`, 'href');
  assert.equal(href, `/api/v1/attachments/${e1.attachments[0].id}/content`);
  assert.match(await leader.textContent('[data-testid="as-unit-state"]'), /自评中/);
  assert.deepEqual(await rawTextProblems(leader), []);
  await done(leader);
});

test('2026: the leader self-assesses, the department adjusts with a reason, the bureau gives the final score', async () => {
  // ---- the unit's leader fills an entered item and submits
  const leader = await openPage(env);
  await login(leader, env, 'leader');
  await openUnit(leader, 2026, AUDITOR_UNIT);
  const a0 = await apiGet(leader, `/units/${AUDITOR_UNIT}/assess/2026`);
  assert.equal(a0.can_self, true, 'the leader may self-assess its 2026 assessment');
  await leader.waitForSelector('[data-testid="as-self-form"]');
  const item = a0.result.items.find((x) => x.source === 'entered' && Number(x.max) > 1);
  assert.ok(item, 'an entered item');
  const fs = `[data-testid="as-self-form"] fieldset[data-ind="${item.indicator}"]`;
  // A score over the maximum is refused on the page, in Chinese.
  await leader.fill(`${fs} input[type="number"]`, String(Number(item.max) + 1));
  await leader.click('[data-testid="as-self-submit"]');
  await leader.waitForSelector('[data-testid="as-status"].error');
  assert.match(await leader.textContent('[data-testid="as-status"]'), /得分应在 0 至 \d+ 之间/);
  const mine = Number(item.max) - 1;
  await leader.fill(`${fs} input[type="number"]`, String(mine));
  await leader.fill(`${fs} textarea`, '获区内部审计业务竞赛团体二等奖');
  await leader.click('[data-testid="as-self-submit"]');
  await leader.waitForSelector('[data-testid="as-status"].ok');
  assert.match(await leader.textContent('[data-testid="as-status"]'), /自评已提交/);
  const a1 = await apiGet(leader, `/units/${AUDITOR_UNIT}/assess/2026`);
  assert.equal(a1.can_self, false, 'submitted: no more self changes');
  const e1 = a1.entered.find((x) => x.indicator === item.indicator);
  assert.equal(Number(e1.score), mine);
  assert.equal(e1.basis, '获区内部审计业务竞赛团体二等奖');
  assert.equal(Number(a1.result.items.find((x) => x.indicator === item.indicator).score), mine);
  const row = leader.locator(`[data-testid="as-items"] tr[data-ind="${item.indicator}"]`);
  assert.match(await row.textContent(), new RegExp(`${fmt(mine)} / ${fmt(item.max)}填报获区内部审计业务竞赛`));
  assert.equal(await leader.$('[data-testid="as-self-form"]'), null);
  assert.equal(await leader.$('[data-testid="as-dept-form"]'), null, 'the leader does not review');
  assert.deepEqual(await rawTextProblems(leader), []);
  await done(leader);

  // ---- the department's supervisor adjusts: without a reason the server refuses, in Chinese
  const sup = await openPage(env);
  await login(sup, env, 'supervisor');
  await openUnit(sup, 2026, AUDITOR_UNIT);
  const a2 = await apiGet(sup, `/units/${AUDITOR_UNIT}/assess/2026`);
  assert.equal(a2.can_dept, true, 'the supervisor of the unit\'s cell reviews');
  assert.equal(a2.can_bureau, false);
  await sup.waitForSelector('[data-testid="as-dept-form"]');
  const dr = `[data-testid="as-dept-form"] tr[data-ind="${item.indicator}"]`;
  const adjusted = mine - 1;
  await sup.fill(`${dr} input[type="number"]`, String(adjusted));
  sup.expectStatus(422, `/units/${AUDITOR_UNIT}/assess/2026/review`);
  await sup.click('[data-testid="as-dept-adjust"]');
  await sup.waitForSelector('[data-testid="as-status"].error');
  const refusal = await sup.textContent('[data-testid="as-status"]');
  assert.match(refusal, /[\u4e00-\u9fff]/, `refused in Chinese: ${refusal}`);
  assert.match(refusal, /理由/);
  assert.doesNotMatch(refusal, /--|reason/);
  assert.equal(Number((await apiGet(sup, `/units/${AUDITOR_UNIT}/assess/2026`)).result.items.find((x) => x.indicator === item.indicator).score), mine, 'nothing changed');
  await sup.fill(`${dr} input:not([type="number"])`, '获奖为个人奖项，按二等奖个人标准计分');
  await sup.click('[data-testid="as-dept-adjust"]');
  await sup.waitForSelector('[data-testid="as-status"].ok');
  const a3 = await apiGet(sup, `/units/${AUDITOR_UNIT}/assess/2026`);
  assert.equal(a3.state, 'dept');
  assert.equal(a3.can_dept, false);
  assert.equal(Number(a3.result.items.find((x) => x.indicator === item.indicator).score), adjusted);
  assert.match(await sup.textContent('[data-testid="as-unit-state"]'), /主管部门已复核/);
  await done(sup);

  // ---- the bureau accepts: the final score; the history shows the chain
  const admin = await openPage(env);
  await login(admin, env, 'admin');
  await openUnit(admin, 2026, AUDITOR_UNIT);
  await admin.waitForSelector('[data-testid="as-bureau-form"]');
  assert.equal(await admin.$('[data-testid="as-dept-form"]'), null);
  await admin.click('[data-testid="as-bureau-accept"]');
  await admin.waitForSelector('[data-testid="as-status"].ok');
  const a4 = await apiGet(admin, `/units/${AUDITOR_UNIT}/assess/2026`);
  assert.equal(a4.state, 'bureau');
  assert.equal(a4.can_bureau, false);
  assert.match(await admin.textContent('[data-testid="as-unit-state"]'), /审计局已终审/);
  const hist = await admin.$$eval('[data-testid="as-history"] tbody tr', (trs) => trs.map((r) => ({
    stage: r.dataset.stage, ind: r.dataset.ind, cells: [...r.cells].map((c) => c.textContent.trim()) })));
  const dept = hist.find((x) => x.stage === 'dept' && x.ind === item.indicator);
  assert.ok(dept, 'the department\'s change is in the history');
  const x = a4.history.find((y) => y.stage === 'dept' && y.indicator === item.indicator);
  const bj = new Date(Date.parse(x.at) + 8 * 3600e3).toISOString().replace('T', ' ').slice(0, 16);
  const rubric = await apiGet(admin, '/assess/rubric');
  const indName = rubric.indicators.find((y) => y.code === item.indicator)?.name_zh || item.name_zh;
  assert.ok(indName, 'the indicator has a Chinese name');
  assert.deepEqual(dept.cells, [bj, x.by_name, '主管部门复核', indName, `${fmt(mine)} → ${fmt(adjusted)}`, '获奖为个人奖项，按二等奖个人标准计分']);
  assert.ok(dept.cells[1] && !dept.cells[1].includes('user:'), `who by name: ${dept.cells[1]}`);
  assert.ok(hist.some((y) => y.stage === 'self' && y.ind === item.indicator), 'the self-assessment is in the history');
  // The stages passed: submitted, reviewed, final, in Beijing time.
  const stages = await admin.$$eval('[data-testid="as-stages"] tbody tr', (trs) => trs.map((r) => [r.dataset.stage, ...[...r.cells].map((c) => c.textContent.trim())]));
  assert.deepEqual(stages.map((r) => r.slice(0, 2)), [['self', '提交自评'], ['dept', '主管部门复核'], ['bureau', '审计局终审']]);
  for (const r of stages) assert.match(r[2], /^\d{4}-\d\d-\d\d \d\d:\d\d$/, 'Beijing time');
  assert.deepEqual([...await titleProblems(admin), ...await rawTextProblems(admin)], []);
  // The ranking of 2026 shows the unit's state.
  await openRanking(admin, 2026);
  assert.equal(await admin.textContent(`tr[data-unit="${AUDITOR_UNIT}"] [data-col="state"]`), '审计局已终审');
  assert.ok(await admin.$('[data-testid="as-publish"][disabled]'), 'not every unit is final: publishing waits');
  await done(admin);
});

test('the stages passed name who passed them, never a stored account', async () => {
  const page = await openPage(env);
  await login(page, env, 'admin');
  await openUnit(page, 2026, AUDITOR_UNIT);
  await page.waitForSelector('[data-testid="as-stages"]');
  const stages = await page.$$eval('[data-testid="as-stages"] tbody tr', (trs) => trs.map((r) => [...r.cells].map((c) => c.textContent.trim())));
  assert.equal(stages.length, 3, 'submitted, reviewed, final');
  for (const r of stages) assert.ok(r[2] && r[2] !== '（未知）' && !r[2].includes(':'), `${r[0]} by name: "${r[2]}"`);
  await done(page);
});

test('phone width: the ranking and a unit\'s assessment do not scroll sideways', async () => {
  for (const [who, hash] of [['admin', '#/assess?year=2025'], ['supervisor', `#/assess/2026/${AUDITOR_UNIT}`], ['leader', `#/assess/2025/${AUDITOR_UNIT}`]]) {
    const page = await openPage(env, PHONE);
    await login(page, env, who);
    await page.goto(`${env.url}/${hash}`);
    await page.waitForSelector('[data-testid="as-ranking"], [data-testid="as-items"]');
    assert.deepEqual([...await phoneScrollProblems(page), ...await titleProblems(page), ...await rawTextProblems(page)], [], `${who} ${hash}`);
    await done(page);
  }
});

test('the bureau publishes 2026 once every unit has its final score', async () => {
  const page = await openPage(env);
  await login(page, env, 'admin');
  await openRanking(page, 2026);
  const year = await apiGet(page, '/assess/years/2026');
  assert.ok(await page.$('[data-testid="as-publish"][disabled]'), 'not all final: the button waits');
  assert.match(await page.textContent('[data-testid="as-summary"]'), /全部单位经审计局终审后方可发布/);
  // Every other unit through the chain, as the bureau may do it (the API, not the page under test).
  const submit = (p) => page.evaluate(async (path) => {
    const me = await (await fetch('/api/v1/me')).json();
    const r = await fetch('/api/v1' + path, { method: 'POST', headers: { 'X-CSRF-Token': me.csrf_token } });
    await r.text(); // read to the end: an unread body is aborted by the next navigation
    if (!r.ok) throw new Error(`POST ${path}: HTTP ${r.status}`);
  }, p);
  for (const u of year.items) {
    const base = `/units/${u.unit}/assess/2026`;
    if (u.state === 'none') await submit(`${base}/self/submit`);
    if (u.state === 'none' || u.state === 'self') await apiPost(page, `${base}/review`, { stage: 'dept', items: [] });
    if (u.state !== 'bureau') await apiPost(page, `${base}/review`, { stage: 'bureau', items: [] });
  }
  await page.reload();
  await page.waitForSelector('[data-testid="as-publish"]:not([disabled])');
  assert.ok((await tableRows(page)).every((r) => r.stateText === '审计局已终审'));
  await page.click('[data-testid="as-publish"]');
  await page.waitForSelector('[data-testid="as-status"].ok');
  assert.match(await page.textContent('[data-testid="as-status"]'), /2026 年度考核结果已发布/);
  assert.equal(await page.$('[data-testid="as-publish"]'), null);
  assert.ok((await tableRows(page)).every((r) => r.stateText === '已发布'));
  assert.equal((await apiGet(page, '/assess/years/2026')).published, true);
  await done(page);
});
