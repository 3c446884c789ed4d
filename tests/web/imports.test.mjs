// Imports through the browser: an XLSX ledger and a GB/T 19581 zip (built in ledgers.mjs) uploaded
// on the imports page, their reports read, the books then on the unit page and in the API.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startAll, openPage, login, done, apiGet, AUDITOR_UNIT } from './lib.mjs';
import { xlsx, xlsxLedger, gbtZip } from './ledgers.mjs';

// "47309.40" -> "47,309.40", as the page writes amounts.
const sep = (s) => s.replace(/^(-?\d+)/, (d) => d.replace(/\B(?=(\d{3})+(?!\d))/g, ','));

let env;
before(async () => { env = await startAll(); });
after(async () => { if (env) await env.stop(); });

async function upload(page, file) {
  await page.setInputFiles('input[type="file"]', { name: file.name, mimeType: 'application/octet-stream', buffer: file.buffer });
  await page.click('form button[type="submit"]');
  await page.waitForSelector(`[data-testid="import-report"] [data-testid="import-file"]:text("${file.name}")`);
  const text = async (id) => page.textContent(`[data-testid="${id}"]`);
  return {
    status: await text('import-status'), file: await text('import-file'), years: await text('import-years'),
    vouchers: Number(await text('import-vouchers')), lines: Number(await text('import-lines')),
    debit: await text('import-debit'), credit: await text('import-credit'), findings: Number(await text('import-findings')),
  };
}

test('the auditor uploads an XLSX ledger and a GB/T 19581 zip and reads their reports', async () => {
  const page = await openPage(env);
  await login(page, env, 'auditor');
  await page.click('nav a[href="#/imports"]');
  await page.waitForSelector('input[type="file"]');
  assert.equal(await page.inputValue('select[name="unit"]'), AUDITOR_UNIT);

  const x = xlsxLedger(AUDITOR_UNIT, 2021);
  let r = await upload(page, x);
  assert.equal(r.status, '已导入');
  assert.match(r.file, /^ledger-2021\.xlsx · xlsx\/utf-8 · \d+ 字节$/);
  // Amounts with thousands separators (issue 12 §3): 47309.40 reads 47,309.40.
  assert.deepEqual([r.years, r.vouchers, r.lines, r.debit, r.credit, r.findings], ['2021', x.vouchers, x.lines, sep(x.debit), sep(x.debit), 0]);
  assert.equal(await page.getAttribute('progress', 'value'), '100', 'the progress bar ran to the end');
  // The same file again is recognised, nothing is imported twice.
  r = await upload(page, x);
  assert.equal(r.status, '此前已导入');

  const g = gbtZip(AUDITOR_UNIT, 2022);
  r = await upload(page, g);
  assert.equal(r.status, '已导入');
  assert.match(r.file, /^gbt-2022\.zip · gbt19581\//);
  assert.deepEqual([r.years, r.vouchers, r.lines, r.debit, r.credit], ['2022', g.vouchers, g.lines, sep(g.debit), sep(g.debit)]);
  assert.equal(r.findings, 1, 'the balance table disagrees with the vouchers once');
  // The kind in words, never its id (issue 12 §3); the id stays on the element for scripts.
  assert.equal(await page.textContent('[data-testid="import-kinds"]'), '科目余额表与凭证发生额不一致: 1');
  assert.equal(await page.getAttribute('[data-testid="import-kinds"] [data-kind]', 'data-kind'), g.finding);
  assert.match(await page.textContent('[data-testid="import-finding-list"]'), /gbt-2022\.zip:\d+ 科目 5001 第 1 期/);

  // The books are there, in the API and on the unit page, with their import sources.
  const l21 = (await apiGet(page, `/units/${AUDITOR_UNIT}/ledger?year=2021`)).books[0];
  const l22 = (await apiGet(page, `/units/${AUDITOR_UNIT}/ledger?year=2022`)).books[0];
  assert.deepEqual([l21.lines, l21.debit_total, l21.sources[0].format], [x.lines, x.debit, 'xlsx']);
  assert.deepEqual([l22.lines, l22.debit_total, l22.findings, l22.sources[0].format], [g.lines, g.debit, 1, 'gbt19581']);
  await page.goto(`${env.url}/#/units/${AUDITOR_UNIT}`);
  await page.waitForSelector('[data-testid="ledgers"] tr[data-year="2022"]');
  assert.match(await page.textContent('[data-testid="ledgers"] tr[data-year="2021"]'), /ledger-2021\.xlsx · xlsx/);
  assert.match(await page.textContent('[data-testid="ledgers"] tr[data-year="2022"]'), /gbt-2022\.zip · gbt19581/);
  await done(page);
});

// Issue 12 §3: a year that already has books is refused in the page's words (替换/追加, never the
// command line's --replace), and choosing 替换 on the form replaces them.
test('a year with books: refused with 替换/追加 in words, then replaced by choosing 替换', async () => {
  const page = await openPage(env);
  await login(page, env, 'auditor');
  await page.goto(env.url + '/#/imports');
  await page.waitForSelector('input[type="file"]');
  assert.deepEqual(await page.$$eval('[data-testid="existing"] label', (ls) => ls.map((l) => l.textContent)),
    ['不导入（提示）', '替换', '追加']);
  const first = xlsxLedger(AUDITOR_UNIT, 2019);
  assert.equal((await upload(page, first)).status, '已导入');
  const again = gbtZip(AUDITOR_UNIT, 2019); // other books of the same year
  await page.setInputFiles('input[type="file"]', { name: again.name, mimeType: 'application/octet-stream', buffer: again.buffer });
  page.expectStatus(409, '/imports');
  await page.click('form button[type="submit"]');
  await page.waitForSelector('[data-testid="import-error"]');
  const msg = await page.textContent('[data-testid="import-error"]');
  assert.match(msg, /已有账套数据/);
  assert.match(msg, /“替换”/);
  assert.doesNotMatch(msg, /--[a-z]/, 'no command-line option on the page');
  await page.check('input[name="existing"][value="replace"]');
  const r = await upload(page, again);
  assert.equal(r.status, '已导入');
  const l19 = (await apiGet(page, `/units/${AUDITOR_UNIT}/ledger?year=2019`)).books[0];
  assert.deepEqual([l19.lines, l19.sources.map((x) => x.format)], [again.lines, ['gbt19581']], 'the books of 2019 were replaced');
  await done(page);
});

test('a refused XLSX names the sheet and cell at fault, and nothing is written', async () => {
  const page = await openPage(env);
  await login(page, env, 'auditor');
  await page.goto(env.url + '/#/imports');
  await page.waitForSelector('input[type="file"]');
  // A workbook whose first debit amount is text.
  const bad = xlsx([['凭证日期', '凭证号', '科目编码', '借方金额', '贷方金额'], ['2020-01-05', '1', '5001', 'abc', 0]]);
  await page.setInputFiles('input[type="file"]', { name: 'bad-2020.xlsx', mimeType: 'application/octet-stream', buffer: bad });
  page.expectStatus(422, '/imports');
  await page.click('form button[type="submit"]');
  await page.waitForSelector('[data-testid="import-error"]');
  assert.match(await page.textContent('[data-testid="import-where"]'), /^bad-2020\.xlsx:凭证!D2/);
  const years = (await apiGet(page, `/units/${AUDITOR_UNIT}/ledger`)).books.map((b) => b.year);
  assert.ok(years.length > 0 && !years.includes(2020), `no books of 2020 (${years})`);
  await done(page);
});
