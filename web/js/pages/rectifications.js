// pages/rectifications.js - the rectification ledger (整改台账, #/rectifications?cell=&unit=&project=
// &state=&page=): one row per item with its project, unit, problem, amount, class, deadline, state
// (逾期N天 marked), 屡审屡犯, responsible person and latest progress; filters and page in the URL,
// and the XLSX export of the same filters. The named exports are shared with the unit page and the
// item page.
import { api, all } from '../api.js';
import { h, t, fill, sel, yuan, unitLink, tableWrap, searchable } from '../ui.js';

export const RECT_STATES = ['open', 'in_progress', 'claimed', 'continuous', 'closed'];
const FILTERS = ['cell', 'unit', 'project', 'state'];
const PER_PAGE = 50;

// The state of an item as a badge, and its overdue mark (逾期N天) when it is late.
export const stateBadge = (r) => h('span', { class: `rstate ${r.state}`, 'data-state': r.state }, t('rcs_' + r.state));
export const overdueMark = (r) => (r.overdue
  ? h('span', { class: 'badge overdue', 'data-overdue': r.days_overdue }, t('rc_overdue_days', r.days_overdue)) : null);
export const repeatBadge = (r) => (r.repeat
  ? h('span', { class: 'badge repeat', 'data-repeat': r.repeat_of ?? '', title: t('rc_repeat') }, t('rc_repeat')) : null);

// The query string of the ledger's filters (for the API and the export).
export function rectQuery(f) {
  const q = new URLSearchParams();
  for (const k of FILTERS) if (f[k]) q.set(k, f[k]);
  return q;
}

// The ledger table; showUnit / showProject leave out columns a page already makes plain.
export function rectTable(items, { showUnit = true, showProject = true } = {}) {
  if (!items.length) return h('p', { class: 'muted', 'data-testid': 'no-rects' }, t('rc_none'));
  const cols = [t('rc_notice_no'), showProject ? t('rc_project') : null, showUnit ? t('unit') : null, t('rc_problem'),
    t('rc_amount'), t('rc_class'), t('rc_deadline'), t('rc_state'), t('rc_responsible'), t('rc_progress')].filter(Boolean);
  return tableWrap(h('table', { class: 'rects', 'data-testid': 'rects' },
    h('thead', {}, h('tr', {}, cols.map((c) => h('th', { scope: 'col' }, c)))),
    h('tbody', {}, items.map((r) => h('tr', { 'data-rect': r.id, class: r.overdue ? 'late' : null },
      h('td', { 'data-col': 'notice' }, r.notice_no || '—'),
      showProject ? h('td', { 'data-col': 'project' }, h('a', { href: '#/audits/' + r.project_id, title: r.project_name }, r.project_code)) : null,
      showUnit ? h('td', { 'data-col': 'unit' }, unitLink(r.unit_code, r.unit_name)) : null,
      h('td', { 'data-col': 'title' }, h('a', { href: '#/rectifications/' + r.id }, r.title), ' ', repeatBadge(r)),
      h('td', { class: 'num', 'data-col': 'amount' }, yuan(r.amount)),
      h('td', { 'data-col': 'class' }, t('rcc_' + r.class)),
      h('td', { 'data-col': 'deadline' }, r.deadline),
      h('td', { 'data-col': 'state' }, stateBadge(r), ' ', overdueMark(r)),
      h('td', { 'data-col': 'responsible' }, r.responsible || '—'),
      h('td', { 'data-col': 'progress', class: 'prog' }, r.progress || r.result || '—'))))));
}

export default async function rectifications({ main, query }) {
  const f = Object.fromEntries(FILTERS.map((k) => [k, query.get(k) || '']));
  const page = Math.max(1, parseInt(query.get('page') || '1', 10) || 1);
  const link = (changes) => {
    const q = rectQuery(f);
    if (page > 1) q.set('page', page);
    for (const [k, v] of Object.entries(changes)) if (v === null || v === '') q.delete(k); else q.set(k, v);
    const s = q.toString();
    return '#/rectifications' + (s ? '?' + s : '');
  };
  const here = location.hash;
  const qs = rectQuery(f);
  qs.set('page', page); qs.set('per_page', PER_PAGE);
  const [grid, projects, res] = await Promise.all([api('GET', '/grid'), all('/audits'),
    // A refused filter (e.g. a project id that is not a number) is shown with the form.
    api('GET', '/rectifications?' + qs).catch((e) => { if (e.status === 400) return e; throw e; })]);

  if (location.hash !== here) return; // the user has moved on: do not draw over the next page
  const units = grid.cells.flatMap((c) => c.units).concat(grid.unassigned || []);
  const unitOptions = (cell) => [['', t('any')], ...units.filter((u) => !cell || u.cell_id === cell)
    .map((u) => [u.code, `${u.cell_id || ''} ${u.name}`.trim()])];
  const unitSel = searchable(sel('unit', t('unit'), unitOptions(f.cell), f.unit));
  const cellSel = sel('cell', t('cell'), [['', t('any')], ...grid.cells.map((c) => [c.id, `${c.id} ${c.name}`])], f.cell);
  cellSel.querySelector('select').addEventListener('change', (ev) => {
    const s = unitSel.querySelector('select');
    const keep = s.value;
    s.replaceChildren(...unitOptions(ev.target.value).map(([v, text]) => h('option', { value: v }, text)));
    s.value = [...s.options].some((o) => o.value === keep) ? keep : '';
    s.dispatchEvent(new Event('ag:options'));
  });
  const form = h('form', { class: 'filters card', role: 'search', 'aria-label': t('filter') },
    cellSel, unitSel,
    sel('project', t('rc_project'), [['', t('any')], ...projects.map((p) => [String(p.id), `${p.code} ${p.unit_name}`])], f.project),
    sel('state', t('rc_state'), [['', t('any')], ...RECT_STATES.map((s) => [s, t('rcs_' + s)]), ['overdue', t('rcs_overdue')]], f.state),
    h('button', { class: 'primary', type: 'submit' }, t('filter')),
    h('a', { href: '#/rectifications', 'data-testid': 'clear' }, t('clear_filters')));
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    const changes = { page: null };
    for (const k of FILTERS) changes[k] = form.elements.namedItem(k).value;
    const target = link(changes);
    if (target === location.hash) window.dispatchEvent(new HashChangeEvent('hashchange'));
    else location.hash = target;
  });
  const exportQ = rectQuery(f).toString();
  const exportLink = h('a', { class: 'button', href: '/api/v1/rectifications/export.xlsx' + (exportQ ? '?' + exportQ : ''),
    download: '', 'data-testid': 'export', title: t('rc_export_title') }, t('rc_export'));
  const head = h('div', { class: 'titlebar' }, h('h1', {}, t('rc_title')), exportLink);

  if (res instanceof Error) {
    fill(main, head, form, h('p', { class: 'error', role: 'alert', 'data-testid': 'filter-error' }, res.message));
    return;
  }
  const pages = Math.max(1, Math.ceil(res.total / res.per_page));
  fill(main, head, form,
    h('nav', { class: 'pager', 'aria-label': t('pages') },
      h('span', { 'data-testid': 'total', 'data-total': res.total }, t('page_of', page, pages, res.total)),
      page > 1 ? h('a', { href: link({ page: page - 1 }), rel: 'prev' }, t('prev')) : null,
      page < pages ? h('a', { href: link({ page: page + 1 }), rel: 'next' }, t('next')) : null),
    rectTable(res.items));
}
