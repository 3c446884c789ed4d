// pages/submissions.js - submissions (#/submissions, 报送事项, issue 14 §2): a unit's filings to its
// competent department or the bureau, listed by status with counts; the addressee accepts one or
// returns it with a note, the unit files again what came back; a unit's people file a new one.
import { api } from '../api.js';
import { h, t, fill, sel, unitLink, tableWrap, bjTime, actorOf } from '../ui.js';

const STATES = ['filed', 'accepted', 'returned'];
const UNIT_ROLES = ['leader', 'auditor', 'chief_auditor'];

export default async function submissions({ main, me, query }) {
  const here = location.hash;
  const state = STATES.includes(query.get('state')) ? query.get('state') : '';
  const list = await api('GET', '/submissions?per_page=100' + (state ? '&state=' + state : ''));
  if (location.hash !== here) return;
  const status = h('p', { role: 'status', 'data-testid': 'sb-status', class: 'muted' });
  const reload = async (msg) => {
    await submissions({ main, me, query });
    const s = main.querySelector('[data-testid="sb-status"]');
    if (s && msg) { s.textContent = msg; s.className = 'ok'; }
  };
  const run = async (btns, fn, msg) => {
    btns.forEach((b) => { b.disabled = true; });
    try { await fn(); await reload(msg); } catch (e) {
      btns.forEach((b) => { b.disabled = false; });
      if (e.status !== 401) { status.textContent = e.status === undefined ? t('error') : e.message; status.className = 'error'; }
    }
  };
  const actions = (x) => {
    if (!x.actions.length) return '';
    const note = h('input', { name: 'note', size: 16, maxlength: 4000, placeholder: t('sb_note'), 'aria-label': t('sb_note') });
    const btns = [];
    const btn = (a) => {
      const b = h('button', { type: 'button', 'data-action': a, onclick: () => run(btns, () => api('POST', `/submissions/${x.id}/${a}`,
        a === 'refile' ? {} : { note: note.value.trim() || undefined }), t('sb_done_' + a)) }, t('sb_' + a));
      btns.push(b);
      return b;
    };
    return h('span', { class: 'inline' }, x.actions.includes('refile') ? null : note, ' ', x.actions.map(btn));
  };
  const row = (x) => h('tr', { 'data-submission': x.id, 'data-state': x.state },
    h('td', {}, x.kind_zh), h('td', {}, x.title), h('td', {}, x.period || ''),
    h('td', {}, unitLink(x.unit_code, x.unit_name)), h('td', {}, x.to_name),
    h('td', {}, h('span', { class: 'badge ' + (x.state === 'returned' ? 'overdue' : x.state === 'accepted' ? 'ok' : 'open') }, t('sb_state_' + x.state))),
    h('td', {}, x.note || ''),
    h('td', { class: 'muted' }, actorOf(x, 'created_by'), ' ', bjTime(x.created_at)),
    h('td', {}, actions(x)));
  const tabs = h('p', { class: 'inline', 'data-testid': 'sb-tabs' },
    h('a', { href: '#/submissions', 'aria-current': state ? null : 'page' }, t('sb_all')), ' · ',
    STATES.map((s, i) => [i ? ' · ' : '', h('a', { href: '#/submissions?state=' + s, 'data-count': s, 'aria-current': state === s ? 'page' : null },
      t('sb_state_' + s), ' ', String(list.counts[s]))]));
  let form = null;
  if (UNIT_ROLES.includes(me.user.role)) {
    form = h('form', { class: 'card', 'data-testid': 'sb-form' }, h('h2', {}, t('sb_form_title')),
      sel('kind', t('sb_kind'), [['annual_plan', t('sb_kind_annual_plan')], ['annual_summary', t('sb_kind_annual_summary')],
        ['rect_report', t('sb_kind_rect_report')], ['soe_quarterly', t('sb_kind_soe_quarterly')]], 'annual_plan'),
      h('label', {}, t('sb_to'), h('input', { name: 'to_cell', size: 6, placeholder: 'D01' })),
      h('label', {}, t('sb_period'), h('input', { name: 'period', size: 8, maxlength: 32 })),
      h('label', {}, t('gd_subject'), h('input', { name: 'title', required: true, maxlength: 200, size: 30 })),
      h('label', {}, t('gd_body'), h('textarea', { name: 'body', rows: 3 })),
      h('button', { type: 'submit' }, t('sb_file')));
    form.addEventListener('submit', (ev) => {
      ev.preventDefault();
      const f = form.elements;
      run([...form.querySelectorAll('button')], () => api('POST', '/submissions', {
        kind: f.kind.value, to_cell: f.to_cell.value.trim() || undefined, period: f.period.value.trim() || undefined,
        title: f.title.value.trim(), body: f.body.value.trim() || undefined }), t('sb_filed'));
    });
  }
  fill(main,
    h('h1', {}, t('sb_title')), tabs, status,
    list.items.length ? tableWrap({ 'data-testid': 'sb-list' }, h('caption', {}, t('sb_caption', list.total)),
      h('thead', {}, h('tr', {}, ['sb_kind', 'gd_subject', 'sb_period', 'dp_unit', 'sb_to', 'gd_state', 'sb_note', 'sb_filed_at', ''].map((k) => h('th', { scope: 'col' }, k ? t(k) : '')))),
      h('tbody', {}, list.items.map(row))) : h('p', { class: 'muted', 'data-testid': 'sb-empty' }, t('dp_none')),
    form);
}
