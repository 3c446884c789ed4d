// pages/reports.js - the four reports (四类报告, issue 16): the annual internal-audit plan, the audit
// report, the rectification report and the annual work summary.
// #/reports?kind=&state=&year=&unit=&page= lists the reports the user may see (filters, late marks,
// the score of each), with the "新建报告" form for the people who draft them (kind; the project for an
// audit or rectification report, the unit and year for a plan or summary); ?tab=queue is the
// bureau's filing queue (reports filed and awaiting its acceptance).
// #/reports/risk?unit=&year= is the risk ranking the annual plan is proposed from: each entry's
// score, every factor's raw value, normalised value and points, and the factor weights, which the
// bureau's administrator edits here.
// A single report (#/reports/:id) is report.js.
import { api, all } from '../api.js';
import { h, t, fill, sel, searchable, tableWrap, unitLink, bjTime, getLang, setTitle } from '../ui.js';

export const KINDS = ['plan', 'audit', 'rectification', 'summary'];
export const STATES = ['draft', 'filed', 'returned', 'accepted'];
const PER_PAGE = 50;
// Who drafts reports (the server checks again, unit by unit and project by project).
const AUTHORS = ['admin', 'auditor', 'leader', 'chief_auditor'];
const BUREAU = ['admin', 'reviewer'];
const byProject = (k) => k === 'audit' || k === 'rectification';

// The kind and state of a report by name: the API's Chinese name, the page's own in English.
export const kindName = (x) => (getLang() === 'en' || !x.kind_zh ? t('rp_kind_' + (KINDS.includes(x.kind) ? x.kind : 'other')) : x.kind_zh);
export const stateName = (x) => (getLang() === 'en' || !x.state_zh ? t('rp_state_' + (STATES.includes(x.state) ? x.state : 'other')) : x.state_zh);
export const stateBadge = (x) => h('span', { class: `badge rp-state rp-${STATES.includes(x.state) ? x.state : 'other'}`, 'data-state': x.state }, stateName(x));
export const lateBadge = () => h('span', { class: 'badge overdue', 'data-late': '1' }, t('rp_late'));
// 87.5 -> "87.5"; no score yet is a dash.
export const points = (v) => (v === null || v === undefined || v === '' || Number.isNaN(Number(v)) ? '—' : String(Math.round(Number(v) * 10) / 10));
// What a report is about: the project (audit, rectification) or the unit's year (plan, summary).
export function subject(x) {
  if (x.project_code || x.project_name) return [x.project_code, x.project_name].filter(Boolean).join(' ');
  return x.year ? t('rp_year_n', x.year) : '';
}
// A table box that may scroll sideways without a link inside: reachable by keyboard (Tab, then the
// arrow keys scroll it), named for screen readers.
export function scrollBox(wrap, label) {
  wrap.setAttribute('tabindex', '0');
  wrap.setAttribute('role', 'region');
  wrap.setAttribute('aria-label', label);
  return wrap;
}
export const yearNow = () => Number(new Date(Date.now() + 8 * 3600e3).toISOString().slice(0, 4)); // Beijing calendar
const monthNow = () => Number(new Date(Date.now() + 8 * 3600e3).toISOString().slice(5, 7));

export default async function reports(ctx) {
  if (ctx.params && location.hash.startsWith('#/reports/risk')) return riskPage(ctx);
  return listPage(ctx);
}

/* ---- #/reports: the list, the queue, the new-report form ---------------------------------------- */

async function listPage({ main, query, me }) {
  const here = location.hash;
  const role = me.user.role;
  const queue = query.get('tab') === 'queue';
  const f = {
    kind: KINDS.includes(query.get('kind')) ? query.get('kind') : '',
    state: STATES.includes(query.get('state')) ? query.get('state') : '',
    year: /^\d{4}$/.test(query.get('year') || '') ? query.get('year') : '',
    unit: query.get('unit') || '',
    late: query.get('late') === '1' ? '1' : '',
  };
  const page = Math.max(1, parseInt(query.get('page') || '1', 10) || 1);
  const qs = new URLSearchParams();
  if (queue) qs.set('queue', '1');
  for (const [k, v] of Object.entries(f)) if (v && !(queue && k === 'state')) qs.set(k, v);
  qs.set('page', page); qs.set('per_page', PER_PAGE);
  const author = AUTHORS.includes(role);
  const [res, units, projects] = await Promise.all([api('GET', '/reports?' + qs), all('/units'),
    author ? all('/audits') : null]);
  if (location.hash !== here) return;

  const link = (ch) => {
    const q = new URLSearchParams();
    if (queue) q.set('tab', 'queue');
    for (const [k, v] of Object.entries({ ...f, page: page > 1 ? page : '', ...ch })) if (v) q.set(k, v);
    const s = q.toString();
    return '#/reports' + (s ? '?' + s : '');
  };
  const status = h('p', { role: 'status', 'aria-live': 'polite', 'data-testid': 'rp-status' });
  const say = (text, bad) => { status.textContent = text; status.className = bad ? 'error' : 'ok'; };

  // ---- the tabs: every report, the bureau's queue, the risk ranking
  const tabs = h('nav', { class: 'rp-tabs', 'aria-label': t('rp_tabs') },
    h('a', { href: '#/reports', 'aria-current': queue ? null : 'page', 'data-testid': 'rp-tab-list' }, t('rp_tab_list')),
    BUREAU.includes(role) || queue ? h('a', { href: '#/reports?tab=queue', 'aria-current': queue ? 'page' : null, 'data-testid': 'rp-tab-queue' }, t('rp_tab_queue')) : null,
    h('a', { href: '#/reports/risk', 'data-testid': 'rp-tab-risk' }, t('rp_tab_risk')));

  // ---- the filters
  const years = [];
  for (let y = yearNow() + 1; y >= yearNow() - 4; y--) years.push(String(y));
  if (f.year && !years.includes(f.year)) years.push(f.year);
  const unitOpts = units.map((u) => [u.code, `${u.cell_id || ''} ${u.name}`.trim()]);
  const filters = h('form', { class: 'filters card', role: 'search', 'aria-label': t('filter'), 'data-testid': 'rp-filters' },
    sel('kind', t('rp_kind'), [['', t('any')], ...KINDS.map((k) => [k, t('rp_kind_' + k)])], f.kind),
    queue ? null : sel('state', t('rp_state'), [['', t('any')], ...STATES.map((s) => [s, t('rp_state_' + s)])], f.state),
    sel('year', t('rp_year'), [['', t('any')], ...years.map((y) => [y, t('rp_year_n', y)])], f.year),
    searchable(sel('unit', t('unit'), [['', t('any')], ...unitOpts], f.unit)),
    h('label', { class: 'check' }, h('input', { type: 'checkbox', name: 'late', checked: f.late ? true : null }), t('rp_only_late')),
    h('button', { class: 'primary', type: 'submit' }, t('filter')),
    h('a', { href: queue ? '#/reports?tab=queue' : '#/reports', 'data-testid': 'rp-clear' }, t('clear_filters')));
  filters.addEventListener('submit', (ev) => {
    ev.preventDefault();
    const el = filters.elements;
    const target = link({ kind: el.kind.value, state: queue ? '' : el.state.value, year: el.year.value, unit: el.unit.value,
      late: el.late.checked ? '1' : '', page: '' });
    if (target === location.hash) window.dispatchEvent(new HashChangeEvent('hashchange'));
    else location.hash = target;
  });

  // ---- the table
  const pages = Math.max(1, Math.ceil(res.total / PER_PAGE));
  const row = (x) => h('tr', { 'data-report': x.id, 'data-kind': x.kind, 'data-state': x.state, 'data-late': x.late ? '1' : '0' },
    h('td', { 'data-col': 'title' }, h('a', { href: '#/reports/' + x.id }, x.title || t('rp_untitled'))),
    h('td', { 'data-col': 'kind', class: 'nowrap' }, kindName(x)),
    h('td', { 'data-col': 'unit' }, unitLink(x.unit_code, x.unit_name)),
    h('td', { 'data-col': 'subject' }, subject(x)),
    h('td', { 'data-col': 'state', class: 'nowrap' }, stateBadge(x), x.late ? [' ', lateBadge()] : null),
    h('td', { 'data-col': 'version', class: 'num nowrap' }, t('rp_version_n', x.version)),
    h('td', { 'data-col': 'due', class: 'nowrap' }, x.due || '—'),
    h('td', { 'data-col': 'filed', class: 'nowrap' }, x.filed_at ? bjTime(x.filed_at) : '—'),
    h('td', { 'data-col': 'score', class: 'num' }, points(x.score_total)));
  const table = res.items.length
    ? tableWrap(h('table', { 'data-testid': queue ? 'rp-queue' : 'rp-list', class: 'rp-list' },
      h('caption', {}, queue ? t('rp_queue_caption', res.total) : t('rp_list_caption', res.total)),
      h('thead', {}, h('tr', {}, ['rp_col_title', 'rp_kind', 'unit', 'rp_col_subject', 'rp_state', 'rp_col_version', 'rp_col_due',
        'rp_col_filed', 'rp_col_score'].map((k) => h('th', { scope: 'col' }, t(k))))),
      h('tbody', {}, res.items.map(row))))
    : h('p', { class: 'muted', 'data-testid': queue ? 'rp-queue-empty' : 'rp-empty' }, queue ? t('rp_queue_none') : t('rp_none'));
  const pager = h('nav', { class: 'pager', 'aria-label': t('pages') },
    h('span', { 'data-testid': 'rp-total', 'data-total': res.total }, t('page_of', page, pages, res.total)),
    page > 1 ? h('a', { href: link({ page: page - 1 > 1 ? page - 1 : '' }), rel: 'prev' }, t('prev')) : null,
    page < pages ? h('a', { href: link({ page: page + 1 }), rel: 'next' }, t('next')) : null);

  setTitle(queue ? t('rp_queue_title') : t('rp_title'));
  fill(main,
    h('div', { class: 'titlebar' }, h('h1', {}, queue ? t('rp_queue_title') : t('rp_title'))),
    tabs,
    queue ? h('p', { class: 'muted' }, t('rp_queue_help')) : h('p', { class: 'muted' }, t('rp_help')),
    status,
    author && !queue ? newForm(me, units, projects || [], say) : null,
    filters, pager, table);
}

// "新建报告": the kind; the project for an audit or rectification report, the unit and year for a
// plan or summary. The server drafts every section from its data and answers the new report.
function newForm(me, units, projects, say) {
  const mine = me.user.unit_code && units.some((u) => u.code === me.user.unit_code) ? me.user.unit_code : '';
  const kind = sel('kind', t('rp_kind'), KINDS.map((k) => [k, t('rp_kind_' + k)]), 'plan');
  const project = sel('project_id', t('rp_project'), [['', t('rp_pick_project')],
    ...projects.map((p) => [String(p.id), [p.code, p.name].filter(Boolean).join(' ')])], '');
  const unit = searchable(sel('unit_code', t('rp_unit'), [['', t('rp_pick_unit')],
    ...units.map((u) => [u.code, `${u.cell_id || ''} ${u.name}`.trim()])], mine));
  const yearInput = h('input', { type: 'number', name: 'year', min: 2000, max: 2100, step: 1, value: yearNow(), size: 6 });
  const year = h('label', {}, t('rp_year'), yearInput);
  const button = h('button', { type: 'submit', class: 'primary', 'data-testid': 'rp-create' }, t('rp_create'));
  const form = h('form', { class: 'card filters rp-new', 'data-testid': 'rp-new', novalidate: true },
    h('h2', { class: 'rp-new-h' }, t('rp_new')),
    kind, project, unit, year, button,
    h('p', { class: 'muted small rp-new-help' }, t('rp_new_help')));
  const kindSel = kind.querySelector('select');
  const sync = () => {
    const p = byProject(kindSel.value);
    project.hidden = !p; unit.hidden = p; year.hidden = p;
    // From October on, the plan being written is next year's and the summary this year's (both
    // due by 31 January); before, the plan of this year and the summary of the year just ended.
    const late = monthNow() >= 10;
    yearInput.value = String(kindSel.value === 'summary' ? (late ? yearNow() : yearNow() - 1) : (late ? yearNow() + 1 : yearNow()));
  };
  kindSel.addEventListener('change', sync);
  sync();
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const el = form.elements;
    const k = el.kind.value;
    const body = { kind: k };
    if (byProject(k)) {
      if (!el.project_id.value) { say(t('rp_need_project'), true); return; }
      body.project_id = Number(el.project_id.value);
    } else {
      if (!el.unit_code.value) { say(t('rp_need_unit'), true); return; }
      body.unit_code = el.unit_code.value;
      body.year = Number(el.year.value);
    }
    button.disabled = true;
    say(t('rp_drafting'));
    try {
      const r = await api('POST', '/reports', body);
      location.hash = '#/reports/' + r.id;
    } catch (e) {
      button.disabled = false;
      if (e.status !== 401) say(e.status === undefined ? t('error') : e.message, true);
    }
  });
  return form;
}

/* ---- #/reports/risk: the risk ranking and its weights ------------------------------------------- */

const factorName = (f) => (getLang() === 'en' ? f.name_en || f.name_zh : f.name_zh || f.name_en) || t('rp_factor');
// "未处理预警（按风险等级加权 高3 中2 低1）" -> "未处理预警"
const shortName = (s) => s.split(/[（(]/)[0] || s;
const num2 = (v) => (v === null || v === undefined || v === '' || Number.isNaN(Number(v)) ? '—' : (Math.round(Number(v) * 100) / 100).toString());
// A raw factor value: a count, years, a grade level, or an amount (funds, in yuan).
function rawValue(code, v) {
  if (v === null || v === undefined || v === '') return '—';
  if (code === 'funds') return yuanNum(v);
  if (code === 'grade') return t('rp_grade_level', v);
  return num2(v);
}
function yuanNum(v) {
  const n = Number(v);
  if (Number.isNaN(n)) return String(v);
  return n.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
}

async function riskPage({ main, query, me }) {
  const here = location.hash;
  const admin = me.user.role === 'admin';
  const units = await all('/units');
  const unitCode = query.get('unit') || (me.user.unit_code && units.some((u) => u.code === me.user.unit_code) ? me.user.unit_code
    : (units.find((u) => u.kind === 'soe_group' || u.kind === 'group') || units[0] || {}).code || '');
  const year = /^\d{4}$/.test(query.get('year') || '') ? Number(query.get('year')) : yearNow();
  const [rank, weights] = await Promise.all([
    unitCode ? api('GET', `/reports/risk?unit=${encodeURIComponent(unitCode)}&year=${year}`) : null,
    api('GET', '/settings/report-weights')]);
  if (location.hash !== here) return;
  const status = h('p', { role: 'status', 'aria-live': 'polite', 'data-testid': 'rp-status' });
  const say = (text, bad) => { status.textContent = text; status.className = bad ? 'error' : 'ok'; };

  const years = [];
  for (let y = yearNow() + 1; y >= yearNow() - 4; y--) years.push(String(y));
  if (!years.includes(String(year))) years.push(String(year));
  const form = h('form', { class: 'filters card', role: 'search', 'aria-label': t('rp_risk_pick'), 'data-testid': 'rp-risk-filters' },
    searchable(sel('unit', t('unit'), units.map((u) => [u.code, `${u.cell_id || ''} ${u.name}`.trim()]), unitCode)),
    sel('year', t('rp_year'), years.map((y) => [y, t('rp_year_n', y)]), String(year)),
    h('button', { class: 'primary', type: 'submit' }, t('rp_risk_show')));
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    const target = `#/reports/risk?unit=${encodeURIComponent(form.elements.unit.value)}&year=${form.elements.year.value}`;
    if (target === location.hash) window.dispatchEvent(new HashChangeEvent('hashchange'));
    else location.hash = target;
  });

  const factors = (rank && rank.factors) || weights.factors || [];
  const w = (rank && rank.weights) || weights.weights || {};
  // The weights: a number per factor for the administrator, the figures for everyone else.
  const inputs = new Map();
  const weightRows = factors.map((f) => {
    const cur = w[f.code] ?? f.weight;
    const input = admin ? h('input', { type: 'number', name: 'w_' + f.code, min: 0, max: 100, step: 1, size: 4, value: cur,
      'aria-label': `${factorName(f)} ${t('rp_weight')}`, 'data-factor': f.code }) : null;
    if (input) inputs.set(f.code, input);
    return h('tr', { 'data-factor': f.code },
      h('td', {}, factorName(f)),
      h('td', { class: 'num', 'data-col': 'weight' }, input || String(cur)),
      h('td', { class: 'num muted', 'data-col': 'default' }, f.default ?? '—'));
  });
  let saveBtn = null;
  if (admin) {
    saveBtn = h('button', { type: 'submit', class: 'primary', 'data-testid': 'rp-weights-save' }, t('rp_weights_save'));
  }
  const weightForm = h('form', { class: 'card', 'data-testid': 'rp-weights', novalidate: true },
    h('h2', {}, t('rp_weights')),
    h('p', { class: 'muted' }, admin ? t('rp_weights_help_admin') : t('rp_weights_help')),
    tableWrap(h('table', { class: 'rp-weights' },
      h('thead', {}, h('tr', {}, [t('rp_factor'), t('rp_weight'), t('rp_weight_default')].map((c) => h('th', { scope: 'col' }, c)))),
      h('tbody', {}, weightRows))),
    saveBtn ? h('div', { class: 'actions' }, saveBtn) : null);
  if (admin) {
    weightForm.addEventListener('submit', async (ev) => {
      ev.preventDefault();
      const body = {};
      for (const [code, input] of inputs) {
        const v = Number(input.value);
        if (input.value.trim() === '' || !Number.isInteger(v) || v < 0 || v > 100) { say(t('rp_weight_bad', factorName(factors.find((x) => x.code === code))), true); input.focus(); return; }
        body[code] = v;
      }
      saveBtn.disabled = true;
      try {
        await api('PUT', '/settings/report-weights', { weights: body });
        await riskPage({ main, query, me });
        const s = main.querySelector('[data-testid="rp-status"]');
        if (s) { s.textContent = t('rp_weights_saved'); s.className = 'ok'; }
      } catch (e) {
        saveBtn.disabled = false;
        if (e.status !== 401) say(e.status === undefined ? t('error') : e.message, true);
      }
    });
  }

  let ranking;
  if (!rank) ranking = h('p', { class: 'muted' }, t('rp_risk_pick'));
  else if (!(rank.entries || []).length) ranking = h('p', { class: 'muted', 'data-testid': 'rp-risk-empty' }, t('rp_risk_none'));
  else {
    ranking = scrollBox(tableWrap(h('table', { 'data-testid': 'rp-risk', class: 'rp-risk' },
      h('caption', {}, t('rp_risk_caption', rank.unit_name || unitCode, rank.year, rank.basis === 'areas' ? t('rp_basis_areas') : t('rp_basis_units'))),
      h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, t('rp_rank')), h('th', { scope: 'col' }, rank.basis === 'areas' ? t('rp_area') : t('unit')),
        h('th', { scope: 'col' }, t('rp_risk_score')),
        // the factor's short name heads its column ("未处理预警"); the whole name on hover and in the weights below
        factors.map((f) => h('th', { scope: 'col', 'data-factor': f.code, title: factorName(f) }, shortName(factorName(f)), h('br'),
          h('span', { class: 'muted small' }, t('rp_weight_n', w[f.code] ?? f.weight)))),
        h('th', { scope: 'col' }, t('rp_reason')))),
      h('tbody', {}, rank.entries.map((e) => h('tr', { 'data-entry': e.code, 'data-rank': e.rank },
        h('td', { class: 'num', 'data-col': 'rank' }, e.rank),
        h('td', { 'data-col': 'name' }, rank.basis === 'areas' ? [e.code, e.name].filter(Boolean).join(' ') : unitLink(e.code, e.name)),
        h('td', { class: 'num', 'data-col': 'score' }, h('b', {}, num2(e.score))),
        factors.map((f) => {
          const x = (e.factors || {})[f.code] || {};
          return h('td', { class: 'num rp-factor', 'data-factor': f.code, title: t('rp_factor_title', rawValue(f.code, x.raw), num2(x.norm)) },
            num2(x.points), h('div', { class: 'muted small' }, rawValue(f.code, x.raw)));
        }),
        h('td', { 'data-col': 'reason' }, (getLang() === 'en' ? e.reason_en || e.reason_zh : e.reason_zh || e.reason_en) || '')))))), t('rp_risk_title'));
  }

  setTitle(rank && rank.unit_name ? `${rank.unit_name} · ${t('rp_risk_title')}` : t('rp_risk_title'));
  fill(main,
    h('div', { class: 'titlebar' }, h('h1', {}, t('rp_risk_title'))),
    h('nav', { class: 'rp-tabs', 'aria-label': t('rp_tabs') },
      h('a', { href: '#/reports', 'data-testid': 'rp-tab-list' }, t('rp_tab_list')),
      BUREAU.includes(me.user.role) ? h('a', { href: '#/reports?tab=queue', 'data-testid': 'rp-tab-queue' }, t('rp_tab_queue')) : null,
      h('a', { href: '#/reports/risk', 'aria-current': 'page', 'data-testid': 'rp-tab-risk' }, t('rp_tab_risk'))),
    h('p', { class: 'muted' }, t('rp_risk_help')),
    form, status,
    h('section', { class: 'card', 'aria-label': t('rp_risk_title') }, ranking,
      h('p', { class: 'muted small' }, t('rp_risk_note'))),
    weightForm);
}
