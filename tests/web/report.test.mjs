// The four reports (issue 16) in the browser, on the demo district: the unit's auditor drafts a
// 2026 work summary through 新建报告, edits a section (autosave says 已自动保存 and a new version
// is kept; a reload shows the edit) and files it; the bureau finds it in its filing queue and
// returns it with a comment (a return without one is refused before anything is sent); the author
// reads the comment, edits (a stale editor is told to reload) and files again; the bureau accepts
// it and enters the reviewer's points; an old version opens read-only; the exports answer with
// their file types; the risk ranking's weights are the administrator's to change; the dashboard's
// tile counts the reports. Every page: names not ids, Chinese states, Beijing times, no console
// errors.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startAll, openPage, login, done, apiGet, shot, AUDITOR_UNIT, rawTextProblems, titleProblems, phoneScrollProblems } from './lib.mjs';

let env;
let reportId = null;
const YEAR = 2026;
before(async () => { env = await startAll(); });
after(async () => { if (env) await env.stop(); });

const ready = (page) => page.waitForFunction(() => !document.querySelector('main .view > p.muted:only-child'));
const clean = async (page, what) => assert.deepEqual([...await rawTextProblems(page), ...await titleProblems(page)], [], what);
const status = (page) => page.textContent('[data-testid="rp-status"]');

// PUT /api/v1{path} as the page's user (the CSRF token of GET /me); {status, body}.
async function apiPut(page, path, body) {
  return page.evaluate(async ([p, b]) => {
    const me = await (await fetch('/api/v1/me')).json();
    const r = await fetch('/api/v1' + p, { method: 'PUT', body: JSON.stringify(b),
      headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': me.csrf_token } });
    return { status: r.status, body: await r.json().catch(() => null) };
  }, [path, body]);
}

// The first section of the editor the user may edit that has a paragraph: its key and text area.
async function editableParagraph(page) {
  const key = await page.$$eval('[data-testid="rp-editor"] section.rp-section.editable', (ss) =>
    (ss.find((s) => s.querySelector('textarea.rp-p')) || {}).dataset?.section || null);
  assert.ok(key, 'a section with a paragraph to edit');
  return { key, sel: `[data-testid="rp-section-${key}"] textarea.rp-p` };
}

test('the auditor drafts a 2026 work summary, edits a section (autosaved, a new version) and files it', async () => {
  const page = await openPage(env);
  await login(page, env, 'auditor');
  await page.click('nav a[href="#/reports"]');
  await page.waitForSelector('[data-testid="rp-new"]');
  await ready(page);
  await clean(page, 'the list');
  const before0 = await apiGet(page, `/reports?kind=summary&unit=${AUDITOR_UNIT}&year=${YEAR}`);
  assert.equal(before0.total, 0, 'no 2026 summary of the unit yet');

  await page.selectOption('[data-testid="rp-new"] select[name="kind"]', 'summary');
  assert.equal(await page.inputValue('[data-testid="rp-new"] select[name="unit_code"]'), AUDITOR_UNIT, 'the auditor\'s own unit first');
  await page.fill('[data-testid="rp-new"] input[name="year"]', String(YEAR));
  await page.click('[data-testid="rp-create"]');
  await page.waitForFunction(() => /^#\/reports\/\d+$/.test(location.hash));
  reportId = Number((await page.evaluate(() => location.hash)).split('/').pop());
  await page.waitForSelector('[data-testid="rp-editor"][data-editable="1"]');
  const r1 = await apiGet(page, `/reports/${reportId}`);
  assert.equal(r1.kind, 'summary');
  assert.equal(r1.state, 'draft');
  assert.equal(r1.version, 1);
  assert.equal(await page.textContent('[data-testid="rp-kind"]'), '年度内部审计工作总结');
  assert.match(await page.textContent('[data-testid="rp-state"]'), /^草稿/);
  // Every section of the content is a card, headed 一、二、…
  for (const [i, s] of r1.content.sections.entries())
    assert.ok(await page.$(`[data-testid="rp-section-${s.key}"]`), `the section ${s.key} is on the page`);
  assert.match(await page.textContent(`[data-testid="rp-section-${r1.content.sections[0].key}"] h2`), /^一、/);
  assert.match(await page.textContent(`[data-testid="rp-section-${r1.content.sections[1].key}"] h2`), /^二、/);
  await clean(page, 'the editor');

  const { key, sel } = await editableParagraph(page);
  const old = await page.inputValue(sel);
  const added = '本年度新增修订内部审计制度两项。';
  await page.fill(sel, old + added);
  await page.waitForSelector('[data-testid="rp-status"]:has-text("已自动保存 第2版")', { timeout: 15000 });
  assert.match(await status(page), /^已自动保存 第2版 · \d{4}-\d\d-\d\d \d\d:\d\d$/);
  assert.equal(await page.getAttribute('[data-testid="rp-version"]', 'data-version'), '2');
  assert.ok(await page.$('[data-testid="rp-versions"] li[data-version="2"]'), 'the versions list the new one');
  const r2 = await apiGet(page, `/reports/${reportId}`);
  assert.equal(r2.version, 2);
  assert.deepEqual(r2.versions.map((v) => v.version), [2, 1], 'newest first');
  const sec = r2.content.sections.find((s) => s.key === key);
  assert.ok(sec.blocks.some((b) => b.type === 'p' && b.text.includes(added)), 'the edit is in version 2');

  await page.reload();
  await page.waitForSelector('[data-testid="rp-editor"][data-editable="1"]');
  assert.ok((await page.inputValue(sel)).endsWith(added), 'a reload shows the edit');
  await page.screenshot({ path: shot(env, 'report-editor.png') });

  await page.click('[data-testid="rp-file"]');
  await page.waitForSelector('[data-testid="rp-status"]:has-text("报告已报备")');
  assert.match(await page.textContent('[data-testid="rp-state"]'), /^已报备/);
  assert.equal(await page.getAttribute('[data-testid="rp-editor"]', 'data-editable'), '0', 'filed: read-only');
  assert.equal(await page.$('[data-testid="rp-editor"] textarea'), null);
  const r3 = await apiGet(page, `/reports/${reportId}`);
  assert.equal(r3.state, 'filed');
  assert.equal(r3.filed_version, 2);
  await clean(page, 'the filed report');
  await done(page);
});

test('the bureau finds it in the queue and returns it with a comment; without one it is refused', async () => {
  assert.ok(reportId, 'the report of the first test');
  const page = await openPage(env);
  await login(page, env, 'admin');
  await page.goto(`${env.url}/#/reports`);
  await page.waitForSelector('[data-testid="rp-tab-queue"]');
  await page.click('[data-testid="rp-tab-queue"]');
  await page.waitForSelector(`[data-testid="rp-queue"] tr[data-report="${reportId}"]`);
  await ready(page);
  const q = await apiGet(page, '/reports?queue=1&per_page=500');
  assert.ok(q.items.length >= 1 && q.items.every((x) => x.state === 'filed'), 'the queue holds filed reports');
  const rows = await page.$$eval('[data-testid="rp-queue"] tbody tr', (trs) => trs.map((r) => ({
    id: Number(r.dataset.report), kind: r.querySelector('[data-col="kind"]').textContent,
    state: r.querySelector('[data-col="state"]').textContent, unit: r.querySelector('[data-col="unit"]').textContent })));
  assert.equal(rows.length, Math.min(q.total, 50));
  for (const row of rows) {
    const x = q.items.find((i) => i.id === row.id);
    assert.equal(row.kind, x.kind_zh, 'the kind in Chinese');
    assert.ok(row.state.startsWith(x.state_zh), 'the state in Chinese');
    assert.equal(row.unit, x.unit_name, 'the unit by name');
  }
  await clean(page, 'the queue');
  await page.screenshot({ path: shot(env, 'report-queue.png') });

  await page.click(`[data-testid="rp-queue"] tr[data-report="${reportId}"] [data-col="title"] a`);
  await page.waitForSelector('[data-testid="rp-actions"] [data-testid="rp-return"]');
  assert.ok(await page.$('[data-testid="rp-accept"]'), 'the bureau may accept');
  assert.equal(await page.$('[data-testid="rp-editor"] textarea'), null, 'and not edit');
  await clean(page, 'the report as the bureau sees it');

  // No comment: refused on the page, nothing sent.
  await page.click('[data-testid="rp-return"]');
  await page.waitForSelector('[data-testid="rp-status"].error');
  assert.equal(await status(page), '退回报告须填写审核意见。');
  assert.equal((await apiGet(page, `/reports/${reportId}`)).state, 'filed');

  await page.fill('[data-testid="rp-comment"]', '制度建设部分请补充制度名称和印发文号。');
  await page.click('[data-testid="rp-return"]');
  await page.waitForSelector('[data-testid="rp-status"]:has-text("报告已退回")');
  assert.match(await page.textContent('[data-testid="rp-state"]'), /^已退回/);
  assert.match(await page.textContent('[data-testid="rp-comments"]'), /制度建设部分请补充制度名称和印发文号。/);
  const r = await apiGet(page, `/reports/${reportId}`);
  assert.equal(r.state, 'returned');
  assert.deepEqual(r.comments.filter((c) => c.action === 'return').map((c) => [c.action, c.comment]), [['return', '制度建设部分请补充制度名称和印发文号。']]);
  await done(page);
});

test('the author reads the comment, edits (a stale editor is told to reload) and files again', async () => {
  assert.ok(reportId);
  const page = await openPage(env);
  await login(page, env, 'auditor');
  await page.goto(`${env.url}/#/reports/${reportId}`);
  await page.waitForSelector('[data-testid="rp-editor"][data-editable="1"]');
  const comments = await page.textContent('[data-testid="rp-comments"]');
  assert.match(comments, /退回/);
  assert.match(comments, /制度建设部分请补充制度名称和印发文号。/);
  assert.match(comments, /第2版 · .+ · \d{4}-\d\d-\d\d \d\d:\d\d/, 'the version, who and when (Beijing time)');
  assert.match(await page.textContent('[data-testid="rp-actions"]'), /重新报备|报备/);
  await clean(page, 'the returned report');

  // Another save comes first (the same report saved elsewhere): this editor's save is refused.
  const r0 = await apiGet(page, `/reports/${reportId}`);
  const { key, sel } = await editableParagraph(page);
  const sec = r0.content.sections.find((s) => s.key === key);
  const other = await apiPut(page, `/reports/${reportId}/sections/${key}`, { blocks: sec.blocks, base_version: r0.version });
  assert.equal(other.status, 200, 'a save from elsewhere');
  page.expectStatus(409, `/reports/${reportId}/sections/`);
  await page.fill(sel, (await page.inputValue(sel)) + '另');
  await page.waitForSelector('[data-testid="rp-status"].error', { timeout: 15000 });
  assert.match(await status(page), /已被他人修改.*刷新/);

  await page.click('[data-testid="rp-reload"]');
  await page.waitForFunction((v) => document.querySelector('[data-testid="rp-version"]')?.dataset.version === String(v), r0.version + 1);
  const text = '已修订《内部审计工作规定》（区二中发〔2026〕12号）。';
  await page.fill(sel, text);
  const want = r0.version + 2;
  await page.waitForSelector(`[data-testid="rp-status"]:has-text("已自动保存 第${want}版")`, { timeout: 15000 });
  await page.click('[data-testid="rp-file"]');
  await page.waitForSelector('[data-testid="rp-status"]:has-text("报告已报备")');
  const r = await apiGet(page, `/reports/${reportId}`);
  assert.equal(r.state, 'filed');
  assert.equal(r.filed_version, want, 'the edited version is the one filed');
  assert.ok(r.content.sections.find((s) => s.key === key).blocks.some((b) => b.text === text));
  await clean(page, 'refiled');
  await done(page);
});

test('the bureau accepts it and scores it; an old version opens read-only; the exports answer', async () => {
  assert.ok(reportId);
  const page = await openPage(env);
  await login(page, env, 'admin');
  await page.goto(`${env.url}/#/reports/${reportId}`);
  await page.waitForSelector('[data-testid="rp-accept"]');
  await page.fill('[data-testid="rp-comment"]', '同意备案。');
  await page.click('[data-testid="rp-accept"]');
  await page.waitForSelector('[data-testid="rp-status"]:has-text("报告已采纳")');
  assert.match(await page.textContent('[data-testid="rp-state"]'), /^已采纳/);
  assert.equal((await apiGet(page, `/reports/${reportId}`)).state, 'accepted');

  // The score card: the administrator enters a criterion's points; the total follows.
  await page.waitForSelector('[data-testid="rp-score"] input[data-criterion]');
  const s0 = await apiGet(page, `/reports/${reportId}/score`);
  const c = s0.criteria.find((x) => x.code === 'system') || s0.criteria.find((x) => !x.auto) || s0.criteria[0];
  const pts = c.max / 2;
  await page.fill(`[data-testid="rp-score"] input[data-criterion="${c.code}"]`, String(pts));
  await page.click('[data-testid="rp-score-save"]');
  await page.waitForSelector('[data-testid="rp-status"]:has-text("评分已保存")');
  const s1 = await apiGet(page, `/reports/${reportId}/score`);
  const c1 = s1.criteria.find((x) => x.code === c.code);
  assert.equal(Number(c1.points), pts);
  assert.ok(c1.by, 'entered by the reviewer');
  assert.equal(await page.textContent('[data-testid="rp-score-total"]'), String(Math.round(Number(s1.total) * 10) / 10));
  assert.match(await page.textContent(`[data-testid="rp-score"] tr[data-criterion="${c.code}"] [data-col="source"]`), /审计局评定/);
  await clean(page, 'accepted and scored');

  // Version 1 read-only.
  await page.click('[data-testid="rp-versions"] li[data-version="1"] a');
  await page.waitForSelector('[data-testid="rp-old"]');
  assert.match(await page.textContent('[data-testid="rp-old"]'), /正在查看第1版（只读）/);
  assert.equal(await page.$('[data-testid="rp-editor"] textarea, [data-testid="rp-editor"] input'), null);
  await clean(page, 'an old version');

  // The exports: DOCX, the print version (HTML), PDF (LibreOffice, 503 without it).
  await page.goto(`${env.url}/#/reports/${reportId}`);
  await page.waitForSelector('[data-testid="rp-export-docx"]');
  const kinds = { docx: /application\/vnd\.openxmlformats-officedocument\.wordprocessingml\.document/, html: /text\/html/, pdf: /application\/pdf/ };
  for (const fmt of ['docx', 'html', 'pdf']) {
    const href = await page.getAttribute(`[data-testid="rp-export-${fmt}"]`, 'href');
    assert.equal(href, `/api/v1/reports/${reportId}/export?format=${fmt}`);
    const res = await page.evaluate(async (u) => {
      const r = await fetch(u);
      const b = new Uint8Array(await r.arrayBuffer());
      return { status: r.status, type: r.headers.get('content-type'), disp: r.headers.get('content-disposition'), head: [...b.slice(0, 5)], size: b.length };
    }, href);
    assert.equal(res.status, 200, `${fmt}: HTTP ${res.status}`);
    assert.match(res.type, kinds[fmt], `${fmt}: ${res.type}`);
    if (fmt === 'docx') assert.deepEqual(res.head.slice(0, 2), [0x50, 0x4b], 'a zip');
    if (fmt === 'pdf') assert.equal(String.fromCharCode(...res.head), '%PDF-');
    if (fmt !== 'html') assert.match(res.disp || '', /attachment/);
  }
  await done(page);
});

test('the risk ranking: factors and weights shown; the administrator changes a weight', async () => {
  const page = await openPage(env);
  await login(page, env, 'admin');
  await page.goto(`${env.url}/#/reports/risk?unit=${AUDITOR_UNIT}&year=${YEAR + 1}`);
  await page.waitForSelector('[data-testid="rp-weights"] input[data-factor]');
  await ready(page);
  const w0 = await apiGet(page, '/settings/report-weights');
  const rank = await apiGet(page, `/reports/risk?unit=${AUDITOR_UNIT}&year=${YEAR + 1}`);
  if (rank.entries.length) {
    await page.waitForSelector('[data-testid="rp-risk"] tbody tr');
    const names = await page.$$eval('[data-testid="rp-risk"] tbody [data-col="name"]', (tds) => tds.map((td) => td.textContent));
    assert.equal(names.length, rank.entries.length);
  }
  await clean(page, 'the risk ranking');
  const f = w0.factors[0];
  const next = (Number(w0.weights[f.code]) + 5) % 101;
  await page.fill(`[data-testid="rp-weights"] input[data-factor="${f.code}"]`, String(next));
  await page.click('[data-testid="rp-weights-save"]');
  await page.waitForSelector('[data-testid="rp-status"]:has-text("权重已保存")');
  assert.equal(Number((await apiGet(page, '/settings/report-weights')).weights[f.code]), next);
  assert.equal(await page.inputValue(`[data-testid="rp-weights"] input[data-factor="${f.code}"]`), String(next));
  await done(page);

  // Others see the weights, not a form.
  const aud = await openPage(env);
  await login(aud, env, 'auditor');
  await aud.goto(`${env.url}/#/reports/risk`);
  await aud.waitForSelector('[data-testid="rp-weights"]');
  await ready(aud);
  assert.equal(await aud.$('[data-testid="rp-weights"] input'), null);
  await clean(aud, 'the risk ranking (auditor)');
  await done(aud);
});

test('the dashboard tile counts the reports; the list filters by kind; phone width', async () => {
  const page = await openPage(env);
  await login(page, env, 'admin');
  await page.waitForSelector('[data-kpi="reports"]');
  const d = await apiGet(page, '/dashboard');
  assert.ok(d.reports, 'the dashboard JSON has reports');
  const tile = await page.textContent('[data-kpi="reports"]');
  assert.ok(tile.startsWith('报告报备'), tile);
  assert.equal(await page.textContent('[data-kpi="reports"] b'), String(d.reports.late));
  assert.match(tile, new RegExp(`待审核 ${d.reports.queue}`));

  await page.goto(`${env.url}/#/reports?kind=plan`);
  await page.waitForSelector('[data-testid="rp-list"], [data-testid="rp-empty"]');
  await ready(page);
  const list = await apiGet(page, '/reports?kind=plan&per_page=500');
  const kinds = await page.$$eval('[data-testid="rp-list"] tbody tr', (trs) => trs.map((r) => r.dataset.kind));
  assert.equal(kinds.length, Math.min(list.total, 50));
  assert.ok(kinds.every((k) => k === 'plan'));
  await clean(page, 'the plans');
  await done(page);

  const phone = await openPage(env, { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
  await login(phone, env, 'auditor');
  for (const [hash, sel] of [['#/reports', '[data-testid="rp-new"]'], [`#/reports/${reportId}`, '[data-testid="rp-editor"]'],
    ['#/reports/risk', '[data-testid="rp-weights"]']]) {
    await phone.goto(`${env.url}/${hash}`);
    await phone.waitForSelector(sel);
    await ready(phone);
    assert.deepEqual([...await phoneScrollProblems(phone), ...await titleProblems(phone), ...await rawTextProblems(phone)], [], hash);
  }
  await phone.screenshot({ path: shot(env, 'phone-report.png') });
  await done(phone);
});
