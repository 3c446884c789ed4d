// Accessibility of every page (issue 6: works at 1366x768 and on a large display, keyboard-usable,
// readable contrast), in Chinese and in English, each page as a role that sees its forms:
//  (a) axe-core (WCAG 2 A and AA rules, colour contrast included) finds no violation;
//  (b) at 1366x768 and at 2560x1440 the document does not scroll sideways and the header's
//      links are visible;
//  (c) from the top of the page, Tab reaches the skip link, every header link and the page's first
//      form control, and whatever has the focus on the way shows a focus indicator (an outline
//      at 3:1 against what is behind it, or a box-shadow).
//
// axe is evaluated through page.evaluate (the DevTools protocol), which the page's CSP does not
// govern, so the contexts keep the real CSP (no bypassCSP) and lib.mjs still fails on any
// violation. (page.addScriptTag would add an inline <script>, which `default-src 'self'` blocks.)
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { startAll, openPage, login, done, apiGet, AUDITOR_UNIT, rawTextProblems, titleProblems } from './lib.mjs';

const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const DEMO_CODE = 'NK-JCHS-2026-01'; // the demo cross audit of 第二中学 led by auditor2 (in 审后·整改)
const SIZES = [{ width: 1366, height: 768 }, { width: 2560, height: 1440 }];

let env;
const pages = new Map(); // `${user}/${lang}` -> a signed-in page
const ids = {};


// One page per user and language, signed in once; the language comes from localStorage.
async function openAs(user, lang) {
  const key = `${user}/${lang}`;
  if (pages.has(key)) return pages.get(key);
  const page = await openPage(env, { locale: lang === 'en' ? 'en-US' : 'zh-CN' });
  await page.ctx.addInitScript((l) => localStorage.setItem('ag_lang', l), lang);
  if (user) await login(page, env, user);
  else await page.goto(env.url + '/#/login');
  pages.set(key, page);
  return page;
}

// Every page, as whom, and what shows it has finished drawing (its data has arrived).
const PAGES = [
  { name: 'login', user: null, hash: () => '#/login', ready: 'input[name="username"]' },
  { name: 'dashboard', user: 'admin', hash: () => '#/dashboard', ready: '#chart-cells canvas' },
  { name: 'unit', user: 'admin', hash: () => `#/units/${AUDITOR_UNIT}`, ready: '[data-testid="ledgers"] table' },
  { name: 'inbox', user: 'admin', hash: () => '#/warnings?status=open', ready: '[data-testid="warnings"] tbody tr' },
  { name: 'warning', user: 'auditor', hash: () => `#/warnings/${ids.warning}`, ready: 'button[data-action="dismiss"]' },
  { name: 'imports', user: 'auditor', hash: () => '#/imports', ready: 'input[type="file"]' },
  { name: 'audits', user: 'admin', hash: () => '#/audits', ready: 'main table tbody tr' },
  { name: 'audit (admin)', user: 'admin', hash: () => `#/audits/${ids.audit}`, ready: '[data-testid="stages"]' },
  { name: 'audit (lead)', user: 'auditor2', hash: () => `#/audits/${ids.audit}`, ready: '[data-testid="stages"]' },
  { name: 'finding', user: 'admin', hash: () => `#/findings/${ids.finding}`, ready: 'main form' },
  { name: 'rectifications', user: 'admin', hash: () => '#/rectifications', ready: 'main table tbody tr' },
  { name: 'rectification (unit)', user: 'auditor', hash: () => `#/rectifications/${ids.rectUnit}`, ready: '[data-testid="unit-side"] form' },
  { name: 'rectification (team)', user: 'auditor2', hash: () => `#/rectifications/${ids.rectTeam}`, ready: '[data-testid="verify"] form' },
  { name: 'notifications', user: 'leader', hash: () => '#/notifications', ready: 'li.notice button' },
  { name: 'settings', user: 'admin', hash: () => '#/admin/settings', ready: '[data-testid="deadlines-form"] input' },
  // issue 14 §2 (dept): the department view and the submissions
  { name: 'department', user: 'supervisor', hash: () => '#/department', ready: '[data-testid="gd-form"]' },
  { name: 'submissions', user: 'leader', hash: () => '#/submissions', ready: '[data-testid="sb-form"]' },
  // the grid's other mechanisms: cross-audit rounds, guidance, SOE, IA bodies, training, liaison
  { name: 'crossaudit', user: 'admin', hash: () => '#/crossaudit', ready: '[data-testid="xa-rounds"]' },
  { name: 'crossaudit round', user: 'admin', hash: () => `#/crossaudit/${ids.round}`, ready: '[data-testid="xa-assignments"]' },
  { name: 'guidance', user: 'supervisor', hash: () => `#/guidance/${ids.guidance}`, ready: '[data-testid="gd-targets"]' },
  { name: 'visit', user: 'supervisor', hash: () => `#/guidance/visits/${ids.visit}`, ready: '[data-testid="vs-findings"]' },
  { name: 'soe', user: 'admin', hash: () => '#/soe', ready: '[data-testid="soe-groups"]' },
  { name: 'iabody', user: 'admin', hash: () => '#/iabody', ready: '[data-testid="ia-form"]' },
  { name: 'training', user: 'admin', hash: () => '#/training', ready: '[data-testid="tr-form"]' },
  { name: 'liaison', user: 'liaison', hash: () => '#/liaison', ready: '[data-testid="li-form"]' },
  // issue 15 §1 (rating): the graded grid, a unit's published rating, the leader's self-evaluation form
  { name: 'rating', user: 'admin', hash: () => '#/rating?year=2025', ready: '[data-testid="rt-grid"]' },
  { name: 'rating unit', user: 'admin', hash: () => `#/rating/2025/${AUDITOR_UNIT}`, ready: '[data-testid="rt-result"]' },
  { name: 'rating self', user: 'leader', hash: () => `#/rating/2026/${AUDITOR_UNIT}`, ready: '[data-testid="rt-self-form"]' },
  // issue 15 §2 (assess): the ranking, and a unit's 2026 assessment with the leader's self form
  { name: 'assess ranking', user: 'admin', hash: () => '#/assess?year=2025', ready: '[data-testid="as-ranking"] tbody tr' },
  { name: 'assess unit', user: 'leader', hash: () => `#/assess/2026/${AUDITOR_UNIT}`, ready: '[data-testid="as-items"]' },
  // issue 16 (reports): the list with the new-report form, the bureau's queue, the risk ranking with
  // the weights form; a report read-only (the demo's report 1: the school's accepted 2026 plan, as
  // its leader) and in the editor (report 14: the self-check's draft audit report, as the bureau)
  { name: 'reports', user: 'auditor', hash: () => '#/reports', ready: '[data-testid="rp-new"]' },
  { name: 'reports queue', user: 'admin', hash: () => '#/reports?tab=queue', ready: '[data-testid="rp-queue"] tbody tr' },
  { name: 'reports risk', user: 'admin', hash: () => `#/reports/risk?unit=${AUDITOR_UNIT}&year=2027`, ready: '[data-testid="rp-weights"] input' },
  { name: 'report (accepted)', user: 'leader', hash: () => `#/reports/${ids.reportAccepted}`, ready: '[data-testid="rp-editor"]' },
  { name: 'report (editor)', user: 'admin', hash: () => `#/reports/${ids.reportDraft}`, ready: '[data-testid="rp-editor"][data-editable="1"] textarea' },
];

async function show(page, hash, ready) {
  await page.setViewportSize(SIZES[0]);
  await page.goto(env.url + '/' + hash);
  await page.waitForSelector(ready);
  await page.waitForFunction(() => !document.querySelector('main .view > p.muted:only-child'));
}

async function axe(page) {
  if (!(await page.evaluate(() => !!window.axe))) await page.evaluate(AXE);
  return page.evaluate(async () => {
    const r = await window.axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
      resultTypes: ['violations'],
    });
    return r.violations.map((v) => `${v.id} (${v.impact}): ${v.help}\n` +
      v.nodes.slice(0, 8).map((n) => `    ${n.target.join(' ')}  ${n.failureSummary.replace(/\s+/g, ' ')}`).join('\n'));
  });
}

async function layout(page) {
  const out = [];
  for (const size of SIZES) {
    await page.setViewportSize(size);
    const r = await page.evaluate(() => {
      const d = document.documentElement;
      const nav = document.getElementById('nav');
      const links = [...document.querySelectorAll('#nav a')];
      const vis = (el) => { const b = el.getBoundingClientRect(); return el.checkVisibility() && b.width > 0 && b.left >= 0 && b.right <= d.clientWidth; };
      return { sw: d.scrollWidth, cw: d.clientWidth, header: !document.getElementById('top').hidden,
        nav: nav && vis(nav), links: links.length, hidden: links.filter((a) => !vis(a)).map((a) => a.textContent) };
    });
    if (r.sw > r.cw) out.push(`${size.width}x${size.height}: the page scrolls sideways (scrollWidth ${r.sw} > ${r.cw})`);
    if (r.header && (!r.nav || r.links === 0 || r.hidden.length)) out.push(`${size.width}x${size.height}: header links not visible: ${r.hidden}`);
  }
  await page.setViewportSize(SIZES[0]);
  return out;
}

// Tab from the top of the document. Returns what went wrong: a stop without a focus indicator,
// a header link or the first form control never reached.
async function keyboard(page) {
  const want = await page.evaluate(() => {
    const first = [...document.querySelectorAll('main input:not([type=hidden]), main select, main textarea, main button')]
      .find((el) => !el.disabled && el.checkVisibility());
    if (first) first.dataset.a11yFirst = '1';
    document.querySelectorAll('#nav a').forEach((a, i) => { a.dataset.a11yNav = String(i); });
    window.scrollTo(0, 0);
    // Start sequential navigation at the document's start: focus <body> for a moment.
    document.body.setAttribute('tabindex', '-1');
    document.body.focus();
    document.body.removeAttribute('tabindex');
    return { first: !!first, nav: document.querySelectorAll('#nav a').length };
  });
  const problems = [];
  const seenNav = new Set();
  let reachedFirst = false, skip = false;
  for (let i = 0; i < 400 && !(reachedFirst || (!want.first && seenNav.size === want.nav && i > want.nav + 5)); i++) {
    await page.keyboard.press('Tab');
    const s = await page.evaluate(() => {
      const el = document.activeElement;
      if (!el || el === document.body) return null;
      const cs = getComputedStyle(el);
      const outline = cs.outlineStyle !== 'none' && parseFloat(cs.outlineWidth) > 0;
      const ring = outline || cs.boxShadow !== 'none';
      // An outline is drawn around the element, over what is behind it: its contrast with the
      // parent's background (semi-transparent ones blended up the tree) must be 3:1 (WCAG 1.4.11).
      const rgba = (c) => { const m = c.match(/[\d.]+/g).map(Number); return [m[0], m[1], m[2], m.length > 3 ? m[3] : 1]; };
      const lum = ([r, g, b]) => [r, g, b].map((v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; })
        .reduce((a, v, i) => a + v * [0.2126, 0.7152, 0.0722][i], 0);
      let contrast = null;
      if (outline) {
        const layers = [];
        for (let p = el.parentElement; p; p = p.parentElement) {
          const c = rgba(getComputedStyle(p).backgroundColor);
          if (c[3] > 0) layers.push(c);
          if (c[3] >= 1) break;
        }
        let bg = [255, 255, 255];
        for (const c of layers.reverse()) bg = bg.map((v, i) => c[i] * c[3] + v * (1 - c[3]));
        const [a, b] = [lum(rgba(cs.outlineColor)), lum(bg)];
        contrast = (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
      }
      const name = el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') + (el.getAttribute('name') ? `[name=${el.getAttribute('name')}]` : '')
        + ` "${(el.textContent || el.value || '').trim().slice(0, 30)}"`;
      return { name, ring, contrast, nav: el.dataset.a11yNav ?? null, first: el.dataset.a11yFirst === '1', skip: el.classList.contains('skip') };
    });
    if (!s) continue;
    if (i === 0) skip = s.skip;
    if (!s.ring) problems.push(`no visible focus indicator on ${s.name}`);
    else if (s.contrast !== null && s.contrast < 3) problems.push(`focus outline contrast ${s.contrast.toFixed(2)}:1 < 3:1 on ${s.name}`);
    if (s.nav !== null) seenNav.add(s.nav);
    if (s.first) reachedFirst = true;
  }
  if (want.nav && !skip) problems.push('the first Tab stop is not the skip link');
  if (seenNav.size !== want.nav) problems.push(`Tab reached ${seenNav.size} of ${want.nav} header links`);
  if (want.first && !reachedFirst) problems.push('Tab never reached the first form control');
  return [...new Set(problems)];
}


// Everything above for the page as it is: axe and the layout with every <details> of the page
// opened (the forms folded into them are checked too), the keyboard with them as they were.
async function check(page) {
  const opened = await page.evaluate(() => [...document.querySelectorAll('main details:not([open])')]
    .map((d) => { d.open = true; d.dataset.a11yOpened = '1'; return d; }).length);
  const found = [];
  for (const v of await axe(page)) found.push('axe ' + v);
  found.push(...await layout(page));
  if (opened) await page.evaluate(() => document.querySelectorAll('main details[data-a11y-opened]').forEach((d) => { d.open = false; }));
  found.push(...await keyboard(page));
  return found;
}

// The suite for the given languages: one server and demo district each file, so that the two
// languages run side by side and each file stays within the test runner's time limit.
export function a11ySuite(langs, { selfCheck = false } = {}) {
  before(async () => {
    env = await startAll();
    const page = await openAs('admin', 'zh');
    const warn = (await apiGet(page, `/warnings?unit=${AUDITOR_UNIT}&status=open&per_page=1`)).items[0];
    const projects = (await apiGet(page, '/audits?per_page=500')).items;
    const demo = projects.find((p) => p.code === DEMO_CODE);
    const field = projects.find((p) => p.stage === 'field');
    const fieldProject = await apiGet(page, `/audits/${field.id}`);
    const rects = (await apiGet(page, `/rectifications?project=${demo.id}&per_page=100`)).items;
    Object.assign(ids, {
      warning: warn.id, audit: demo.id, finding: fieldProject.findings[0].id,
      // the unit's side acts on an item being rectified, the team on one claimed as done
      rectUnit: rects.find((r) => r.state === 'in_progress' || r.state === 'open').id,
      rectTeam: rects.find((r) => r.state === 'claimed').id,
    });
    ids.round = (await apiGet(page, '/crossaudit/rounds')).items[0]?.id;
    ids.guidance = (await apiGet(page, '/guidance?per_page=1')).items[0]?.id;
    ids.visit = (await apiGet(page, '/guidance/visits')).items[0]?.id;
    // a report of the leader's unit the bureau accepted, and a draft the bureau may edit
    ids.reportAccepted = (await apiGet(page, `/reports?state=accepted&unit=${AUDITOR_UNIT}`)).items[0]?.id;
    ids.reportDraft = (await apiGet(page, '/reports?state=draft&kind=audit')).items[0]?.id;
    for (const k of Object.keys(ids)) assert.ok(ids[k], `the demo has a ${k}`);
  });
  // Each page's guards (console errors, CSP violations, failed requests) are judged at the end.
  after(async () => {
    const failed = [];
    for (const p of pages.values()) await done(p).catch((e) => failed.push(e));
    if (env) await env.stop();
    if (failed.length) throw failed[0];
  });

  for (const lang of langs) {
    for (const p of PAGES) {
      test(`${p.name} (${lang}): axe WCAG 2 AA, no sideways scrolling, keyboard`, async () => {
        const page = await openAs(p.user, lang);
        await show(page, p.hash(), p.ready);
        assert.deepEqual(await check(page), [], `${p.name} (${lang}) as ${p.user || 'nobody'}`);
        // Names, not codes; Beijing time, not UTC; a title of its own (issue 12 §3).
        assert.deepEqual([...await titleProblems(page, { lang }), ...await rawTextProblems(page, { lang })], [],
          `${p.name} (${lang}): what the page says`);
      });
    }
  }

  if (!selfCheck) return;
  // The checks catch what they look for: rules added through the CSSOM (which the CSP allows, unlike
  // a <style> element) give low contrast, remove the focus ring, make a table too wide and
  // give the skip link a faint focus ring; each shows up, and once the rules are gone the page passes again.
  test('the checks themselves: low contrast, no or a faint focus ring, a too-wide table are each caught', async () => {
    const page = await openAs('admin', 'zh');
    await show(page, '#/warnings?status=open', '[data-testid="warnings"] tbody tr');
    const rules = ['main h1 { color: #c8c8c8 }', '#nav a:focus-visible { outline: none }',
      'a.skip:focus-visible { outline-color: #f0c060 }',
      // A wide table scrolls inside its own box (issue 12 §3); without the box it widens the page.
      'main table[data-testid="warnings"] { min-width: 3000px }', '.table-wrap { overflow-x: visible }'];
    await page.evaluate((r) => r.forEach((x) => document.styleSheets[0].insertRule(x, document.styleSheets[0].cssRules.length)), rules);
    const found = (await check(page)).join('\n');
    await page.evaluate((n) => { for (let i = 0; i < n; i++) document.styleSheets[0].deleteRule(document.styleSheets[0].cssRules.length - 1); }, rules.length);
    assert.match(found, /axe color-contrast/);
    assert.match(found, /no visible focus indicator on a/);
    assert.match(found, /focus outline contrast [\d.]+:1 < 3:1 on a/);
    assert.match(found, /1366x768: the page scrolls sideways/);
    assert.match(found, /2560x1440: the page scrolls sideways/);
    assert.deepEqual(await check(page), []);
  });
}
