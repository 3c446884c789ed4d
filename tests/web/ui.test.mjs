// The browser UI in a real chromium against the real server on a fresh demo district.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { startAll, openPage, login, done, shot, apiGet, AUDITOR_UNIT, SRC, rawTextProblems, titleProblems, phoneScrollProblems, sql } from './lib.mjs';

let env;
before(async () => { env = await startAll(); });
after(async () => { if (env) await env.stop(); });


test('an unsigned visitor lands on the login page and a wrong password is refused', async () => {
  const page = await openPage(env);
  // Before sign-in the page asks GET /session, which answers 200 {"signed_in":false}: no 401 in
  // the console (the guards fail the test on any unannounced status >= 400 or console error).
  const probe = page.waitForResponse((r) => new URL(r.url()).pathname === '/api/v1/session' && r.request().method() === 'GET');
  await page.goto(env.url + '/#/dashboard');
  await page.waitForSelector('input[name="username"]');
  assert.deepEqual([(await probe).status(), await (await probe).json()], [200, { signed_in: false }]);
  assert.equal(await page.isVisible('#top'), false);
  assert.equal(await page.title(), '登录 · 审计监督一张网');
  assert.deepEqual(await titleProblems(page), []);
  await page.fill('input[name="username"]', 'admin');
  await page.fill('input[name="password"]', 'wrong-password');
  page.expectStatus(401, '/api/v1/session');
  await page.click('button[type="submit"]');
  await page.waitForSelector('.error:text("用户名或口令错误")');
  await done(page);
});

test('admin sees the whole grid, charts and every unit; deep links survive reload', async () => {
  const page = await openPage(env);
  await login(page, env, 'admin');
  assert.match(await page.textContent('#who'), /审计局管理员/);
  await page.waitForSelector('.kpi[data-kpi="units"] b');
  assert.equal(await page.textContent('.kpi[data-kpi="units"] b'), '147');
  assert.equal(await page.textContent('.kpi[data-kpi="pilot"] b'), '30');
  assert.equal(await page.textContent('.kpi[data-kpi="open"] b'), '190');
  assert.match(await page.textContent('.kpi[data-kpi="imports"]'), /^本月导入\d+\d{4}-\d{2}$/);
  assert.equal(await page.locator('a.tile').count(), 147);
  assert.equal(await page.locator('#chart-items canvas').count(), 1);
  assert.equal(await page.locator('#chart-cells canvas').count(), 1);
  assert.equal(await page.locator('nav a[href="#/imports"]').count(), 0, 'admin does not import');
  await page.screenshot({ path: shot(env, 'dashboard.png') });
  await page.click(`a.tile[data-unit="${AUDITOR_UNIT}"]`);
  await page.waitForSelector('[data-testid="subjects"]');
  assert.equal(page.url(), `${env.url}/#/units/${AUDITOR_UNIT}`);
  await page.reload();
  await page.waitForSelector('[data-testid="ledgers"] table');
  assert.match(await page.textContent('h1'), /天津市南开区第二中学/);
  assert.match(await page.textContent('[data-testid="subjects"]'), /董秀凯/);
  await page.screenshot({ path: shot(env, 'unit.png'), fullPage: false });
  await page.goto(env.url + '/#/warnings?severity=high&status=open');
  await page.waitForSelector('[data-testid="warnings"]');
  await page.reload();
  await page.waitForSelector('[data-testid="warnings"]');
  assert.equal(await page.inputValue('select[name="severity"]'), 'high');
  const rows = await page.locator('[data-testid="warnings"] tbody tr').count();
  assert.ok(rows > 0);
  assert.equal(await page.locator('[data-testid="warnings"] tbody .badge.medium').count(), 0);
  await page.goto(env.url + '/#/warnings?cell=D01&status=open&from=2024-01-01&to=2024-12-31&sort=-amount');
  await page.waitForSelector('[data-testid="warnings"]');
  assert.equal(await page.getAttribute('th:has(a[data-sort="amount"])', 'aria-sort'), 'descending');
  await page.screenshot({ path: shot(env, 'inbox.png') });
  // The English switch.
  await page.click('#lang');
  await page.waitForSelector('h1:text("Warning inbox")');
  await page.click('#lang');
  await page.waitForSelector('h1:text("预警收件箱")');
  await page.click('#logout');
  await page.waitForSelector('input[name="username"]');
  await done(page);
});

test('the auditor sees its unit and the units its teams audit, cannot open another, and imports a ledger', async () => {
  // The demo's auditor is on a cross-audit team of the published round: it sees that unit too.
  const assigned = sql(env, `SELECT DISTINCT ap.unit_code FROM audit_project ap
    JOIN audit_team tm ON tm.project_id = ap.id JOIN app_user u ON u.person_id = tm.person_id
    WHERE u.username = 'auditor' AND ap.stage <> 'closed' AND ap.unit_code <> '${AUDITOR_UNIT}'`).map((r) => r[0]);
  assert.ok(assigned.length >= 1, 'the demo puts the auditor on a team');
  assert.ok(!assigned.includes('91120104MA4257977U'));
  const page = await openPage(env);
  await login(page, env, 'auditor');
  assert.match(await page.textContent('#who'), /内审人员/);
  await page.waitForSelector('a.tile');
  assert.equal(await page.locator('a.tile').count(), 1 + assigned.length);
  assert.equal(await page.textContent('.kpi[data-kpi="units"] b'), String(1 + assigned.length));
  for (const code of [AUDITOR_UNIT, ...assigned]) assert.equal(await page.locator(`a.tile[href="#/units/${code}"]`).count(), 1, code);
  page.expectStatus(404, '/api/v1/units/91120104MA4257977U');
  page.expectStatus(404, '/api/v1/units/91120104MA4257977U/ledger');
  await page.goto(env.url + '/#/units/91120104MA4257977U');
  await page.waitForSelector('h1:text("未找到或无权查看")');
  // Import: a refused file shows file:line, a good one its report.
  await page.click('nav a[href="#/imports"]');
  await page.waitForSelector('input[type="file"]');
  await page.setInputFiles('input[type="file"]', path.join(SRC, 'tests/web/fixtures/bad.csv'));
  page.expectStatus(422, '/imports');
  await page.click('form button[type="submit"]');
  await page.waitForSelector('[data-testid="import-error"]');
  assert.match(await page.textContent('[data-testid="import-error"]'), /bad\.csv:\d+/);
  await page.setInputFiles('input[type="file"]', path.join(SRC, 'tests/web/fixtures/ledger-2023.csv'));
  await page.click('form button[type="submit"]');
  await page.waitForSelector('[data-testid="import-report"]');
  assert.equal(await page.textContent('[data-testid="import-status"]'), '已导入');
  assert.equal(await page.textContent('[data-testid="import-lines"]'), '2');
  await page.goto(`${env.url}/#/units/${AUDITOR_UNIT}`);
  await page.waitForSelector('[data-testid="ledgers"] table');
  assert.match(await page.textContent('[data-testid="ledgers"]'), /ledger-2023\.csv/);
  await done(page);
});

test('the auditor triages a warning; dismissing needs a reason; the choice shows with the user', async () => {
  const page = await openPage(env);
  await login(page, env, 'auditor');
  await page.goto(env.url + '/#/warnings?status=open');
  await page.waitForSelector('[data-testid="warnings"] tbody tr');
  const first = page.locator('[data-testid="warnings"] tbody tr a[href^="#/warnings/"]').first();
  const id = await first.textContent();
  await first.click();
  await page.waitForSelector('[data-testid="evidence"] tbody tr');
  await page.click('button[data-action="dismiss"]');
  await page.waitForSelector('[data-testid="triage-msg"]:text("排除须填写理由")');
  await page.fill('textarea[name="reason"]', '已核实：系正常报销');
  await page.click('button[data-action="dismiss"]');
  await page.waitForSelector('[data-testid="status"]:text("已排除")');
  // Who decided, by name (issue 12 §3): the account's person as the API names it, not `auditor`.
  const named = (await apiGet(page, `/warnings/${id.replace(/^#/, '')}`)).status_by_name;
  assert.ok(named && named !== 'auditor', `the decider by name (${named})`);
  assert.equal(await page.textContent('[data-testid="status-by"]'), named);
  await page.reload();
  await page.waitForSelector('[data-testid="status"]:text("已排除")');
  assert.equal(page.url(), `${env.url}/#/warnings/${id}`);
  await page.click('button[data-action="escalate"]');
  await page.waitForSelector('[data-testid="status"]:text("已上报")');
  await done(page);
});

test('the supervisor sees its cell read-only: no triage, no imports', async () => {
  const page = await openPage(env);
  await login(page, env, 'supervisor');
  await page.waitForSelector('a.tile');
  const cells = await page.locator('.cells section h3').allTextContents();
  assert.ok(cells.length >= 1 && cells.every((c) => c.startsWith('D01')), cells.join('|'));
  assert.equal(await page.locator('nav a[href="#/imports"]').count(), 0);
  await page.goto(env.url + '/#/warnings');
  await page.waitForSelector('[data-testid="warnings"] tbody tr');
  await page.locator('[data-testid="warnings"] tbody tr a[href^="#/warnings/"]').first().click();
  await page.waitForSelector('[data-testid="evidence"]');
  assert.equal(await page.locator('button[data-action]').count(), 0);
  await page.goto(env.url + '/#/imports');
  await page.waitForSelector('h1:text("导入账套")');
  assert.equal(await page.locator('input[type="file"]').count(), 0);
  await done(page);
});

test('an expired session returns to login, keeps the typed filter and the page', async () => {
  const page = await openPage(env);
  await login(page, env, 'auditor');
  await page.goto(env.url + '/#/warnings?status=open');
  // The rule filter is a dropdown of the rules' Chinese names (issue 12 §3).
  await page.waitForSelector('select[name="rule"]');
  await page.selectOption('select[name="rule"]', 'payee_is_staff');
  await page.ctx.clearCookies(); // the session is gone as far as the browser can tell
  page.expectStatus(401, '/api/v1/grid'); // the inbox loads the grid (cells, units) and the list
  page.expectStatus(401, '/api/v1/warnings?');
  page.expectStatus(401, '/api/v1/warning-rules'); // and the rules' names for the rule filter
  page.expectStatus(401, '/api/v1/notifications?unread=1'); // the header's unread badge
  await page.evaluate(() => window.dispatchEvent(new HashChangeEvent('hashchange')));
  await page.waitForSelector('input[name="username"]');
  assert.match(await page.textContent('.error'), /会话已过期/);
  await page.fill('input[name="username"]', 'auditor');
  await page.fill('input[name="password"]', 'Nankai#2026');
  await page.click('button[type="submit"]');
  await page.waitForSelector('select[name="rule"]');
  assert.equal(page.url(), `${env.url}/#/warnings?status=open`);
  assert.equal(await page.inputValue('select[name="rule"]'), 'payee_is_staff');
  await done(page);
});

// Issue 12 §3: a favicon, served by the static handler and linked from every page.
test('the favicon is linked and served', async () => {
  const page = await openPage(env);
  await page.goto(env.url + '/#/login');
  await page.waitForSelector('input[name="username"]');
  const href = await page.getAttribute('link[rel="icon"]', 'href');
  const r = await page.request.get(new URL(href, env.url + '/').href);
  assert.equal(r.status(), 200);
  assert.equal(r.headers()['content-type'], 'image/svg+xml');
  assert.match(await r.text(), /^<svg /);
  await done(page);
});

// Overlapping x-axis labels of an ECharts bar chart, read from what it drew: labels side by side
// must be further apart than their width (upright) or than a line of text (turned).
async function axisLabelOverlaps(page, id) {
  return page.evaluate((chartId) => {
    const c = window.echarts.getInstanceByDom(document.getElementById(chartId));
    const labels = c.getOption().xAxis[0].data.map(String);
    const drawn = [];
    const visit = (e) => {
      if (e.type !== 'text' || e.invisible || e.ignore || !e.style || typeof e.style.text !== 'string') return;
      const txt = e.style.text.replace(/…$/, '');
      if (!txt || !labels.some((l) => l.startsWith(txt))) return;
      const m = e.getComputedTransform() || [1, 0, 0, 1, e.x, e.y];
      const r = e.getBoundingRect();
      drawn.push({ x: m[4], rot: Math.abs(Math.atan2(m[1], m[0])), w: r.width, hgt: r.height, txt });
    };
    for (const r of c.getZr().storage.getRoots()) { visit(r); if (r.isGroup) r.traverse(visit); }
    drawn.sort((a, b) => a.x - b.x);
    const bad = [];
    for (let i = 1; i < drawn.length; i++) {
      const [a, b] = [drawn[i - 1], drawn[i]];
      const d = b.x - a.x;
      const need = a.rot < 0.05 ? (a.w + b.w) / 2 : Math.min(a.hgt, b.hgt) / Math.sin(a.rot);
      if (d + 0.5 < need) bad.push(`${a.txt} / ${b.txt}: ${d.toFixed(1)}px apart, need ${need.toFixed(1)}`);
    }
    return { count: drawn.length, labels: labels.length, bad };
  }, id);
}

// Issue 12 §3 at phone width (390x844): the header's links stay whole (never one character per
// line), the ledger (unit) and project (audit) pages do not scroll sideways - wide tables scroll in
// their own box - and the dashboard's chart labels do not overlap. Each page says nothing raw.
test('phone width: whole header links, no page-wide sideways scroll, chart labels apart', async () => {
  const page = await openPage(env, { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
  await login(page, env, 'admin');
  await page.waitForFunction(() => window.echarts && document.querySelector('#chart-items canvas'));
  // Every nav link on one line: its height is one line of text, its text not broken.
  const links = await page.$$eval('#nav a', (as) => as.map((a) => ({ t: a.textContent, rects: a.getClientRects().length, h: a.getBoundingClientRect().height })));
  assert.ok(links.length >= 4, 'the admin has the header links');
  for (const l of links) assert.ok(l.rects === 1 && l.h < 40, `nav link "${l.t}" wraps: ${l.h}px tall, ${l.rects} boxes`);
  for (const id of ['chart-items', 'chart-cells']) {
    const o = await axisLabelOverlaps(page, id);
    assert.ok(o.count >= Math.min(o.labels, 10), `${id}: labels are drawn (${o.count} of ${o.labels})`);
    assert.deepEqual(o.bad, [], `${id}: labels apart at 390px`);
  }
  assert.deepEqual(await phoneScrollProblems(page), [], 'dashboard');
  const projects = (await apiGet(page, '/audits?per_page=500')).items;
  const demo = projects.find((p) => p.code === 'NK-JCHS-2026-01');
  for (const [name, hash, ready] of [
    ['ledger (unit)', `#/units/${AUDITOR_UNIT}`, '[data-testid="ledgers"] table'],
    ['project (audit)', `#/audits/${demo.id}`, '[data-testid="stages"]'],
    ['rectifications', '#/rectifications', 'main table tbody tr'],
  ]) {
    await page.goto(`${env.url}/${hash}`);
    await page.waitForSelector(ready);
    await page.waitForFunction(() => !document.querySelector('main .view > p.muted:only-child'));
    assert.deepEqual(await phoneScrollProblems(page), [], name);
    // The wide tables are there, scrolling inside their own box.
    const boxes = await page.$$eval('main .table-wrap', (ws) => ws.map((w) => ({ sw: w.scrollWidth, cw: w.clientWidth, ox: getComputedStyle(w).overflowX })));
    assert.ok(boxes.length > 0, `${name}: its tables sit in boxes`);
    assert.ok(boxes.some((b) => b.sw > b.cw && b.ox === 'auto'), `${name}: a wide table scrolls in its box`);
    assert.deepEqual([...await titleProblems(page), ...await rawTextProblems(page)], [], name);
  }
  await page.screenshot({ path: shot(env, 'phone-audit.png') });
  await done(page);
});

// The grid's supervision pages at phone width: no page-wide sideways scroll, a title of their own,
// nothing raw, each as a role that uses it.
test('phone width: the cross-audit, department, SOE, training and liaison pages', async () => {
  const admin = await openPage(env, { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
  await login(admin, env, 'admin');
  const round = (await apiGet(admin, '/crossaudit/rounds')).items[0];
  const opinion = (await apiGet(admin, '/guidance?per_page=1')).items[0];
  assert.ok(round && opinion, 'the demo has a round and an opinion');
  const report = (await apiGet(admin, `/reports?state=accepted&unit=${AUDITOR_UNIT}`)).items[0];
  assert.ok(report, 'the demo has an accepted report of the leader\'s unit');
  const pages = [
    ['admin', 'cross-audit rounds', '#/crossaudit', '[data-testid="xa-rounds"]'],
    ['admin', 'a round', `#/crossaudit/${round.id}`, '[data-testid="xa-assignments"]'],
    ['admin', 'SOE groups', '#/soe', '[data-testid="soe-groups"]'],
    ['admin', 'IA bodies', '#/iabody', '[data-testid="ia-form"]'],
    ['admin', 'training', '#/training', '[data-testid="tr-form"]'],
    ['supervisor', 'department', '#/department', '[data-testid="gd-form"]'],
    ['supervisor', 'an opinion', `#/guidance/${opinion.id}`, '[data-testid="gd-targets"]'],
    ['liaison', 'liaison to-do', '#/liaison', '[data-testid="li-form"]'],
    // issue 15 §1 (rating)
    ['admin', 'rating grid', '#/rating?year=2025', '[data-testid="rt-grid"]'],
    ['admin', 'a unit rating', `#/rating/2025/${AUDITOR_UNIT}`, '[data-testid="rt-result"]'],
    ['leader', 'self-evaluation', `#/rating/2026/${AUDITOR_UNIT}`, '[data-testid="rt-self-form"]'],
    ['admin', 'assessment ranking', '#/assess?year=2025', '[data-testid="as-ranking"] tbody tr'], // issue 15 §2 (assess)
    ['supervisor', 'a unit\'s assessment', `#/assess/2026/${AUDITOR_UNIT}`, '[data-testid="as-items"]'],
    ['admin', 'reports', '#/reports', '[data-testid="rp-list"] tbody tr'], // issue 16 (reports)
    ['admin', 'the filing queue', '#/reports?tab=queue', '[data-testid="rp-queue"] tbody tr'],
    ['admin', 'the risk ranking', `#/reports/risk?unit=${AUDITOR_UNIT}&year=2027`, '[data-testid="rp-weights"] input'],
    ['leader', 'a report', `#/reports/${report.id}`, '[data-testid="rp-editor"]'],
  ];
  const as = { admin };
  for (const [who, name, hash, ready] of pages) {
    if (!as[who]) { as[who] = await openPage(env, { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true }); await login(as[who], env, who); }
    const page = as[who];
    await page.goto(`${env.url}/${hash}`);
    await page.waitForSelector(ready);
    await page.waitForFunction(() => !document.querySelector('main .view > p.muted:only-child'));
    assert.deepEqual([...await phoneScrollProblems(page), ...await titleProblems(page), ...await rawTextProblems(page)], [], name);
  }
  for (const page of Object.values(as)) await done(page);
});

// Issue 12 §3: who did something and when, by name and in Beijing time. The project's creation
// time is stored in UTC; the page shows it 8 hours later as "YYYY-MM-DD HH:MM", and the person.
test('the project page shows its creator by name and its time in Beijing time', async () => {
  const page = await openPage(env);
  await login(page, env, 'admin');
  const projects = (await apiGet(page, '/audits?per_page=500')).items;
  const demo = projects.find((p) => p.code === 'NK-JCHS-2026-01');
  const p = await apiGet(page, `/audits/${demo.id}`);
  assert.match(p.created_at, /Z$/, 'stored and sent in UTC');
  const bj = new Date(Date.parse(p.created_at) + 8 * 3600e3).toISOString().replace('T', ' ').slice(0, 16);
  await page.goto(`${env.url}/#/audits/${demo.id}`);
  await page.waitForSelector('[data-testid="audit-created"]');
  const shown = await page.textContent('[data-testid="audit-created"]');
  assert.ok(shown.endsWith(` · ${bj}`), `"${shown}" ends in Beijing time ${bj}`);
  assert.ok(!shown.includes(p.created_by), `"${shown}" does not show the stored actor ${p.created_by}`);
  assert.equal(await page.title(), `${p.code} ${p.name} · 审计监督一张网`);
  await done(page);
});

// Issue 12 §3: the unit filter (147 units) is searchable: typing part of a name keeps the matching
// units, and a single match is chosen.
test('the unit filters of the rectification and project lists are searchable', async () => {
  const page = await openPage(env);
  await login(page, env, 'admin');
  for (const hash of ['#/rectifications', '#/audits']) {
    await page.goto(`${env.url}/${hash}`);
    await page.waitForSelector('[data-testid="search-unit"]');
    const all = await page.$$eval('select[name="unit"] option', (os) => os.length);
    assert.ok(all > 100, `${hash}: ${all} units to choose from`);
    await page.fill('[data-testid="search-unit"]', '第二中学');
    const shown = await page.$$eval('select[name="unit"] option:not([hidden])', (os) => os.map((o) => [o.value, o.textContent]));
    assert.deepEqual(shown.map(([v]) => v), ['', AUDITOR_UNIT], `${hash}: only 第二中学 (and "any") left`);
    assert.equal(await page.inputValue('select[name="unit"]'), AUDITOR_UNIT, `${hash}: the one match is chosen`);
    await page.fill('[data-testid="search-unit"]', '');
    assert.equal(await page.$$eval('select[name="unit"] option:not([hidden])', (os) => os.length), all);
  }
  await done(page);
});
