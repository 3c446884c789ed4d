// pages/admin.js - administration for the bureau's administrator (#/admin/{tab}, issue 12 §5):
// units, persons, the two responsible subjects of each unit (主要负责同志、内审人员; 国企总审计师),
// grid cells with their liaisons, login accounts, and the audit log with its hash-chain check.
// Every list can be searched; every record can be added, edited and disabled (停用) or enabled
// again. The server validates (the same checks and messages as the command line) and writes the
// audit log; the page only collects, sends and shows. Names first, codes secondary.
import { api, all } from '../api.js';
import { h, t, fill, bjTime, actorOf, roleName, unitLink, tableWrap, setTitle } from '../ui.js';

const TABS = ['units', 'persons', 'cells', 'users', 'settings', 'audit-log'];
const UNIT_TYPES = ['机关', '事业', '国企', '街道', '学校', '医院'];
const CELL_KINDS = ['dept', 'street', 'soe'];
const SUBJECT_ROLES = ['principal', 'auditor', 'chief_auditor'];
const ROLES = ['admin', 'reviewer', 'liaison', 'supervisor', 'leader', 'auditor', 'chief_auditor'];
const UNIT_ROLES = ['leader', 'auditor', 'chief_auditor'];
const CELL_ROLES = ['liaison', 'supervisor'];

// Form helpers: a labelled input/select whose value is read back by name.
const input = (name, label, value, attrs = {}) =>
  h('label', {}, label, h('input', { name, value: value ?? '', ...attrs }));
const select = (name, label, options, value, attrs = {}) =>
  h('label', {}, label, h('select', { name, ...attrs },
    options.map(([v, text]) => h('option', { value: v, selected: v === (value ?? '') ? true : null }, text))));
const val = (form, name) => { const el = form.elements[name]; return el ? el.value.trim() : ''; };
const orNull = (s) => (s === '' ? null : s);
const stateBadge = (o) => (o.disabled ? h('span', { class: 'badge overdue', 'data-testid': 'disabled' }, t('ad_disabled')) : h('span', { class: 'muted' }, t('ad_active')));
const secondary = (code) => h('span', { class: 'muted' }, code);

// A status line for what the last action did (role=status: read out by screen readers).
function statusLine() {
  const el = h('p', { role: 'status', 'data-testid': 'admin-status', tabindex: -1 });
  return {
    el,
    ok(msg) { el.className = 'ok'; el.textContent = msg; },
    fail(e) { el.className = 'error'; el.textContent = e.where ? `${e.message}（${t('ad_field')}：${fieldName(e.where)}）` : e.message; },
    clear() { el.className = ''; el.textContent = ''; },
  };
}
const fieldName = (w) => { const k = 'adf_' + w.replace(/^-+/, '').replace(/-/g, '_'); const v = t(k); return v === k ? w : v; };

// A person picker: a search box that fills a select with matching persons (name · unit).
function personPicker(name, label, { unit = null } = {}) {
  const sel = h('select', { name, 'data-testid': 'person-pick-' + name }, h('option', { value: '' }, t('ad_pick_person')));
  const q = h('input', { type: 'search', placeholder: t('ad_search_person'), 'aria-label': t('ad_search_person'), 'data-testid': 'person-search-' + name });
  async function fill() {
    const qs = new URLSearchParams({ per_page: '50' });
    if (q.value.trim()) qs.set('q', q.value.trim());
    if (unit) qs.set('unit', unit);
    const res = await api('GET', '/persons?' + qs);
    sel.replaceChildren(h('option', { value: '' }, t('ad_pick_person')),
      ...res.items.filter((p) => !p.disabled).map((p) => h('option', { value: String(p.id) },
        `${p.name}${p.title ? '（' + p.title + '）' : ''}${p.unit_name ? ' · ' + p.unit_name : ' · ' + t('ad_no_unit')}`)));
  }
  q.addEventListener('input', () => { fill().catch(() => {}); });
  fill().catch(() => {});
  return h('label', {}, label, h('span', { class: 'row' }, q, sel));
}

export default async function admin({ main, params }) {
  const tab = TABS.includes(params.tab) ? params.tab : 'units';
  const here = location.hash;
  const status = statusLine();
  const body = h('div', { 'data-testid': 'admin-' + tab });
  const nav = h('nav', { class: 'pager', 'aria-label': t('ad_title') },
    TABS.map((k) => h('a', { href: '#/admin/' + k, 'aria-current': k === tab ? 'page' : null, 'data-tab': k }, t('ad_tab_' + k))));
  setTitle(`${t('ad_tab_' + tab)} · ${t('ad_title')}`);
  fill(main, h('h1', {}, t('ad_title')), nav, status.el, body);
  const ctx = { main, body, status, here, redraw: () => PAGES[tab](ctx) };
  await PAGES[tab](ctx);
}

// Runs a change: on success the list is drawn again and the status line says what was done.
async function change(ctx, fn, okMsg) {
  ctx.status.clear();
  try {
    await fn();
    await ctx.redraw();
    ctx.status.ok(okMsg);
  } catch (e) {
    if (e.status !== 401) ctx.status.fail(e);
  }
  ctx.status.el.focus();
}

// A card with a heading, a search box and a button that opens the add form.
function listCard(ctx, { title, search, onSearch, addLabel, onAdd, content }) {
  const q = h('input', { type: 'search', value: search || '', placeholder: t('ad_search'), 'aria-label': t('ad_search'), 'data-testid': 'admin-search' });
  q.addEventListener('input', () => onSearch(q.value.trim()));
  const formBox = h('div', { 'data-testid': 'admin-form-box' });
  const card = h('section', { class: 'card' },
    h('div', { class: 'titlebar' }, h('h2', {}, title),
      addLabel ? h('button', { type: 'button', 'data-testid': 'admin-add', onclick: () => onAdd(formBox) }, addLabel) : null),
    onSearch ? h('div', { class: 'row' }, q) : null, formBox, content);
  return { card, formBox, q };
}

// A form with save and cancel; submit(form) returns the promise of the change.
function editForm(box, title, fields, submit) {
  const form = h('form', { class: 'stack card', 'data-testid': 'admin-form', 'aria-label': title },
    h('h3', {}, title), h('div', { class: 'row' }, fields),
    h('div', { class: 'row' }, h('button', { type: 'submit', 'data-testid': 'admin-save' }, t('ad_save')),
      h('button', { type: 'button', onclick: () => box.replaceChildren() }, t('ad_cancel'))));
  form.addEventListener('submit', (e) => { e.preventDefault(); submit(form); });
  box.replaceChildren(form);
  form.querySelector('input:not([type=hidden]),select')?.focus();
  return form;
}

const rowButtons = (...btns) => h('td', { class: 'nowrap' }, btns.filter(Boolean).map((b, i) => [i ? ' ' : null, b]));
const btn = (label, testid, onclick) => h('button', { type: 'button', 'data-testid': testid, onclick }, label);

/* ---- units and their responsible subjects ------------------------------------------------ */

const UNITS = { q: '' };
async function unitsPage(ctx) {
  const [units, cells] = await Promise.all([all('/units'), api('GET', '/cells')]);
  if (location.hash !== ctx.here) return;
  const cellOpts = [['', t('none')], ...cells.items.map((c) => [c.id, `${c.name}（${c.id}）`])];
  const unitOpts = [['', t('none')], ...units.map((u) => [u.code, u.name])];
  const tbody = h('tbody');
  const draw = () => {
    const q = UNITS.q.toLowerCase();
    const shown = units.filter((u) => !q || u.name.toLowerCase().includes(q) || u.code.toLowerCase().includes(q) || (u.cell_name || '').includes(q));
    tbody.replaceChildren(...shown.map((u) => h('tr', { 'data-unit': u.code },
      h('td', {}, unitLink(u.code, u.name), h('br'), secondary(u.code)),
      h('td', {}, u.type), h('td', {}, u.cell_name || t('none')),
      h('td', {}, u.principal ? u.principal.name : t('none')),
      h('td', {}, u.auditors.length ? u.auditors.map((p) => p.name).join('、') : t('none')),
      h('td', {}, u.pilot ? t('pilot') : ''), h('td', {}, stateBadge(u)),
      rowButtons(btn(t('ad_edit'), 'edit', () => unitForm(ctx, box, u, cellOpts, unitOpts)),
        btn(t('ad_subjects'), 'subjects', () => subjectsPanel(ctx, box, u)),
        btn(u.disabled ? t('ad_enable') : t('ad_disable'), u.disabled ? 'enable' : 'disable', () =>
          change(ctx, () => api('POST', `/units/${encodeURIComponent(u.code)}/${u.disabled ? 'enable' : 'disable'}`),
            t(u.disabled ? 'ad_enabled_x' : 'ad_disabled_x', u.name)))))));
  };
  const { card, formBox: box } = listCard(ctx, {
    title: `${t('ad_tab_units')}（${units.length}）`, search: UNITS.q, onSearch: (q) => { UNITS.q = q; draw(); },
    addLabel: t('ad_add_unit'), onAdd: (b) => unitForm(ctx, b, null, cellOpts, unitOpts),
    content: tableWrap(h('table', { 'data-testid': 'admin-units' },
      h('thead', {}, h('tr', {}, [t('name'), t('type'), t('cell'), t('principal'), t('auditors'), t('pilot'), t('ad_state'), t('ad_actions')].map((x) => h('th', { scope: 'col' }, x)))),
      tbody)),
  });
  draw();
  ctx.body.replaceChildren(card);
}

function unitForm(ctx, box, u, cellOpts, unitOpts) {
  const editing = !!u;
  editForm(box, editing ? t('ad_edit_x', u.name) : t('ad_add_unit'), [
    editing ? null : input('code', t('adf_code') + ' *', '', { maxlength: 18, size: 20, required: true }),
    input('name', t('adf_name') + ' *', u?.name, { maxlength: 200, size: 24, required: true }),
    select('type', t('adf_type') + ' *', UNIT_TYPES.map((x) => [x, x]), u?.type || '学校'),
    select('cell_id', t('adf_cell'), cellOpts, u?.cell_id || ''),
    select('parent_code', t('adf_parent'), unitOpts.filter(([c]) => !u || c !== u.code), u?.parent_code || ''),
    input('address', t('adf_address'), u?.address, { maxlength: 200, size: 24 }),
    h('label', { class: 'check' }, h('input', { type: 'checkbox', name: 'pilot', checked: u?.pilot ? true : null }), t('pilot')),
  ], (f) => {
    const b = { name: val(f, 'name'), type: val(f, 'type'), cell_id: orNull(val(f, 'cell_id')), parent_code: orNull(val(f, 'parent_code')),
      address: orNull(val(f, 'address')), pilot: f.elements.pilot.checked };
    if (editing) return change(ctx, () => api('PUT', '/units/' + encodeURIComponent(u.code), b), t('ad_saved_x', b.name));
    return change(ctx, () => api('POST', '/units', { code: val(f, 'code'), ...b }), t('ad_added_x', b.name));
  });
}

// The two responsible subjects of one unit: who holds each role, removing one, naming one.
async function subjectsPanel(ctx, box, u) {
  const enc = encodeURIComponent(u.code);
  const full = await api('GET', '/units/' + enc);
  const held = [];
  if (full.principal) held.push(['principal', full.principal]);
  for (const p of full.auditors) held.push(['auditor', p]);
  if (full.chief_auditor) held.push(['chief_auditor', full.chief_auditor]);
  const roles = SUBJECT_ROLES.filter((r) => r !== 'chief_auditor' || u.type === '国企');
  const form = editForm(box, t('ad_subjects_of', u.name), [
    h('div', { class: 'grow', 'data-testid': 'subjects-held' },
      held.length ? h('ul', {}, held.map(([role, p]) => h('li', { 'data-person': p.id },
        `${t('sr_' + role)}：${p.name}${p.title ? '（' + p.title + '）' : ''} `,
        btn(t('ad_remove'), 'remove-subject', () => change(ctx, () => api('DELETE', `/units/${enc}/subjects/${p.id}?role=${role}`), t('ad_removed_subject', p.name))))))
        : h('p', { class: 'muted' }, t('ad_no_subjects'))),
    personPicker('person_id', t('ad_person'), { unit: u.code }),
    select('role', t('ad_subject_role'), roles.map((r) => [r, t('sr_' + r)]), 'auditor'),
  ], (f) => {
    const pid = Number(val(f, 'person_id'));
    if (!pid) { ctx.status.fail({ message: t('ad_pick_person') }); return; }
    return change(ctx, () => api('POST', `/units/${enc}/subjects`, { person_id: pid, role: val(f, 'role') }), t('ad_subject_set', u.name));
  });
  form.querySelector('[data-testid="admin-save"]').textContent = t('ad_set_subject');
}

/* ---- persons ------------------------------------------------------------------------------ */

const PERSONS = { q: '', page: 1 };
async function personsPage(ctx) {
  const qs = new URLSearchParams({ per_page: '50', page: String(PERSONS.page) });
  if (PERSONS.q) qs.set('q', PERSONS.q);
  const [res, units, cells] = await Promise.all([api('GET', '/persons?' + qs), all('/units'), api('GET', '/cells')]);
  if (location.hash !== ctx.here) return;
  const unitOpts = [['', t('ad_no_unit')], ...units.map((u) => [u.code, u.name])];
  const cellOpts = [['', t('none')], ...cells.items.map((c) => [c.id, `${c.name}（${c.id}）`])];
  const roleText = (p) => [...p.subjects.map((s) => `${s.unit_name} ${t('sr_' + s.role)}`), ...p.liaison_of.map((c) => `${c.cell_name} ${t('role_liaison')}`)].join('、') || t('none');
  let timer = null;
  const { card } = listCard(ctx, {
    title: `${t('ad_tab_persons')}（${res.total}）`, search: PERSONS.q,
    onSearch: (q) => { clearTimeout(timer); timer = setTimeout(() => { PERSONS.q = q; PERSONS.page = 1; ctx.redraw().then(() => ctx.body.querySelector('[data-testid="admin-search"]')?.focus()); }, 300); },
    addLabel: t('ad_add_person'), onAdd: (b) => personForm(ctx, b, null, unitOpts, cellOpts),
    content: [tableWrap(h('table', { 'data-testid': 'admin-persons' },
      h('thead', {}, h('tr', {}, [t('name'), t('unit'), t('adf_title'), t('adf_phone'), t('ad_roles'), t('ad_state'), t('ad_actions')].map((x) => h('th', { scope: 'col' }, x)))),
      h('tbody', {}, res.items.map((p) => h('tr', { 'data-person': p.id },
        h('td', {}, p.name), h('td', {}, p.unit_code ? unitLink(p.unit_code, p.unit_name) : t('ad_no_unit')),
        h('td', {}, p.title || ''), h('td', {}, p.phone || ''), h('td', {}, roleText(p)), h('td', {}, stateBadge(p)),
        rowButtons(btn(t('ad_edit'), 'edit', () => personForm(ctx, card.querySelector('[data-testid="admin-form-box"]'), p, unitOpts, cellOpts)),
          btn(p.disabled ? t('ad_enable') : t('ad_disable'), p.disabled ? 'enable' : 'disable', () =>
            change(ctx, () => api('POST', `/persons/${p.id}/${p.disabled ? 'enable' : 'disable'}`), t(p.disabled ? 'ad_enabled_x' : 'ad_disabled_x', p.name))))))))),
    pager(res.total, 50, PERSONS, ctx)],
  });
  ctx.body.replaceChildren(card);
}

function pager(total, per, state, ctx) {
  const pages = Math.max(1, Math.ceil(total / per));
  if (pages <= 1) return null;
  const go = (p) => { state.page = p; ctx.redraw(); };
  return h('div', { class: 'pager', 'data-testid': 'pager' },
    h('button', { type: 'button', disabled: state.page <= 1 ? true : null, onclick: () => go(state.page - 1) }, t('ad_prev')),
    h('span', {}, t('ad_page_of', state.page, pages)),
    h('button', { type: 'button', disabled: state.page >= pages ? true : null, onclick: () => go(state.page + 1), 'data-testid': 'next-page' }, t('ad_next')));
}

function personForm(ctx, box, p, unitOpts, cellOpts) {
  const editing = !!p;
  editForm(box, editing ? t('ad_edit_x', p.name) : t('ad_add_person'), [
    input('name', t('adf_name') + ' *', p?.name, { maxlength: 100, size: 12, required: true }),
    select('unit_code', t('unit'), unitOpts, p?.unit_code || ''),
    input('title', t('adf_title'), p?.title, { maxlength: 100, size: 12 }),
    input('phone', t('adf_phone'), p?.phone, { maxlength: 32, size: 14, inputmode: 'tel' }),
    input('email', t('adf_email'), p?.email, { maxlength: 200, size: 18, type: 'email' }),
    editing ? null : select('role', t('ad_subject_role'), [['', t('none')], ...SUBJECT_ROLES.map((r) => [r, t('sr_' + r)])], ''),
    editing ? null : select('liaison_of', t('ad_liaison_of'), cellOpts, ''),
  ], (f) => {
    const b = { name: val(f, 'name'), unit_code: orNull(val(f, 'unit_code')), title: orNull(val(f, 'title')), phone: orNull(val(f, 'phone')), email: orNull(val(f, 'email')) };
    if (editing) return change(ctx, () => api('PUT', '/persons/' + p.id, b), t('ad_saved_x', b.name));
    return change(ctx, () => api('POST', '/persons', { ...b, role: orNull(val(f, 'role')), liaison_of: orNull(val(f, 'liaison_of')) }), t('ad_added_x', b.name));
  });
}

/* ---- grid cells and liaisons --------------------------------------------------------------- */

const CELLS = { q: '' };
async function cellsPage(ctx) {
  const res = await api('GET', '/cells');
  if (location.hash !== ctx.here) return;
  const tbody = h('tbody');
  const draw = () => {
    const q = CELLS.q.toLowerCase();
    tbody.replaceChildren(...res.items.filter((c) => !q || c.name.toLowerCase().includes(q) || c.id.toLowerCase().includes(q)).map((c) => h('tr', { 'data-cell': c.id },
      h('td', {}, c.name, h('br'), secondary(c.id)), h('td', {}, t('ck_' + c.kind)), h('td', { class: 'num' }, t('ad_days', c.visit_days)),
      h('td', {}, c.liaisons.length ? c.liaisons.map((p, i) => [i ? '、' : '', p.name, ' ',
        h('button', { type: 'button', 'data-testid': 'remove-liaison', title: t('ad_remove_liaison', p.name), 'aria-label': t('ad_remove_liaison', p.name),
          onclick: () => change(ctx, () => api('DELETE', `/cells/${encodeURIComponent(c.id)}/liaisons/${p.id}`), t('ad_removed_liaison', p.name, c.name)) }, '×')]) : t('none')),
      h('td', { class: 'num' }, c.unit_count), h('td', {}, stateBadge(c)),
      rowButtons(btn(t('ad_edit'), 'edit', () => cellForm(ctx, box, c)), btn(t('ad_add_liaison'), 'add-liaison', () => liaisonForm(ctx, box, c)),
        btn(c.disabled ? t('ad_enable') : t('ad_disable'), c.disabled ? 'enable' : 'disable', () =>
          change(ctx, () => api('POST', `/cells/${encodeURIComponent(c.id)}/${c.disabled ? 'enable' : 'disable'}`), t(c.disabled ? 'ad_enabled_x' : 'ad_disabled_x', c.name)))))));
  };
  const { card, formBox: box } = listCard(ctx, {
    title: `${t('ad_tab_cells')}（${res.items.length}）`, search: CELLS.q, onSearch: (q) => { CELLS.q = q; draw(); },
    addLabel: t('ad_add_cell'), onAdd: (b) => cellForm(ctx, b, null),
    content: tableWrap(h('table', { 'data-testid': 'admin-cells' },
      h('thead', {}, h('tr', {}, [t('name'), t('adf_kind'), t('adf_visit_days'), t('role_liaison'), t('ad_unit_count'), t('ad_state'), t('ad_actions')].map((x) => h('th', { scope: 'col' }, x)))),
      tbody)),
  });
  draw();
  ctx.body.replaceChildren(card);
}

function cellForm(ctx, box, c) {
  const editing = !!c;
  editForm(box, editing ? t('ad_edit_x', c.name) : t('ad_add_cell'), [
    editing ? null : input('id', t('adf_id') + ' *', '', { maxlength: 16, size: 6, required: true }),
    input('name', t('adf_name') + ' *', c?.name, { maxlength: 100, size: 20, required: true }),
    select('kind', t('adf_kind'), CELL_KINDS.map((k) => [k, t('ck_' + k)]), c?.kind || 'dept'),
    input('visit_days', t('adf_visit_days'), c?.visit_days ?? 30, { type: 'number', min: 1, max: 366, size: 4 }),
  ], (f) => {
    const b = { name: val(f, 'name'), kind: val(f, 'kind'), visit_days: Number(val(f, 'visit_days')) || 30 };
    if (editing) return change(ctx, () => api('PUT', '/cells/' + encodeURIComponent(c.id), b), t('ad_saved_x', b.name));
    return change(ctx, () => api('POST', '/cells', { id: val(f, 'id'), ...b }), t('ad_added_x', b.name));
  });
}

function liaisonForm(ctx, box, c) {
  editForm(box, t('ad_add_liaison_to', c.name), [personPicker('person_id', t('ad_person'))], (f) => {
    const pid = Number(val(f, 'person_id'));
    if (!pid) { ctx.status.fail({ message: t('ad_pick_person') }); return; }
    return change(ctx, () => api('POST', `/cells/${encodeURIComponent(c.id)}/liaisons`, { person_id: pid }), t('ad_liaison_added', c.name));
  });
}

/* ---- login accounts -------------------------------------------------------------------------- */

const USERS = { q: '' };
async function usersPage(ctx) {
  const [users, units, cells] = await Promise.all([all('/users'), all('/units'), api('GET', '/cells')]);
  if (location.hash !== ctx.here) return;
  const unitName = Object.fromEntries(units.map((u) => [u.code, u.name]));
  const cellName = Object.fromEntries(cells.items.map((c) => [c.id, c.name]));
  const scope = (u) => (u.unit_code ? unitName[u.unit_code] || t('none') : u.cell_id ? cellName[u.cell_id] || t('none') : t('ad_whole_district'));
  const unitOpts = [['', t('none')], ...units.map((u) => [u.code, u.name])];
  const cellOpts = [['', t('none')], ...cells.items.map((c) => [c.id, `${c.name}（${c.id}）`])];
  const tbody = h('tbody');
  const draw = () => {
    const q = USERS.q.toLowerCase();
    tbody.replaceChildren(...users.filter((u) => !q || u.username.includes(q) || (u.display_name || '').toLowerCase().includes(q) || roleName(u.role).includes(q)).map((u) => h('tr', { 'data-user': u.username },
      h('td', {}, u.display_name || u.username, h('br'), secondary(u.username)), h('td', {}, roleName(u.role)), h('td', {}, scope(u)),
      h('td', {}, bjTime(u.created_at)), h('td', {}, stateBadge(u)),
      rowButtons(btn(t('ad_edit'), 'edit', () => userForm(ctx, box, u, unitOpts, cellOpts)),
        btn(u.disabled ? t('ad_enable') : t('ad_disable'), u.disabled ? 'enable' : 'disable', () =>
          change(ctx, () => api('POST', `/users/${u.id}/${u.disabled ? 'enable' : 'disable'}`), t(u.disabled ? 'ad_enabled_x' : 'ad_disabled_x', u.display_name || u.username)))))));
  };
  const { card, formBox: box } = listCard(ctx, {
    title: `${t('ad_tab_users')}（${users.length}）`, search: USERS.q, onSearch: (q) => { USERS.q = q; draw(); },
    addLabel: t('ad_add_user'), onAdd: (b) => userForm(ctx, b, null, unitOpts, cellOpts),
    content: tableWrap(h('table', { 'data-testid': 'admin-users' },
      h('thead', {}, h('tr', {}, [t('ad_account'), t('ad_role'), t('ad_scope'), t('ad_created'), t('ad_state'), t('ad_actions')].map((x) => h('th', { scope: 'col' }, x)))),
      tbody)),
  });
  draw();
  ctx.body.replaceChildren(card);
}

function userForm(ctx, box, u, unitOpts, cellOpts) {
  const editing = !!u;
  const form = editForm(box, editing ? t('ad_edit_x', u.display_name || u.username) : t('ad_add_user'), [
    editing ? null : input('username', t('adf_username') + ' *', '', { maxlength: 64, size: 12, required: true, autocomplete: 'off' }),
    input('display_name', t('adf_display_name'), u?.display_name, { maxlength: 100, size: 12 }),
    select('role', t('ad_role') + ' *', ROLES.map((r) => [r, roleName(r)]), u?.role || 'auditor'),
    select('unit_code', t('unit'), unitOpts, u?.unit_code || ''),
    select('cell_id', t('cell'), cellOpts, u?.cell_id || ''),
    personPicker('person_id', t('ad_person_of_account')),
    editing ? null : input('password', t('adf_password') + ' *', '', { type: 'password', minlength: 8, maxlength: 128, size: 14, required: true, autocomplete: 'new-password' }),
  ], (f) => {
    const role = val(f, 'role');
    const pid = Number(val(f, 'person_id')) || (editing ? u.person_id : null) || null;
    const b = { role, display_name: orNull(val(f, 'display_name')), unit_code: UNIT_ROLES.includes(role) ? orNull(val(f, 'unit_code')) : null,
      cell_id: CELL_ROLES.includes(role) ? orNull(val(f, 'cell_id')) : null, person_id: pid };
    if (editing) return change(ctx, () => api('PUT', '/users/' + u.id, b), t('ad_saved_x', b.display_name || u.username));
    const pw = f.elements.password.value;
    f.elements.password.value = '';
    return change(ctx, () => api('POST', '/users', { username: val(f, 'username'), password: pw, ...b }), t('ad_added_x', b.display_name || val(f, 'username')));
  });
  // Only the scope the role takes is offered.
  const sync = () => {
    const role = form.elements.role.value;
    form.elements.unit_code.closest('label').hidden = !UNIT_ROLES.includes(role);
    form.elements.cell_id.closest('label').hidden = !CELL_ROLES.includes(role);
  };
  form.elements.role.addEventListener('change', sync);
  sync();
}

/* ---- the audit log ---------------------------------------------------------------------------- */

/* ---- the bureau's settings: the sampled review of dismissals, rectification deadlines ---- */
const RECT_CLASSES = ['immediate', 'phased', 'continuous'];
async function settingsPage(ctx) {
  const [review, days] = await Promise.all([api('GET', '/settings/warning-review'), api('GET', '/settings/rectify-deadlines')]);
  if (location.hash !== ctx.here) return;
  const share = h('form', { class: 'stack', 'data-testid': 'review-share-form', 'aria-label': t('ad_review_share') },
    h('div', { class: 'row' }, input('share', t('ad_review_share_label'), String(review.share), { type: 'number', min: 0, max: 100, step: 1, required: true })),
    h('p', { class: 'muted' }, t('ad_review_share_about', review.default)),
    h('div', { class: 'row' }, h('button', { type: 'submit', 'data-testid': 'save-review-share' }, t('ad_save'))));
  share.addEventListener('submit', (e) => {
    e.preventDefault();
    const n = Number(val(share, 'share'));
    change(ctx, () => api('PUT', '/settings/warning-review', { share: n }), t('ad_review_share_saved', n));
  });
  const deadlines = h('form', { class: 'stack', 'data-testid': 'deadlines-form', 'aria-label': t('ad_deadlines') },
    h('div', { class: 'row' }, RECT_CLASSES.map((c) => input(c, t('au_rc_' + c), String(days[c]), { type: 'number', min: 1, max: 1095, step: 1, required: true }))),
    h('p', { class: 'muted' }, t('ad_deadlines_about')),
    h('div', { class: 'row' }, h('button', { type: 'submit', 'data-testid': 'save-deadlines' }, t('ad_save'))));
  deadlines.addEventListener('submit', (e) => {
    e.preventDefault();
    const body = Object.fromEntries(RECT_CLASSES.map((c) => [c, Number(val(deadlines, c))]));
    change(ctx, () => api('PUT', '/settings/rectify-deadlines', body), t('ad_deadlines_saved'));
  });
  ctx.body.replaceChildren(
    h('section', { class: 'card' }, h('h2', {}, t('ad_review_share')), share),
    h('section', { class: 'card' }, h('h2', {}, t('ad_deadlines')), deadlines));
}

const LOG = { page: 1 };
async function auditLogPage(ctx) {
  const res = await api('GET', `/audit-log?per_page=50&page=${LOG.page}`);
  if (location.hash !== ctx.here) return;
  const result = h('div', { 'data-testid': 'verify-result', role: 'status' });
  const check = h('button', { type: 'button', 'data-testid': 'verify', onclick: async () => {
    check.disabled = true;
    result.replaceChildren(h('p', { class: 'muted' }, t('ad_verifying')));
    try {
      const v = await api('GET', '/audit-log/verify');
      result.replaceChildren(v.ok
        ? h('div', { 'data-ok': '1' }, h('p', { class: 'ok' }, t('ad_chain_ok', v.entries)),
          h('p', { class: 'muted' }, t('ad_head_hash'), ' ', h('code', { 'data-testid': 'head-hash' }, (v.head_hash.match(/.{1,16}/g) || []).map((c, i) => [i ? h('wbr') : null, c]))), h('p', { class: 'muted' }, t('ad_anchor_hint')))
        : h('div', { 'data-ok': '0' }, h('p', { class: 'error' }, t('ad_chain_bad', v.bad_seq)), h('p', {}, getReason(v))));
    } catch (e) {
      if (e.status !== 401) result.replaceChildren(h('p', { class: 'error' }, e.message));
    }
    check.disabled = false;
  } }, t('ad_verify'));
  const row = (e) => h('tr', { 'data-seq': e.seq },
    h('td', { class: 'num' }, e.seq), h('td', { class: 'nowrap' }, bjTime(e.ts)), h('td', {}, actorOf(e, 'actor')),
    h('td', { title: e.action }, known('aa_' + e.action, 'ad_other_action')),
    h('td', { title: e.table }, known('at_' + e.table, 'ad_other_table')));
  ctx.body.replaceChildren(
    h('section', { class: 'card' }, h('h2', {}, t('ad_chain')), h('p', { class: 'muted' }, t('ad_chain_about')), check, result),
    h('section', { class: 'card' }, h('h2', {}, `${t('ad_tab_audit-log')}（${res.total}）`),
      tableWrap(h('table', { 'data-testid': 'audit-log' },
        h('thead', {}, h('tr', {}, [t('ad_seq'), t('ad_time'), t('ad_actor'), t('ad_action'), t('ad_object')].map((x) => h('th', { scope: 'col' }, x)))),
        h('tbody', {}, res.items.map(row)))),
      pager(res.total, 50, LOG, ctx)));
}
// The word for key k, or the fallback's when the catalogue has none (a table added later).
const known = (k, fallback) => (t(k) === k ? t(fallback) : t(k));
const getReason = (v) => (document.documentElement.lang === 'en' ? v.reason_en : v.reason) || v.reason;

const PAGES = { units: unitsPage, persons: personsPage, cells: cellsPage, users: usersPage, settings: settingsPage, 'audit-log': auditLogPage };
