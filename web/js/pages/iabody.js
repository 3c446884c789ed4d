// pages/iabody.js - internal-audit bodies and working groups (#/iabody, 内审机构与内审工作组, issue 14
// §4): how many units in the user's scope lack an independent internal-audit body, a leader who
// directly supervises internal audit or a place of the working group (组长 the party secretary,
// 纪检监察, 组织人事, 财务管理, 内部审计), the list of those units, and a form to record a unit's set-up
// (?unit=CODE; the administrator, or the unit's own leader, auditor or chief auditor).
import { api, all } from '../api.js';
import { h, t, fill, sel, searchable, unitLink, tableWrap } from '../ui.js';
import { tabs, formKit } from './soe.js';

const AREAS = ['leader', 'discipline', 'personnel', 'finance', 'audit'];
const EDITORS = ['admin', 'leader', 'auditor', 'chief_auditor'];
const missLabel = (m) => t('ia_miss_' + m);

export default async function iabody({ main, me, query }) {
  const here = location.hash;
  const role = me.user.role;
  const [miss, units] = await Promise.all([api('GET', '/ia-bodies/missing'),
    EDITORS.includes(role) ? all('/units') : Promise.resolve([])]);
  const code = query.get('unit') || (miss.items[0] || units[0] || {}).code;
  const [body, persons] = code && EDITORS.includes(role)
    ? await Promise.all([api('GET', '/units/' + encodeURIComponent(code) + '/ia-body'), all('/units/' + encodeURIComponent(code) + '/persons')])
    : [null, []];
  if (location.hash !== here) return;
  const kit = formKit(() => iabody({ main, me, query }), 'ia-status');
  const c = miss.counts;
  const kpi = (key, label, v) => h('div', { class: 'kpi', 'data-kpi': key }, label, h('b', {}, v));
  const table = miss.items.length
    ? tableWrap({ 'data-testid': 'ia-missing' },
      h('caption', {}, t('ia_caption', miss.incomplete)),
      h('thead', {}, h('tr', {}, [t('ia_unit'), t('ia_missing'), ''].map((x) => h('th', { scope: 'col' }, x)))),
      h('tbody', {}, miss.items.map((u) => h('tr', { 'data-unit': u.code },
        h('td', {}, unitLink(u.code, u.name)),
        h('td', {}, u.missing.map(missLabel).join('、')),
        h('td', {}, EDITORS.includes(role) ? h('a', { href: '#/iabody?unit=' + encodeURIComponent(u.code), 'data-testid': 'ia-edit' }, t('ia_edit')) : null)))))
    : h('p', { class: 'ok', 'data-testid': 'ia-none-missing' }, t('ia_all_complete'));
  fill(main, h('h1', {}, t('ia_title')), tabs('iabody'), kit.status,
    h('div', { class: 'kpis', 'data-testid': 'ia-counts' },
      kpi('units', t('ia_units'), miss.units), kpi('complete', t('ia_complete'), miss.complete),
      kpi('body', t('ia_no_body'), c.body), kpi('supervisor', t('ia_no_supervisor'), c.supervisor),
      kpi('group', t('ia_no_group'), c.group)),
    body ? editForm(body, persons, units, kit) : null, table);
}

// The record of one unit, replaced as a whole when saved.
function editForm(b, persons, units, kit) {
  const opts = [['', t('none')], ...persons.map((p) => [String(p.id), p.title ? `${p.name}（${p.title}）` : p.name])];
  const pick = (name, label, value) => sel(name, label, opts, value ? String(value) : '');
  const byArea = (a) => b.group.filter((m) => m.area === a).map((m) => m.person_id)[0];
  const unitSel = searchable(sel('unit', t('ia_unit'), units.map((u) => [u.code, u.name]), b.unit_code));
  unitSel.querySelector('select').addEventListener('change', (e) => { location.hash = '#/iabody?unit=' + encodeURIComponent(e.target.value); });
  const ind = h('input', { type: 'checkbox', name: 'independent', checked: b.independent ? true : null });
  const name = h('input', { name: 'body_name', maxlength: 100, size: 12, value: b.body_name || '' });
  const form = h('form', { class: 'card', 'data-testid': 'ia-form' },
    h('h2', {}, t('ia_form_title', b.unit_name)), unitSel,
    h('p', { 'data-testid': 'ia-unit-missing' }, b.missing.length ? t('ia_unit_missing', b.missing.map(missLabel).join('、')) : t('ia_unit_complete')),
    h('label', { class: 'check' }, ind, t('ia_independent')), ' ', h('label', {}, t('ia_body_name'), name), ' ',
    pick('supervisor', t('ia_supervisor'), b.supervisor && b.supervisor.person_id),
    h('fieldset', {}, h('legend', {}, t('ia_group')), AREAS.map((a) => [pick('area_' + a, t('ia_area_' + a), byArea(a)), ' '])),
    h('button', { type: 'submit' }, t('ia_save')));
  form.addEventListener('submit', kit.submit(form, () => api('PUT', '/units/' + encodeURIComponent(b.unit_code) + '/ia-body', {
    independent: ind.checked,
    body_name: name.value.trim() || undefined,
    supervisor_person_id: form.elements.supervisor.value ? Number(form.elements.supervisor.value) : undefined,
    members: AREAS.filter((a) => form.elements['area_' + a].value).map((a) => ({ person_id: Number(form.elements['area_' + a].value), area: a })),
  }), t('ia_saved')));
  return form;
}
