// pages/crossaudit.js - cross-audit rounds (交叉互审, issue 14 §1): #/crossaudit lists the rounds
// and, for the bureau's admin, plans a new one (POST /api/v1/crossaudit/rounds; an infeasible round
// shows every reason); #/crossaudit/:id shows a round: its score and any broken constraint in the UI's
// language, the assignments with their teams, an edit of one assignment (PUT …/assignments/{audited},
// re-checked by the server, a refusal shown in its words), publishing, and each team's 回避声明.
import { api } from '../api.js';
import { h, t, fill, getLang, tableWrap, unitLink, bjTime, setTitle } from '../ui.js';

const msgOf = (x) => (getLang() === 'en' ? x.en : x.zh);

export default async function crossaudit({ main, params, me }) {
  const admin = me.user.role === 'admin';
  if (params.id) return roundPage(main, params.id, admin);
  const res = await api('GET', '/crossaudit/rounds');
  fill(main, h('h1', {}, t('xa_title')),
    admin ? planForm() : null,
    res.items.length ? tableWrap(h('table', { 'data-testid': 'xa-rounds' },
      h('thead', {}, h('tr', {}, [t('xa_round'), t('xa_year'), t('xa_units'), t('xa_state'), t('xa_created')].map((c) => h('th', { scope: 'col' }, c)))),
      h('tbody', {}, res.items.map((r) => h('tr', { 'data-round': r.id },
        h('td', {}, h('a', { href: '#/crossaudit/' + r.id }, r.round)),
        h('td', { class: 'num' }, r.year), h('td', { class: 'num' }, r.units),
        h('td', {}, t('xa_state_' + r.state)), h('td', { class: 'nowrap' }, bjTime(r.created_at)))))))
      : h('p', { class: 'muted' }, t('xa_none')));
}

// The form that plans a round; an infeasible one lists every reason the server gave.
function planForm() {
  const msg = h('div', { role: 'alert', 'data-testid': 'xa-plan-msg' });
  const num = (name, label, value, min, max) => h('label', {}, label,
    h('input', { type: 'number', name, value, min, max, required: true, size: 5 }));
  const form = h('form', { class: 'stack', 'data-testid': 'xa-plan' },
    h('div', { class: 'row' },
      h('label', { class: 'grow' }, t('xa_round') + ' *', h('input', { name: 'round', required: true, maxlength: 100, size: 24 })),
      num('year', t('xa_year'), new Date().getFullYear(), 2000, 2100),
      h('label', {}, t('xa_units'), h('select', { name: 'units' },
        h('option', { value: 'pilot' }, t('xa_units_pilot')), h('option', { value: 'all' }, t('xa_units_all')))),
      num('team_min', t('xa_team_min'), 2, 1, 16), num('team_max', t('xa_team_max'), 4, 1, 16),
      num('seed', t('xa_seed'), 1, 1, 2147483647)),
    msg, h('button', { class: 'primary', type: 'submit' }, t('xa_plan')));
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    msg.replaceChildren(); msg.className = '';
    const v = (k) => form.elements.namedItem(k).value.trim();
    const body = { round: v('round'), year: +v('year'), units: v('units'), team_min: +v('team_min'), team_max: +v('team_max'), seed: +v('seed') };
    try {
      const r = await api('POST', '/crossaudit/rounds', body);
      location.hash = '#/crossaudit/' + r.id;
    } catch (e) {
      if (e.status === 401) return;
      msg.className = 'error';
      msg.append(h('p', {}, t('xa_infeasible')), h('ul', { 'data-testid': 'xa-reasons' },
        (e.body?.violations || []).map((x) => h('li', { 'data-code': x.code }, msgOf(x)))));
      if (!e.body?.violations?.length) msg.replaceChildren(e.message);
    }
  });
  return h('details', { class: 'card', 'data-testid': 'xa-new', open: true }, h('summary', {}, t('xa_new')), form);
}

async function roundPage(main, id, admin) {
  const r = await api('GET', '/crossaudit/rounds/' + encodeURIComponent(id));
  const draft = r.state === 'draft';
  const status = h('p', { role: 'status', 'data-testid': 'xa-status' });
  const reload = async (text) => { await roundPage(main, id, admin); main.querySelector('[data-testid="xa-status"]').textContent = text; };
  const s = r.score;
  const score = h('dl', { class: 'card kv', 'data-testid': 'xa-score' },
    [['xa_sc_outside', s.teams_outside_cell], ['xa_sc_inside', s.teams_in_cell], ['xa_sc_load', t('xa_sc_load_v', s.max_load, s.load_limit)],
      ['xa_sc_over', s.units_over_load], ['xa_sc_training', s.training_hours], ['xa_sc_total', s.total]]
      .map(([k, v]) => [h('dt', {}, t(k)), h('dd', { 'data-score': k.slice(6) }, String(v))]));
  const violations = r.violations.length
    ? h('ul', { class: 'error', 'data-testid': 'xa-violations' }, r.violations.map((x) => h('li', { 'data-code': x.code }, msgOf(x))))
    : h('p', { class: 'ok', 'data-testid': 'xa-violations' }, t('xa_all_kept'));
  const publish = admin && draft ? h('button', { class: 'primary', type: 'button', 'data-testid': 'xa-publish',
    disabled: r.violations.length ? true : null,
    onclick: async (ev) => {
      ev.target.disabled = true;
      try { await api('POST', `/crossaudit/rounds/${r.id}/publish`); await reload(t('xa_published')); }
      catch (e) { if (e.status !== 401) { status.textContent = e.message; status.className = 'error'; ev.target.disabled = false; } }
    } }, t('xa_publish')) : null;
  const signed = r.assignments.filter((x) => x.declared).length;
  setTitle(`${r.round} · ${t('xa_title')}`);
  fill(main,
    h('p', {}, h('a', { href: '#/crossaudit' }, t('xa_title'))),
    h('h1', { 'data-testid': 'xa-name' }, r.round),
    h('p', { 'data-testid': 'xa-state', 'data-state': r.state }, `${r.year} · ${t('xa_state_' + r.state)} · ${t('xa_bounds', r.team_min, r.team_max)} · ${t('xa_seed')} ${r.seed}`,
      r.state === 'published' ? ` · ${t('xa_declared_n', signed, r.assignments.length)}` : null),
    h('h2', {}, t('xa_score')), score,
    h('h2', {}, t('xa_violations')), violations,
    status, publish,
    h('h2', {}, t('xa_assignments')),
    tableWrap(h('table', { 'data-testid': 'xa-assignments' },
      h('thead', {}, h('tr', {}, [t('xa_audited'), t('xa_auditor_unit'), t('xa_team'), t('xa_project'), t('xa_declaration'), ''].map((c) => h('th', { scope: 'col' }, c)))),
      h('tbody', {}, r.assignments.map((x) => row(r, x, admin, draft, status, reload))))));
}

function row(r, x, admin, draft, status, reload) {
  const team = h('ul', { class: 'plain' }, x.team.map((m) => h('li', { 'data-person': m.person_id, 'data-role': m.role },
    `${m.role === 'lead' ? t('xa_lead') + ' ' : ''}${m.name} #${m.person_id}`, m.unit_name ? h('span', { class: 'muted' }, `（${m.unit_name}）`) : null,
    r.state === 'published' ? [' ', m.declared ? h('span', { class: 'badge ok', 'data-declared': '1' }, t('xa_signed'))
      : admin ? h('button', { type: 'button', 'data-testid': 'xa-sign', onclick: async () => {
        try { await api('POST', '/crossaudit/declarations', { project_id: x.project_id, person_id: m.person_id }); await reload(t('xa_sign_done', m.name)); }
        catch (e) { if (e.status !== 401) { status.textContent = e.message; status.className = 'error'; } }
      } }, t('xa_sign')) : h('span', { class: 'badge', 'data-declared': '0' }, t('xa_unsigned'))] : null)));
  const edit = admin && draft ? editCell(r, x, status, reload) : null;
  return h('tr', { 'data-audited': x.audited, 'data-auditor': x.auditor_unit },
    h('td', {}, unitLink(x.audited, x.audited_name)),
    h('td', {}, unitLink(x.auditor_unit, x.auditor_unit_name)),
    h('td', {}, team),
    h('td', { class: 'nowrap' }, x.project_id ? h('a', { href: '#/audits/' + x.project_id }, x.project_code) : t('none')),
    h('td', { class: 'nowrap', 'data-col': 'declared' }, x.project_id ? (x.declared ? t('xa_all_signed') : t('xa_waiting')) : t('none')),
    h('td', {}, edit));
}

// An inline edit of one assignment: the auditing unit (a unit of the round) and the team (person
// ids, the lead first; empty lets the server choose). The server re-checks the whole round.
function editCell(r, x, status, reload) {
  const units = r.assignments.map((a) => [a.audited, a.audited_name]);
  const form = h('form', { class: 'row', 'data-testid': 'xa-edit' },
    h('label', {}, t('xa_auditor_unit'), h('select', { name: 'auditor_unit' },
      units.map(([c, n]) => h('option', { value: c, selected: c === x.auditor_unit ? true : null }, n)))),
    h('label', {}, t('xa_team_ids'), h('input', { name: 'team', size: 12, value: x.team.map((m) => m.person_id).join(','), placeholder: '41,42' })),
    h('button', { type: 'submit' }, t('xa_save')));
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const raw = form.elements.namedItem('team').value.trim();
    const body = { auditor_unit: form.elements.namedItem('auditor_unit').value };
    if (raw) body.team = raw.split(/[,，\s]+/).filter(Boolean).map(Number);
    try {
      await api('PUT', `/crossaudit/rounds/${r.id}/assignments/${encodeURIComponent(x.audited)}`, body);
      await reload(t('xa_saved'));
    } catch (e) { if (e.status !== 401) { status.textContent = e.message; status.className = 'error'; } }
  });
  return h('details', {}, h('summary', {}, t('xa_edit')), form);
}
