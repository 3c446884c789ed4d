// pages/department.js - the competent department's one view (#/department, 主管部门指导监督, issue
// 14 §2): its units' warnings, findings, rectification and filings counted per unit, the lists
// behind them, the guidance opinions it issued (overdue first) with a form to issue one, and a
// form to record a supervision visit (督导检查). A unit's own people see the opinions addressed to
// them. The server decides what each role sees and may do.
import { api, all } from '../api.js';
import { h, t, fill, sel, unitLink, tableWrap, bjTime, sevBadge, yuan, ruleName, itemLabel } from '../ui.js';

const GUIDES = ['admin', 'supervisor', 'liaison'];
const VIEWERS = [...GUIDES, 'reviewer'];

const cnt = (k, v, id) => h('div', { class: 'kpi' + (id.endsWith('overdue') && v > 0 ? ' late' : ''), 'data-testid': 'dp-' + id }, t(k), h('b', {}, String(v)));
const table = (testid, caption, heads, rows) => (rows.length
  ? tableWrap({ 'data-testid': testid }, h('caption', {}, caption),
    h('thead', {}, h('tr', {}, heads.map((x) => h('th', { scope: 'col' }, t(x))))), h('tbody', {}, rows))
  : h('p', { class: 'muted', 'data-testid': testid + '-empty' }, t('dp_none')));

export const opinionState = (s) => h('span', { class: 'badge ' + (s === 'overdue' ? 'overdue' : s === 'answered' ? 'ok' : 'open') }, t('gd_state_' + s));

export function opinionTable(items) {
  return table('gd-list', t('gd_list_caption', items.length),
    ['gd_subject', 'gd_issuer', 'gd_due', 'gd_answered', 'gd_state'],
    items.map((o) => h('tr', { 'data-opinion': o.id, 'data-state': o.state },
      h('td', {}, h('a', { href: '#/guidance/' + o.id }, o.subject)), h('td', {}, o.issuer),
      h('td', {}, o.due_date), h('td', { class: 'num' }, `${o.answered}/${o.units}`), h('td', {}, opinionState(o.state)))));
}

export default async function department({ main, me, query }) {
  const here = location.hash;
  const role = me.user.role;
  const viewer = VIEWERS.includes(role);
  const cells = viewer && role !== 'supervisor' ? await api('GET', '/grid').then((g) => (g.cells || []).map((c) => [c.id, c.name])).catch(() => []) : [];
  const cell = query.get('cell') || (cells[0] || [])[0];
  const [dept, ops] = await Promise.all([
    viewer ? api('GET', '/department' + (role === 'supervisor' ? '' : '?cell=' + encodeURIComponent(cell || ''))) : Promise.resolve(null),
    api('GET', '/guidance?per_page=100')]);
  if (location.hash !== here) return;
  const status = h('p', { role: 'status', 'data-testid': 'dp-status', class: 'muted' });
  const reload = async (msg) => {
    await department({ main, me, query });
    const s = main.querySelector('[data-testid="dp-status"]');
    if (s && msg) { s.textContent = msg; s.className = 'ok'; }
  };
  const submit = (form, run, done) => async (ev) => {
    ev.preventDefault();
    const buttons = form.querySelectorAll('button');
    buttons.forEach((b) => { b.disabled = true; });
    try { await run(); await reload(done); } catch (e) {
      buttons.forEach((b) => { b.disabled = false; });
      if (e.status !== 401) { status.textContent = e.status === undefined ? t('error') : e.message; status.className = 'error'; }
    }
  };

  const parts = [h('h1', {}, dept ? t('dp_title', dept.cell.name) : t('gd_my_title'))];
  if (cells.length) {
    const pick = sel('cell', t('dp_cell'), cells, cell);
    pick.querySelector('select').addEventListener('change', (e) => { location.hash = '#/department?cell=' + encodeURIComponent(e.target.value); });
    parts.push(h('div', { class: 'inline' }, pick));
  }
  parts.push(status);
  if (dept) {
    const c = dept.counts;
    const names = Object.fromEntries(dept.units.map((u) => [u.code, u.name]));
    const unit = (code) => unitLink(code, names[code]);
    parts.push(h('div', { class: 'kpis', 'data-testid': 'dp-counts' },
      cnt('dp_units', c.units, 'units'), cnt('dp_warnings', c.open_warnings, 'warnings'), cnt('dp_findings', c.findings, 'findings'),
      cnt('dp_rect_open', c.open_rectifications, 'rect-open'), cnt('dp_rect_overdue', c.overdue_rectifications, 'rect-overdue'),
      cnt('dp_filed', c.filed_submissions, 'filed'), cnt('dp_op_overdue', c.overdue_opinions, 'op-overdue')));
    parts.push(h('h2', {}, t('dp_by_unit')), table('dp-units', t('dp_units_caption', dept.units.length),
      ['dp_unit', 'dp_warnings', 'dp_findings', 'dp_rect_open', 'dp_rect_overdue', 'dp_filed', 'dp_op_open', 'dp_op_overdue'],
      dept.units.map((u) => h('tr', { 'data-unit': u.code }, h('td', {}, unitLink(u.code, u.name)),
        ...['open_warnings', 'findings', 'open_rectifications', 'overdue_rectifications', 'filed_submissions', 'open_opinions', 'overdue_opinions']
          .map((k) => h('td', { class: 'num' + (k.startsWith('overdue') && u[k] ? ' overdue' : '') }, String(u[k])))))));
    parts.push(h('h2', {}, t('dp_warnings')), table('dp-warnings', t('dp_recent'), ['dp_unit', 'gd_item', 'severity', 'dp_date', 'dp_amount'],
      dept.warnings.map((w) => h('tr', {}, h('td', {}, unit(w.unit_code)), h('td', {}, h('a', { href: '#/warnings/' + w.id }, itemLabel(w.item, w.item_name), ' ', ruleName(w.rule))),
        h('td', {}, sevBadge(w.severity)), h('td', {}, w.warn_date), h('td', { class: 'num' }, yuan(w.amount))))));
    parts.push(h('h2', {}, t('dp_findings')), table('dp-findings', t('dp_recent'), ['dp_unit', 'gd_item', 'gd_subject', 'severity'],
      dept.findings.map((f) => h('tr', {}, h('td', {}, unit(f.unit_code)), h('td', {}, itemLabel(f.item, f.item_name)),
        h('td', {}, h('a', { href: '#/findings/' + f.id }, f.title)), h('td', {}, sevBadge(f.severity))))));
    parts.push(h('h2', {}, t('dp_rect')), table('dp-rect', t('dp_rect_caption'), ['dp_unit', 'gd_subject', 'gd_due', 'gd_state'],
      dept.rectifications.map((r) => h('tr', { 'data-rect': r.id }, h('td', {}, unit(r.unit_code)),
        h('td', {}, h('a', { href: '#/rectifications/' + r.id }, r.finding_title)), h('td', {}, r.deadline),
        h('td', {}, r.overdue ? h('span', { class: 'badge overdue' }, t('dp_overdue')) : t('rcs_' + r.state))))));
    parts.push(h('h2', {}, t('dp_filed')), table('dp-submissions', t('dp_filed_caption'), ['dp_unit', 'gd_subject', 'sb_period', 'sb_filed_at'],
      dept.submissions.map((s) => h('tr', {}, h('td', {}, unitLink(s.unit_code, s.unit_name)), h('td', {}, h('a', { href: '#/submissions?state=filed' }, s.title)),
        h('td', {}, s.period || ''), h('td', {}, bjTime(s.created_at))))));
  }
  parts.push(h('h2', {}, t('gd_title')), opinionTable(ops.items));

  if (GUIDES.includes(role) && dept) {
    const units = dept.units;
    const boxes = h('fieldset', { 'data-testid': 'gd-units' }, h('legend', {}, t('gd_units')),
      units.map((u) => h('label', { class: 'check' }, h('input', { type: 'checkbox', name: 'units', value: u.code }), ' ', u.name)));
    const form = h('form', { class: 'card', 'data-testid': 'gd-form' }, h('h2', {}, t('gd_form_title')),
      h('label', {}, t('gd_subject'), h('input', { name: 'subject', required: true, maxlength: 200, size: 40 })),
      h('label', {}, t('gd_body'), h('textarea', { name: 'body', rows: 4, required: true })),
      h('label', {}, t('gd_due'), h('input', { type: 'date', name: 'due_date', required: true })), boxes,
      h('button', { type: 'submit' }, t('gd_issue')));
    form.addEventListener('submit', submit(form, () => api('POST', '/guidance', {
      cell_id: role === 'admin' ? dept.cell.id : undefined, subject: form.elements.subject.value.trim(), body: form.elements.body.value.trim(),
      due_date: form.elements.due_date.value, units: [...form.querySelectorAll('input[name=units]:checked')].map((x) => x.value),
    }), t('gd_issued')));
    const visit = h('form', { class: 'card', 'data-testid': 'vs-form' }, h('h2', {}, t('vs_form_title')),
      sel('unit_code', t('dp_unit'), units.map((u) => [u.code, u.name])),
      h('label', {}, t('vs_date'), h('input', { type: 'date', name: 'visit_date', required: true })),
      h('label', {}, t('gd_subject'), h('input', { name: 'subject', required: true, maxlength: 200, size: 40 })),
      h('label', {}, t('vs_notes'), h('textarea', { name: 'notes', rows: 2 })),
      h('button', { type: 'submit' }, t('vs_save')));
    visit.addEventListener('submit', submit(visit, async () => {
      const v = await api('POST', '/guidance/visits', { cell_id: role === 'admin' ? dept.cell.id : undefined,
        unit_code: visit.elements.unit_code.value, visit_date: visit.elements.visit_date.value,
        subject: visit.elements.subject.value.trim(), notes: visit.elements.notes.value.trim() || undefined });
      location.hash = '#/guidance/visits/' + v.id;
    }, t('vs_saved')));
    parts.push(form, visit);
  }
  const visits = await api('GET', '/guidance/visits');
  if (location.hash !== here) return;
  parts.push(h('h2', {}, t('vs_title')), table('vs-list', t('vs_caption', visits.total), ['dp_unit', 'vs_date', 'gd_subject', 'dp_findings'],
    visits.items.map((v) => h('tr', { 'data-visit': v.id }, h('td', {}, unitLink(v.unit_code, v.unit_name)), h('td', {}, v.visit_date),
      h('td', {}, h('a', { href: '#/guidance/visits/' + v.id }, v.subject)), h('td', { class: 'num' }, String(v.findings))))));
  fill(main, ...parts);
}
