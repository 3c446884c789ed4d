// pages/unit.js - one unit (#/units/{code}): profile, the two responsible subjects, the books
// imported with their import sources, and the unit's warnings.
import { api } from '../api.js';
import { h, t, person, warningTable } from '../ui.js';

export default async function unit({ main, params }) {
  const code = params.code;
  const enc = encodeURIComponent(code);
  const [u, ledger, ws] = await Promise.all([api('GET', '/units/' + enc), api('GET', `/units/${enc}/ledger`),
    api('GET', `/warnings?unit=${enc}&per_page=100`)]);
  const books = ledger.books || [];
  const source = (s) => h('div', {}, `${s.path} · ${s.format}/${s.encoding} · ${s.lines} ${t('lines')} · ${s.findings} ${t('findings')} · ${s.imported_at} · ${s.imported_by}`);
  main.replaceChildren(
    h('h1', {}, u.name, ' ', u.pilot ? h('span', { class: 'badge pilot' }, t('pilot')) : null),
    h('div', { class: 'cols' },
      h('section', { class: 'card', 'aria-labelledby': 'prof' }, h('h2', { id: 'prof' }, t('unit_profile')),
        h('dl', { class: 'kv' }, h('dt', {}, t('code')), h('dd', {}, u.code), h('dt', {}, t('type')), h('dd', {}, u.type),
          h('dt', {}, t('cell')), h('dd', {}, u.cell_name ? `${u.cell_id} ${u.cell_name}` : t('none')),
          h('dt', {}, t('parent')), h('dd', {}, u.parent_code ? h('a', { href: '#/units/' + encodeURIComponent(u.parent_code) }, u.parent_code) : t('none')),
          h('dt', {}, t('address')), h('dd', {}, u.address || t('none')))),
      h('section', { class: 'card', 'aria-labelledby': 'subj', 'data-testid': 'subjects' }, h('h2', { id: 'subj' }, t('subjects')),
        h('dl', { class: 'kv' }, h('dt', {}, t('principal')), h('dd', {}, person(u.principal)),
          h('dt', {}, t('auditors')), h('dd', {}, u.auditors.length ? u.auditors.map(person).join('、') : t('none')),
          u.chief_auditor ? [h('dt', {}, t('chief_auditor')), h('dd', {}, person(u.chief_auditor))] : null))),
    h('section', { class: 'card', 'data-testid': 'ledgers' }, h('h2', {}, t('ledgers')),
      books.length ? h('table', {},
        h('thead', {}, h('tr', {}, [t('year'), t('lines'), t('vouchers'), t('debit'), t('credit'), t('accounts'), t('findings'), t('sources')].map((x) => h('th', { scope: 'col' }, x)))),
        h('tbody', {}, books.map((b) => h('tr', { 'data-year': b.year }, h('td', {}, b.year), h('td', { class: 'num' }, b.lines), h('td', { class: 'num' }, b.vouchers),
          h('td', { class: 'num' }, b.debit_total), h('td', { class: 'num' }, b.credit_total), h('td', { class: 'num' }, b.accounts),
          h('td', { class: 'num' }, b.findings), h('td', {}, (b.sources || []).map(source))))))
        : h('p', { class: 'muted' }, t('no_books'))),
    h('section', { class: 'card' }, h('h2', {}, `${t('unit_warnings')}（${ws.total}）`, ' ',
      h('a', { href: '#/warnings?unit=' + enc }, t('all_warnings'))), warningTable(ws.items, { showUnit: false })));
}
