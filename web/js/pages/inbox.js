// pages/inbox.js - the warning inbox (#/warnings?cell=&unit=&item=&rule=&severity=&status=&from=&to=
// &sort=&page=): filters, sortable columns and pages, all kept in the URL so a link or a reload
// shows the same list. Filtering, sorting and paging are done by GET /api/v1/warnings.
import { api } from '../api.js';
import { h, t, fill, sel, warningTable, ITEMS, SEVS } from '../ui.js';

// The states a user reads (issue 12 §2): the URL's status is sent as the API's state, so 已排除 is
// only final dismissals and 待复核 those awaiting review.
const STATES = ['open', 'acknowledged', 'escalated', 'review', 'dismissed'];
// Quick filters of the review queues: escalations for the bureau, sampled dismissals.
const QUEUES = [['escalated', 'wf_queue_bureau'], ['review', 'wf_queue_review']];

const FILTERS = ['cell', 'unit', 'item', 'rule', 'severity', 'status', 'from', 'to'];
const SORTS = ['unit', '-unit', 'date', '-date', 'amount', '-amount', 'severity', '-severity'];
// The first click on a column sorts the way one usually reads it: newest, largest, most severe.
const FIRST = { unit: 'unit', date: '-date', amount: '-amount', severity: '-severity' };
const LEGACY = { date_desc: '-date', amount_desc: '-amount' }; // links of the first UI
const PER_PAGE = 50;

export default async function inbox({ main, query }) {
  const f = Object.fromEntries(FILTERS.map((k) => [k, query.get(k) || '']));
  let sort = query.get('sort') || '';
  sort = LEGACY[sort] ?? sort;
  if (!SORTS.includes(sort)) sort = '';
  const page = Math.max(1, parseInt(query.get('page') || '1', 10) || 1);

  // The hash of this list with some parameters changed (null removes one).
  const link = (changes) => {
    const q = new URLSearchParams();
    for (const k of FILTERS) if (f[k]) q.set(k, f[k]);
    if (sort) q.set('sort', sort);
    if (page > 1) q.set('page', page);
    for (const [k, v] of Object.entries(changes)) if (v === null || v === '') q.delete(k); else q.set(k, v);
    const s = q.toString();
    return '#/warnings' + (s ? '?' + s : '');
  };

  const qs = new URLSearchParams();
  for (const k of FILTERS) if (f[k]) qs.set(k === 'status' ? 'state' : k, f[k]);
  if (sort) qs.set('sort', sort);
  qs.set('page', page); qs.set('per_page', PER_PAGE);
  const [grid, rules, res] = await Promise.all([api('GET', '/grid'), api('GET', '/warning-rules'),
    // A refused filter (a bad date, from after to) is shown with the form, not as a broken page.
    api('GET', '/warnings?' + qs).catch((e) => { if (e.status === 400) return e; throw e; })]);

  const units = grid.cells.flatMap((c) => c.units).concat(grid.unassigned || []);
  const unitOptions = (cell) => [['', t('any')], ...units.filter((u) => !cell || u.cell_id === cell)
    .map((u) => [u.code, `${u.cell_id || ''} ${u.name}`.trim()])];
  const unitSel = sel('unit', t('unit'), unitOptions(f.cell), f.unit);
  const cellSel = sel('cell', t('cell'), [['', t('any')], ...grid.cells.map((c) => [c.id, `${c.id} ${c.name}`])], f.cell);
  cellSel.querySelector('select').addEventListener('change', (ev) => {
    // Only the units of the chosen cell can be picked with it.
    const s = unitSel.querySelector('select');
    const keep = s.value;
    s.replaceChildren(...unitOptions(ev.target.value).map(([v, text]) => h('option', { value: v }, text)));
    s.value = [...s.options].some((o) => o.value === keep) ? keep : '';
  });
  const from = h('input', { type: 'date', name: 'from', value: f.from, max: f.to || null });
  const to = h('input', { type: 'date', name: 'to', value: f.to, min: f.from || null });
  from.addEventListener('change', () => { to.min = from.value; });
  to.addEventListener('change', () => { from.max = to.value; });

  const form = h('form', { class: 'filters card', role: 'search', 'aria-label': t('filter') },
    cellSel, unitSel,
    sel('item', t('item'), [['', t('any')], ...ITEMS.map((i) => [i, i])], f.item),
    // Rules by their Chinese names; a rule of the URL without a name still shows as chosen.
    sel('rule', t('rule'), [['', t('any')], ...rules.items.map((r) => [r.id, r.name]),
      ...(f.rule && !rules.items.some((r) => r.id === f.rule) ? [[f.rule, t('wf_rule_other')]] : [])], f.rule),
    sel('severity', t('severity'), [['', t('any')], ...SEVS.map((s) => [s, t('sev_' + s)])], f.severity),
    sel('status', t('status'), [['', t('any')], ...STATES.map((s) => [s, t('st_' + s)])], f.status),
    h('label', {}, t('date_from'), from),
    h('label', {}, t('date_to'), to),
    h('button', { class: 'primary', type: 'submit' }, t('filter')),
    h('a', { href: sort ? '#/warnings?sort=' + encodeURIComponent(sort) : '#/warnings', 'data-testid': 'clear' }, t('clear_filters')));
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    const changes = { page: null };
    for (const k of FILTERS) changes[k] = form.elements.namedItem(k).value.trim(); // not elements[k]: elements.item is a method
    const target = link(changes);
    if (target === location.hash) window.dispatchEvent(new HashChangeEvent('hashchange'));
    else location.hash = target;
  });

  if (res instanceof Error) {
    fill(main, h('h1', {}, t('warnings_title')), form,
      h('p', { class: 'error', role: 'alert', 'data-testid': 'filter-error' }, res.message));
    return;
  }
  const cur = sort.replace(/^-/, '') || 'unit';
  const sorter = (key) => ({
    dir: key !== cur ? null : sort.startsWith('-') ? 'descending' : 'ascending',
    href: link({ sort: key !== cur ? FIRST[key] : sort.startsWith('-') ? key : '-' + key, page: null }),
  });
  const pages = Math.max(1, Math.ceil(res.total / res.per_page));
  const queues = h('p', { class: 'queues', 'data-testid': 'queues' }, t('wf_queues'), ' ',
    QUEUES.map(([st, key]) => [h('a', { href: '#/warnings?status=' + st, 'data-queue': st,
      'aria-current': f.status === st ? 'page' : null }, t(key)), ' ']));
  fill(main, h('h1', {}, t('warnings_title')), queues, form,
    h('nav', { class: 'pager', 'aria-label': t('pages') },
      h('span', { 'data-testid': 'total', 'data-total': res.total }, t('page_of', page, pages, res.total)),
      page > 1 ? h('a', { href: link({ page: page - 1 }), rel: 'prev' }, t('prev')) : null,
      page < pages ? h('a', { href: link({ page: page + 1 }), rel: 'next' }, t('next')) : null),
    warningTable(res.items, { sorter }));
}
