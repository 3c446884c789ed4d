// app.js - the shell of the web UI: the page table and hash router, the session (who is signed in,
// what happens when it ends), the header, and the language switch. Pages live in js/pages/, one
// module each; adding a page is adding its file and one line to ROUTES.
import { api, session, setSession, onUnauthenticated, ApiError } from './api.js';
import { h, t, getLang, setLang, roleName, setTitle, IMPORTERS } from './ui.js';

// One line per page. path: the hash path, ":name" takes one segment into params.name.
// load: the page module, whose default export renders it: async ({main, params, query, me,
// afterLogin}) => void, throwing ApiError when it cannot. nav: the i18n key of its link in the
// header (roles: who sees the link); section: the header link a sub-page belongs to.
// public: shown without a session.
const ROUTES = [
  { path: 'login', load: () => import('./pages/login.js'), public: true },
  { path: 'dashboard', load: () => import('./pages/dashboard.js'), nav: 'nav_dashboard' },
  { path: 'units/:code', load: () => import('./pages/unit.js'), section: 'dashboard' },
  { path: 'warnings', load: () => import('./pages/inbox.js'), nav: 'nav_warnings' },
  { path: 'warnings/:id', load: () => import('./pages/warning.js'), section: 'warnings' },
  { path: 'imports', load: () => import('./pages/imports.js'), nav: 'nav_imports', roles: IMPORTERS },
  { path: 'audits', load: () => import('./pages/audits.js'), nav: 'nav_audits' },
  { path: 'audits/:id', load: () => import('./pages/audit.js'), section: 'audits' },
  { path: 'findings/:id', load: () => import('./pages/finding.js'), section: 'audits' },
  { path: 'rectifications', load: () => import('./pages/rectifications.js'), nav: 'nav_rectifications' },
  { path: 'rectifications/:id', load: () => import('./pages/rectification.js'), section: 'rectifications' },
  { path: 'notifications', load: () => import('./pages/notifications.js'), nav: 'nav_notifications' },
  // issue 12 §5 (admin): administration, for the bureau's administrator only
  { path: 'admin', load: () => import('./pages/admin.js'), nav: 'nav_admin', roles: ['admin'] },
  { path: 'admin/:tab', load: () => import('./pages/admin.js'), section: 'admin', roles: ['admin'] },
  // issue 14 §1 (xaudit): cross-audit rounds, planned and published by the bureau
  { path: 'crossaudit', load: () => import('./pages/crossaudit.js'), nav: 'nav_crossaudit', roles: ['admin', 'reviewer'] },
  { path: 'crossaudit/:id', load: () => import('./pages/crossaudit.js'), section: 'crossaudit', roles: ['admin', 'reviewer'] },
  // issue 14 §5 (liaison): the grid liaison's to-do list and contact and visit log
  { path: 'liaison', load: () => import('./pages/liaison.js'), nav: 'nav_liaison', roles: ['admin', 'reviewer', 'liaison', 'supervisor'] },
  // issue 14 §2 (dept): the department's view, guidance opinions, supervision visits, submissions
  { path: 'department', load: () => import('./pages/department.js'), nav: 'nav_department' },
  { path: 'guidance/:id', load: () => import('./pages/guidance.js'), section: 'department' },
  { path: 'guidance/visits/:vid', load: () => import('./pages/guidance.js'), section: 'department' },
  { path: 'submissions', load: () => import('./pages/submissions.js'), nav: 'nav_submissions' },
  // issue 14 §3–§4 (soe): SOE chief auditors, internal-audit bodies and working groups, training
  { path: 'soe', load: () => import('./pages/soe.js'), nav: 'nav_soe' },
  { path: 'iabody', load: () => import('./pages/iabody.js'), section: 'soe' },
  { path: 'training', load: () => import('./pages/training.js'), section: 'soe' },
  // issue 15 §1 (rating): the 0–5A internal-control grade, its grid of a year and one unit's rating
  { path: 'rating', load: () => import('./pages/rating.js'), nav: 'nav_rating' },
  { path: 'rating/:year/:unit', load: () => import('./pages/rating.js'), section: 'rating' },
  // issue 15 §2 (assess): the performance assessment's ranking and each unit's assessment
  { path: 'assess', load: () => import('./pages/assess.js'), nav: 'as_nav' },
  { path: 'assess/:year/:unit', load: () => import('./pages/assess.js'), section: 'assess' },
  // issue 16 (reports): the four reports, the bureau's filing queue, the plan's risk ranking, one report's editor
  { path: 'reports', load: () => import('./pages/reports.js'), nav: 'rp_nav' },
  { path: 'reports/risk', load: () => import('./pages/reports.js'), section: 'reports' },
  { path: 'reports/:id', load: () => import('./pages/report.js'), section: 'reports' },
];
const HOME = '#/dashboard';
// The i18n key of each page's <title> by its path (issue 12 §3, names); a page missing here is
// titled by its nav key. A page that knows more (a unit's name) refines it with setTitle() of ui.js.
const TITLES = {
  login: 'login_title', dashboard: 'tt_dashboard', 'units/:code': 'tt_unit', warnings: 'warnings_title',
  'warnings/:id': 'tt_warning', imports: 'imports_title', audits: 'au_list_title', 'audits/:id': 'tt_audit',
  'findings/:id': 'tt_finding', rectifications: 'rc_title', 'rectifications/:id': 'tt_rect', notifications: 'nt_title',
};
Object.assign(TITLES, { soe: 'soe_title', iabody: 'ia_title', training: 'tr_title' }); // issue 14 §3–§4 (soe)
Object.assign(TITLES, { department: 'dp_title_plain', submissions: 'sb_title' }); // issue 14 §2 (dept)
Object.assign(TITLES, { rating: 'rt_title', 'rating/:year/:unit': 'rt_title_unit' }); // issue 15 §1 (rating)
Object.assign(TITLES, { assess: 'as_title', 'assess/:year/:unit': 'as_title' }); // issue 15 §2 (assess)
Object.assign(TITLES, { reports: 'rp_title', 'reports/risk': 'rp_risk_title', 'reports/:id': 'rp_report_title' }); // issue 16 (reports)

const main = document.getElementById('main');
const STASH = 'ag_stash';

function parseHash() {
  const raw = location.hash.replace(/^#\/?/, '') || HOME.slice(2);
  const [p, q] = raw.split('?');
  return { parts: p.split('/').filter(Boolean).map(decodeURIComponent), query: new URLSearchParams(q || '') };
}

// The route for the path's segments and the params it takes, or null.
function match(parts) {
  for (const r of ROUTES) {
    const segs = r.path.split('/');
    if (segs.length !== parts.length) continue;
    const params = {};
    if (segs.every((s, i) => (s.startsWith(':') ? ((params[s.slice(1)] = parts[i]), true) : s === parts[i]))) return { route: r, params };
  }
  return null;
}

/* ---- session: an ended session keeps the page and what was typed on it ---- */

let lastForms = {}; // what the page showed before the router replaced it
function snapshotForms() {
  const forms = {};
  main.querySelectorAll('input[name],select[name],textarea[name]').forEach((el) => {
    if (el.type === 'radio') { if (el.checked) forms[el.name] = el.value; return; }
    if (el.type !== 'file' && el.type !== 'password') forms[el.name] = el.type === 'checkbox' ? el.checked : el.value;
  });
  return forms;
}

function toLogin(expired) {
  setSession(null);
  if (location.hash.startsWith('#/login')) return; // another request of the same page got there first
  const forms = { ...lastForms, ...snapshotForms() };
  sessionStorage.setItem(STASH, JSON.stringify({ route: location.hash || HOME, forms }));
  if (expired) sessionStorage.setItem('ag_expired', '1');
  location.hash = '#/login';
}
onUnauthenticated(toLogin);

// After signing in: back to the page the session ended on, else the dashboard.
function afterLogin() {
  const st = JSON.parse(sessionStorage.getItem(STASH) || 'null');
  location.hash = st && st.route && !st.route.startsWith('#/login') ? st.route : HOME;
}

// Puts back what the user typed before the session ended (once, on the same page).
function restoreStash() {
  const st = JSON.parse(sessionStorage.getItem(STASH) || 'null');
  if (!st || st.route !== location.hash) return;
  sessionStorage.removeItem(STASH);
  for (const [k, v] of Object.entries(st.forms || {})) {
    const radio = main.querySelector(`input[type="radio"][name="${CSS.escape(k)}"][value="${CSS.escape(String(v))}"]`);
    if (radio) { radio.checked = true; continue; }
    const el = main.querySelector(`[name="${CSS.escape(k)}"]`);
    if (!el || el.type === 'radio') continue;
    if (el.type === 'checkbox') el.checked = v; else el.value = v;
  }
}

/* ---- layout ---------------------------------------------------------------- */

function header(current) {
  const me = session();
  const titleKey = current && (TITLES[current.path] || current.nav);
  setTitle(current ? (titleKey ? t(titleKey) : null) : t('not_found'));
  document.documentElement.lang = getLang() === 'en' ? 'en' : 'zh-CN';
  document.getElementById('brand').textContent = t('app_title');
  document.getElementById('lang').textContent = t('lang_switch');
  const top = document.getElementById('top');
  if (!me) { top.hidden = true; return; }
  top.hidden = false;
  const here = current ? current.section || current.path : null;
  const links = ROUTES.filter((r) => r.nav && (!r.roles || r.roles.includes(me.user.role)));
  document.getElementById('nav').replaceChildren(...links.map((r) =>
    h('a', { href: '#/' + r.path, 'aria-current': here === r.path ? 'page' : null }, t(r.nav))));
  document.getElementById('who').textContent = `${me.user.display_name || me.user.username}（${roleName(me.user.role)}）`;
  document.getElementById('logout').textContent = t('sign_out');
  showUnread(unread);
  refreshUnread();
}

/* ---- the unread badge on the notices link ------------------------------------ */

let unread = 0; // last known, drawn at once so the badge does not flicker between pages
let unreadSeq = 0;
function showUnread(n) {
  unread = n;
  const link = document.querySelector('#nav a[href="#/notifications"]');
  if (!link) return;
  link.querySelector('.badge.unread')?.remove();
  if (n > 0) link.append(' ', h('span', { class: 'badge unread', 'data-testid': 'unread-badge', title: t('nt_unread_n', n), 'aria-label': t('nt_unread_n', n) }, n));
}
// One small request (cached by the server until the data changes); never awaited by the page.
async function refreshUnread() {
  const my = ++unreadSeq;
  if (session()?.user.role === 'reviewer') return; // sees every notice, marks none: no badge
  try {
    const res = await api('GET', '/notifications?unread=1&limit=1');
    if (my === unreadSeq && session()) showUnread(res.unread);
  } catch (e) { /* the badge is a hint; the page itself reports errors */ }
}
// A page that changed or learnt the count (notifications.js) tells the header.
window.addEventListener('ag:unread', (e) => { unreadSeq++; showUnread(e.detail); });

document.getElementById('lang').addEventListener('click', () => {
  setLang(getLang() === 'zh' ? 'en' : 'zh');
  route();
});
document.getElementById('logout').addEventListener('click', async () => {
  try { await api('DELETE', '/session'); } catch (e) { /* signed out either way */ }
  setSession(null); sessionStorage.removeItem(STASH);
  location.hash = '#/login';
});

/* ---- router ---------------------------------------------------------------- */

let seq = 0;
async function route() {
  const my = ++seq;
  const { parts, query } = parseHash();
  const m = match(parts);
  if (m && m.route.public) {
    setSession(null);
    header(m.route);
    const page = await m.route.load();
    if (my === seq) await page.default({ main, params: m.params, query, me: null, afterLogin });
    return;
  }
  if (!session()) {
    // The probe answers 200 with or without a session: no 401 in the console before sign-in.
    let s;
    try { s = await api('GET', '/session'); } catch (e) {
      if (e.status === 401) toLogin(false);
      else main.replaceChildren(h('p', { class: 'error', role: 'alert' }, e.message));
      return;
    }
    if (my !== seq) return;
    if (!s || !s.signed_in) { toLogin(false); return; }
    setSession({ user: s.user, csrf_token: s.csrf_token, expires_at: s.expires_at });
  }
  header(m && m.route);
  lastForms = snapshotForms();
  // Each navigation draws into a view of its own: a page whose data arrives after the user has
  // moved on draws into a view no longer in the document, never over the next page.
  const view = h('div', { class: 'view' }, h('p', { class: 'muted' }, t('loading')));
  main.replaceChildren(view);
  try {
    if (!m) throw new ApiError(404, null);
    const page = await m.route.load();
    if (my !== seq) return;
    await page.default({ main: view, params: m.params, query, me: session(), afterLogin });
    if (my === seq) restoreStash();
  } catch (e) {
    if (e.status === 401 || my !== seq) return;
    view.replaceChildren(h('h1', {}, e.status === 404 ? t('not_found') : t('error')), h('p', { class: 'error', role: 'alert' }, e.message));
  }
  if (my === seq) main.focus({ preventScroll: true });
}

window.addEventListener('hashchange', route);
if (!location.hash) history.replaceState(null, '', HOME);
route();
