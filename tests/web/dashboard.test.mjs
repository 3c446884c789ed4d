// The 一张网 dashboard in a real chromium: its figures are those of GET /api/v1/dashboard for each
// role's scope, they follow a triage at once, and the charts' tooltips work under the strict CSP.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startAll, openPage, login, done, apiGet, apiPost, shot } from './lib.mjs';

let env;
before(async () => { env = await startAll(); });
after(async () => { if (env) await env.stop(); });

const SEV_ZH = { high: '高', medium: '中', low: '低' };
const sum = (xs, k) => xs.reduce((n, x) => n + x[k], 0);

// Everything the dashboard page shows, read from the page.
async function shown(page) {
  return page.evaluate(() => {
    const kpi = (k) => document.querySelector(`.kpi[data-kpi="${k}"] b`).textContent;
    const rows = (id) => [...document.querySelectorAll(`[data-testid="${id}"] tbody tr`)]
      .map((tr) => [...tr.cells].map((td) => td.textContent));
    const series = (id) => window.echarts.getInstanceByDom(document.getElementById(id)).getOption().series[0].data;
    const axis = (id) => window.echarts.getInstanceByDom(document.getElementById(id)).getOption().xAxis[0].data;
    return {
      units: kpi('units'), pilot: kpi('pilot'), open: kpi('open'), imports: kpi('imports'),
      month: document.querySelector('.kpi[data-kpi="imports"] .muted').textContent,
      sev: Object.fromEntries([...document.querySelectorAll('.kpi[data-kpi="open"] a[data-severity]')]
        .map((a) => [a.dataset.severity, a.textContent])),
      items: rows('table-items'), cells: rows('table-cells'),
      itemSeries: series('chart-items'), itemAxis: axis('chart-items'),
      cellSeries: series('chart-cells'), cellAxis: axis('chart-cells'),
      tiles: Object.fromEntries([...document.querySelectorAll('a.tile')]
        .map((a) => [a.dataset.unit, [...a.querySelectorAll('.badge:not(.pilot):not(.rect)')].map((b) => b.textContent).join(' ')])),
      grades: [...new Set([...document.querySelectorAll('a.tile')].map((a) => `${a.dataset.grade}|${a.className.includes('grade-none')}`))],
      gradeLegend: document.querySelector('[data-testid="grade-legend"]')?.textContent ?? null,
      rectOpen: kpi('rect-open'), rectOverdue: kpi('rect-overdue'),
      rectTiles: Object.fromEntries([...document.querySelectorAll('a.tile .badge.rect')]
        .map((b) => [b.closest('a.tile').dataset.unit, Number(b.dataset.rectOverdue)])),
    };
  });
}

// The page against the API document, and the document against the lists it summarises.
async function checkDashboard(page, who) {
  await page.waitForSelector('.kpi[data-kpi="imports"] b');
  await page.waitForFunction(() => window.echarts && document.querySelector('#chart-cells canvas'));
  const d = await apiGet(page, '/dashboard');
  const s = await shown(page);
  assert.equal(s.units, String(d.units), `${who}: units`);
  assert.equal(s.pilot, String(d.pilot_units), `${who}: pilot units`);
  assert.equal(s.open, String(d.open_warnings.total), `${who}: open warnings`);
  for (const k of ['high', 'medium', 'low']) assert.equal(s.sev[k], `${SEV_ZH[k]} ${d.open_warnings[k]}`, `${who}: open ${k}`);
  assert.equal(s.imports, String(d.imports_this_month), `${who}: imports this month`);
  assert.equal(s.month, d.month);
  assert.deepEqual(s.items.map((r) => [r[0], Number(r[2])]), d.by_item.map((i) => [i.item, i.open]), `${who}: by item`);
  // The axes name what they count: "F03 资金支付审批", the cell by its name (issue 12 §3).
  assert.deepEqual(s.itemAxis, d.by_item.map((i) => `${i.item} ${i.name_zh}`));
  assert.deepEqual(s.cellAxis, d.by_cell.map((c) => (c.cell_id ? c.name : '未分配网格')), `${who}: cells by name`);
  assert.deepEqual(s.itemSeries, d.by_item.map((i) => i.open), `${who}: the item chart draws the same figures`);
  assert.deepEqual(s.cells.map((r) => [r[0], Number(r[2])]), d.by_cell.map((c) => [c.cell_id || '—', c.open]), `${who}: by cell`);
  assert.deepEqual(s.cellSeries, d.by_cell.map((c) => c.open), `${who}: the cell chart draws the same figures`);
  assert.equal(Object.keys(s.tiles).length, d.units, `${who}: one tile per unit`);
  for (const u of d.by_unit) {
    const want = ['high', 'medium', 'low'].filter((k) => u[k]).map((k) => `${SEV_ZH[k]} ${u[k]}`).join(' ');
    assert.equal(s.tiles[u.code], want, `${who}: badges of ${u.code}`);
  }
  // Issue 15 §1: a tile carries the unit's grade of the latest published year (the demo publishes
  // 2025), "not graded" when it has none (outside the roster), and the legend names every grade.
  const want = [...new Set(d.by_unit.map((u) => `${u.grade ?? ''}|${u.grade === null}`))].sort();
  assert.deepEqual(s.grades.slice().sort(), want, `${who}: each tile shows its unit's grade`);
  assert.match(s.gradeLegend, /5A级.*0级（一票否决）.*尚未评级/);
  // Rectification (整改): the headline figures, and the tiles of the units with overdue items.
  assert.equal(s.rectOpen, String(d.rectification.not_closed), `${who}: rectification not closed`);
  assert.equal(s.rectOverdue, String(d.rectification.overdue), `${who}: overdue rectification`);
  assert.deepEqual(s.rectTiles, Object.fromEntries(d.rectification.by_unit.filter((u) => u.overdue).map((u) => [u.code, u.overdue])),
    `${who}: tiles marked by overdue rectification`);
  const rs = await apiGet(page, '/rectifications/summary');
  for (const k of ['open', 'overdue', 'claimed', 'continuous', 'closed']) assert.equal(d.rectification[k], rs[k], `${who}: rectification ${k}`);
  assert.equal(d.rectification.overdue, (await apiGet(page, '/rectifications?state=overdue&per_page=1')).total);
  // The document agrees with the lists it counts.
  const units = await apiGet(page, '/units?per_page=1');
  const pilots = await apiGet(page, '/units?pilot=true&per_page=1');
  const open = await apiGet(page, '/warnings?status=open&per_page=1');
  const all = await apiGet(page, '/warnings?per_page=1');
  assert.equal(d.units, units.total);
  assert.equal(d.pilot_units, pilots.total);
  assert.equal(d.open_warnings.total, open.total);
  for (const k of ['high', 'medium', 'low'])
    assert.equal(d.open_warnings[k], (await apiGet(page, `/warnings?status=open&severity=${k}&per_page=1`)).total);
  assert.equal(sum(d.by_item, 'open'), open.total);
  assert.equal(sum(d.by_item, 'total'), all.total);
  assert.equal(sum(d.by_cell, 'open'), open.total);
  assert.equal(sum(d.by_cell, 'units'), d.units);
  assert.equal(sum(d.by_unit, 'open'), open.total);
  assert.equal(d.by_unit.length, d.units);
  for (const c of d.by_cell.filter((x) => x.cell_id).slice(0, 3))
    assert.equal(c.open, (await apiGet(page, `/warnings?status=open&cell=${c.cell_id}&per_page=1`)).total, `open in ${c.cell_id}`);
  return d;
}

test('the dashboard shows the figures of GET /api/v1/dashboard for each scope', async () => {
  const expected = { admin: 147, supervisor: null, chief: null };
  for (const who of Object.keys(expected)) {
    const page = await openPage(env);
    await login(page, env, who);
    const d = await checkDashboard(page, who);
    if (who === 'admin') {
      assert.equal(d.units, 147);
      assert.equal(d.pilot_units, 30);
      assert.ok(d.imports_this_month >= 60, 'the demo imported 60 books just now');
      assert.equal(d.by_item.length, 20, 'all 13 + 7 catalog items, with zeros');
    } else {
      assert.ok(d.units < 147 && d.units > 0, `${who} sees part of the district`);
      if (who === 'supervisor') assert.deepEqual(d.by_cell.map((c) => c.cell_id), ['D01']);
    }
    await done(page);
  }
});

test('a triage shows on the dashboard at once (the cached figures follow the data)', async () => {
  const page = await openPage(env);
  await login(page, env, 'auditor');
  const before = await checkDashboard(page, 'auditor');
  const w = (await apiGet(page, '/warnings?status=open&severity=high&per_page=1')).items[0];
  await apiPost(page, `/warnings/${w.id}/triage`, { action: 'acknowledge' });
  await page.reload();
  const after = await checkDashboard(page, 'auditor');
  assert.equal(after.open_warnings.total, before.open_warnings.total - 1);
  assert.equal(after.open_warnings.high, before.open_warnings.high - 1);
  assert.equal(after.by_item.find((i) => i.item === w.item).open, before.by_item.find((i) => i.item === w.item).open - 1);
  await done(page);
});

test('hovering a bar shows its tooltip, drawn on the canvas without breaking the CSP', async () => {
  const page = await openPage(env);
  await login(page, env, 'admin');
  await page.waitForFunction(() => window.echarts && document.querySelector('#chart-items canvas'));
  const d = await apiGet(page, '/dashboard');
  const f03 = d.by_item.find((i) => i.item === 'F03');
  assert.ok(f03.open > 0);
  // The middle of the F03 bar, in page coordinates.
  const [x, y] = await page.evaluate((v) => {
    const el = document.getElementById('chart-items');
    const c = window.echarts.getInstanceByDom(el);
    const [px, py] = c.convertToPixel({ seriesIndex: 0 }, ['F03 资金支付审批', v / 2]);
    const r = el.getBoundingClientRect();
    return [r.left + px, r.top + py];
  }, f03.open);
  // The texts drawn on the chart's canvas that span two lines: only the tooltip does.
  const tooltip = () => page.evaluate(() => {
    const zr = window.echarts.getInstanceByDom(document.getElementById('chart-items')).getZr();
    const texts = [];
    const visit = (e) => {
      if (e.type === 'text' && e.style && typeof e.style.text === 'string' && !e.invisible && !e.ignore) texts.push(e.style.text);
    };
    for (const r of zr.storage.getRoots()) { visit(r); if (r.isGroup) r.traverse(visit); }
    return texts.filter((s) => s.includes('\n'));
  });
  assert.deepEqual(await tooltip(), [], 'no tooltip before hovering');
  await page.mouse.move(x, y);
  for (let i = 0; i < 50 && !(await tooltip()).length; i++) await page.waitForTimeout(50);
  assert.deepEqual(await tooltip(), [`F03 资金支付审批\n未处理预警：${f03.open}`]);
  assert.equal(await page.locator('body > div[style], #chart-items div:not(:has(canvas)):not(:empty)').count(), 0,
    'no HTML tooltip element was made');
  await page.locator('#chart-items').screenshot({ path: shot(env, 'dashboard-tooltip.png') });
  await page.mouse.move(5, 5);
  await done(page);
});

test('the guard would see a CSP violation (an inline style set from a script)', async () => {
  const page = await openPage(env);
  await login(page, env, 'admin');
  await page.evaluate(() => { const d = document.createElement('div'); d.setAttribute('style', 'color: red'); document.body.append(d); });
  await page.waitForFunction(() => window.__csp.length > 0);
  assert.match((await page.evaluate(() => window.__csp))[0], /^style-src/);
  await page.ctx.close();
});
