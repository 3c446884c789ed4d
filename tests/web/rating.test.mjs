// The 0–5A internal-control grade (issue 15 §1) in the browser, on the demo district: the graded
// grid of 2025 (at least four grades, a 5A and a vetoed 0; names, not codes; grades and states in
// Chinese), filtered by grade and cell; the unit leader's 2026 self-evaluation (a score out of
// range refused, a draft with an evidence file, filed; a reload shows it filed); the bureau's
// review (an adjustment without a reason refused in Chinese, with one the score changes); the
// dashboard's tiles coloured by the 2025 grades with a Chinese legend; the unit page's grade
// history; the deductions' evidence links; the printed page; the XLSX; phone width.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { startAll, openPage, login, done, apiGet, shot, AUDITOR_UNIT, SRC, rawTextProblems, titleProblems, phoneScrollProblems } from './lib.mjs';

const GRADE_ZH = { '5A': '5A级', '4A': '4A级', '3A': '3A级', '2A': '2A级', '1A': '1A级', 0: '0级（一票否决）' };

let env;
before(async () => { env = await startAll(); });
after(async () => { if (env) await env.stop(); });

const gridRows = (page) => page.$$eval('[data-testid="rt-grid"] tbody tr', (trs) => trs.map((r) => ({
  unit: r.dataset.unit, grade: r.dataset.grade, name: r.querySelector('td a').textContent,
  code: r.querySelector('td .code').textContent, score: r.querySelector('[data-col="score"]').textContent,
  gradeText: r.querySelector('[data-col="grade"]').textContent, veto: r.querySelector('[data-col="veto"]').textContent,
  self: r.querySelector('[data-col="self"]').textContent, review: r.querySelector('[data-col="review"]').textContent,
})));
const ready = (page) => page.waitForFunction(() => !document.querySelector('main .view > p.muted:only-child'));

test('the graded grid of 2025: four grades or more with a 5A and a vetoed 0, names and Chinese', async () => {
  const page = await openPage(env);
  await login(page, env, 'admin');
  await page.click('nav a[href="#/rating"]');
  await page.waitForSelector('[data-testid="rt-grid"]');
  const y = await apiGet(page, '/rating/years/2025');
  assert.equal(y.published, true, 'the demo publishes 2025');
  assert.equal(await page.inputValue('select[name="year"]'), '2025', 'the latest published year is the default');
  const grades = new Set(y.items.map((x) => x.grade));
  assert.ok(grades.size >= 4 && grades.has('5A') && grades.has('0'), `grades ${[...grades]}`);
  const rows = await gridRows(page);
  assert.equal(rows.length, y.items.length);
  for (const x of y.items) {
    const r = rows.find((row) => row.unit === x.unit);
    assert.ok(r, `${x.unit} has a row`);
    assert.equal(r.name, x.unit_name, 'the unit by name');
    assert.notEqual(r.name, x.unit, 'not by its code');
    assert.equal(r.code, x.unit, 'the code second');
    assert.equal(r.gradeText, GRADE_ZH[x.grade], `${x.unit_name}: the grade in Chinese`);
    assert.equal(r.score, Number(x.score).toFixed(2), 'two decimals');
    assert.equal(r.veto, x.veto || '');
    assert.match(r.self, /^[\u4e00-\u9fa5]+$/, 'the self-evaluation state in Chinese');
    assert.match(r.review, /^[\u4e00-\u9fa5]+$/, 'the review state in Chinese');
  }
  const vetoed = rows.filter((r) => r.grade === '0');
  assert.ok(vetoed.length >= 1 && vetoed.every((r) => /[\u4e00-\u9fa5]/.test(r.veto)), 'a vetoed unit says why, in Chinese');
  for (const g of Object.keys(GRADE_ZH))
    assert.equal(await page.textContent(`[data-testid="rt-counts"] [data-count="${g}"]`), String(y.counts[g] ?? 0), `count of ${g}`);
  assert.equal(await page.$('[data-testid="rt-publish"]'), null, 'a published year has no 发布');
  await page.screenshot({ path: shot(env, 'rating.png') });
  assert.deepEqual([...await rawTextProblems(page), ...await titleProblems(page)], []);

  // Filter by grade 0, then by a cell.
  await page.selectOption('select[name="grade"]', '0');
  await page.click('[data-testid="rt-filters"] button[type="submit"]');
  await page.waitForFunction(() => location.hash.includes('grade=0'));
  await page.waitForSelector('[data-testid="rt-grid"] tbody tr');
  assert.deepEqual([...new Set((await gridRows(page)).map((r) => r.grade))], ['0']);
  const cell = y.items.find((x) => x.cell_id).cell_id;
  await page.goto(`${env.url}/#/rating?year=2025&cell=${cell}`);
  await page.waitForSelector('[data-testid="rt-grid"] tbody tr');
  assert.deepEqual((await gridRows(page)).map((r) => r.unit).sort(), y.items.filter((x) => x.cell_id === cell).map((x) => x.unit).sort());
  await done(page);
});

test('the XLSX of 2025 opens with both sheets, names and Chinese grades', async () => {
  const page = await openPage(env, { acceptDownloads: true });
  await login(page, env, 'admin');
  await page.goto(`${env.url}/#/rating?year=2025`);
  await page.waitForSelector('[data-testid="rt-xlsx"]');
  const [dl] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid="rt-xlsx"]')]);
  const file = path.join(env.dir, 'rating.xlsx');
  await dl.saveAs(file);
  assert.match(dl.suggestedFilename(), /2025\.xlsx$/);
  const text = execFileSync('node', [path.join(SRC, 'tests/cli/xlsx_text.mjs'), file], { encoding: 'utf8' });
  assert.match(text, /^sheet: 评级结果$/m);
  assert.match(text, /^sheet: 扣分明细$/m);
  const y = await apiGet(page, '/rating/years/2025');
  for (const x of y.items.slice(0, 5)) assert.ok(text.includes(x.unit_name), `${x.unit_name} in the file`);
  assert.match(text, /^5A级$/m);
  assert.match(text, /^0级（一票否决）$/m);
  assert.match(text, /^统一社会信用代码$/m);
  const d = y.items.flatMap((x) => x.deductions).find((x) => x.reason);
  assert.ok(d, 'the demo has deductions');
  assert.ok(text.includes(d.reason), 'a deduction\'s reason in 扣分明细');
  await done(page);
});

test('the unit leader fills in the 2026 self-evaluation with evidence and files it', async () => {
  const page = await openPage(env);
  await login(page, env, 'leader');
  await page.goto(`${env.url}/#/rating/2026/${AUDITOR_UNIT}`);
  await page.waitForSelector('[data-testid="rt-self-form"]');
  const r0 = await apiGet(page, `/units/${AUDITOR_UNIT}/rating/2026`);
  assert.equal(r0.can_edit_self, true);
  assert.notEqual(r0.self.state, 'filed');
  const rubric = await apiGet(page, `/rating/rubric?version=${r0.rubric_version}`);
  const [p1, p2] = rubric.indicators[0].points_list;

  // A score above the point's points is refused before anything is sent.
  await page.fill(`input[name="score_${p1.code}"]`, String(p1.points + 5));
  await page.click('[data-testid="rt-save"]');
  await page.waitForSelector('[data-testid="rt-status"].error');
  assert.match(await page.textContent('[data-testid="rt-status"]'), /自评得分/);

  await page.fill(`input[name="score_${p1.code}"]`, String(p1.points));
  await page.fill(`textarea[name="note_${p1.code}"]`, '已成立内部控制领导小组，附成立文件');
  await page.setInputFiles(`input[name="file_${p1.code}"]`, { name: '内控领导小组成立文件.pdf', mimeType: 'application/pdf', buffer: Buffer.from('%PDF-1.4 demo\n') });
  await page.fill(`input[name="score_${p2.code}"]`, String(p2.points / 2));
  await page.click('[data-testid="rt-save"]');
  await page.waitForSelector('[data-testid="rt-status"]:has-text("自评草稿已保存")');
  const r1 = await apiGet(page, `/units/${AUDITOR_UNIT}/rating/2026`);
  assert.equal(r1.self.state, 'draft');
  const a1 = r1.self.answers.find((a) => a.point === p1.code);
  assert.equal(Number(a1.score), p1.points);
  assert.deepEqual(a1.attachments.map((a) => a.filename), ['内控领导小组成立文件.pdf']);
  assert.equal(Number(r1.self.answers.find((a) => a.point === p2.code).score), p2.points / 2);
  // The draft is on the form again, its file listed.
  assert.equal(await page.inputValue(`input[name="score_${p1.code}"]`), String(p1.points));
  assert.ok(await page.$(`tr[data-point="${p1.code}"] a[data-attachment="${a1.attachments[0].id}"]`));

  await page.click('[data-testid="rt-file"]');
  await page.waitForSelector('[data-testid="rt-status"]:has-text("自评已提交")');
  await page.reload();
  await page.waitForSelector('[data-testid="rt-self-view"]');
  assert.equal(await page.$('[data-testid="rt-self-form"]'), null, 'filed: no form any more');
  const r2 = await apiGet(page, `/units/${AUDITOR_UNIT}/rating/2026`);
  assert.equal(r2.self.state, 'filed');
  assert.match(await page.textContent('[data-testid="rt-self-state"]'), /^已报送 · \d{4}-\d\d-\d\d \d\d:\d\d/);
  assert.match(await page.textContent(`[data-testid="rt-self-view"] tr[data-point="${p1.code}"]`), /已成立内部控制领导小组.*内控领导小组成立文件\.pdf/);
  assert.deepEqual([...await rawTextProblems(page), ...await titleProblems(page)], []);
  await done(page);
});

test('the bureau adjusts a point: without a reason it is refused in Chinese, with one the score changes', async () => {
  const page = await openPage(env);
  await login(page, env, 'admin');
  const y = await apiGet(page, '/rating/years/2026');
  const filed = y.items.find((x) => x.self_state === 'filed');
  assert.ok(filed, 'a filed 2026 self-evaluation (the leader filed one above)');
  const code = filed.unit;
  const r0 = await apiGet(page, `/units/${code}/rating/2026`);
  assert.equal(r0.can_review, true);
  const rubric = await apiGet(page, `/rating/rubric?version=${r0.rubric_version}`);
  // A point of an indicator without deductions, so that its score shows in the total.
  const ind = rubric.indicators.find((i) => !r0.self.inapplicable.includes(i.code) &&
    !(r0.result.deductions || []).some((d) => d.indicator === i.code));
  const p = ind.points_list[0];
  const self = Number(r0.self.answers.find((a) => a.point === p.code)?.score ?? 0);
  const target = self > 0 ? 0 : p.points;
  await page.goto(`${env.url}/#/rating/2026/${code}`);
  await page.waitForSelector('[data-testid="rt-review-form"]');
  const before = await page.textContent('[data-testid="rt-score"]');

  await page.fill(`input[name="rv_score_${p.code}"]`, String(target));
  page.expectStatus(422, `/units/${code}/rating/2026/review`);
  await page.click('[data-testid="rt-adjust"]');
  await page.waitForSelector('[data-testid="rt-status"].error');
  const refusal = await page.textContent('[data-testid="rt-status"]');
  assert.match(refusal, /[\u4e00-\u9fa5]/, 'in Chinese');
  assert.match(refusal, /理由|原因/, 'names the missing reason');
  assert.doesNotMatch(refusal, /--|adjustments\[/);
  assert.equal((await apiGet(page, `/units/${code}/rating/2026`)).review.state, r0.review.state, 'nothing saved');

  await page.fill(`input[name="rv_reason_${p.code}"]`, '现场核查与自评不符');
  await page.click('[data-testid="rt-adjust"]');
  await page.waitForSelector('[data-testid="rt-status"]:has-text("复核调整已保存")');
  const r1 = await apiGet(page, `/units/${code}/rating/2026`);
  assert.equal(r1.review.state, 'reviewed');
  assert.deepEqual(r1.review.adjustments.map((a) => [a.point, Number(a.score), a.reason]), [[p.code, target, '现场核查与自评不符']]);
  assert.notEqual(Number(r1.result.score), Number(r0.result.score), 'the score changed');
  const after0 = await page.textContent('[data-testid="rt-score"]');
  assert.equal(after0, Number(r1.result.score).toFixed(2));
  assert.notEqual(after0, before);
  assert.match(await page.textContent('[data-testid="rt-adjustments"]'), /现场核查与自评不符/);
  assert.match(await page.textContent('[data-testid="rt-review-state"]'), /^已复核/);
  await done(page);
});

test('2026 is not published: the bureau sees 发布, refused while units are pending; a supervisor sees its cell only', async () => {
  const page = await openPage(env);
  await login(page, env, 'admin');
  const y = await apiGet(page, '/rating/years/2026');
  assert.equal(y.published, false);
  await page.goto(`${env.url}/#/rating?year=2026`);
  await page.waitForSelector('[data-testid="rt-publish"]');
  assert.match(await page.textContent('[data-testid="rt-year-state"]'), /^未发布/);
  assert.equal(await page.textContent('[data-testid="rt-counts"] [data-count="pending"]'), String(y.counts.pending));
  assert.ok(y.counts.pending > 0, 'the demo leaves 2026 open: units still pending');
  page.expectStatus(422, '/rating/years/2026/publish');
  await page.click('[data-testid="rt-publish"]');
  await page.waitForSelector('[data-testid="rt-status"].error');
  assert.match(await page.textContent('[data-testid="rt-status"]'), /[\u4e00-\u9fa5]/);
  assert.equal((await apiGet(page, '/rating/years/2026')).published, false);
  await done(page);

  const sup = await openPage(env);
  await login(sup, env, 'supervisor');
  await sup.goto(`${env.url}/#/rating?year=2025`);
  await sup.waitForSelector('[data-testid="rt-grid"]');
  assert.equal(await sup.$('[data-testid="rt-publish"]'), null);
  const mine = (await apiGet(sup, '/rating/years/2025')).items;
  assert.ok(mine.length > 0 && mine.every((x) => x.cell_id === 'D01'), 'its cell D01 only');
  assert.deepEqual((await gridRows(sup)).map((r) => r.unit).sort(), mine.map((x) => x.unit).sort());
  await done(sup);
});

test('the dashboard colours the tiles by the 2025 grades, with a Chinese legend', async () => {
  const page = await openPage(env);
  await login(page, env, 'admin');
  await page.waitForSelector('a.tile');
  const y = await apiGet(page, '/rating/years/2025');
  const tiles = await page.$$eval('a.tile', (as) => as.map((a) => ({ unit: a.dataset.unit, grade: a.dataset.grade, cls: a.className })));
  for (const x of y.items) {
    const tile = tiles.find((tl) => tl.unit === x.unit);
    assert.ok(tile, `${x.unit_name} has a tile`);
    assert.equal(tile.grade, x.grade, `${x.unit_name}: the tile's grade`);
    assert.ok(tile.cls.split(' ').includes('grade-' + x.grade), `${x.unit_name}: coloured as ${x.grade}`);
  }
  // Each grade has its own colour.
  const colours = await page.evaluate((gs) => gs.map((g) => {
    const a = document.querySelector(`a.tile[data-grade="${g}"]`);
    return a ? getComputedStyle(a).backgroundColor : null;
  }), [...new Set(y.items.map((x) => x.grade))]);
  assert.equal(new Set(colours).size, colours.length, `distinct colours ${colours}`);
  const legend = await page.textContent('[data-testid="grade-legend"]');
  for (const name of Object.values(GRADE_ZH)) assert.ok(legend.includes(name), `the legend names ${name}`);
  await done(page);
});

test('the unit page shows the grade history; the rating page links the evidence and prints clean', async () => {
  const page = await openPage(env);
  await login(page, env, 'admin');
  const y = await apiGet(page, '/rating/years/2025');
  // A unit whose deductions have evidence to follow.
  const x = y.items.find((i) => i.deductions.some((d) => d.evidence && (d.evidence.finding_id || d.evidence.rectification_id)));
  assert.ok(x, 'a 2025 unit deducted for a finding');
  await page.goto(`${env.url}/#/units/${x.unit}`);
  await page.waitForSelector('[data-testid="unit-ratings"] tr[data-year="2025"]');
  const row = await page.textContent('[data-testid="unit-ratings"] tr[data-year="2025"]');
  assert.equal(row, `2025年度${GRADE_ZH[x.grade]}${Number(x.score).toFixed(2)}已发布`);
  await page.click('[data-testid="unit-ratings"] tr[data-year="2025"] a');
  await page.waitForSelector('[data-testid="rt-result"]');
  assert.equal(await page.textContent('[data-testid="rt-grade"]'), GRADE_ZH[x.grade]);
  assert.equal(await page.$('[data-testid="rt-self-form"]'), null, 'a published year has no self form');
  assert.equal(await page.$('[data-testid="rt-review-form"]'), null, 'nor a review form');
  const n = await page.$$eval('[data-testid="rt-deductions"] tbody tr', (trs) => trs.length);
  assert.equal(n, x.deductions.length);
  const hrefs = await page.$$eval('[data-testid="rt-deductions"] a[data-evidence]', (as) => as.map((a) => a.getAttribute('href')));
  assert.ok(hrefs.length > 0 && hrefs.every((hr) => /^#\/(findings|rectifications|audits|warnings)\/\d+$|^#\/iabody$|^\/api\/v1\/attachments\/\d+\/content$/.test(hr)), `links ${hrefs}`);
  assert.deepEqual([...await rawTextProblems(page), ...await titleProblems(page)], []);
  await page.screenshot({ path: shot(env, 'rating-unit.png'), fullPage: true });

  // Printed: the report alone.
  await page.emulateMedia({ media: 'print' });
  const shown = await page.evaluate(() => ({
    header: getComputedStyle(document.getElementById('top')).display,
    buttons: [...document.querySelectorAll('main button')].filter((b) => b.checkVisibility()).length,
    result: document.querySelector('[data-testid="rt-result"]').checkVisibility(),
    head: document.querySelector('.rt-print-head').checkVisibility(),
  }));
  assert.deepEqual(shown, { header: 'none', buttons: 0, result: true, head: true });
  await page.emulateMedia({ media: 'screen' });
  const pdf = path.join(env.dir, 'rating.pdf');
  writeFileSync(pdf, await page.pdf({ format: 'A4' }));

  // The evidence link opens its record.
  const first = hrefs.find((hr) => hr.startsWith('#/findings/') || hr.startsWith('#/rectifications/'));
  await page.click(`[data-testid="rt-deductions"] a[href="${first}"]`);
  await page.waitForFunction((hr) => location.hash === hr, first);
  await page.waitForSelector('main h1');
  await ready(page);
  await done(page);
});

test('phone width: the grid and a unit\'s rating do not scroll sideways', async () => {
  const page = await openPage(env, { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
  await login(page, env, 'admin');
  for (const [hash, sel] of [['#/rating?year=2025', '[data-testid="rt-grid"]'], [`#/rating/2025/${AUDITOR_UNIT}`, '[data-testid="rt-result"]'],
    [`#/rating/2026/${AUDITOR_UNIT}`, '[data-testid="rt-result"]']]) {
    await page.goto(`${env.url}/${hash}`);
    await page.waitForSelector(sel);
    await ready(page);
    assert.deepEqual([...await phoneScrollProblems(page), ...await rawTextProblems(page)], [], hash);
  }
  await done(page);
});
