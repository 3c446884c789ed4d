// pages/audit.js - one audit project (#/audits/{id}): its header, the stage tracker 审前 → 审中 →
// 审后·报告 → 审后·整改 → 已结项 with what the stage still lacks (`missing` of the API) and the
// advance button for the lead and the admin, the team with the form to staff it, the records of
// each stage with the form to file those the user may file now (attachments uploaded first), and
// the findings with the form to add one while in the field. Every decision is the server's: the
// page only leaves out what the server would refuse, and shows the server's message when it does.
import { api, all, upload } from '../api.js';
import { h, t, fill, getLang, sel, sevBadge, SEVS, bjTime, actorOf, unitLink, setTitle, tableWrap } from '../ui.js';
import { STAGES, itemName, yuan, sep, counted } from './audits.js';

// The records filed in each stage, in the order they are usually filed.
export const RECORD_KINDS = {
  pre: ['plan', 'plan_approval', 'notice', 'survey'],
  field: ['working_paper'],
  report: ['draft_report', 'response', 'final_report'],
  rectify: ['followup'],
};
export const RECT_CLASSES = ['immediate', 'phased', 'continuous'];
const ALL_RECORD_KINDS = new Set(Object.values(RECORD_KINDS).flat());

// One thing a stage still lacks, in the page's words: a missing record by its Chinese name (the
// domain's text also names the kind's id, for the command line).
function missingText(m, en) {
  if (ALL_RECORD_KINDS.has(m.code)) return t('au_missing_record', t('au_rk_' + m.code));
  return en ? m.en : m.zh;
}
const ATTACH_TYPES = '.pdf,.ofd,.doc,.docx,.xls,.xlsx,.png,.jpg,.jpeg,.txt';

// The team rows that are the signed-in user: by the account's person (GET /me). The server decides
// anyway; this only chooses which forms to show.
export function myRows(user, team) {
  return user.person_id ? team.filter((m) => m.person_id === user.person_id) : [];
}

// What the signed-in user may do on project p (the rules of docs/workflow.md §2; parent is the
// audited unit's parent, for a chief auditor's group).
export function rights(me, p, parent) {
  const u = me.user;
  const none = { admin: false, member: false, lead: false, advance: false, staff: false, kinds: [], findings: false };
  if (u.role === 'reviewer') return none;
  const admin = u.role === 'admin';
  const mine = myRows(u, p.team || []);
  const member = mine.length > 0;
  const lead = mine.some((m) => m.role === 'lead');
  const open = p.stage !== 'closed';
  const ownUnit = (['leader', 'auditor'].includes(u.role) && u.unit_code === p.unit_code) ||
    (u.role === 'chief_auditor' && (u.unit_code === p.unit_code || (parent && parent === u.unit_code)));
  const mayFile = (k) => {
    if (admin) return true;
    if (k === 'plan_approval') return (u.role === 'supervisor' && !!p.cell_id && u.cell_id === p.cell_id) ||
      (u.role === 'leader' && p.kind === 'self_check' && u.unit_code === p.unit_code);
    if (k === 'response') return ownUnit;
    return member;
  };
  return {
    admin, member, lead,
    // issue 13 (usecase): the stage step comes from the server's table (GET /audits/{id} "actions").
    advance: (p.actions || []).some((x) => x.action === 'advance'),
    staff: open && (admin || lead),
    kinds: (RECORD_KINDS[p.stage] || []).filter(mayFile),
    findings: p.stage === 'field' && (admin || member),
  };
}

// The download link of an attachment.
export const attachLink = (a) => h('a', { href: `/api/v1/attachments/${a.id}/content`, download: a.filename, 'data-attachment': a.id },
  a.filename, h('span', { class: 'muted' }, ` (${a.bytes} ${t('bytes')})`));

// Uploads the chosen files as attachments of the unit, one after another; resolves to their ids.
export async function uploadAll(unit, files, status) {
  const ids = [];
  for (const file of files) {
    const path = `/units/${encodeURIComponent(unit)}/attachments?filename=${encodeURIComponent(file.name)}`;
    const a = await upload(path, file, (pc) => { status.textContent = pc === null ? t('au_uploaded', file.name) : `${t('uploading')} ${file.name} ${pc}%`; });
    ids.push(a.id);
  }
  return ids;
}

// The fields of a finding (add and edit use the same); f is the finding being edited, or null.
export function findingFields(catalog, p, f) {
  const byCode = Object.fromEntries(catalog.items.map((i) => [i.code, i]));
  const text = (name, label, attrs = {}) => h('label', { class: attrs.grow ? 'grow' : null }, label,
    h('input', { name, value: f ? f[name] ?? '' : '', ...attrs, grow: null }));
  const area = (name, label, rows, required) => h('label', { class: 'grow' }, label,
    h('textarea', { name, rows, cols: 60, required: required || null }, f ? f[name] ?? '' : ''));
  return [
    h('div', { class: 'row' },
      sel('item', t('au_item') + ' *', p.items.map((c) => [c, `${c} ${itemName(byCode[c])}`]), f ? f.item : p.items[0]),
      text('title', t('au_f_title') + ' *', { required: true, maxlength: 200, size: 40, grow: true }),
      text('amount', t('au_amount_yuan'), { inputmode: 'decimal', size: 14, placeholder: '0.00', pattern: '[0-9,]*(\\.[0-9]{1,2})?' }),
      sel('severity', t('severity') + ' *', SEVS.map((s) => [s, t('sev_' + s)]), f ? f.severity : 'medium'),
      sel('rect_class', t('au_rect_class'), RECT_CLASSES.map((c) => [c, t('au_rc_' + c)]), f ? f.rect_class || 'immediate' : 'immediate')),
    h('div', { class: 'row' }, area('description', t('au_f_desc') + ' *', 3, true)),
    h('div', { class: 'row' }, area('basis', t('au_basis'), 2), area('recommendation', t('au_recommendation'), 2)),
    h('div', { class: 'row' }, text('responsible', t('au_responsible'), { maxlength: 100, size: 16 })),
  ];
}

// The body of POST /audits/{id}/findings and PUT /findings/{id} from such a form.
export function findingBody(form) {
  const v = (k) => form.elements.namedItem(k).value.trim();
  const body = { item: v('item'), title: v('title'), description: v('description'), severity: v('severity'), rect_class: v('rect_class') };
  for (const k of ['amount', 'basis', 'recommendation', 'responsible']) if (v(k)) body[k] = v(k);
  return body;
}

// A message line for a form: ok(text) / fail(error) / clear().
export function formMsg(testid) {
  const el = h('p', { role: 'status', 'data-testid': testid });
  el.ok = (s) => { el.textContent = s; el.className = 'ok'; };
  el.fail = (e) => { el.textContent = typeof e === 'string' ? e : e.message; el.className = 'error'; el.setAttribute('role', 'alert'); };
  el.clear = () => { el.textContent = ''; el.className = ''; el.setAttribute('role', 'status'); };
  return el;
}

export default async function audit(ctx, flash) {
  const { main, params, me } = ctx;
  const p = await api('GET', '/audits/' + encodeURIComponent(params.id));
  const [catalog, unit] = await Promise.all([api('GET', '/catalog?version=' + p.catalog_version),
    me.user.role === 'chief_auditor' ? api('GET', '/units/' + encodeURIComponent(p.unit_code)) : null]);
  const r = rights(me, p, unit && unit.parent_code);
  const units = r.staff ? await all('/units') : [];
  const byCode = Object.fromEntries(catalog.items.map((i) => [i.code, i]));
  const en = getLang() === 'en';
  const again = (msg) => audit(ctx, msg);

  const flashEl = flash ? h('p', { class: 'ok', role: 'status', tabindex: -1, 'data-testid': 'flash' }, flash) : null;
  setTitle(`${p.code} ${p.name}`);
  fill(main, ...[
    h('p', {}, h('a', { href: '#/audits' }, '← ' + t('au_list_title'))),
    h('h1', {}, `${p.code} · ${p.name}`),
    flashEl,
    h('div', { class: 'cols' }, header(p, byCode), teamSection(p, r, units, again)),
    tracker(p, r, en, again),
    // Before the field there are no findings yet: the records come first.
    ...(p.stage === 'pre' ? [recordsSection(p, r, again), findingsSection(p, r, catalog, again)]
      : [findingsSection(p, r, catalog, again), recordsSection(p, r, again)])].filter(Boolean));
  if (flashEl) flashEl.focus();
}

function header(p, byCode) {
  return h('section', { class: 'card au', 'aria-label': t('au_project') }, h('dl', { class: 'kv', 'data-testid': 'audit-header' },
    h('dt', {}, t('au_code')), h('dd', { 'data-testid': 'audit-code' }, p.code),
    h('dt', {}, t('au_kind')), h('dd', { 'data-testid': 'audit-kind' }, p.standing ? `${t('au_kind_' + p.kind)} · ${t('wf_standing')}` : t('au_kind_' + p.kind)),
    h('dt', {}, t('au_audited_unit')), h('dd', {}, unitLink(p.unit_code, p.unit_name),
      p.cell_id ? h('span', { class: 'muted' }, ` · ${t('cell')} ${p.cell_id}`) : null),
    h('dt', {}, t('au_period')), h('dd', {}, `${p.period_from} ~ ${p.period_to}`),
    h('dt', {}, t('au_items')), h('dd', { 'data-testid': 'audit-items' },
      p.items.map((c, i) => [i ? sep() : '', h('span', { title: byCode[c] ? byCode[c].basis || null : null }, `${c} ${itemName(byCode[c])}`)]),
      h('span', { class: 'muted' }, ` · ${t('au_catalog_v', p.catalog_version)}`)),
    p.notice_no ? [h('dt', {}, t('au_notice_no')), h('dd', {}, p.notice_no)] : null,
    h('dt', {}, t('au_lead')), h('dd', { 'data-testid': 'audit-lead' }, p.lead || t('none')),
    h('dt', {}, t('au_created')), h('dd', { class: 'muted', 'data-testid': 'audit-created' }, `${actorOf(p, 'created_by')} · ${bjTime(p.created_at)}`)));
}

// 审前 → 审中 → 审后·报告 → 审后·整改 → 已结项, what is missing, and the advance button.
function tracker(p, r, en, again) {
  const cur = STAGES.indexOf(p.stage);
  const next = STAGES[cur + 1];
  const msg = formMsg('advance-msg');
  const advance = async (ev) => {
    msg.clear();
    ev.target.disabled = true;
    try {
      const np = await api('POST', `/audits/${p.id}/advance`);
      await again(t('au_advanced', t('au_stage_' + np.stage)));
    } catch (e) { if (e.status !== 401) { msg.fail(e); ev.target.disabled = false; } }
  };
  const missing = p.missing || [];
  return h('section', { class: 'card au', 'aria-labelledby': 'stg' },
    h('h2', { id: 'stg' }, t('au_stage')),
    h('ol', { class: 'stages', 'data-testid': 'stages', 'data-stage': p.stage },
      STAGES.map((s, i) => h('li', { class: i < cur ? 'done' : i === cur ? 'current' : 'todo', 'data-stage': s,
        'aria-current': i === cur ? 'step' : null },
      h('span', { class: 'dot', 'aria-hidden': 'true' }, i < cur ? '✓' : String(i + 1)), ' ', t('au_stage_' + s),
      i === cur ? h('span', { class: 'visually-hidden' }, t('au_current')) : null))),
    p.stage === 'closed' ? h('p', { class: 'muted' }, t('au_closed_note')) : h('div', { class: 'missing', 'data-testid': 'missing' },
      missing.length
        ? [h('strong', {}, t('au_missing', t('au_stage_' + p.stage))), h('ul', {}, missing.map((m) => h('li', { 'data-code': m.code }, missingText(m, en))))]
        : h('p', { class: 'ok', 'data-testid': 'ready' }, t('au_ready', t('au_stage_' + next)))),
    r.advance ? h('p', {}, h('button', { class: p.may_advance ? 'primary' : 'secondary', type: 'button', 'data-testid': 'advance', onclick: advance },
      t('au_advance_to', t('au_stage_' + next))), ' ',
    p.may_advance ? null : h('span', { class: 'muted' }, t('au_advance_hint'))) : null,
    msg);
}

function teamSection(p, r, units, again) {
  const lead = p.team.find((m) => m.role === 'lead');
  const table = p.team.length ? tableWrap(h('table', { 'data-testid': 'team' },
    h('thead', {}, h('tr', {}, [t('au_team_role'), t('name'), t('au_title'), t('au_from_unit')].map((c) => h('th', { scope: 'col' }, c)))),
    h('tbody', {}, p.team.map((m) => h('tr', { 'data-person': m.person_id, 'data-role': m.role },
      h('td', {}, m.role === 'lead' ? h('strong', {}, t('au_role_lead')) : t('au_role_member')),
      h('td', {}, m.name), h('td', {}, m.title || ''),
      h('td', {}, m.from_unit ? unitLink(m.from_unit, m.from_unit_name) : t('none')))))))
    : h('p', { class: 'muted' }, t('au_no_team'));
  let form = null;
  if (r.staff) {
    // In a cross audit nobody may come from the audited unit, so it is not offered.
    const choices = units.filter((u) => !(p.kind === 'cross' && u.code === p.unit_code));
    const msg = formMsg('team-msg');
    const personSel = h('select', { name: 'person_id', required: true, disabled: true }, h('option', { value: '' }, t('au_pick_unit_first')));
    const unitSel = h('select', { name: 'team_unit', required: true },
      h('option', { value: '' }, t('au_pick')), choices.map((u) => h('option', { value: u.code }, `${u.cell_id || ''} ${u.name}`.trim())));
    unitSel.addEventListener('change', async () => {
      personSel.disabled = true;
      personSel.replaceChildren(h('option', { value: '' }, unitSel.value ? t('loading') : t('au_pick_unit_first')));
      if (!unitSel.value) return;
      try {
        const people = await all(`/units/${encodeURIComponent(unitSel.value)}/persons`);
        const taken = new Set(p.team.map((m) => m.person_id));
        personSel.replaceChildren(h('option', { value: '' }, t('au_pick')), ...people.filter((x) => !taken.has(x.id)).map((x) =>
          h('option', { value: x.id }, `${x.name}${x.title ? '（' + x.title + '）' : ''}${(x.roles || []).length ? ' · ' + x.roles.map((k) => t('au_subject_' + k)).join(sep()) : ''}`)));
        personSel.disabled = false;
      } catch (e) { if (e.status !== 401) msg.fail(e); }
    });
    form = h('form', { class: 'stack', 'data-testid': 'team-form', 'aria-label': t('au_add_member') },
      h('div', { class: 'row' },
        h('label', {}, t('au_from_unit'), unitSel),
        h('label', {}, t('au_person'), personSel),
        sel('role', t('au_team_role'), (lead ? ['member'] : ['lead', 'member']).map((x) => [x, t('au_role_' + x)]), lead ? 'member' : 'lead'),
        h('button', { class: 'primary', type: 'submit' }, t('au_add'))),
      p.kind === 'cross' ? h('p', { class: 'muted' }, t('au_cross_note')) : null,
      msg);
    form.addEventListener('submit', async (ev) => {
      ev.preventDefault();
      msg.clear();
      if (!personSel.value) { msg.fail(t('au_pick_person')); personSel.focus(); return; }
      try {
        await api('POST', `/audits/${p.id}/team`, { person_id: Number(personSel.value), role: form.elements.namedItem('role').value });
        await again(t('au_member_added', personSel.selectedOptions[0].textContent));
      } catch (e) { if (e.status !== 401) msg.fail(e); }
    });
  }
  // The form is open until the team has its lead (the first thing the project needs).
  return h('section', { class: 'card au', 'aria-labelledby': 'team-h' }, h('h2', { id: 'team-h' }, t('au_team')), table,
    form ? h('details', { class: 'team-add', open: !lead, 'data-testid': 'team-add' }, h('summary', {}, t('au_add_member')), form) : null);
}

function recordsSection(p, r, again) {
  const byStage = (s) => p.records.filter((x) => x.stage === s);
  const cur = STAGES.indexOf(p.stage);
  const list = STAGES.slice(0, 4).map((s, i) => {
    const recs = byStage(s);
    if (!recs.length && i > cur) return null;
    return h('div', { class: 'stage-records', 'data-stage': s },
      h('h3', {}, t('au_stage_' + s)),
      recs.length ? tableWrap(h('table', { class: 'records', 'data-testid': 'records-' + s },
        h('thead', {}, h('tr', {}, [t('au_record_kind'), t('au_r_title'), t('au_doc_no'), t('au_r_body'), t('au_attachments'), t('au_filed_by')].map((c) => h('th', { scope: 'col' }, c)))),
        h('tbody', {}, recs.map((x) => h('tr', { 'data-record': x.id, 'data-kind': x.kind },
          h('td', { class: 'nowrap' }, t('au_rk_' + x.kind)), h('td', {}, x.title), h('td', {}, x.doc_no || ''),
          h('td', { class: 'body' }, x.body || ''),
          h('td', {}, (x.attachments || []).map((a) => h('div', {}, attachLink(a)))),
          h('td', { class: 'muted nowrap' }, actorOf(x, 'created_by'), h('br'), bjTime(x.created_at)))))))
        : h('p', { class: 'muted' }, t('au_no_records')));
  });
  let form = null;
  if (r.kinds.length) {
    const msg = formMsg('record-msg');
    const kindSel = sel('kind', t('au_record_kind'), r.kinds.map((k) => [k, t('au_rk_' + k)]), r.kinds[0]);
    const title = h('input', { name: 'title', required: true, maxlength: 400, size: 36, value: t('au_rk_' + r.kinds[0]) });
    let auto = title.value; // the title follows the kind until the user writes one
    kindSel.querySelector('select').addEventListener('change', (ev) => {
      if (title.value === auto) title.value = auto = t('au_rk_' + ev.target.value);
    });
    const files = h('input', { type: 'file', name: 'files', multiple: true, accept: ATTACH_TYPES });
    const button = h('button', { class: 'primary', type: 'submit' }, t('au_file_record'));
    form = h('form', { class: 'stack', 'data-testid': 'record-form', 'aria-labelledby': 'rec-add' },
      h('h3', { id: 'rec-add' }, t('au_file_in', t('au_stage_' + p.stage))),
      h('div', { class: 'row' }, kindSel,
        h('label', { class: 'grow' }, t('au_r_title') + ' *', title),
        h('label', {}, t('au_doc_no'), h('input', { name: 'doc_no', maxlength: 100, size: 20, placeholder: '南审通〔2026〕1号' }))),
      h('div', { class: 'row' }, h('label', { class: 'grow' }, t('au_r_body'), h('textarea', { name: 'body', rows: 3, cols: 60 }))),
      h('div', { class: 'row' }, h('label', {}, t('au_attach_files'), files), button),
      msg);
    form.addEventListener('submit', async (ev) => {
      ev.preventDefault();
      msg.clear();
      button.disabled = true;
      const v = (k) => form.elements.namedItem(k).value.trim();
      try {
        const body = { kind: v('kind'), title: v('title') };
        if (v('doc_no')) body.doc_no = v('doc_no');
        if (v('body')) body.body = v('body');
        if (files.files.length) body.attachment_ids = await uploadAll(p.unit_code, [...files.files], msg);
        await api('POST', `/audits/${p.id}/records`, body);
        await again(t('au_record_filed', t('au_rk_' + body.kind)));
      } catch (e) { if (e.status !== 401) msg.fail(e.status ? e : t('error')); button.disabled = false; }
    });
  }
  return h('section', { class: 'card au', 'aria-labelledby': 'rec-h', 'data-testid': 'records' }, h('h2', { id: 'rec-h' }, t('au_records')), list, form);
}

export function findingRows(findings, byCode) {
  return tableWrap(h('table', { 'data-testid': 'findings' },
    h('thead', {}, h('tr', {}, [t('au_seq'), t('au_item'), t('au_f_title'), t('au_amount_yuan'), t('severity'), t('au_evidence'), t('au_rectification')]
      .map((c) => h('th', { scope: 'col' }, c)))),
    h('tbody', {}, findings.map((f) => h('tr', { 'data-finding': f.id, 'data-seq': f.seq },
      h('td', { class: 'num' }, f.seq),
      h('td', { class: 'nowrap', title: itemName(byCode[f.item]) || f.item_name || null }, `${f.item} ${itemName(byCode[f.item]) || f.item_name || ''}`),
      h('td', {}, h('a', { href: '#/findings/' + f.id }, f.title),
        f.repeat ? [' ', h('span', { class: 'badge repeat', 'data-testid': 'repeat', title: t('au_repeat_of', f.repeat_project_code || '') }, t('au_repeat'))] : null,
        f.basis ? null : [' ', h('span', { class: 'badge warn', 'data-testid': 'no-basis' }, t('au_no_basis'))]),
      h('td', { class: 'num' }, yuan(f.amount)),
      h('td', {}, sevBadge(f.severity)),
      h('td', { class: 'num' }, f.evidence_count ?? ''),
      h('td', { 'data-col': 'rect' }, f.rectification_id
        ? h('a', { href: '#/rectifications/' + f.rectification_id, 'data-rect': f.rectification_id }, `#${f.rectification_id} ${t('au_rs_' + f.rectification_state)}`)
        : h('span', { class: 'muted' }, t('au_rect_later'))))))));
}

function findingsSection(p, r, catalog, again) {
  const byCode = Object.fromEntries(catalog.items.map((i) => [i.code, i]));
  let form = null;
  if (r.findings) {
    const msg = formMsg('finding-msg');
    form = h('form', { class: 'stack', 'data-testid': 'finding-form', 'aria-labelledby': 'fnd-add' },
      h('h3', { id: 'fnd-add' }, t('au_add_finding')),
      findingFields(catalog, p, null),
      h('p', {}, h('button', { class: 'primary', type: 'submit' }, t('au_add_finding'))),
      msg);
    form.addEventListener('submit', async (ev) => {
      ev.preventDefault();
      msg.clear();
      try {
        const f = await api('POST', `/audits/${p.id}/findings`, findingBody(form));
        await again(t('au_finding_added', f.seq, f.title));
      } catch (e) { if (e.status !== 401) msg.fail(e); }
    });
  }
  return h('section', { class: 'card au', 'aria-labelledby': 'fnd-h' },
    h('h2', { id: 'fnd-h' }, counted(t('au_findings'), p.findings.length)),
    p.findings.length ? findingRows(p.findings, byCode) : h('p', { class: 'muted' }, t('au_no_findings')),
    form);
}
