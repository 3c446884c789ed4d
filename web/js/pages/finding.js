// pages/finding.js - one finding (#/findings/{id}): what was found, its basis and amount, its
// evidence (ledger lines, warnings pulled in from the engine, files) and, while the project is in
// the field and the user is on its team (or admin), the forms to add evidence - a warning of the
// audited unit, a ledger line found by a search of the unit's books (or typed by its id), or an
// uploaded file - and to correct the finding (PUT).
import { api, all } from '../api.js';
import { h, t, fill, sevBadge, yuan, bjTime, actorOf, unitLink, setTitle, tableWrap, itemLabel, ruleName } from '../ui.js';
import { itemName, counted } from './audits.js';
import { rights, findingFields, findingBody, formMsg, uploadAll } from './audit.js';

const ATTACH_TYPES = '.pdf,.ofd,.doc,.docx,.xls,.xlsx,.png,.jpg,.jpeg,.txt';

export default async function finding(ctx, flash) {
  const { main, params, me } = ctx;
  const f = await api('GET', '/findings/' + encodeURIComponent(params.id));
  const [p, unit] = await Promise.all([api('GET', '/audits/' + f.project_id),
    me.user.role === 'chief_auditor' ? api('GET', '/units/' + encodeURIComponent(f.unit_code)) : null]);
  const catalog = await api('GET', '/catalog?version=' + p.catalog_version);
  const byCode = Object.fromEntries(catalog.items.map((i) => [i.code, i]));
  const r = rights(me, p, unit && unit.parent_code);
  const again = (msg) => finding(ctx, msg);
  // The open warnings of the audited unit to pick from (any status can be evidence).
  const warnings = r.findings ? await all('/warnings?unit=' + encodeURIComponent(f.unit_code) + '&sort=-amount') : [];

  const flashEl = flash ? h('p', { class: 'ok', role: 'status', tabindex: -1, 'data-testid': 'flash' }, flash) : null;
  setTitle(`${f.project_code}-${f.seq} ${f.title}`);
  fill(main, ...[
    h('p', {}, h('a', { href: '#/audits/' + f.project_id }, `← ${f.project_code} ${f.project_name}`)),
    h('h1', {}, `${t('au_finding')} ${f.project_code}-${f.seq} · ${f.title}`, ' ',
      f.repeat ? h('span', { class: 'badge repeat', 'data-testid': 'repeat', title: t('au_repeat_of', f.repeat_project_code || '') }, t('au_repeat')) : null),
    flashEl,
    h('section', { class: 'card au', 'aria-label': t('au_finding') }, h('dl', { class: 'kv', 'data-testid': 'finding' },
      h('dt', {}, t('au_audited_unit')), h('dd', {}, unitLink(f.unit_code, f.unit_name)),
      h('dt', {}, t('au_item')), h('dd', {}, `${f.item} ${itemName(byCode[f.item]) || f.item_name || ''}`),
      h('dt', {}, t('au_f_desc')), h('dd', { class: 'body' }, f.description),
      h('dt', {}, t('au_amount_yuan')), h('dd', { 'data-testid': 'amount' }, yuan(f.amount)),
      h('dt', {}, t('au_basis')), h('dd', { 'data-testid': 'basis' }, f.basis || h('span', { class: 'badge warn' }, t('au_no_basis'))),
      h('dt', {}, t('severity')), h('dd', {}, sevBadge(f.severity)),
      h('dt', {}, t('au_recommendation')), h('dd', { class: 'body' }, f.recommendation || t('none')),
      h('dt', {}, t('au_responsible')), h('dd', {}, f.responsible || t('none')),
      h('dt', {}, t('au_rect_class')), h('dd', {}, t('au_rc_' + (f.rect_class || 'immediate'))),
      f.repeat ? [h('dt', {}, t('au_repeat')), h('dd', {}, f.repeat_of ? h('a', { href: '#/findings/' + f.repeat_of }, t('au_repeat_of', f.repeat_project_code || '')) : t('au_repeat_of', f.repeat_project_code || ''))] : null,
      h('dt', {}, t('au_rectification')), h('dd', {}, f.rectification_id
        ? h('a', { href: '#/rectifications/' + f.rectification_id, 'data-rect': f.rectification_id }, `#${f.rectification_id} ${t('au_rs_' + f.rectification_state)}`)
        : h('span', { class: 'muted' }, t('au_rect_later'))),
      h('dt', {}, t('au_created')), h('dd', { class: 'muted', 'data-testid': 'finding-created' }, `${actorOf(f, 'created_by')} · ${bjTime(f.created_at)}`))),
    evidenceSection(f, p, r, warnings, again),
    r.findings ? editSection(f, p, catalog, again) : null].filter(Boolean));
  if (flashEl) flashEl.focus();
}

const LINES_PER_PAGE = 20;

// The search of the audited unit's voucher lines (GET /units/{code}/ledger/lines): a few labelled
// filters, a page of results with one radio button per line (arrow keys move between them), and
// picking a line puts its id into `idInput`, which stays the fallback for a known id.
function lineSearch(f, p, idInput) {
  const msg = formMsg('line-search-msg');
  const input = (name, label, attrs = {}) => {
    const el = h('input', { name, ...attrs });
    // Enter searches instead of submitting the evidence form.
    el.addEventListener('keydown', (e) => { if (e.key === 'Enter') { e.preventDefault(); run(1); } });
    return [el, h('label', {}, label, el)];
  };
  const year0 = /^\d{4}/.exec(p.period_from || '');
  const [year, yearL] = input('ls_year', t('au_ls_year'), { type: 'number', min: 1900, max: 2100, step: 1, size: 6, value: year0 ? year0[0] : null });
  const [voucher, voucherL] = input('ls_voucher', t('au_ls_voucher'), { size: 10, maxlength: 64, placeholder: t('au_ls_voucher_ph') });
  const [account, accountL] = input('ls_account', t('au_ls_account'), { size: 10, maxlength: 64, inputmode: 'numeric' });
  const [amount, amountL] = input('ls_amount', t('au_ls_amount'), { size: 12, maxlength: 24, inputmode: 'decimal', placeholder: '1280.00' });
  const [cp, cpL] = input('ls_counterparty', t('au_ls_counterparty'), { size: 16, maxlength: 200 });
  const results = h('div', { 'data-testid': 'line-results' });
  const button = h('button', { type: 'button', 'data-testid': 'line-search-go' }, t('au_ls_search'));
  const pick = (l) => {
    idInput.value = String(l.id);
    msg.ok(t('au_ls_picked', l.id, `${l.voucher_date} ${l.voucher} ${l.line_no}`));
  };
  const table = (j, page) => {
    if (!j.items.length) return h('p', { class: 'muted', 'data-testid': 'no-lines' }, t('au_ls_none'));
    const first = (page - 1) * LINES_PER_PAGE + 1;
    const cols = [t('au_ls_pick'), 'ID', t('au_ls_date'), t('au_ls_voucher'), t('au_ls_line'), t('au_ls_account'),
      t('au_ls_debit'), t('au_ls_credit'), t('au_ls_counterparty'), t('au_ls_summary')];
    const nav = [];
    if (page > 1) nav.push(h('button', { type: 'button', 'data-testid': 'lines-prev', onclick: () => run(page - 1) }, t('au_ls_prev')));
    if (first + j.items.length - 1 < j.total) nav.push(h('button', { type: 'button', 'data-testid': 'lines-next', onclick: () => run(page + 1) }, t('au_ls_next')));
    return [
      h('p', { class: 'muted', 'data-testid': 'lines-count' }, t('au_ls_found', j.total, first, first + j.items.length - 1)),
      tableWrap(h('table', { 'data-testid': 'lines' },
        h('caption', { class: 'muted' }, t('au_ls_caption')),
        h('thead', {}, h('tr', {}, cols.map((c) => h('th', { scope: 'col' }, c)))),
        h('tbody', {}, j.items.map((l) => {
          const what = `${l.voucher_date} ${l.voucher} ${t('au_ls_line')} ${l.line_no} ${l.account_code} ${l.account_name || ''}`;
          const radio = h('input', { type: 'radio', name: 'ls_pick', value: l.id, 'aria-label': `#${l.id} ${what}`,
            checked: String(l.id) === idInput.value ? true : null });
          radio.addEventListener('change', () => { if (radio.checked) pick(l); });
          return h('tr', { 'data-line': l.id },
            h('td', {}, radio), h('td', { class: 'nowrap' }, l.id), h('td', { class: 'nowrap' }, l.voucher_date),
            h('td', { class: 'nowrap' }, l.voucher), h('td', { class: 'num' }, l.line_no),
            h('td', {}, `${l.account_code} ${l.account_name || ''}`),
            h('td', { class: 'num' }, yuan(l.debit)), h('td', { class: 'num' }, yuan(l.credit)),
            h('td', {}, l.counterparty || ''), h('td', {}, l.summary || ''));
        })))),
      nav.length ? h('p', { class: 'row' }, nav) : null];
  };
  async function run(page) {
    msg.clear();
    const q = new URLSearchParams({ per_page: LINES_PER_PAGE, page });
    for (const [k, el] of [['year', year], ['voucher', voucher], ['account', account], ['amount', amount], ['counterparty', cp]]) {
      const v = el.value.trim();
      if (v) q.set(k, v);
    }
    button.disabled = true;
    try {
      const j = await api('GET', `/units/${encodeURIComponent(f.unit_code)}/ledger/lines?${q}`);
      results.replaceChildren(...[table(j, page)].flat().filter(Boolean));
      const first = results.querySelector('input[type="radio"]');
      if (first && page > 1) first.focus();
    } catch (e) {
      results.replaceChildren();
      if (e.status !== 401) msg.fail(e.status ? e : t('error'));
    } finally { button.disabled = false; }
  }
  button.addEventListener('click', () => run(1));
  return h('fieldset', { class: 'stack', 'data-testid': 'line-search' },
    h('legend', {}, t('au_ls_title')),
    h('p', { class: 'muted' }, t('au_ls_hint')),
    h('div', { class: 'row' }, yearL, voucherL, accountL, amountL, cpL, button),
    msg, results);
}

function evidenceSection(f, p, r, warnings, again) {
  const ev = f.evidence || [];
  const ref = (e) => e.kind === 'warning' ? h('a', { href: '#/warnings/' + e.ref_id }, `${t('warning')} #${e.ref_id}`)
    : e.kind === 'attachment' ? h('a', { href: `/api/v1/attachments/${e.ref_id}/content`, download: '', 'data-attachment': e.ref_id }, `${t('au_file')} #${e.ref_id}`)
      : `${t('au_ledger_line')} #${e.ref_id}`;
  const table = ev.length ? tableWrap(h('table', { 'data-testid': 'evidence' },
    h('thead', {}, h('tr', {}, [t('au_ev_kind'), t('au_ev_ref'), t('au_ev_summary'), t('au_ev_note'), t('au_filed_by')].map((c) => h('th', { scope: 'col' }, c)))),
    h('tbody', {}, ev.map((e) => h('tr', { 'data-evidence': e.id, 'data-kind': e.kind, 'data-ref': e.ref_id },
      h('td', { class: 'nowrap' }, t('au_ek_' + e.kind)), h('td', { class: 'nowrap' }, ref(e)), h('td', {}, e.summary || ''),
      h('td', {}, e.note || ''), h('td', { class: 'muted' }, actorOf(e, 'created_by'), h('br'), bjTime(e.created_at)))))))
    : h('p', { class: 'muted', 'data-testid': 'no-evidence' }, t('au_no_evidence'));
  let form = null;
  if (r.findings) {
    const msg = formMsg('evidence-msg');
    const kind = h('select', { name: 'ev_kind' }, ['warning', 'ledger_line', 'attachment'].map((k) => h('option', { value: k }, t('au_ek_' + k))));
    const have = new Set(ev.filter((e) => e.kind === 'warning').map((e) => e.ref_id));
    const wSel = h('select', { name: 'warning_id' }, h('option', { value: '' }, warnings.length ? t('au_pick') : t('no_warnings')),
      warnings.filter((w) => !have.has(w.id)).map((w) => h('option', { value: w.id },
        `#${w.id} ${w.date || ''} ${itemLabel(w.item, w.item_name)} ${ruleName(w.rule, w.rule_name)} ${t('sev_' + w.severity)} ${yuan(w.amount)} · ${w.message}`.slice(0, 160))));
    const line = h('input', { name: 'ledger_line_id', type: 'number', min: 1, step: 1, size: 10 });
    const file = h('input', { name: 'evidence_file', type: 'file', accept: ATTACH_TYPES });
    const parts = {
      warning: h('label', { class: 'grow' }, t('au_ev_warning'), wSel),
      ledger_line: h('label', {}, t('au_ev_line_id'), line),
      attachment: h('label', {}, t('au_ev_file'), file),
    };
    const search = lineSearch(f, p, line);
    const show = () => {
      for (const [k, el] of Object.entries(parts)) el.hidden = k !== kind.value;
      search.hidden = kind.value !== 'ledger_line';
    };
    kind.addEventListener('change', show);
    show();
    const button = h('button', { class: 'primary', type: 'submit' }, t('au_add_evidence'));
    form = h('form', { class: 'stack', 'data-testid': 'evidence-form', 'aria-labelledby': 'ev-add' },
      h('h3', { id: 'ev-add' }, t('au_add_evidence')),
      h('div', { class: 'row' }, h('label', {}, t('au_ev_kind'), kind), parts.warning, parts.attachment),
      search,
      h('div', { class: 'row' }, parts.ledger_line),
      h('div', { class: 'row' }, h('label', { class: 'grow' }, t('au_ev_note'), h('input', { name: 'note', maxlength: 400, size: 40 })), button),
      h('p', { class: 'muted' }, t('au_ev_hint')),
      msg);
    form.addEventListener('submit', async (ev2) => {
      ev2.preventDefault();
      msg.clear();
      const body = { kind: kind.value };
      const note = form.elements.namedItem('note').value.trim();
      if (note) body.note = note;
      button.disabled = true;
      try {
        if (kind.value === 'warning') {
          if (!wSel.value) { msg.fail(t('au_pick_warning')); wSel.focus(); return; }
          body.ref_id = Number(wSel.value);
        } else if (kind.value === 'ledger_line') {
          if (!(Number(line.value) > 0)) { msg.fail(t('au_pick_line')); line.focus(); return; }
          body.ref_id = Number(line.value);
        } else {
          if (!file.files.length) { msg.fail(t('au_pick_file')); file.focus(); return; }
          [body.ref_id] = await uploadAll(f.unit_code, [file.files[0]], msg);
        }
        await api('POST', `/findings/${f.id}/evidence`, body);
        await again(t('au_evidence_added', t('au_ek_' + body.kind)));
      } catch (e) { if (e.status !== 401) msg.fail(e.status ? e : t('error')); } finally { button.disabled = false; }
    });
  }
  return h('section', { class: 'card au', 'aria-labelledby': 'ev-h' }, h('h2', { id: 'ev-h' }, counted(t('au_evidence'), ev.length)), table, form);
}

function editSection(f, p, catalog, again) {
  const msg = formMsg('edit-msg');
  const form = h('form', { class: 'stack', 'data-testid': 'finding-edit' },
    findingFields(catalog, p, f),
    h('p', {}, h('button', { class: 'primary', type: 'submit' }, t('au_save'))),
    msg);
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    msg.clear();
    try {
      await api('PUT', `/findings/${f.id}`, findingBody(form));
      await again(t('au_finding_saved'));
    } catch (e) { if (e.status !== 401) msg.fail(e); }
  });
  return h('details', { class: 'card', 'data-testid': 'edit' }, h('summary', {}, t('au_edit_finding')), form);
}
