// pages/soe.js - the SOE chief-auditor system (#/soe, 国企总审计师制度, issue 14 §3): the district's
// SOE groups and their chief auditors (the administrator registers them), and for a group (the
// chief auditor's own, or ?group=CODE) its subsidiaries, its audits, a form to plan an audit of a
// subsidiary through the audit workflow and the quarterly reports to the state-assets cell. The
// server decides what each role sees. Also exports what the pages of 内审建设 share.
import { api, all } from '../api.js';
import { h, t, fill, sel, unitLink, tableWrap, ITEMS } from '../ui.js';

// The tabs of 内审建设: chief auditors, internal-audit bodies, training.
export function tabs(current) {
  const links = [['soe', 'soe_tab_soe'], ['iabody', 'soe_tab_iabody'], ['training', 'soe_tab_training']].map(([p, k]) =>
    h('a', { href: '#/' + p, 'aria-current': p === current ? 'page' : null, 'data-tab': p }, t(k)));
  return h('nav', { class: 'tabs', 'aria-label': t('soe_tabs') }, links.flatMap((a, i) => (i ? [' · ', a] : [a])));
}

// A status line and a runner for the page's forms: the request, then the page drawn again with the
// message; a refusal is shown in the user's language and the form stays as typed.
export function formKit(redraw, testid) {
  const status = h('p', { role: 'status', 'data-testid': testid, class: 'muted' });
  const say = (text, bad) => { status.textContent = text; status.className = bad ? 'error' : 'ok'; };
  const submit = (form, run, done) => async (ev) => {
    ev.preventDefault();
    const buttons = form.querySelectorAll('button');
    buttons.forEach((b) => { b.disabled = true; });
    try {
      await run();
      await redraw();
      const s = document.querySelector(`[data-testid="${testid}"]`);
      if (s) { s.textContent = done; s.className = 'ok'; }
    } catch (e) {
      buttons.forEach((b) => { b.disabled = false; });
      if (e.status !== 401) say(e.status === undefined ? t('error') : e.message, true);
    }
  };
  return { status, say, submit };
}

const today = () => new Date(Date.now() + 8 * 3600e3).toISOString().slice(0, 10);

export default async function soe({ main, me, query }) {
  const here = location.hash;
  const role = me.user.role;
  const groups = (await api('GET', '/soe/groups')).items;
  const code = query.get('group') || (role === 'chief_auditor' ? me.user.unit_code : null);
  const group = code ? await api('GET', '/soe/groups/' + encodeURIComponent(code)) : null;
  if (location.hash !== here) return;
  const kit = formKit(() => soe({ main, me, query }), 'soe-status');

  const missing = groups.filter((g) => !g.chief_auditor).length;
  const row = (g) => h('tr', { 'data-group': g.code },
    h('td', {}, h('a', { href: '#/soe?group=' + encodeURIComponent(g.code) }, g.name)),
    h('td', { class: 'num' }, g.subsidiaries),
    h('td', {}, g.chief_auditor ? g.chief_auditor.name : h('span', { class: 'badge overdue', 'data-testid': 'no-chief' }, t('soe_no_chief'))),
    h('td', {}, g.chief_auditor ? g.chief_auditor.appointed_on : ''),
    h('td', {}, g.chief_auditor ? g.chief_auditor.doc_no : ''));
  const list = tableWrap({ 'data-testid': 'soe-groups' },
    h('caption', {}, t('soe_caption', groups.length, missing)),
    h('thead', {}, h('tr', {}, [t('soe_group'), t('soe_subsidiaries'), t('soe_chief'), t('soe_appointed'), t('soe_doc')].map((x) => h('th', { scope: 'col' }, x)))),
    h('tbody', {}, groups.map(row)));

  // replaceChildren() would write a missing part (null) as text
  fill(main, ...[h('h1', {}, t('soe_title')), tabs('soe'), kit.status, list,
    role === 'admin' ? await chiefForm(groups, code, kit) : null,
    group ? groupView(group, role, kit) : null].filter(Boolean));
}

// The administrator registers (or replaces) a group's chief auditor: a person of the group.
async function chiefForm(groups, code, kit) {
  const first = code || (groups.find((g) => !g.chief_auditor) || groups[0] || {}).code;
  if (!first) return null;
  const persons = h('select', { name: 'person_id', required: true });
  const fill = async (c) => {
    const ps = await all('/units/' + encodeURIComponent(c) + '/persons');
    persons.replaceChildren(...ps.map((p) => h('option', { value: p.id }, p.title ? `${p.name}（${p.title}）` : p.name)));
  };
  const groupSel = sel('group', t('soe_group'), groups.map((g) => [g.code, g.name]), first);
  groupSel.querySelector('select').addEventListener('change', (e) => fill(e.target.value));
  await fill(first);
  const date = h('input', { type: 'date', name: 'appointed_on', required: true, max: today() });
  const doc = h('input', { name: 'doc_no', required: true, maxlength: 100, size: 24, placeholder: t('soe_doc_hint') });
  const form = h('form', { class: 'card', 'data-testid': 'soe-chief-form' },
    h('h2', {}, t('soe_set_title')), groupSel, ' ', h('label', {}, t('soe_chief'), persons), ' ',
    h('label', {}, t('soe_appointed'), date), ' ', h('label', {}, t('soe_doc'), doc), ' ',
    h('button', { type: 'submit' }, t('soe_set')));
  form.addEventListener('submit', kit.submit(form, () => api('PUT',
    '/soe/groups/' + encodeURIComponent(form.elements.group.value) + '/chief-auditor',
    { person_id: Number(persons.value), appointed_on: date.value, doc_no: doc.value.trim() }), t('soe_set_done')));
  return form;
}

// One group: its subsidiaries, audits, and (chief auditor, admin) the plan and report forms.
function groupView(g, role, kit) {
  const acts = role === 'admin' || role === 'chief_auditor';
  const subs = g.subsidiaries.length
    ? tableWrap({ 'data-testid': 'soe-subs' },
      h('thead', {}, h('tr', {}, [t('soe_subsidiary'), t('soe_open_audits')].map((x) => h('th', { scope: 'col' }, x)))),
      h('tbody', {}, g.subsidiaries.map((s) => h('tr', { 'data-sub': s.code }, h('td', {}, unitLink(s.code, s.name)), h('td', { class: 'num' }, s.audits)))))
    : h('p', { class: 'muted' }, t('soe_no_subs'));
  const audits = g.audits.length
    ? h('ul', { 'data-testid': 'soe-audits' }, g.audits.map((a) => h('li', {},
      h('a', { href: '#/audits/' + a.id }, `${a.code} ${a.name}`), ' · ', a.unit_name, ' · ', t('au_stage_' + a.stage))))
    : h('p', { class: 'muted' }, t('soe_no_audits'));
  const reports = g.quarterly.length
    ? h('ul', { 'data-testid': 'soe-reports' }, g.quarterly.map((s) => h('li', { 'data-report': s.id },
      `${s.period} ${s.title} · ${s.to_name} · ${s.state_zh}`)))
    : h('p', { class: 'muted' }, t('soe_no_reports'));
  return h('section', { 'data-testid': 'soe-group' },
    h('h2', {}, g.name, ' ', g.chief_auditor ? t('soe_chief_is', g.chief_auditor.name) : t('soe_no_chief')),
    h('h3', {}, t('soe_subs_title')), subs,
    h('h3', {}, t('soe_audits_title')), audits, acts ? planForm(g, kit) : null,
    h('h3', {}, t('soe_reports_title')), reports, acts ? reportForm(g, kit) : null);
}

function planForm(g, kit) {
  const year = today().slice(0, 4);
  const units = [[g.code, g.name], ...g.subsidiaries.map((s) => [s.code, s.name])];
  const name = h('input', { name: 'name', required: true, maxlength: 200, size: 30, value: t('soe_plan_default', year) });
  const from = h('input', { type: 'date', name: 'period_from', required: true, value: `${year}-01-01` });
  const to = h('input', { type: 'date', name: 'period_to', required: true, value: today() });
  const form = h('form', { class: 'card', 'data-testid': 'soe-plan-form' },
    h('h4', {}, t('soe_plan_title')), sel('unit_code', t('soe_audited'), units, units[units.length > 1 ? 1 : 0][0]), ' ',
    h('label', {}, t('soe_audit_name'), name), ' ', h('label', {}, t('soe_from'), from), ' ', h('label', {}, t('soe_to'), to), ' ',
    h('button', { type: 'submit' }, t('soe_plan')));
  form.addEventListener('submit', kit.submit(form, () => api('POST', '/soe/groups/' + encodeURIComponent(g.code) + '/audits',
    { name: name.value.trim(), unit_code: form.elements.unit_code.value, period_from: from.value, period_to: to.value, items: ITEMS }),
  t('soe_plan_done')));
  return form;
}

function reportForm(g, kit) {
  const y = Number(today().slice(0, 4));
  const q = Math.floor((Number(today().slice(5, 7)) - 1) / 3) + 1;
  const periods = [];
  for (let k = 0; k < 4; k++) {
    const qq = ((q - 1 - k + 8) % 4) + 1;
    const yy = q - k >= 1 ? y : y - 1;
    periods.push([`${yy}Q${qq}`, t('soe_quarter', yy, qq)]);
  }
  const title = h('input', { name: 'title', required: true, maxlength: 200, size: 30 });
  const body = h('textarea', { name: 'body', rows: 3 });
  const form = h('form', { class: 'card', 'data-testid': 'soe-report-form' },
    h('h4', {}, t('soe_report_title')), sel('period', t('soe_period'), periods, periods[0][0]), ' ',
    h('label', {}, t('soe_report_name'), title), h('label', {}, t('soe_report_body'), body),
    h('button', { type: 'submit' }, t('soe_report_file')));
  form.addEventListener('submit', kit.submit(form, () => api('POST', '/soe/groups/' + encodeURIComponent(g.code) + '/quarterly',
    { period: form.elements.period.value, title: title.value.trim(), body: body.value }), t('soe_report_done')));
  return form;
}
