// pages/dashboard.js - 一张网 at a glance (#/dashboard): the headline figures (open warnings,
// rectification not closed and overdue), open warnings by catalog item and by cell, and every cell
// with its units as tiles marked by open warnings and overdue rectification. The figures come
// counted from GET /api/v1/dashboard; the tiles' names and cells from GET /api/v1/grid.
import { api } from '../api.js';
import { barChart, chartTable } from '../charts.js';
import { h, t, fill, getLang, sevBadge, SEVS } from '../ui.js';

export default async function dashboard({ main }) {
  const here = location.hash;
  const [grid, d] = await Promise.all([api('GET', '/grid'), api('GET', '/dashboard')]);
  // The landing page loads while the user may already open another: do not draw over it.
  if (location.hash !== here) return;
  const byUnit = Object.fromEntries(d.by_unit.map((u) => [u.code, u]));
  const rect = d.rectification;
  const rectByUnit = Object.fromEntries(rect.by_unit.map((u) => [u.code, u]));
  const en = getLang() === 'en';
  const tile = (u) => {
    const c = byUnit[u.code];
    // Coloured by the 0–5A internal-control grade of the latest published year (issue 15 §1); a
    // unit without one is the neutral "not graded" colour (no made-up grades).
    const grade = c && c.grade ? c.grade : null;
    return h('a', { class: 'tile' + (u.pilot ? ' pilot' : '') + (grade ? ' grade-' + grade : ' grade-none'), href: '#/units/' + encodeURIComponent(u.code), 'data-unit': u.code, 'data-grade': grade || '', title: grade ? `${t('grade')} ${t('rt_g_' + grade)}` : t('grade_none') },
      u.name, h('br'),
      u.pilot ? h('span', { class: 'badge pilot' }, t('pilot')) : null,
      c ? SEVS.filter((s) => c[s]).map((s) => sevBadge(s, c[s])) : null,
      rectByUnit[u.code] && rectByUnit[u.code].overdue
        ? h('span', { class: 'badge rect overdue', 'data-rect-overdue': rectByUnit[u.code].overdue, title: t('kpi_rect_overdue') }, t('rc_tile_overdue', rectByUnit[u.code].overdue))
        : null);
  };
  const cellCard = (name, sub, list) => h('section', { class: 'card', 'aria-label': name },
    h('h3', {}, name, ' ', h('span', { class: 'muted' }, sub)), h('div', { class: 'tiles' }, list.map(tile)));
  const kpi = (key, label, value, ...extra) =>
    h('div', { class: 'kpi' + ((key === 'rect-overdue' || key === 'reports') && value > 0 ? ' late' : ''), 'data-kpi': key }, label, h('b', {}, value), ...extra);
  const itemName = (i) => (en ? i.name_en : i.name_zh) || i.item;
  const cellName = (c) => (c.cell_id ? `${c.cell_id} ${c.name}` : t('unassigned'));
  const c1 = h('div', { class: 'chart', id: 'chart-items', role: 'img', 'aria-label': t('chart_by_item') });
  const c2 = h('div', { class: 'chart', id: 'chart-cells', role: 'img', 'aria-label': t('chart_by_cell') });
  fill(main,
    h('h1', {}, `${t('nav_dashboard')} · ${grid.district.name}`),
    h('div', { class: 'kpis' },
      kpi('units', t('kpi_units'), d.units),
      kpi('pilot', t('kpi_pilot'), d.pilot_units),
      kpi('open', t('kpi_open'), d.open_warnings.total,
        SEVS.map((s) => h('a', { href: `#/warnings?status=open&severity=${s}`, 'data-severity': s }, sevBadge(s, d.open_warnings[s])))),
      kpi('imports', t('kpi_imports_month'), d.imports_this_month, h('span', { class: 'muted' }, d.month)),
      kpi('rect-open', t('kpi_rect_not_closed'), rect.not_closed,
        h('a', { href: '#/rectifications?state=claimed', 'data-rect-state': 'claimed' }, t('rc_kpi_claimed', rect.claimed)), ' ',
        h('a', { href: '#/rectifications?state=continuous', 'data-rect-state': 'continuous' }, t('rc_kpi_continuous', rect.continuous)), ' ',
        h('a', { href: '#/rectifications?state=closed', 'data-rect-state': 'closed' }, t('rc_kpi_closed', rect.closed))),
      kpi('rect-overdue', t('kpi_rect_overdue'), rect.overdue,
        h('a', { href: '#/rectifications?state=overdue', 'data-rect-state': 'overdue' }, t('rc_title'))),
      // issue 14 §2 (dept): guidance opinions a unit has not answered by the due date
      d.guidance ? kpi('guidance-overdue', t('kpi_guidance_overdue'), d.guidance.overdue_opinions,
        h('a', { href: '#/department', 'data-guidance': 'overdue' }, t('kpi_guidance_detail'))) : null,
      /* end issue 14 §2 (dept) */
      // issue 14 §5 (liaison): units whose contact or visit cadence slipped
      d.liaison ? kpi('liaison', t('kpi_liaison'), d.liaison.units,
        h('a', { href: '#/liaison', 'data-liaison': 'todo' }, t('kpi_liaison_detail', d.liaison.contact, d.liaison.visit))) : null,
      // issue 14 §3–§4 (soe): SOE groups without a chief auditor; units missing an internal-audit body,
      // a supervising leader or a working-group place
      d.soe_without_chief ? kpi('soe-no-chief', t('kpi_soe_no_chief'), d.soe_without_chief.length,
        h('a', { href: '#/soe', 'data-soe': 'groups' }, d.soe_without_chief.map((g) => g.name).join('、'))) : null,
      d.ia_missing ? kpi('ia-incomplete', t('kpi_ia_incomplete'), d.ia_missing.incomplete,
        h('a', { href: '#/iabody', 'data-ia': 'missing' }, t('kpi_ia_detail', d.ia_missing.counts.body, d.ia_missing.counts.supervisor, d.ia_missing.counts.group))) : null,
      /* end issue 14 §3–§4 (soe) */
      // issue 16 (reports): reports filed late or overdue, awaiting the bureau, returned, due soon
      d.reports ? kpi('reports', t('rp_kpi'), d.reports.late ?? 0,
        h('a', { href: '#/reports?late=1', 'data-reports': 'late' }, t('rp_kpi_late')), ' ',
        h('a', { href: '#/reports?tab=queue', 'data-reports': 'queue' }, t('rp_kpi_queue', d.reports.queue ?? 0)), ' ',
        h('a', { href: '#/reports?state=returned', 'data-reports': 'returned' }, t('rp_kpi_returned', d.reports.returned ?? 0)), ' ',
        h('a', { href: '#/reports', 'data-reports': 'due_soon' }, t('rp_kpi_due_soon', d.reports.due_soon ?? 0))) : null
      /* end issue 16 (reports) */),
    h('div', { class: 'charts' },
      h('section', { class: 'card' }, h('h2', {}, t('chart_by_item')), c1,
        chartTable('table-items', [t('item'), t('name'), t('kpi_open')], d.by_item.map((i) => [i.item, itemName(i), i.open]))),
      h('section', { class: 'card' }, h('h2', {}, t('chart_by_cell')), c2,
        chartTable('table-cells', [t('cell'), t('name'), t('kpi_open')], d.by_cell.map((c) => [c.cell_id || '—', cellName(c), c.open])))),
    // issue 15 §1 (rating): what each tile colour means, the grades by their Chinese names
    h('div', { class: 'muted', 'data-testid': 'grade-legend' }, t('rt_grade_legend'),
      h('ul', { class: 'grade-legend' }, [...['5A', '4A', '3A', '2A', '1A', '0'].map((g) => [g, t('rt_g_' + g)]), ['none', t('grade_none')]]
        .map(([g, name]) => h('li', { 'data-grade': g }, h('span', { class: 'sw grade-' + g, 'aria-hidden': 'true' }), name)))),
    h('div', { class: 'cells' },
      grid.cells.map((c) => cellCard(`${c.id} ${c.name}`, t(c.kind === 'dept' ? 'cell_dept' : c.kind === 'soe' ? 'cell_soe' : 'cell_street'), c.units)),
      grid.unassigned && grid.unassigned.length ? cellCard(t('unassigned'), '', grid.unassigned) : null));
  barChart(c1, { labels: d.by_item.map((i) => `${i.item} ${itemName(i)}`), values: d.by_item.map((i) => i.open),
    title: (k) => `${d.by_item[k].item} ${itemName(d.by_item[k])}`, series: t('kpi_open'), color: '#0b5cad' });
  barChart(c2, { labels: d.by_cell.map((c) => (c.cell_id ? c.name : t('unassigned'))), values: d.by_cell.map((c) => c.open),
    title: (k) => cellName(d.by_cell[k]), series: t('kpi_open'), color: '#6a1b9a' });
}
