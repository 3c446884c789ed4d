// pages/imports.js - import a ledger (#/imports; internal auditors and chief auditors): a unit and a
// CSV, XLSX or GB/T 19581 zip, uploaded with progress, then the import report or, for a refused
// file, where it is wrong (file:line:field).
import { all, upload } from '../api.js';
import { h, t, fill, getLang, sel, yuan, unitLink, IMPORTERS } from '../ui.js';

export default async function imports({ main, me }) {
  if (!IMPORTERS.includes(me.user.role)) { fill(main, h('h1', {}, t('imports_title')), h('p', {}, t('no_import_role'))); return; }
  const units = await all('/units');
  const out = h('div', { 'aria-live': 'polite' });
  const prog = h('progress', { max: 100, value: 0, hidden: true });
  const button = h('button', { class: 'primary', type: 'submit' }, t('upload'));
  const form = h('form', { class: 'card filters' },
    sel('unit', t('unit'), units.map((u) => [u.code, u.name]), units[0] && units[0].code),
    h('label', {}, t('choose_file'), h('input', { type: 'file', name: 'file', accept: '.csv,.xlsx,.zip', required: true })),
    h('label', {}, t('year'), h('input', { name: 'year', type: 'number', min: 1990, max: 2100, size: 6 })),
    // What to do when the year already has books: refuse (the default), replace them, or add to them.
    h('fieldset', { class: 'existing', 'data-testid': 'existing' }, h('legend', {}, t('imp_existing')),
      ['keep', 'replace', 'append'].map((v) => h('label', { class: 'check' },
        h('input', { type: 'radio', name: 'existing', value: v, checked: v === 'keep' ? true : null }), t('imp_existing_' + v)))),
    button, prog);
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const file = form.file.files[0];
    if (!file) return;
    const q = new URLSearchParams({ filename: file.name });
    if (form.year.value) q.set('year', form.year.value);
    const existing = form.querySelector('input[name="existing"]:checked').value;
    if (existing === 'replace') q.set('replace', 'true');
    if (existing === 'append') q.set('append', 'true');
    prog.hidden = false; prog.value = 0; button.disabled = true;
    out.replaceChildren(h('p', {}, t('uploading')));
    try {
      const r = await upload(`/units/${encodeURIComponent(form.unit.value)}/imports?${q}`, file, (p) => {
        if (p === null) { prog.value = 100; out.replaceChildren(h('p', {}, t('importing'))); } else { prog.value = p; out.replaceChildren(h('p', {}, `${t('uploading')} ${p}%`)); }
      });
      out.replaceChildren(report(r, units));
    } catch (e) {
      if (e.status === 401) return;
      out.replaceChildren(e.status ? refused(e) : h('p', { class: 'error', role: 'alert' }, t('error')));
    } finally { button.disabled = false; }
  });
  fill(main, h('h1', {}, t('imports_title')), form, out);
}

function refused(e) {
  return h('section', { class: 'card', 'data-testid': 'import-error' }, h('h2', { class: 'error' }, t('structural_error')),
    h('p', {}, e.message), e.where ? h('p', {}, `${t('where')}: `, h('code', { 'data-testid': 'import-where' }, e.where)) : null);
}

// The import report: what was read, the totals, and the data-quality findings (kept, never a
// reason to refuse the file).
function report(r, units) {
  const unitName = (units.find((u) => u.code === r.unit) || {}).name;
  const en = getLang() === 'en';
  const kinds = Object.entries(r.findings_by_kind || {});
  const msg = (x) => (typeof x === 'string' ? x : `${x.location || ''} ${x.voucher ? '(' + x.voucher + ') ' : ''}${(en ? x.message_en : x.message_zh) || kindName(x.kind)}`);
  return h('section', { class: 'card', 'data-testid': 'import-report' }, h('h2', {}, t('import_report')),
    h('dl', { class: 'kv' },
      h('dt', {}, t('status')), h('dd', { 'data-testid': 'import-status' }, t('status_' + r.status)),
      h('dt', {}, t('unit')), h('dd', { 'data-testid': 'import-unit' }, unitLink(r.unit, unitName)),
      h('dt', {}, t('file')), h('dd', { 'data-testid': 'import-file' }, `${r.path} · ${r.format}/${r.encoding || ''} · ${r.bytes} ${t('bytes')}`),
      h('dt', {}, t('years')), h('dd', { 'data-testid': 'import-years' }, (r.years || []).join('、')),
      h('dt', {}, t('vouchers')), h('dd', { 'data-testid': 'import-vouchers' }, r.vouchers ?? ''),
      h('dt', {}, t('lines')), h('dd', { 'data-testid': 'import-lines' }, r.lines ?? ''),
      h('dt', {}, t('debit')), h('dd', { 'data-testid': 'import-debit' }, yuan(r.debit_total)),
      h('dt', {}, t('credit')), h('dd', { 'data-testid': 'import-credit' }, yuan(r.credit_total)),
      h('dt', {}, t('findings')), h('dd', { 'data-testid': 'import-findings' }, r.findings_total ?? 0),
      kinds.length ? [h('dt', {}, t('findings_by_kind')), h('dd', { 'data-testid': 'import-kinds' }, kinds.map(([k, n]) => h('span', { 'data-kind': k }, `${kindName(k)}: ${n}`)).map((x, i) => (i ? ['；', x] : x)))] : null),
    (r.findings || []).length ? h('ul', { 'data-testid': 'import-finding-list' }, r.findings.slice(0, 200).map((x) => h('li', {}, msg(x)))) : null,
    (r.notes || []).length ? h('ul', { class: 'muted' }, r.notes.slice(0, 50).map((x) => h('li', {}, msg(x)))) : null);
}

// A data-quality finding's kind in words ("余额表与凭证不一致"), never its id.
function kindName(k) {
  const v = t('imk_' + k);
  return v === 'imk_' + k ? t('imk_other') : v;
}
