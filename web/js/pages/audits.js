// pages/audits.js - the audit projects (#/audits?unit=&stage=&kind=&page=): the list with its
// filters and pages kept in the URL (GET /api/v1/audits does the filtering and paging), and the
// form to start a project for the roles that may (POST /api/v1/audits): the bureau's admin any
// kind for any unit, an internal auditor or chief auditor a self-check of its own unit or group.
import { api, all } from '../api.js';
import { h, t, fill, getLang, sel, tableWrap, unitLink, searchable } from '../ui.js';

export { yuan } from '../ui.js'; // the audit pages import it from here

export const KINDS = ['self_check', 'cross', 'special', 'tracking', 'econ_resp'];
export const STAGES = ['pre', 'field', 'report', 'rectify', 'closed'];
const FILTERS = ['unit', 'stage', 'kind'];
const PER_PAGE = 20;
const PLANNERS = ['admin', 'auditor', 'chief_auditor'];

// The name of a catalog item in the UI's language.
export const itemName = (c) => (c ? (getLang() === 'en' ? c.name_en : c.name_zh) || c.code : '');
// A list separator and "label (n)" in the UI's language.
export const sep = () => (getLang() === 'en' ? ', ' : '、');
export const counted = (label, n) => (getLang() === 'en' ? `${label} (${n})` : `${label}（${n}）`);

export default async function audits({ main, query, me }) {
  const f = Object.fromEntries(FILTERS.map((k) => [k, query.get(k) || '']));
  if (f.stage && !STAGES.includes(f.stage)) f.stage = '';
  if (f.kind && !KINDS.includes(f.kind)) f.kind = '';
  const page = Math.max(1, parseInt(query.get('page') || '1', 10) || 1);
  const link = (changes) => {
    const q = new URLSearchParams();
    for (const k of FILTERS) if (f[k]) q.set(k, f[k]);
    if (page > 1) q.set('page', page);
    for (const [k, v] of Object.entries(changes)) if (v === null || v === '') q.delete(k); else q.set(k, v);
    const s = q.toString();
    return '#/audits' + (s ? '?' + s : '');
  };
  const qs = new URLSearchParams();
  for (const k of FILTERS) if (f[k]) qs.set(k, f[k]);
  qs.set('page', page); qs.set('per_page', PER_PAGE);
  const planner = PLANNERS.includes(me.user.role);
  const [units, res, catalog] = await Promise.all([all('/units'), api('GET', '/audits?' + qs),
    planner ? api('GET', '/catalog') : null]);

  const form = h('form', { class: 'filters card', role: 'search', 'aria-label': t('filter') },
    searchable(sel('unit', t('unit'), [['', t('any')], ...units.map((u) => [u.code, `${u.cell_id || ''} ${u.name}`.trim()])], f.unit)),
    sel('stage', t('au_stage'), [['', t('any')], ...STAGES.map((s) => [s, t('au_stage_' + s)])], f.stage),
    sel('kind', t('au_kind'), [['', t('any')], ...KINDS.map((k) => [k, t('au_kind_' + k)])], f.kind),
    h('button', { class: 'primary', type: 'submit' }, t('filter')),
    h('a', { href: '#/audits', 'data-testid': 'clear' }, t('clear_filters')));
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    const changes = { page: null };
    for (const k of FILTERS) changes[k] = form.elements.namedItem(k).value;
    const target = link(changes);
    if (target === location.hash) window.dispatchEvent(new HashChangeEvent('hashchange'));
    else location.hash = target;
  });

  const pages = Math.max(1, Math.ceil(res.total / res.per_page));
  fill(main, ...[h('h1', {}, t('au_list_title')),
    planner ? createForm(me, units, catalog) : null,
    form,
    h('nav', { class: 'pager', 'aria-label': t('pages') },
      h('span', { 'data-testid': 'total', 'data-total': res.total }, t('page_of', page, pages, res.total)),
      page > 1 ? h('a', { href: link({ page: page - 1 }), rel: 'prev' }, t('prev')) : null,
      page < pages ? h('a', { href: link({ page: page + 1 }), rel: 'next' }, t('next')) : null),
    res.items.length ? projectTable(res.items) : h('p', { class: 'muted', 'data-testid': 'no-audits' }, t('au_none'))].filter(Boolean));
}

function projectTable(items) {
  const cols = [t('au_code'), t('au_name'), t('au_kind'), t('unit'), t('au_period'), t('au_stage'), t('au_lead'),
    t('au_findings'), t('au_open_rect')];
  return tableWrap(h('table', { 'data-testid': 'audits' },
    h('thead', {}, h('tr', {}, cols.map((c) => h('th', { scope: 'col' }, c)))),
    h('tbody', {}, items.map((p) => h('tr', { 'data-audit': p.id, 'data-code': p.code },
      h('td', { class: 'nowrap' }, h('a', { href: '#/audits/' + p.id }, p.code)),
      h('td', {}, p.name),
      h('td', { class: 'nowrap' }, t('au_kind_' + p.kind)),
      h('td', {}, unitLink(p.unit_code, p.unit_name)),
      h('td', { class: 'nowrap' }, `${p.period_from} ~ ${p.period_to}`),
      h('td', { class: 'nowrap', 'data-col': 'stage', 'data-stage': p.stage }, h('span', { class: 'stage-tag ' + p.stage }, t('au_stage_' + p.stage))),
      h('td', {}, p.lead || t('none')),
      h('td', { class: 'num' }, p.findings),
      h('td', { class: 'num' }, p.open_rectifications || 0,
        p.overdue_rectifications ? [' ', h('span', { class: 'badge high' }, t('au_overdue_n', p.overdue_rectifications))] : null))))));
}

// The form to start a project. Admin: any kind, any unit; an internal auditor: a self-check of its
// unit; a chief auditor: a self-check of a unit of its group. The server checks the same again.
function createForm(me, units, catalog) {
  const u = me.user;
  const admin = u.role === 'admin';
  const mine = admin ? units : units.filter((x) => x.code === u.unit_code ||
    (u.role === 'chief_auditor' && x.parent_code === u.unit_code));
  const kinds = admin ? KINDS : ['self_check'];
  const msg = h('p', { role: 'alert', 'data-testid': 'create-msg' });
  const group = (kind, legend) => h('fieldset', { class: 'items' }, h('legend', {}, legend),
    catalog.items.filter((i) => i.kind === kind).map((i) =>
      h('label', { class: 'check', title: i.description_zh || null },
        h('input', { type: 'checkbox', name: 'items', value: i.code }), `${i.code} ${itemName(i)}`)));
  const year = new Date().getFullYear() - 1;
  const form = h('form', { class: 'stack', 'data-testid': 'create-audit' },
    h('div', { class: 'row' },
      h('label', { class: 'grow' }, t('au_name') + ' *', h('input', { name: 'name', required: true, maxlength: 200, size: 40 })),
      h('label', {}, t('au_code_opt'), h('input', { name: 'code', maxlength: 40, size: 16, placeholder: 'SJ-2026-001' })),
      sel('kind', t('au_kind'), kinds.map((k) => [k, t('au_kind_' + k)]), admin ? 'cross' : 'self_check'),
      sel('unit_code', t('au_audited_unit'), mine.map((x) => [x.code, `${x.cell_id || ''} ${x.name}`.trim()]), mine.length === 1 ? mine[0].code : null)),
    h('div', { class: 'row' },
      h('label', {}, t('au_period_from') + ' *', h('input', { type: 'date', name: 'period_from', required: true, value: `${year}-01-01` })),
      h('label', {}, t('au_period_to') + ' *', h('input', { type: 'date', name: 'period_to', required: true, value: `${year}-12-31` }))),
    h('p', { class: 'muted' }, t('au_items_hint', catalog.version)),
    h('div', { class: 'row top' }, group('fund', t('au_items_fund')), group('key', t('au_items_key'))),
    msg,
    h('button', { class: 'primary', type: 'submit' }, t('au_create')));
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    msg.textContent = ''; msg.className = '';
    const items = [...form.querySelectorAll('input[name="items"]:checked')].map((x) => x.value);
    if (!items.length) {
      msg.textContent = t('au_items_needed'); msg.className = 'error';
      form.querySelector('input[name="items"]').focus();
      return;
    }
    const v = (k) => form.elements.namedItem(k).value.trim();
    const body = { name: v('name'), kind: v('kind'), unit_code: v('unit_code'), period_from: v('period_from'), period_to: v('period_to'), items };
    if (v('code')) body.code = v('code');
    try {
      const p = await api('POST', '/audits', body);
      location.hash = '#/audits/' + p.id;
    } catch (e) { if (e.status !== 401) { msg.textContent = e.message; msg.className = 'error'; } }
  });
  return h('details', { class: 'card', 'data-testid': 'create' }, h('summary', {}, t('au_new')), form);
}
