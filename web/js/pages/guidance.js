// pages/guidance.js - one guidance opinion (#/guidance/:id, 指导意见, issue 14 §2) with each
// addressed unit's reply (答复) and its state (已答复, 逾期答复, 待答复, 逾期未答复), and the reply form
// for a unit's own people; and one supervision visit (#/guidance/visits/:id, 督导检查) with its
// findings, each a rectification item, and the form to record one.
import { api } from '../api.js';
import { h, t, fill, sel, unitLink, tableWrap, bjTime, actorOf, setTitle, ITEMS, SEVS } from '../ui.js';
import { opinionState } from './department.js';

const UNIT_ROLES = ['leader', 'auditor', 'chief_auditor'];
const GUIDES = ['admin', 'supervisor', 'liaison'];

// A form whose request runs on submit; a refusal is shown in status, success reloads the page.
function wire(form, status, run, reload) {
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const buttons = form.querySelectorAll('button');
    buttons.forEach((b) => { b.disabled = true; });
    try { await run(); await reload(); } catch (e) {
      buttons.forEach((b) => { b.disabled = false; });
      if (e.status !== 401) { status.textContent = e.status === undefined ? t('error') : e.message; status.className = 'error'; }
    }
  });
}

async function visitPage({ main, params, me }) {
  const here = location.hash;
  const v = await api('GET', '/guidance/visits/' + encodeURIComponent(params.id));
  if (location.hash !== here) return;
  setTitle(v.subject);
  const status = h('p', { role: 'status', 'data-testid': 'vs-status', class: 'muted' });
  const rows = v.finding_list.map((f) => h('tr', { 'data-finding': f.finding_id },
    h('td', {}, f.item), h('td', {}, h('a', { href: '#/findings/' + f.finding_id }, f.title)), h('td', {}, t('sev_' + f.severity)),
    h('td', {}, f.rectification_id ? h('a', { href: '#/rectifications/' + f.rectification_id, 'data-testid': 'vs-rect' }, t('rcs_' + f.rect_state)) : ''),
    h('td', {}, f.deadline || '')));
  let form = null;
  if (GUIDES.includes(me.user.role)) {
    form = h('form', { class: 'card', 'data-testid': 'vf-form' }, h('h2', {}, t('vf_title')),
      sel('item', t('gd_item'), ITEMS.map((i) => [i, i]), 'F03'),
      sel('severity', t('severity'), SEVS.map((s) => [s, t('sev_' + s)]), 'medium'),
      sel('rect_class', t('vf_class'), [['immediate', t('vf_class_immediate')], ['phased', t('vf_class_phased')], ['continuous', t('vf_class_continuous')]], 'immediate'),
      h('label', {}, t('gd_subject'), h('input', { name: 'title', required: true, maxlength: 200, size: 40 })),
      h('label', {}, t('vf_description'), h('textarea', { name: 'description', rows: 2, required: true })),
      h('label', {}, t('vf_basis'), h('input', { name: 'basis', required: true, size: 40 })),
      h('button', { type: 'submit' }, t('vf_save')));
    wire(form, status, () => api('POST', `/guidance/visits/${v.id}/findings`, {
      item: form.elements.item.value, severity: form.elements.severity.value, rect_class: form.elements.rect_class.value,
      title: form.elements.title.value.trim(), description: form.elements.description.value.trim(), basis: form.elements.basis.value.trim(),
    }), () => visitPage({ main, params, me }));
  }
  fill(main,
    h('p', {}, h('a', { href: '#/department' }, t('gd_back'))),
    h('h1', {}, t('vs_title'), ' · ', v.subject),
    h('p', { 'data-testid': 'vs-meta' }, unitLink(v.unit_code, v.unit_name), ' · ', v.issuer, ' · ', v.visit_date),
    v.notes ? h('p', {}, v.notes) : null, status,
    h('h2', {}, t('dp_findings')),
    rows.length ? tableWrap({ 'data-testid': 'vs-findings' }, h('caption', {}, t('vs_findings_caption')),
      h('thead', {}, h('tr', {}, ['gd_item', 'gd_subject', 'severity', 'dp_rect', 'gd_due'].map((k) => h('th', { scope: 'col' }, t(k))))),
      h('tbody', {}, rows)) : h('p', { class: 'muted' }, t('dp_none')),
    form);
}

export default async function guidance(ctx) {
  const { main, params, me } = ctx;
  if (params.id === undefined && params.vid !== undefined) return visitPage({ main, params: { id: params.vid }, me });
  const here = location.hash;
  const o = await api('GET', '/guidance/' + encodeURIComponent(params.id));
  if (location.hash !== here) return;
  setTitle(o.subject);
  const status = h('p', { role: 'status', 'data-testid': 'gd-status', class: 'muted' });
  const mine = UNIT_ROLES.includes(me.user.role) ? o.targets.find((x) => x.unit_code === me.user.unit_code) : null;
  let form = null;
  if (mine) {
    const text = h('textarea', { name: 'reply', rows: 4, required: true }, mine.reply || '');
    form = h('form', { class: 'card', 'data-testid': 'gd-reply-form' }, h('h2', {}, t(mine.reply ? 'gd_reply_amend' : 'gd_reply_title')),
      h('label', {}, t('gd_reply'), text), h('button', { type: 'submit' }, t('gd_reply_send')));
    wire(form, status, () => api('POST', `/guidance/${o.id}/reply`, { unit_code: mine.unit_code, reply: text.value.trim() }),
      async () => { await guidance(ctx); const s = main.querySelector('[data-testid="gd-status"]'); if (s) { s.textContent = t('gd_replied'); s.className = 'ok'; } });
  }
  const row = (x) => h('tr', { 'data-unit': x.unit_code, 'data-state': x.state },
    h('td', {}, unitLink(x.unit_code, x.unit_name)),
    h('td', {}, h('span', { class: 'badge ' + (x.state === 'overdue' || x.state === 'late' ? 'overdue' : x.state === 'replied' ? 'ok' : 'open') }, t('gd_target_' + x.state))),
    h('td', {}, x.reply || ''),
    h('td', { class: 'muted' }, x.replied_at ? [actorOf(x, 'replied_by'), ' ', bjTime(x.replied_at)] : ''));
  fill(main,
    h('p', {}, h('a', { href: '#/department' }, t('gd_back'))),
    h('h1', {}, o.subject, ' ', opinionState(o.state)),
    h('p', { 'data-testid': 'gd-meta' }, t('gd_meta', o.issuer, o.due_date), ' · ', actorOf(o, 'created_by'), ' ', bjTime(o.created_at)),
    h('p', { class: 'card', 'data-testid': 'gd-body' }, o.body),
    status,
    h('h2', {}, t('gd_replies')),
    tableWrap({ 'data-testid': 'gd-targets' }, h('caption', {}, t('gd_targets_caption', o.answered, o.units)),
      h('thead', {}, h('tr', {}, ['dp_unit', 'gd_state', 'gd_reply', 'gd_replied_at'].map((k) => h('th', { scope: 'col' }, t(k))))),
      h('tbody', {}, o.targets.map(row))),
    form);
}
