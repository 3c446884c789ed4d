// auditgrid web UI: hash routing, the API client, and the pages. No framework; every element is
// built with h() (never innerHTML), so data from the server is always text.
import zh from '../i18n/zh.js';
import en from '../i18n/en.js';

const LANGS = { zh, en };
let lang = localStorage.getItem('ag_lang') === 'en' ? 'en' : 'zh';
const t = (k, ...a) => { const v = LANGS[lang][k] ?? zh[k] ?? k; return typeof v === 'function' ? v(...a) : v; };
let me = null; // {user, csrf_token}
const main = document.getElementById('main');
const STASH = 'ag_stash';
const TRIAGERS = ['auditor', 'chief_auditor', 'liaison'];
const IMPORTERS = ['auditor', 'chief_auditor'];
const ITEMS = ['F01', 'F02', 'F03', 'F04', 'F05', 'F06', 'F07', 'F08', 'F09', 'F10', 'F11', 'F12', 'F13',
  'K1', 'K2', 'K3', 'K4', 'K5', 'K6', 'K7'];
const SEVS = ['high', 'medium', 'low'];
const STATUSES = ['open', 'acknowledged', 'dismissed', 'escalated'];

function h(tag, attrs, ...kids) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k.startsWith('on')) el.addEventListener(k.slice(2), v);
    else if (k === 'class') el.className = v;
    else el.setAttribute(k, v === true ? '' : v);
  }
  for (const c of kids.flat(Infinity)) if (c !== null && c !== undefined && c !== false)
    el.append(c instanceof Node ? c : String(c));
  return el;
}

class ApiError extends Error {
  constructor(status, body) {
    const e = (body && body.error) || {};
    super((lang === 'en' ? e.message_en : e.message) || `HTTP ${status}`);
    this.status = status; this.code = e.code; this.where = e.where;
  }
}

// Remembers the page and what was typed on it, then goes to the login page.
let lastForms = {}; // what the page showed before the router replaced it
function snapshotForms() {
  const forms = {};
  main.querySelectorAll('input[name],select[name],textarea[name]').forEach((el) => {
    if (el.type !== 'file' && el.type !== 'password') forms[el.name] = el.type === 'checkbox' ? el.checked : el.value;
  });
  return forms;
}
function toLogin(expired) {
  if (!location.hash.startsWith('#/login')) {
    const forms = { ...lastForms, ...snapshotForms() };
    sessionStorage.setItem(STASH, JSON.stringify({ route: location.hash || '#/dashboard', forms }));
  }
  me = null;
  if (expired) sessionStorage.setItem('ag_expired', '1');
  location.hash = '#/login';
}

async function api(method, path, body) {
  const opt = { method, headers: {}, credentials: 'same-origin' };
  if (method !== 'GET' && me) opt.headers['X-CSRF-Token'] = me.csrf_token;
  if (body !== undefined) { opt.headers['Content-Type'] = 'application/json'; opt.body = JSON.stringify(body); }
  const r = await fetch('/api/v1' + path, opt);
  const j = await r.json().catch(() => null);
  if (r.status === 401 && path !== '/session' && path !== '/me') { toLogin(true); throw new ApiError(401, j); }
  if (!r.ok) throw new ApiError(r.status, j);
  return j;
}

// Every page of a list (per_page 500).
async function all(path) {
  const sep = path.includes('?') ? '&' : '?';
  let items = [], page = 1, total = 0;
  do {
    const j = await api('GET', `${path}${sep}per_page=500&page=${page}`);
    items = items.concat(j.items); total = j.total; page++;
  } while (items.length < total);
  return items;
}

function parseHash() {
  const raw = location.hash.replace(/^#/, '') || '/dashboard';
  const [p, q] = raw.split('?');
  return { parts: p.split('/').filter(Boolean).map(decodeURIComponent), query: new URLSearchParams(q || '') };
}

const sevBadge = (s, n) => h('span', { class: `badge ${s}`, title: t('severity') + ' ' + t('sev_' + s) }, `${t('sev_' + s)} ${n ?? ''}`.trim());
const roleName = (r) => t('role_' + r);

function header() {
  const top = document.getElementById('top');
  document.title = t('app_title');
  document.documentElement.lang = lang === 'en' ? 'en' : 'zh-CN';
  document.getElementById('brand').textContent = t('app_title');
  document.getElementById('lang').textContent = t('lang_switch');
  if (!me) { top.hidden = true; return; }
  top.hidden = false;
  const nav = document.getElementById('nav');
  const cur = parseHash().parts[0];
  const links = [['dashboard', t('nav_dashboard')], ['warnings', t('nav_warnings')]];
  if (IMPORTERS.includes(me.user.role)) links.push(['imports', t('nav_imports')]);
  nav.replaceChildren(...links.map(([r, label]) =>
    h('a', { href: '#/' + r, 'aria-current': (cur === r || (r === 'dashboard' && cur === 'units')) ? 'page' : null }, label)));
  document.getElementById('who').textContent = `${me.user.display_name || me.user.username}（${roleName(me.user.role)}）`;
  document.getElementById('logout').textContent = t('sign_out');
}

document.getElementById('lang').addEventListener('click', () => {
  lang = lang === 'zh' ? 'en' : 'zh';
  localStorage.setItem('ag_lang', lang);
  route();
});
document.getElementById('logout').addEventListener('click', async () => {
  try { await api('DELETE', '/session'); } catch (e) { /* signed out either way */ }
  me = null; sessionStorage.removeItem(STASH);
  location.hash = '#/login';
});

/* ---- pages ---------------------------------------------------------------- */

function loginPage() {
  const err = h('p', { class: 'error', role: 'alert' });
  if (sessionStorage.getItem('ag_expired')) { err.textContent = t('session_expired'); sessionStorage.removeItem('ag_expired'); }
  const form = h('form', { class: 'card login', 'aria-labelledby': 'login-h' },
    h('h1', { id: 'login-h' }, t('app_title') + ' · ' + t('login_title')),
    h('label', {}, t('username'), h('input', { name: 'username', autocomplete: 'username', required: true })),
    h('label', {}, t('password'), h('input', { name: 'password', type: 'password', autocomplete: 'current-password', required: true })),
    err,
    h('button', { class: 'primary', type: 'submit' }, t('sign_in')),
    h('p', {}, h('button', { type: 'button', onclick: () => document.getElementById('lang').click() }, t('lang_switch'))));
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    err.textContent = '';
    try {
      me = await api('POST', '/session', { username: form.username.value, password: form.password.value });
      const st = JSON.parse(sessionStorage.getItem(STASH) || 'null');
      location.hash = st && st.route && !st.route.startsWith('#/login') ? st.route : '#/dashboard';
    } catch (e) {
      err.textContent = e.code === 'invalid_credentials' ? t('login_failed') : e.message;
    }
  });
  main.replaceChildren(form);
  form.username.focus();
}

// Restores what the user typed before the session ended (once, on the same page).
function restoreStash() {
  const st = JSON.parse(sessionStorage.getItem(STASH) || 'null');
  if (!st || st.route !== location.hash) return;
  sessionStorage.removeItem(STASH);
  for (const [k, v] of Object.entries(st.forms || {})) {
    const el = main.querySelector(`[name="${CSS.escape(k)}"]`);
    if (!el) continue;
    if (el.type === 'checkbox') el.checked = v; else el.value = v;
  }
}

function openCounts(warnings) {
  const byUnit = {}, byItem = {};
  for (const w of warnings) {
    (byUnit[w.unit] ??= { high: 0, medium: 0, low: 0 })[w.severity]++;
    byItem[w.item] = (byItem[w.item] || 0) + 1;
  }
  return { byUnit, byItem };
}

function barChart(el, labels, values, color) {
  if (!window.echarts) return;
  const c = window.echarts.init(el, null, { renderer: 'canvas' });
  c.setOption({
    animation: false,
    grid: { left: 40, right: 10, top: 20, bottom: 60 },
    xAxis: { type: 'category', data: labels, axisLabel: { interval: 0, rotate: labels.some((l) => l.length > 4) ? 35 : 0 } },
    yAxis: { type: 'value', minInterval: 1 },
    series: [{ type: 'bar', data: values, itemStyle: { color }, label: { show: true, position: 'top' } }],
  });
}

async function dashboardPage() {
  const [grid, open] = await Promise.all([api('GET', '/grid'), all('/warnings?status=open')]);
  const { byUnit, byItem } = openCounts(open);
  const units = grid.cells.flatMap((c) => c.units).concat(grid.unassigned || []);
  const sev = { high: 0, medium: 0, low: 0 };
  open.forEach((w) => sev[w.severity]++);
  const tile = (u) => {
    const c = byUnit[u.code];
    return h('a', { class: 'tile' + (u.pilot ? ' pilot' : ''), href: '#/units/' + encodeURIComponent(u.code), 'data-unit': u.code },
      u.name, h('br'),
      u.pilot ? h('span', { class: 'badge pilot' }, t('pilot')) : null,
      c ? SEVS.filter((s) => c[s]).map((s) => sevBadge(s, c[s])) : null);
  };
  const cellCard = (name, sub, list) => h('section', { class: 'card', 'aria-label': name },
    h('h3', {}, name, ' ', h('span', { class: 'muted' }, sub)), h('div', { class: 'tiles' }, list.map(tile)));
  const byCell = grid.cells.map((c) => c.units.reduce((n, u) => n + (byUnit[u.code] ? byUnit[u.code].high + byUnit[u.code].medium + byUnit[u.code].low : 0), 0));
  const c1 = h('div', { class: 'chart', id: 'chart-items', role: 'img', 'aria-label': t('chart_by_item') });
  const c2 = h('div', { class: 'chart', id: 'chart-cells', role: 'img', 'aria-label': t('chart_by_cell') });
  main.replaceChildren(
    h('h1', {}, `${t('nav_dashboard')} · ${grid.district.name}`),
    h('div', { class: 'kpis' },
      h('div', { class: 'kpi', 'data-kpi': 'units' }, t('kpi_units'), h('b', {}, units.length)),
      h('div', { class: 'kpi', 'data-kpi': 'pilot' }, t('kpi_pilot'), h('b', {}, units.filter((u) => u.pilot).length)),
      h('div', { class: 'kpi', 'data-kpi': 'open' }, t('kpi_open'), h('b', {}, open.length),
        SEVS.map((s) => h('a', { href: `#/warnings?status=open&severity=${s}` }, sevBadge(s, sev[s]))))),
    h('div', { class: 'charts' },
      h('section', { class: 'card' }, h('h2', {}, t('chart_by_item')), c1),
      h('section', { class: 'card' }, h('h2', {}, t('chart_by_cell')), c2)),
    h('div', { class: 'cells' },
      grid.cells.map((c) => cellCard(`${c.id} ${c.name}`, t(c.kind === 'dept' ? 'cell_dept' : 'cell_street'), c.units)),
      grid.unassigned && grid.unassigned.length ? cellCard(t('unassigned'), '', grid.unassigned) : null));
  barChart(c1, ITEMS, ITEMS.map((i) => byItem[i] || 0), '#0b5cad');
  barChart(c2, grid.cells.map((c) => c.id), byCell, '#6a1b9a');
}

const person = (p) => (p ? `${p.name}${p.title ? '（' + p.title + '）' : ''}` : t('none'));

function warningTable(items, showUnit) {
  if (!items.length) return h('p', { class: 'muted' }, t('no_warnings'));
  return h('table', { 'data-testid': 'warnings' },
    h('thead', {}, h('tr', {}, h('th', {}, 'ID'), showUnit ? h('th', {}, t('unit')) : null, h('th', {}, t('date')),
      h('th', {}, t('item')), h('th', {}, t('rule')), h('th', {}, t('severity')), h('th', {}, t('amount')),
      h('th', {}, t('message')), h('th', {}, t('status')))),
    h('tbody', {}, items.map((w) => h('tr', { 'data-warning': w.id },
      h('td', {}, h('a', { href: '#/warnings/' + w.id }, w.id)), showUnit ? h('td', {}, h('a', { href: '#/units/' + w.unit }, w.unit)) : null,
      h('td', {}, w.date), h('td', {}, w.item), h('td', {}, w.rule), h('td', {}, sevBadge(w.severity)),
      h('td', { class: 'num' }, w.amount ?? ''), h('td', {}, w.message), h('td', {}, t('st_' + w.status))))));
}

async function unitPage(code) {
  const [u, ledger, ws] = await Promise.all([api('GET', '/units/' + encodeURIComponent(code)),
    api('GET', `/units/${encodeURIComponent(code)}/ledger`),
    api('GET', `/warnings?unit=${encodeURIComponent(code)}&per_page=100`)]);
  const books = ledger.books || [];
  main.replaceChildren(
    h('h1', {}, u.name, ' ', u.pilot ? h('span', { class: 'badge pilot' }, t('pilot')) : null),
    h('div', { class: 'cols' },
      h('section', { class: 'card', 'aria-labelledby': 'prof' }, h('h2', { id: 'prof' }, t('unit_profile')),
        h('dl', { class: 'kv' }, h('dt', {}, t('code')), h('dd', {}, u.code), h('dt', {}, t('type')), h('dd', {}, u.type),
          h('dt', {}, t('cell')), h('dd', {}, u.cell_name ? `${u.cell_id} ${u.cell_name}` : t('none')),
          h('dt', {}, t('parent')), h('dd', {}, u.parent_code ? h('a', { href: '#/units/' + u.parent_code }, u.parent_code) : t('none')),
          h('dt', {}, t('address')), h('dd', {}, u.address || t('none')))),
      h('section', { class: 'card', 'aria-labelledby': 'subj', 'data-testid': 'subjects' }, h('h2', { id: 'subj' }, t('subjects')),
        h('dl', { class: 'kv' }, h('dt', {}, t('principal')), h('dd', {}, person(u.principal)),
          h('dt', {}, t('auditors')), h('dd', {}, u.auditors.length ? u.auditors.map(person).join('、') : t('none')),
          u.chief_auditor ? [h('dt', {}, t('chief_auditor')), h('dd', {}, person(u.chief_auditor))] : null))),
    h('section', { class: 'card', 'data-testid': 'ledgers' }, h('h2', {}, t('ledgers')),
      books.length ? h('table', {},
        h('thead', {}, h('tr', {}, [t('year'), t('lines'), t('vouchers'), t('debit'), t('credit'), t('accounts'), t('findings'), t('sources')].map((x) => h('th', {}, x)))),
        h('tbody', {}, books.map((b) => h('tr', {}, h('td', {}, b.year), h('td', { class: 'num' }, b.lines), h('td', { class: 'num' }, b.vouchers),
          h('td', { class: 'num' }, b.debit_total), h('td', { class: 'num' }, b.credit_total), h('td', { class: 'num' }, b.accounts),
          h('td', { class: 'num' }, b.findings),
          h('td', {}, (b.sources || []).map((s) => h('div', {}, `${s.path} · ${s.format}/${s.encoding} · ${s.lines} ${t('lines')} · ${s.findings} ${t('findings')} · ${s.imported_at} · ${s.imported_by}`)))))))
        : h('p', { class: 'muted' }, t('no_books'))),
    h('section', { class: 'card' }, h('h2', {}, `${t('unit_warnings')}（${ws.total}）`, ' ',
      h('a', { href: '#/warnings?unit=' + encodeURIComponent(code) }, t('all_warnings'))), warningTable(ws.items, false)));
}

function sel(name, label, options, value) {
  return h('label', {}, label, h('select', { name },
    options.map(([v, text]) => h('option', { value: v, selected: v === value ? true : null }, text))));
}

async function warningsPage(query) {
  const units = await all('/units');
  const f = Object.fromEntries(['unit', 'item', 'rule', 'severity', 'status', 'sort'].map((k) => [k, query.get(k) || '']));
  const page = Math.max(1, parseInt(query.get('page') || '1', 10) || 1);
  const qs = new URLSearchParams();
  for (const k of ['unit', 'item', 'rule', 'severity', 'status']) if (f[k]) qs.set(k, f[k]);
  qs.set('page', page); qs.set('per_page', 50);
  const res = await api('GET', '/warnings?' + qs);
  const items = res.items.slice();
  if (f.sort === 'date_desc') items.sort((a, b) => (b.date || '').localeCompare(a.date || ''));
  if (f.sort === 'amount_desc') items.sort((a, b) => parseFloat(b.amount || 0) - parseFloat(a.amount || 0));
  const form = h('form', { class: 'filters card', role: 'search' },
    sel('unit', t('unit'), [['', t('any')], ...units.map((u) => [u.code, `${u.cell_id || ''} ${u.name}`])], f.unit),
    sel('item', t('item'), [['', t('any')], ...ITEMS.map((i) => [i, i])], f.item),
    h('label', {}, t('rule'), h('input', { name: 'rule', value: f.rule, size: 18 })),
    sel('severity', t('severity'), [['', t('any')], ...SEVS.map((s) => [s, t('sev_' + s)])], f.severity),
    sel('status', t('status'), [['', t('any')], ...STATUSES.map((s) => [s, t('st_' + s)])], f.status),
    sel('sort', t('sort'), [['', t('sort_unit')], ['date_desc', t('sort_date_desc')], ['amount_desc', t('sort_amount_desc')]], f.sort),
    h('button', { class: 'primary', type: 'submit' }, t('filter')));
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    const q = new URLSearchParams();
    for (const el of form.elements) if (el.name && el.value) q.set(el.name, el.value);
    location.hash = '#/warnings' + (q.toString() ? '?' + q : '');
  });
  const pages = Math.max(1, Math.ceil(res.total / res.per_page));
  const go = (p) => { const q = new URLSearchParams(query); q.set('page', p); return '#/warnings?' + q; };
  main.replaceChildren(h('h1', {}, t('warnings_title')), form,
    h('div', { class: 'pager' }, h('span', { 'data-testid': 'total' }, t('page_of', page, pages, res.total)),
      page > 1 ? h('a', { href: go(page - 1) }, t('prev')) : null, page < pages ? h('a', { href: go(page + 1) }, t('next')) : null),
    warningTable(items, true));
}

async function warningPage(id) {
  const w = await api('GET', '/warnings/' + encodeURIComponent(id));
  const ev = (w.evidence && w.evidence.lines) || [];
  const msg = h('p', { role: 'status', 'data-testid': 'triage-msg' });
  const canTriage = TRIAGERS.includes(me.user.role);
  const reason = h('textarea', { name: 'reason', rows: 2, cols: 60 });
  const act = async (action) => {
    msg.textContent = ''; msg.className = '';
    if (action === 'dismiss' && !reason.value.trim()) { msg.textContent = t('reason_needed'); msg.className = 'error'; reason.focus(); return; }
    try {
      const body = { action };
      if (reason.value.trim()) body.reason = reason.value.trim();
      await api('POST', `/warnings/${w.id}/triage`, body);
      await warningPage(id);
    } catch (e) { if (e.status !== 401) { msg.textContent = e.message; msg.className = 'error'; } }
  };
  main.replaceChildren(
    h('p', {}, h('a', { href: '#/warnings?unit=' + encodeURIComponent(w.unit) }, '← ' + t('back'))),
    h('h1', {}, `${t('warning')} #${w.id} · ${w.item} · ${w.rule}`),
    h('section', { class: 'card' }, h('dl', { class: 'kv', 'data-testid': 'warning' },
      h('dt', {}, t('unit')), h('dd', {}, h('a', { href: '#/units/' + w.unit }, w.unit)),
      h('dt', {}, t('severity')), h('dd', {}, sevBadge(w.severity)),
      h('dt', {}, t('date')), h('dd', {}, w.date || ''), h('dt', {}, t('amount')), h('dd', {}, w.amount ?? ''),
      h('dt', {}, t('message')), h('dd', {}, w.message),
      h('dt', {}, t('status')), h('dd', { 'data-testid': 'status' }, t('st_' + w.status)),
      w.status_by ? [h('dt', {}, t('handled_by')), h('dd', { 'data-testid': 'status-by' }, w.status_by),
        h('dt', {}, t('handled_at')), h('dd', {}, w.status_at),
        h('dt', {}, t('reason')), h('dd', {}, w.status_reason || '')] : null)),
    h('section', { class: 'card' }, h('h2', {}, t('evidence')), h('table', { 'data-testid': 'evidence' },
      h('thead', {}, h('tr', {}, [t('source'), t('source_line'), t('date'), t('voucher'), t('account'), t('debit'), t('credit'), t('counterparty')].map((x) => h('th', {}, x)))),
      h('tbody', {}, ev.map((l) => h('tr', {}, h('td', {}, l.source), h('td', { class: 'num' }, l.source_line), h('td', {}, l.date),
        h('td', {}, `${l.voucher}/${l.line}`), h('td', {}, l.account), h('td', { class: 'num' }, l.debit), h('td', { class: 'num' }, l.credit),
        h('td', {}, l.counterparty || '')))))),
    canTriage ? h('section', { class: 'card', 'aria-labelledby': 'tri' }, h('h2', { id: 'tri' }, t('triage')),
      h('label', {}, t('reason'), reason),
      h('p', {}, ['acknowledge', 'dismiss', 'escalate'].filter((a) => w.status !== { acknowledge: 'acknowledged', dismiss: 'dismissed', escalate: 'escalated' }[a])
        .map((a) => [h('button', { class: 'primary', type: 'button', 'data-action': a, onclick: () => act(a) }, t(a)), ' '])), msg) : null);
}

async function importsPage() {
  if (!IMPORTERS.includes(me.user.role)) { main.replaceChildren(h('h1', {}, t('imports_title')), h('p', {}, t('no_import_role'))); return; }
  const units = await all('/units');
  const out = h('div', { 'aria-live': 'polite' });
  const prog = h('progress', { max: 100, value: 0, hidden: true });
  const form = h('form', { class: 'card filters' },
    sel('unit', t('unit'), units.map((u) => [u.code, u.name]), units[0] && units[0].code),
    h('label', {}, t('choose_file'), h('input', { type: 'file', name: 'file', accept: '.csv,.xlsx,.zip', required: true })),
    h('label', {}, t('year'), h('input', { name: 'year', type: 'number', min: 1990, max: 2100, size: 6 })),
    h('label', {}, h('input', { type: 'checkbox', name: 'replace' }), t('replace')),
    h('button', { class: 'primary', type: 'submit' }, t('upload')), prog);
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    const file = form.file.files[0];
    if (!file) return;
    const q = new URLSearchParams({ filename: file.name });
    if (form.year.value) q.set('year', form.year.value);
    if (form.replace.checked) q.set('replace', 'true');
    const xhr = new XMLHttpRequest();
    xhr.open('POST', `/api/v1/units/${encodeURIComponent(form.unit.value)}/imports?${q}`);
    xhr.setRequestHeader('X-CSRF-Token', me.csrf_token);
    prog.hidden = false; prog.value = 0;
    out.replaceChildren(h('p', {}, t('uploading')));
    xhr.upload.onprogress = (e) => { if (e.lengthComputable) { prog.value = Math.round((100 * e.loaded) / e.total); out.replaceChildren(h('p', {}, `${t('uploading')} ${prog.value}%`)); } };
    xhr.upload.onload = () => out.replaceChildren(h('p', {}, t('importing')));
    xhr.onload = () => {
      let j = null; try { j = JSON.parse(xhr.responseText); } catch (e) { /* not JSON */ }
      if (xhr.status === 401) { toLogin(true); return; }
      out.replaceChildren(xhr.status < 300 ? report(j) : refused(new ApiError(xhr.status, j)));
    };
    xhr.onerror = () => out.replaceChildren(h('p', { class: 'error' }, t('error')));
    xhr.send(file);
  });
  main.replaceChildren(h('h1', {}, t('imports_title')), form, out);
}

function refused(e) {
  return h('section', { class: 'card', 'data-testid': 'import-error' }, h('h2', { class: 'error' }, t('structural_error')),
    h('p', {}, e.message), e.where ? h('p', {}, `${t('where')}: `, h('code', {}, e.where)) : null);
}

function report(r) {
  const kinds = Object.entries(r.findings_by_kind || {});
  return h('section', { class: 'card', 'data-testid': 'import-report' }, h('h2', {}, t('import_report')),
    h('dl', { class: 'kv' },
      h('dt', {}, t('status')), h('dd', { 'data-testid': 'import-status' }, t('status_' + r.status)),
      h('dt', {}, t('unit')), h('dd', {}, h('a', { href: '#/units/' + r.unit }, r.unit)),
      h('dt', {}, t('file')), h('dd', {}, `${r.path} · ${r.format}/${r.encoding || ''} · ${r.bytes} ${t('bytes')}`),
      h('dt', {}, t('years')), h('dd', {}, (r.years || []).join('、')),
      h('dt', {}, t('vouchers')), h('dd', { 'data-testid': 'import-vouchers' }, r.vouchers ?? ''),
      h('dt', {}, t('lines')), h('dd', { 'data-testid': 'import-lines' }, r.lines ?? ''),
      h('dt', {}, t('debit')), h('dd', {}, r.debit_total ?? ''), h('dt', {}, t('credit')), h('dd', {}, r.credit_total ?? ''),
      h('dt', {}, t('findings')), h('dd', {}, r.findings_total ?? 0),
      kinds.length ? [h('dt', {}, t('findings_by_kind')), h('dd', {}, kinds.map(([k, n]) => `${k}: ${n}`).join('；'))] : null),
    (r.findings || []).length ? h('ul', {}, r.findings.slice(0, 200).map((x) => h('li', {}, typeof x === 'string' ? x : JSON.stringify(x)))) : null);
}

/* ---- router --------------------------------------------------------------- */

let seq = 0;
async function route() {
  const my = ++seq;
  const { parts, query } = parseHash();
  if (parts[0] === 'login') { me = null; header(); loginPage(); return; }
  if (!me) {
    try { me = await api('GET', '/me'); } catch (e) {
      if (e.status === 401) toLogin(false);
      else main.replaceChildren(h('p', { class: 'error', role: 'alert' }, e.message));
      return;
    }
  }
  header();
  lastForms = snapshotForms();
  main.replaceChildren(h('p', { class: 'muted' }, t('loading')));
  try {
    if (parts[0] === 'dashboard' || !parts[0]) await dashboardPage();
    else if (parts[0] === 'units' && parts[1]) await unitPage(parts[1]);
    else if (parts[0] === 'warnings' && parts[1]) await warningPage(parts[1]);
    else if (parts[0] === 'warnings') await warningsPage(query);
    else if (parts[0] === 'imports') await importsPage();
    else throw new ApiError(404, null);
    if (my === seq) restoreStash();
  } catch (e) {
    if (e.status === 401 || my !== seq) return;
    main.replaceChildren(h('h1', {}, e.status === 404 ? t('not_found') : t('error')), h('p', { class: 'error', role: 'alert' }, e.message));
  }
  if (my === seq) main.focus({ preventScroll: true });
}

window.addEventListener('hashchange', route);
route();
