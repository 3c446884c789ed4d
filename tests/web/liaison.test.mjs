// The grid liaison's to-do list (issue 14 §5) in the browser, on the demo district whose log has
// exactly two units off cadence: the bureau sees both on the dashboard and on #/liaison and sets
// the cadence there; the liaison of S01 sees its cell's one, logs the contact from the to-do's
// button, and the to-do empties, its reminder in 提醒 is read and the unit page shows the entry; a
// refused log shows the server's words (no command-line option); a supervisor only reads.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startAll, openPage, login, done, apiGet } from './lib.mjs';

let env;
before(async () => { env = await startAll(); });
after(async () => { if (env) await env.stop(); });

const rows = (page) => page.$$eval('[data-testid="li-todo"] tbody tr', (trs) => trs.map((r) => `${r.dataset.unit}:${r.dataset.kind}`));

test('the bureau sees the two slipped units on the dashboard and the to-do, and sets the cadence', async () => {
  const page = await openPage(env);
  await login(page, env, 'admin');
  await page.waitForSelector('[data-kpi="liaison"]');
  assert.match(await page.textContent('[data-kpi="liaison"]'), /^联系走访逾期单位2未联系 1 · 未走访 1$/);
  await page.click('[data-kpi="liaison"] a[data-liaison="todo"]');
  await page.waitForSelector('[data-testid="li-todo"]');
  const todo = await apiGet(page, '/liaison/todo');
  assert.equal(todo.units, 2);
  assert.deepEqual(await rows(page), todo.items.map((x) => `${x.unit_code}:${x.kind}`));
  assert.deepEqual(todo.items.map((x) => x.kind).sort(), ['contact', 'visit']);
  const visit = todo.items.find((x) => x.kind === 'visit');
  assert.equal(await page.textContent(`tr[data-kind="visit"] [data-testid="days-overdue"]`), `${visit.days_overdue} 天`);
  assert.match(await page.textContent('[data-testid="li-cadence"]'), /每 30 天至少联系一次，每 90 天至少走访一次/);
  // A longer visit cadence takes the visit off the list; the old one puts it back.
  await page.fill('[data-testid="li-cadence-form"] input[name="visit_days"]', String(90 + visit.days_overdue));
  await page.click('[data-testid="li-cadence-form"] button[type="submit"]');
  await page.waitForSelector('[data-testid="li-status"]:has-text("联系走访周期已保存")');
  assert.deepEqual((await rows(page)).map((r) => r.split(':')[1]), ['contact']);
  await page.fill('[data-testid="li-cadence-form"] input[name="visit_days"]', '90');
  await page.click('[data-testid="li-cadence-form"] button[type="submit"]');
  await page.waitForSelector('[data-testid="li-cadence"]:has-text("每 90 天")');
  assert.equal((await rows(page)).length, 2);
  await done(page);
});

test('the liaison logs the contact from its to-do and the slip goes, with its reminder', async () => {
  const page = await openPage(env);
  await login(page, env, 'liaison');
  await page.click('nav a[href="#/liaison"]');
  await page.waitForSelector('[data-testid="li-todo"]');
  const todo = await apiGet(page, '/liaison/todo');
  assert.equal(todo.items.length, 1, 'only its own cell S01');
  const x = todo.items[0];
  assert.equal(x.kind, 'contact');
  assert.equal(x.cell_id, 'S01');
  assert.match(await page.textContent('[data-testid="li-todo"] tbody'), new RegExp(`${x.unit_name}长虹街道逾期未联系${x.last}`));
  // The reminder is in 提醒, unread.
  const before0 = await apiGet(page, '/notifications?unread=1');
  const notice = before0.items.find((n) => n.kind === 'liaison_contact' && n.unit_code === x.unit_code);
  assert.ok(notice, 'a reminder for the slipped unit');

  // A date after today is refused by the server, in its words.
  await page.click('[data-testid="li-fill"]');
  assert.equal(await page.inputValue('[data-testid="li-form"] select[name="unit_code"]'), x.unit_code);
  await page.fill('[data-testid="li-form"] input[name="person"]', '王芳');
  await page.fill('[data-testid="li-form"] textarea[name="notes"]', '了解内审制度落实情况');
  await page.fill('[data-testid="li-form"] textarea[name="followups"]', '两周内补齐内审台账');
  await page.$eval('[data-testid="li-form"] input[name="date"]', (el) => { el.removeAttribute('max'); el.value = '2099-01-01'; });
  page.expectStatus(422, '/liaison/logs');
  await page.click('[data-testid="li-form"] button[type="submit"]');
  await page.waitForSelector('[data-testid="li-status"].error');
  const refusal = await page.textContent('[data-testid="li-status"]');
  assert.match(refusal, /联系走访日期不能晚于今天/);
  assert.doesNotMatch(refusal, /--/);

  await page.fill('[data-testid="li-form"] input[name="date"]', todo.today);
  await page.click('[data-testid="li-form"] button[type="submit"]');
  await page.waitForSelector('[data-testid="li-status"]:has-text("已记录")');
  await page.waitForSelector('[data-testid="li-todo-empty"]');
  const first = page.locator('[data-testid="li-logs"] tbody tr').first();
  assert.match(await first.textContent(), new RegExp(`^${todo.today}联系${x.unit_name}王芳了解内审制度落实情况两周内补齐内审台账`));
  const after0 = await apiGet(page, '/notifications');
  assert.ok(after0.items.find((n) => n.id === notice.id).read_at, 'the log answered the reminder');

  // The unit page shows the entry.
  await page.goto(`${env.url}/#/units/${x.unit_code}`);
  await page.waitForSelector('[data-testid="unit-liaison"] tbody tr');
  assert.match(await page.textContent('[data-testid="unit-liaison"] tbody tr'), /联系王芳/);
  await done(page);
});

test('a supervisor reads the to-do of its cell but has no log form', async () => {
  const page = await openPage(env);
  await login(page, env, 'supervisor');
  await page.goto(`${env.url}/#/liaison`);
  await page.waitForSelector('[data-testid="li-cadence"]');
  const todo = await apiGet(page, '/liaison/todo');
  assert.deepEqual(todo.items.map((x) => `${x.cell_id}:${x.kind}`), ['D01:visit'], 'its cell D01 has the slipped visit');
  assert.deepEqual(await rows(page), [`${todo.items[0].unit_code}:visit`]);
  assert.equal(await page.$('[data-testid="li-form"]'), null);
  assert.equal(await page.$('[data-testid="li-cadence-form"]'), null);
  await done(page);
});
