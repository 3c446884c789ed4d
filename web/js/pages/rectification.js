// pages/rectification.js - one rectification item (#/rectifications/{id}): the problem and its
// finding, deadline and state, the history with its files, and the forms of whoever may act now:
// the audited unit reports measures, progress and its claim (files uploaded first, then passed as
// attachment_ids); the audit team verifies a claim (销号, 退回, 转持续整改); the lead or the bureau
// moves the deadline; a closed item offers its 对账销号单. The server decides again on every step.
import { api, upload } from '../api.js';
import { h, t, fill, getLang, yuan, bjTime, actorOf, unitLink, setTitle, itemLabel } from '../ui.js';
import { stateBadge, overdueMark, repeatBadge } from './rectifications.js';

const UNIT_ROLES = ['leader', 'auditor', 'chief_auditor'];
const TEAM_ROLES = ['auditor', 'chief_auditor', 'liaison', 'supervisor'];

// Whether the signed-in user speaks for the audited unit: the bureau, or the unit's own leader,
// auditor or chief auditor (a chief auditor also for the units of its group).
function unitSide(me, r, unit) {
  const u = me.user;
  if (u.role === 'admin') return true;
  if (!UNIT_ROLES.includes(u.role) || !u.unit_code) return false;
  return u.unit_code === r.unit_code || (u.role === 'chief_auditor' && !!unit && unit.parent_code === u.unit_code);
}

// The user's entry on the project's team, or null: by the account's person (person_id of GET /me;
// an account without a person is on no team). Only a server that does not tell the person makes
// this fall back to the unit an internal auditor comes from, or a liaison's or supervisor's name.
// The server checks the person either way.
function teamEntry(me, project) {
  const u = me.user;
  const team = project.team || [];
  if ('person_id' in u) return u.person_id ? team.find((m) => m.person_id === u.person_id) || null : null;
  if (!TEAM_ROLES.includes(u.role)) return null;
  if (u.unit_code) return team.find((m) => m.from_unit === u.unit_code) || null;
  return team.find((m) => m.name === u.display_name) || null;
}

const fileLink = (a) => h('a', { href: `/api/v1/attachments/${a.id}/content`, download: a.filename, 'data-attachment': a.id },
  a.filename);

export default async function rectification(ctx) {
  const { main, params, me } = ctx;
  const id = encodeURIComponent(params.id);
  const here = location.hash;
  const r = await api('GET', '/rectifications/' + id);
  const project = await api('GET', '/audits/' + r.project_id);
  // The item's name in the catalog version the project used ("F03 资金支付审批").
  const catalog = r.item_name ? null : await api('GET', '/catalog?version=' + project.catalog_version).catch(() => null);
  const item = catalog && catalog.items.find((i) => i.code === r.item);
  const itemName = r.item_name || (item ? (getLang() === 'en' ? item.name_en : item.name_zh) : null);
  const unit = me.user.role === 'chief_auditor' && me.user.unit_code !== r.unit_code
    ? await api('GET', '/units/' + encodeURIComponent(r.unit_code)).catch(() => null) : null;
  if (location.hash !== here) return; // the user has moved on: do not draw over the next page
  const role = me.user.role;
  const live = project.stage === 'rectify';
  const isUnit = unitSide(me, r, unit);
  const mine = teamEntry(me, project);
  const ownClaim = [...r.events].reverse().find((e) => e.kind === 'claim');
  // The unit never verifies its own claim; in a self-check the team is the unit's own audit, so
  // only the one who claimed is kept out.
  const isTeam = role === 'admin' || (!!mine && (project.kind === 'self_check'
    ? !(ownClaim && ownClaim.created_by === 'user:' + me.user.username) : !isUnit));

  const msg = h('p', { role: 'status', 'aria-live': 'polite', 'data-testid': 'rect-msg' });
  const say = (text, error) => { msg.textContent = text; msg.className = error ? 'error' : 'ok'; };
  // After a step: the page again, from the server, with the confirmation.
  const reload = async (text) => {
    if (location.hash !== here) return; // the user has moved on
    await rectification(ctx);
    const m = main.querySelector('[data-testid="rect-msg"]');
    if (m) { m.textContent = text; m.className = 'ok'; }
  };

  // Uploads the chosen files to the unit, one after the other, and gives their ids.
  const uploadAll = async (input) => {
    const ids = [];
    for (const file of input.files) {
      const a = await upload(`/units/${encodeURIComponent(r.unit_code)}/attachments?filename=${encodeURIComponent(file.name)}`,
        file, (p) => { if (p !== null) say(t('rc_uploading', file.name, p)); });
      ids.push(a.id);
    }
    return ids;
  };
  // Runs one step: checks, uploads, posts; shows the server's refusal in the user's language.
  const step = (form, run) => async (ev) => {
    ev.preventDefault();
    const buttons = form.querySelectorAll('button');
    buttons.forEach((b) => { b.disabled = true; });
    try { await run(ev); await reload(t('rc_saved')); } catch (e) {
      buttons.forEach((b) => { b.disabled = false; });
      // An ApiError in the user's language, a check of the form, or a network failure.
      if (e.status !== 401) say(e.status === undefined ? t('error') : e.message, true);
    }
  };
  const need = (el, text) => { if (el.value.trim()) return el.value.trim(); el.focus(); throw Object.assign(new Error(text), { status: 0 }); };

  // ---- issue 13 (usecase): which steps the user may take now is the server's transition table
  // (GET /rectifications/{id} "actions": state × action → next state, and who); the page does not
  // repeat it. isUnit / isTeam above only choose the hints shown around the forms.
  const can = (action) => (r.actions || []).some((x) => x.action === action);
  // ---- end issue 13 (usecase)
  const forms = [];
  if (!live && (isUnit || isTeam) && r.state !== 'closed')
    forms.push(h('p', { class: 'muted', 'data-testid': 'not-live' }, t('rc_not_in_rectify', t('rcg_' + project.stage))));
  if (live && isUnit) {
    const parts = [];
    if (can('measures')) { // issue 13 (usecase)
      const measures = h('textarea', { name: 'measures', rows: 3 }, r.measures || '');
      const f = h('form', { 'data-form': 'measures' },
        h('label', {}, t('rc_measures_label'), measures), h('button', { class: 'primary', type: 'submit' }, t('rc_save_measures')));
      f.addEventListener('submit', step(f, async () => {
        await api('POST', `/rectifications/${r.id}/measures`, { measures: need(measures, t('rc_text_needed')) });
      }));
      parts.push(f);
    }
    if (can('progress')) { // issue 13 (usecase)
      const text = h('textarea', { name: 'progress_text', rows: 2 });
      const files = h('input', { type: 'file', name: 'progress_files', multiple: true });
      const f = h('form', { 'data-form': 'progress' },
        h('label', {}, t('rc_progress_label'), text), h('label', {}, t('rc_files'), files),
        h('button', { class: 'primary', type: 'submit' }, t('rc_report_progress')));
      f.addEventListener('submit', step(f, async () => {
        const body = { text: need(text, t('rc_text_needed')) };
        const ids = await uploadAll(files);
        if (ids.length) body.attachment_ids = ids;
        await api('POST', `/rectifications/${r.id}/progress`, body);
      }));
      parts.push(f);
    }
    if (can('claim')) { // issue 13 (usecase)
      const result = h('textarea', { name: 'result', rows: 3 });
      const files = h('input', { type: 'file', name: 'claim_files', multiple: true });
      const f = h('form', { 'data-form': 'claim' },
        h('label', {}, t('rc_result_label'), result), h('label', {}, t('rc_files'), files),
        h('p', { class: 'muted' }, t('rc_claim_hint')),
        h('button', { class: 'primary', type: 'submit' }, t('rc_claim')));
      f.addEventListener('submit', step(f, async () => {
        const body = { result: need(result, t('rc_text_needed')) };
        const ids = await uploadAll(files);
        if (ids.length) body.attachment_ids = ids;
        await api('POST', `/rectifications/${r.id}/claim`, body);
      }));
      parts.push(f);
    }
    if (r.state === 'claimed') parts.push(h('p', { class: 'muted', 'data-testid': 'awaiting' }, t('rc_awaiting')));
    if (parts.length) forms.push(h('section', { class: 'card rforms', 'aria-labelledby': 'rc-unit', 'data-testid': 'unit-side' },
      h('h2', { id: 'rc-unit' }, t('rc_unit_side')), parts));
  }
  if (can('close') || can('reopen')) { // issue 13 (usecase)
    const note = h('textarea', { name: 'verify_note', rows: 2 });
    const f = h('form', { 'data-form': 'verify' }, h('label', {}, t('rc_note'), note));
    const decide = (decision) => step(f, async () => {
      const body = { decision };
      const text = note.value.trim();
      if (decision !== 'close' && !text) { note.focus(); throw Object.assign(new Error(t('rc_note_needed')), { status: 0 }); }
      if (text) body.note = text;
      await api('POST', `/rectifications/${r.id}/verify`, body);
    });
    // issue 13 (usecase): the decisions the server offers (转持续整改 not for an immediate item).
    const buttons = [['close', t('rc_close')], ['reopen', t('rc_reopen')], ['continuous', t('rc_to_continuous')]]
      .filter(([d]) => can(d));
    f.append(h('p', { class: 'actions' }, buttons.map(([d, label]) =>
      [h('button', { class: 'primary', type: 'button', 'data-decision': d, onclick: decide(d) }, label), ' '])));
    f.addEventListener('submit', (ev) => ev.preventDefault());
    forms.push(h('section', { class: 'card rforms', 'aria-labelledby': 'rc-verify', 'data-testid': 'verify' },
      h('h2', { id: 'rc-verify' }, t('rc_verify')), f));
  }
  if (can('deadline')) { // issue 13 (usecase)
    const date = h('input', { type: 'date', name: 'deadline', value: r.deadline });
    const reason = h('textarea', { name: 'deadline_reason', rows: 2 });
    const f = h('form', { 'data-form': 'deadline', class: 'inline' },
      h('label', {}, t('rc_new_deadline'), date), h('label', { class: 'grow' }, t('rc_deadline_reason'), reason),
      h('button', { class: 'primary', type: 'submit' }, t('rc_save_deadline')));
    f.addEventListener('submit', step(f, async () => {
      const d = need(date, t('rc_date_needed'));
      await api('POST', `/rectifications/${r.id}/deadline`, { deadline: d, reason: need(reason, t('rc_reason_needed')) });
    }));
    forms.push(h('section', { class: 'card rforms', 'aria-labelledby': 'rc-deadline', 'data-testid': 'deadline' },
      h('h2', { id: 'rc-deadline' }, t('rc_move_deadline')), f));
  }

  const kv = (k, v, testid) => [h('dt', {}, k), h('dd', testid ? { 'data-testid': testid } : {}, v ?? '—')];
  const event = (e) => h('li', { 'data-event': e.kind },
    h('div', { class: 'when' }, h('b', {}, t('rce_' + e.kind)), ' ', h('span', { class: 'muted' }, `${bjTime(e.created_at)} · ${actorOf(e, 'created_by')}`)),
    e.body ? h('div', { class: 'body' }, e.body) : null,
    e.attachments.length ? h('div', { class: 'files' }, e.attachments.map((a) => [fileLink(a), ' '])) : null);

  setTitle(`${t('rc_item')} #${r.id} ${r.title}`);
  const page = [
    h('p', {}, h('a', { href: '#/rectifications?project=' + r.project_id }, '← ' + t('rc_of_project'))),
    h('h1', {}, `${t('rc_item')} #${r.id} · ${r.title} `, stateBadge(r), ' ', overdueMark(r), ' ', repeatBadge(r)),
    msg,
    r.state === 'closed' ? h('p', {}, h('a', { class: 'button', href: `/api/v1/rectifications/${r.id}/certificate.xlsx`, download: '',
      'data-testid': 'certificate' }, t('rc_certificate'))) : null,
    h('div', { class: 'cols' },
      h('section', { class: 'card', 'aria-labelledby': 'rc-what' }, h('h2', { id: 'rc-what' }, t('rc_finding')),
        h('dl', { class: 'kv', 'data-testid': 'rect' },
          kv(t('rc_project'), h('a', { href: '#/audits/' + r.project_id }, `${r.project_code} ${r.project_name}`)),
          kv(t('rc_notice_no'), r.notice_no),
          kv(t('unit'), unitLink(r.unit_code, r.unit_name)),
          kv(t('au_item'), itemLabel(r.item, itemName), 'item'),
          kv(t('rc_finding'), h('a', { href: '#/findings/' + r.finding_id, 'data-testid': 'finding-link' }, `${r.item} · ${r.title}`)),
          kv(t('rc_description'), r.description),
          kv(t('rc_amount'), yuan(r.amount)),
          kv(t('rc_basis'), r.basis),
          kv(t('severity'), t('sev_' + r.severity)),
          kv(t('rc_recommendation'), r.recommendation),
          r.repeat ? kv(t('rc_repeat_of'), h('a', { href: '#/findings/' + r.repeat_of }, `${t('rc_repeat')} · #${r.repeat_of}`)) : null)),
      h('section', { class: 'card', 'aria-labelledby': 'rc-how' }, h('h2', { id: 'rc-how' }, t('rc_item')),
        h('dl', { class: 'kv' },
          kv(t('rc_class'), t('rcc_' + r.class)),
          kv(t('rc_deadline'), [r.deadline, ' ', overdueMark(r)], 'deadline-value'),
          kv(t('rc_state'), stateBadge(r), 'state'),
          kv(t('rc_responsible'), r.responsible),
          kv(t('principal'), r.principal),
          kv(t('rc_team_lead'), r.team_lead),
          kv(t('rc_measures'), r.measures, 'measures'),
          kv(t('rc_latest_progress'), r.progress),
          kv(t('rc_result'), r.result),
          kv(t('rc_evidence'), r.evidence.length ? r.evidence.join('、') : null),
          r.verified_by ? kv(t('rc_verified_by'), `${actorOf(r, 'verified_by')} · ${bjTime(r.verified_at)}`, 'verified-by') : null,
          r.escalated_at ? kv(t('rc_escalated_at'), bjTime(r.escalated_at)) : null))),
    forms,
    h('section', { class: 'card', 'aria-labelledby': 'rc-events' }, h('h2', { id: 'rc-events' }, t('rc_events')),
      r.events.length ? h('ol', { class: 'timeline', 'data-testid': 'events' }, r.events.map(event))
        : h('p', { class: 'muted' }, t('rc_no_events')))];
  fill(main, ...page.flat().filter((x) => x));
}
