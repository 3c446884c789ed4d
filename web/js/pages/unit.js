// pages/unit.js - one unit (#/units/{code}): profile, the two responsible subjects, the books
// imported with their import sources, the unit's warnings, and its audits with the rectification
// items not yet closed (审计与整改).
import { api, all } from '../api.js';
import { h, t, person, warningTable, yuan } from '../ui.js';
import { rectTable } from './rectifications.js';

export default async function unit({ main, params }) {
  const code = params.code;
  const enc = encodeURIComponent(code);
  const here = location.hash;
  const [u, ledger, ws, audits, rects] = await Promise.all([api('GET', '/units/' + enc), api('GET', `/units/${enc}/ledger`),
    api('GET', `/warnings?unit=${enc}&per_page=100`), all(`/audits?unit=${enc}`), all(`/rectifications?unit=${enc}`)]);
  if (location.hash !== here) return; // the user has moved on: do not draw over the next page
  const open = rects.filter((r) => r.state !== 'closed');
  const late = open.filter((r) => r.overdue).length;
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
          h('td', { class: 'num' }, yuan(b.debit_total)), h('td', { class: 'num' }, yuan(b.credit_total)), h('td', { class: 'num' }, b.accounts),
          h('td', { class: 'num' }, b.findings), h('td', {}, (b.sources || []).map(source))))))
        : h('p', { class: 'muted' }, t('no_books'))),
    h('section', { class: 'card', 'aria-labelledby': 'aud', 'data-testid': 'unit-audits' }, h('h2', { id: 'aud' }, t('un_audits')),
      h('h3', {}, t('un_projects')),
      audits.length ? h('table', { 'data-testid': 'unit-projects' },
        h('thead', {}, h('tr', {}, [t('rc_code'), t('name'), t('rc_kind'), t('rc_stage'), t('rc_findings_n'), t('rc_open_n'), t('rc_overdue_n')]
          .map((x) => h('th', { scope: 'col' }, x)))),
        h('tbody', {}, audits.map((p) => h('tr', { 'data-project': p.id },
          h('td', {}, h('a', { href: '#/audits/' + p.id }, p.code)), h('td', {}, p.name), h('td', {}, t('rck_' + p.kind)),
          h('td', {}, t('rcg_' + p.stage)), h('td', { class: 'num' }, p.findings), h('td', { class: 'num' }, p.open_rectifications),
          h('td', { class: 'num' }, p.overdue_rectifications ? h('span', { class: 'badge overdue' }, p.overdue_rectifications) : 0)))))
        : h('p', { class: 'muted' }, t('un_no_audits')),
      h('h3', {}, `${t('un_open_items')}（${open.length}${late ? ' · ' + t('rc_overdue_n') + ' ' + late : ''}）`, ' ',
        h('a', { href: '#/rectifications?unit=' + enc }, t('rc_all_of_unit'))),
      open.length ? rectTable(open, { showUnit: false }) : h('p', { class: 'muted', 'data-testid': 'no-open-rects' }, t('un_no_open'))),
    h('section', { class: 'card' }, h('h2', {}, `${t('unit_warnings')}（${ws.total}）`, ' ',
      h('a', { href: '#/warnings?unit=' + enc }, t('all_warnings'))), warningTable(ws.items, { showUnit: false })));
}
