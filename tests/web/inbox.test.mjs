// The warning inbox in a real chromium: filters by cell and date range, sorting by the column
// headers and paging, all in the URL; the rows, their order and the counts are those of the API.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startAll, openPage, login, done, apiGet } from './lib.mjs';

let env;
before(async () => { env = await startAll(); });
after(async () => { if (env) await env.stop(); });

const rows = (page) => page.evaluate(() => [...document.querySelectorAll('[data-testid="warnings"] tbody tr')].map((tr) => ({
  id: Number(tr.dataset.warning),
  // The cell shows the unit's name; its code is on the link (issue 12 §3).
  unit: tr.querySelector('[data-col="unit"] [data-unit-code]')?.dataset.unitCode,
  unitText: tr.querySelector('[data-col="unit"]')?.textContent,
  date: tr.querySelector('[data-col="date"]').textContent,
  severity: tr.querySelector('[data-col="severity"]').dataset.severity,
  amount: tr.querySelector('[data-col="amount"]').textContent,
})));
const total = async (page) => Number(await page.getAttribute('[data-testid="total"]', 'data-total'));
const hashQuery = (page) => Object.fromEntries(new URLSearchParams(new URL(page.url()).hash.split('?')[1] || ''));
const RANK = { low: 1, medium: 2, high: 3 };
const fen = (s) => Math.round(Number(String(s).replaceAll(',', '')) * 100);

// Waits for the list of the current URL and checks it is page `page` of the API's answer.
async function sameAsApi(page, apiQuery, msg) {
  await page.waitForSelector('[data-testid="warnings"] tbody tr, [data-testid="no-warnings"]');
  const api = await apiGet(page, '/warnings?' + apiQuery);
  const got = await rows(page);
  assert.deepEqual(got.map((r) => r.id), api.items.map((w) => w.id), `${msg}: the rows and their order`);
  assert.equal(await total(page), api.total, `${msg}: the count`);
  return { got, api };
}

test('filter by cell and date range from the form; the URL keeps them through a reload', async () => {
  const page = await openPage(env);
  await login(page, env, 'admin');
  await page.goto(env.url + '/#/warnings');
  await page.waitForSelector('[data-testid="warnings"] tbody tr');
  assert.equal(await total(page), (await apiGet(page, '/warnings?per_page=1')).total);
  const grid = await apiGet(page, '/grid');
  const d01 = grid.cells.find((c) => c.id === 'D01').units.map((u) => u.code);
  await page.selectOption('select[name="cell"]', 'D01');
  // Only D01's units are offered with it.
  const offered = await page.$$eval('select[name="unit"] option', (os) => os.map((o) => o.value).filter(Boolean));
  assert.deepEqual(offered.sort(), [...d01].sort());
  await page.fill('input[name="from"]', '2024-03-01');
  await page.fill('input[name="to"]', '2024-09-30');
  await page.click('form[role="search"] button[type="submit"]');
  await page.waitForFunction(() => location.hash.includes('cell=D01') && location.hash.includes('to=2024-09-30'));
  assert.deepEqual(hashQuery(page), { cell: 'D01', from: '2024-03-01', to: '2024-09-30' });
  const { got, api } = await sameAsApi(page, 'cell=D01&from=2024-03-01&to=2024-09-30&per_page=50', 'cell + dates');
  assert.ok(api.total > 0 && api.total < (await apiGet(page, '/warnings?cell=D01&per_page=1')).total, 'the dates narrow the cell');
  for (const r of got) {
    assert.ok(d01.includes(r.unit), `${r.unit} is in D01`);
    assert.ok(r.date >= '2024-03-01' && r.date <= '2024-09-30', `${r.date} is in the range`);
  }
  // The same count, independently: every D01 warning of the whole list, filtered here.
  const everything = await apiGet(page, '/warnings?per_page=500');
  assert.equal(everything.items.filter((w) => d01.includes(w.unit) && w.date >= '2024-03-01' && w.date <= '2024-09-30').length, api.total);
  await page.reload();
  await sameAsApi(page, 'cell=D01&from=2024-03-01&to=2024-09-30&per_page=50', 'after reload');
  assert.equal(await page.inputValue('select[name="cell"]'), 'D01');
  assert.equal(await page.inputValue('input[name="from"]'), '2024-03-01');
  assert.equal(await page.inputValue('input[name="to"]'), '2024-09-30');
  // Clearing goes back to everything.
  await page.click('[data-testid="clear"]');
  await page.waitForFunction(() => location.hash === '#/warnings');
  await sameAsApi(page, 'per_page=50', 'cleared');
  await done(page);
});

test('the column headers sort on the server, both ways, across pages', async () => {
  const page = await openPage(env);
  await login(page, env, 'admin');
  await page.goto(env.url + '/#/warnings?status=open');
  await page.waitForSelector('[data-testid="warnings"] tbody tr');
  assert.equal(await page.getAttribute('th:has(a[data-sort="unit"])', 'aria-sort'), 'ascending', 'by unit unless told');
  // Amount: largest first, then smallest first.
  await page.click('a[data-sort="amount"]');
  await page.waitForFunction(() => location.hash.includes('sort=-amount'));
  let { got } = await sameAsApi(page, 'status=open&sort=-amount&per_page=50', '-amount');
  for (let i = 1; i < got.length; i++) assert.ok(fen(got[i - 1].amount) >= fen(got[i].amount), 'amounts fall');
  assert.equal(await page.getAttribute('th:has(a[data-sort="amount"])', 'aria-sort'), 'descending');
  assert.equal(await page.getAttribute('th:has(a[data-sort="unit"])', 'aria-sort'), 'none');
  const top = got[0];
  await page.click('a[data-sort="amount"]');
  await page.waitForFunction(() => /sort=amount(&|$)/.test(location.hash));
  ({ got } = await sameAsApi(page, 'status=open&sort=amount&per_page=50', 'amount'));
  for (let i = 1; i < got.length; i++) assert.ok(fen(got[i - 1].amount) <= fen(got[i].amount), 'amounts rise');
  assert.equal(await page.getAttribute('th:has(a[data-sort="amount"])', 'aria-sort'), 'ascending');
  // Page 2 continues the order of page 1 (the sort is over the whole list, not the page).
  await page.goto(env.url + '/#/warnings?status=open&sort=-amount');
  await page.waitForSelector('[data-testid="warnings"] tbody tr');
  assert.ok(await total(page) > 50, 'more than one page');
  const last1 = (await rows(page)).at(-1);
  await page.click('a[rel="next"]');
  await page.waitForFunction(() => location.hash.includes('page=2'));
  ({ got } = await sameAsApi(page, 'status=open&sort=-amount&page=2&per_page=50', 'page 2'));
  assert.ok(fen(last1.amount) >= fen(got[0].amount));
  assert.ok(!got.some((r) => r.id === top.id));
  // Date, newest first; severity, most severe first.
  await page.click('a[data-sort="date"]');
  await page.waitForFunction(() => location.hash.includes('sort=-date'));
  assert.ok(!hashQuery(page).page, 'a new order starts on page 1');
  ({ got } = await sameAsApi(page, 'status=open&sort=-date&per_page=50', '-date'));
  for (let i = 1; i < got.length; i++) assert.ok(got[i - 1].date >= got[i].date, 'dates fall');
  await page.click('a[data-sort="severity"]');
  await page.waitForFunction(() => location.hash.includes('sort=-severity'));
  ({ got } = await sameAsApi(page, 'status=open&sort=-severity&per_page=50', '-severity'));
  for (let i = 1; i < got.length; i++) assert.ok(RANK[got[i - 1].severity] >= RANK[got[i].severity], 'severity falls');
  assert.equal(got[0].severity, 'high');
  // Unit, descending (the second click on the default column).
  await page.click('a[data-sort="unit"]');
  await page.waitForFunction(() => /sort=unit(&|$)/.test(location.hash));
  await page.click('a[data-sort="unit"]');
  await page.waitForFunction(() => location.hash.includes('sort=-unit'));
  ({ got } = await sameAsApi(page, 'status=open&sort=-unit&per_page=50', '-unit'));
  for (let i = 1; i < got.length; i++) assert.ok(got[i - 1].unit >= got[i].unit, 'units fall');
  // The sort survives a reload and a filter.
  await page.reload();
  await sameAsApi(page, 'status=open&sort=-unit&per_page=50', '-unit after reload');
  await page.selectOption('select[name="severity"]', 'medium');
  await page.click('form[role="search"] button[type="submit"]');
  await page.waitForFunction(() => location.hash.includes('severity=medium'));
  assert.deepEqual(hashQuery(page), { status: 'open', severity: 'medium', sort: '-unit' });
  await sameAsApi(page, 'status=open&severity=medium&sort=-unit&per_page=50', 'filter keeps the sort');
  // Keyboard: the headers are links, reachable and usable with the keyboard.
  await page.focus('a[data-sort="date"]');
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => location.hash.includes('sort=-date'));
  await sameAsApi(page, 'status=open&severity=medium&sort=-date&per_page=50', 'sorted from the keyboard');
  await done(page);
});

test('a bad date range is refused with the bilingual error, beside the form', async () => {
  const page = await openPage(env);
  await login(page, env, 'admin');
  page.expectStatus(400, '/api/v1/warnings?');
  await page.goto(env.url + '/#/warnings?from=2024-09-30&to=2024-03-01');
  await page.waitForSelector('[data-testid="filter-error"]');
  assert.match(await page.textContent('[data-testid="filter-error"]'), /起始日期 2024-09-30 晚于截止日期 2024-03-01/);
  assert.equal(await page.locator('form[role="search"]').count(), 1, 'the form stays to fix it');
  page.expectStatus(400, '/api/v1/warnings?');
  await page.click('#lang');
  await page.waitForSelector('[data-testid="filter-error"]:text("from 2024-09-30 is after to 2024-03-01")');
  page.expectStatus(400, '/api/v1/warnings?');
  await page.click('#lang');
  await page.waitForSelector('[data-testid="filter-error"]:text("起始日期")');
  // The form itself does not let the range be inverted.
  assert.equal(await page.getAttribute('input[name="to"]', 'min'), '2024-09-30');
  await done(page);
});

test('a supervisor filters within its cell only; another cell matches nothing', async () => {
  const page = await openPage(env);
  await login(page, env, 'supervisor');
  await page.goto(env.url + '/#/warnings');
  await page.waitForSelector('[data-testid="warnings"] tbody tr');
  const cells = await page.$$eval('select[name="cell"] option', (os) => os.map((o) => o.value).filter(Boolean));
  assert.deepEqual(cells, ['D01']);
  const mine = await apiGet(page, '/warnings?per_page=1');
  assert.equal((await apiGet(page, '/warnings?cell=D01&per_page=1')).total, mine.total);
  await page.goto(env.url + '/#/warnings?cell=D02');
  await page.waitForSelector('[data-testid="no-warnings"]');
  assert.equal(await total(page), 0);
  await done(page);
});
