// pages/rating.js - the 0–5A internal-control grade (内控质量分级评级, issue 15 §1).
// #/rating?year=&cell=&grade= is the graded grid of a year: the count of units per grade, one row
// per unit (name, code, cell, score, applicable points, grade, veto, self-evaluation and review
// state), filters by cell and grade, the XLSX export and, for the bureau's administrator, 发布.
// #/rating/:year/:unit is one unit's rating (rating_unit.js): the self-evaluation form, the
// bureau's review, the result with every deduction and its evidence, and a printable report.
import { api } from '../api.js';
import { h, t, fill, sel, tableWrap, unitLink, bjTime, setTitle } from '../ui.js';
import unitRating from './rating_unit.js';

export const GRADES = ['5A', '4A', '3A', '2A', '1A', '0'];

// A grade as a coloured badge with its Chinese name ("4A级", "0级（一票否决）"); no grade yet is
// 未评级.
export function gradeBadge(grade) {
  const g = grade === null || grade === undefined || grade === '' ? null : String(grade);
  const known = g !== null && GRADES.includes(g);
  return h('span', { class: `badge grade grade-${known ? g : 'pending'}`, 'data-grade': known ? g : '' },
    known ? t('rt_g_' + g) : t('rt_g_pending'));
}
// "87.5" -> "87.50"; nothing for a unit not computed.
export const score2 = (v) => (v === null || v === undefined || v === '' || Number.isNaN(Number(v)) ? '—' : Number(v).toFixed(2));
// Points as written in the rubric: whole numbers without decimals, halves with one.
export const pts = (v) => (v === null || v === undefined || v === '' ? '—' : String(Number(v)));
export const selfState = (s) => t('rt_self_' + (['none', 'draft', 'filed'].includes(s) ? s : 'none'));
export const reviewState = (s) => t('rt_review_' + (s === 'reviewed' ? 'reviewed' : 'none'));

// The rated years the picker offers: from this year back; the default is the latest published
// year, else the latest with any self-evaluation or computed grade, else last year.
const YEARS_BACK = 4;
const thisYear = () => new Date(Date.now() + 8 * 3600e3).getUTCFullYear(); // Beijing calendar

async function pickYear() {
  const y0 = thisYear();
  const years = [y0, y0 - 1, y0 - 2];
  const objs = await Promise.all(years.map((y) => api('GET', `/rating/years/${y}`).catch((e) => {
    if (e.status === 401) throw e;
    return null;
  })));
  const withData = (o) => o && (o.items || []).some((x) => x.self_state !== 'none' || (x.grade !== null && x.grade !== undefined));
  const i = objs.findIndex((o) => o && o.published);
  const j = objs.findIndex(withData);
  const k = i >= 0 ? i : j >= 0 ? j : 1;
  return { year: years[k], obj: objs[k] };
}

export default async function rating(args) {
  if (args.params.unit) return unitRating(args);
  return gridPage(args);
}

async function gridPage({ main, query, me }) {
  const here = location.hash;
  let year = parseInt(query.get('year') || '', 10);
  let y;
  if (year >= 2000 && year <= 2100) y = await api('GET', `/rating/years/${year}`);
  else ({ year, obj: y } = await pickYear());
  if (!y) y = await api('GET', `/rating/years/${year}`);
  if (location.hash !== here) return; // the user has moved on: do not draw over the next page
  const f = { cell: query.get('cell') || '', grade: query.get('grade') || '' };
  const gradeOf = (x) => (x.grade === null || x.grade === undefined ? 'pending' : String(x.grade));
  const items = (y.items || []).filter((x) => (!f.cell || x.cell_id === f.cell) && (!f.grade || gradeOf(x) === f.grade));
  const link = (ch) => {
    const q = new URLSearchParams({ year, ...f, ...ch });
    for (const [k, v] of [...q.entries()]) if (!v) q.delete(k);
    return '#/rating?' + q.toString();
  };

  // ---- the filters (the year picker among them)
  const y0 = thisYear();
  const years = [];
  for (let k = 0; k <= YEARS_BACK; k++) years.push(y0 - k);
  if (!years.includes(year)) years.push(year);
  const cells = new Map();
  for (const x of y.items || []) if (x.cell_id) cells.set(x.cell_id, x.cell_name || x.cell_id);
  const form = h('form', { class: 'filters no-print', 'data-testid': 'rt-filters' },
    sel('year', t('rt_year'), years.sort((a, b) => b - a).map((v) => [String(v), t('rt_year_v', v)]), String(year)),
    sel('cell', t('rt_cell'), [['', t('rt_any')], ...[...cells].sort().map(([id, name]) => [id, `${id} ${name}`])], f.cell),
    sel('grade', t('rt_grade'), [['', t('rt_any')], ...GRADES.map((g) => [g, t('rt_g_' + g)]), ['pending', t('rt_g_pending')]], f.grade),
    h('button', { type: 'submit' }, t('rt_filter')));
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    const v = (k) => form.elements.namedItem(k).value;
    location.hash = link({ year: v('year'), cell: v('year') === String(year) ? v('cell') : '', grade: v('grade') });
  });
  form.elements.namedItem('year').addEventListener('change', () => form.requestSubmit());

  // ---- the counts per grade (each a link that filters by it)
  const counts = y.counts || {};
  const countList = h('ul', { class: 'rt-counts', 'data-testid': 'rt-counts' },
    [...GRADES, 'pending'].map((g) => h('li', { 'data-grade': g },
      h('a', { href: link({ grade: f.grade === g ? '' : g }), 'aria-current': f.grade === g ? 'true' : null },
        g === 'pending' ? gradeBadge(null) : gradeBadge(g), ' ', h('b', { 'data-count': g }, counts[g] ?? 0)))));

  // ---- the state of the year and what the administrator may do with it
  const status = h('p', { role: 'status', 'data-testid': 'rt-status' });
  const publish = me.user.role === 'admin' && !y.published
    ? h('button', { type: 'button', class: 'primary', 'data-testid': 'rt-publish', onclick: async (ev) => {
      ev.target.disabled = true;
      try {
        await api('POST', `/rating/years/${year}/publish`);
        await gridPage({ main, query, me });
        const s = main.querySelector('[data-testid="rt-status"]');
        if (s) { s.textContent = t('rt_published_ok', year); s.className = 'ok'; }
      } catch (e) {
        ev.target.disabled = false;
        if (e.status !== 401) { status.textContent = e.message; status.className = 'error'; }
      }
    } }, t('rt_publish'))
    : null;
  const info = h('p', { 'data-testid': 'rt-year-state' },
    y.published ? h('span', { class: 'badge ok' }, t('rt_published')) : h('span', { class: 'badge open' }, t('rt_unpublished')), ' ',
    y.published && y.published_at ? t('rt_published_at', bjTime(y.published_at)) + ' · ' : '',
    y.rubric_version ? t('rt_rubric_v', y.rubric_version) : '', y.self_eval_due ? ' · ' + t('rt_self_due', y.self_eval_due) : '');

  // ---- the table
  const row = (x) => h('tr', { 'data-unit': x.unit, 'data-grade': gradeOf(x) },
    h('td', {}, h('a', { href: `#/rating/${year}/${encodeURIComponent(x.unit)}`, 'data-unit-code': x.unit }, x.unit_name || x.unit),
      h('br'), h('span', { class: 'muted code' }, x.unit)),
    h('td', {}, x.cell_name || t('rt_no_cell')),
    h('td', { class: 'num', 'data-col': 'score' }, score2(x.score)),
    h('td', { class: 'num', 'data-col': 'applicable' }, pts(x.applicable)),
    h('td', { 'data-col': 'grade' }, gradeBadge(x.grade)),
    h('td', { 'data-col': 'veto' }, x.veto || ''),
    h('td', { 'data-col': 'self' }, selfState(x.self_state)),
    h('td', { 'data-col': 'review' }, reviewState(x.review_state)));
  const table = items.length
    ? tableWrap(h('table', { 'data-testid': 'rt-grid' },
      h('caption', { class: 'visually-hidden' }, t('rt_grid_caption', year)),
      h('thead', {}, h('tr', {}, [t('rt_unit'), t('rt_cell'), t('rt_score'), t('rt_applicable'), t('rt_grade'), t('rt_veto'),
        t('rt_self'), t('rt_review')].map((c) => h('th', { scope: 'col' }, c)))),
      h('tbody', {}, items.map(row))))
    : h('p', { class: 'muted', 'data-testid': 'rt-none' }, t('rt_none'));

  setTitle(t('rt_title_year', year));
  fill(main,
    h('div', { class: 'titlebar' }, h('h1', {}, t('rt_title_year', year)),
      h('span', { class: 'no-print' },
        h('a', { class: 'button', href: `/api/v1/rating/years/${year}/export.xlsx`, download: `内控评级-${year}.xlsx`, 'data-testid': 'rt-xlsx' }, t('rt_xlsx')), ' ',
        h('button', { type: 'button', class: 'secondary', 'data-testid': 'rt-print', onclick: () => window.print() }, t('rt_print')))),
    info, publish, status, form, countList,
    h('p', { class: 'muted' }, t('rt_shown', items.length, (y.items || []).length)),
    table);
}
