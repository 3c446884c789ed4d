// pages/unit.js - one unit (#/units/{code}): profile, the two responsible subjects, the books
// imported with their import sources, the unit's warnings, and its audits with the rectification
// items not yet closed (审计与整改).
import { api, all, session } from '../api.js';
import { h, t, fill, person, warningTable, yuan, bjTime, actorOf, unitLink, setTitle, tableWrap } from '../ui.js';
import { rectTable } from './rectifications.js';
import { gradeBadge, score2 } from './rating.js'; // issue 15 §1 (rating)

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
  // One import source: the file, what it held, when (Beijing time) and how and by whom it came in.
  const source = (s) => h('div', { 'data-source': s.id }, `${s.path} · ${s.format}/${s.encoding} · ${s.lines} ${t('lines')} · ${s.findings} ${t('findings')} · ${bjTime(s.imported_at)} · ${importedBy(s)}`);
  setTitle(u.name);
  fill(main,
    h('h1', {}, u.name, ' ', u.pilot ? h('span', { class: 'badge pilot' }, t('pilot')) : null),
    h('div', { class: 'cols' },
      h('section', { class: 'card', 'aria-labelledby': 'prof' }, h('h2', { id: 'prof' }, t('unit_profile')),
        h('dl', { class: 'kv' }, h('dt', {}, t('code')), h('dd', {}, u.code), h('dt', {}, t('type')), h('dd', {}, u.type),
          h('dt', {}, t('cell')), h('dd', {}, u.cell_name ? `${u.cell_id} ${u.cell_name}` : t('none')),
          h('dt', {}, t('parent')), h('dd', { 'data-testid': 'parent' }, u.parent_code ? unitLink(u.parent_code, u.parent_name) : t('none')),
          h('dt', {}, t('address')), h('dd', {}, u.address || t('none')))),
      h('section', { class: 'card', 'aria-labelledby': 'subj', 'data-testid': 'subjects' }, h('h2', { id: 'subj' }, t('subjects')),
        h('dl', { class: 'kv' }, h('dt', {}, t('principal')), h('dd', {}, person(u.principal)),
          h('dt', {}, t('auditors')), h('dd', {}, u.auditors.length ? u.auditors.map(person).join('、') : t('none')),
          u.chief_auditor ? [h('dt', {}, t('chief_auditor')), h('dd', {}, person(u.chief_auditor))] : null))),
    h('section', { class: 'card', 'data-testid': 'ledgers' }, h('h2', {}, t('ledgers')),
      books.length ? tableWrap(h('table', {},
        h('thead', {}, h('tr', {}, [t('year'), t('lines'), t('vouchers'), t('debit'), t('credit'), t('accounts'), t('findings'), t('sources')].map((x) => h('th', { scope: 'col' }, x)))),
        h('tbody', {}, books.map((b) => h('tr', { 'data-year': b.year }, h('td', {}, b.year), h('td', { class: 'num' }, b.lines), h('td', { class: 'num' }, b.vouchers),
          h('td', { class: 'num' }, yuan(b.debit_total)), h('td', { class: 'num' }, yuan(b.credit_total)), h('td', { class: 'num' }, b.accounts),
          h('td', { class: 'num' }, b.findings), h('td', {}, (b.sources || []).map(source)))))))
        : h('p', { class: 'muted' }, t('no_books'))),
    rescanCard(code), // issue 13 (usecase)
    liaisonCard(code), // issue 14 §5 (liaison)
    ratingCard(code), // issue 15 §1 (rating)
    h('section', { class: 'card', 'aria-labelledby': 'aud', 'data-testid': 'unit-audits' }, h('h2', { id: 'aud' }, t('un_audits')),
      h('h3', {}, t('un_projects')),
      audits.length ? tableWrap(h('table', { 'data-testid': 'unit-projects' },
        h('thead', {}, h('tr', {}, [t('rc_code'), t('name'), t('rc_kind'), t('rc_stage'), t('rc_findings_n'), t('rc_open_n'), t('rc_overdue_n')]
          .map((x) => h('th', { scope: 'col' }, x)))),
        h('tbody', {}, audits.map((p) => h('tr', { 'data-project': p.id },
          h('td', {}, h('a', { href: '#/audits/' + p.id }, p.code)), h('td', {}, p.name), h('td', {}, t('rck_' + p.kind)),
          h('td', {}, t('rcg_' + p.stage)), h('td', { class: 'num' }, p.findings), h('td', { class: 'num' }, p.open_rectifications),
          h('td', { class: 'num' }, p.overdue_rectifications ? h('span', { class: 'badge overdue' }, p.overdue_rectifications) : 0))))))
        : h('p', { class: 'muted' }, t('un_no_audits')),
      h('h3', {}, `${t('un_open_items')}（${open.length}${late ? ' · ' + t('rc_overdue_n') + ' ' + late : ''}）`, ' ',
        h('a', { href: '#/rectifications?unit=' + enc }, t('rc_all_of_unit'))),
      open.length ? rectTable(open, { showUnit: false }) : h('p', { class: 'muted', 'data-testid': 'no-open-rects' }, t('un_no_open'))),
    h('section', { class: 'card' }, h('h2', {}, `${t('unit_warnings')}（${ws.total}）`, ' ',
      h('a', { href: '#/warnings?unit=' + enc }, t('all_warnings'))), warningTable(ws.items, { showUnit: false })));
}

// How a ledger source came in: 命令行导入, or 网页上传 · the person who uploaded it.
export function importedBy(s) {
  if (s.imported_by_kind === 'cli' || (!s.imported_by_kind && /^cli:/.test(s.imported_by || ''))) return t('imp_via_cli');
  if (s.imported_by_kind === 'system') return t('actor_system');
  return `${t('imp_via_web')} · ${actorOf(s, 'imported_by')}`;
}

// ---- issue 13 (usecase): 重新扫描 — the bureau admin rescans the unit's books. The POST runs on the
// server's long-job worker; meanwhile the page polls GET …/scan for the phase, then shows the result.
function rescanCard(code) {
  if (session()?.user.role !== 'admin') return null;
  const path = `/units/${encodeURIComponent(code)}/scan`;
  const line = h('p', { 'aria-live': 'polite', 'data-testid': 'rescan-status' });
  const btn = h('button', { type: 'button', 'data-testid': 'rescan' }, t('rs_button'));
  const phase = (p) => t('rs_phase_' + (['load', 'rules', 'record'].includes(p) ? p : 'start'));
  btn.addEventListener('click', async () => {
    btn.disabled = true;
    line.replaceChildren(t('rs_running', phase('start')));
    const timer = setInterval(async () => {
      try {
        const s = await api('GET', path);
        if (!btn.isConnected) clearInterval(timer); // the user has moved on
        else if (s.running) line.replaceChildren(t('rs_running', phase(s.phase)));
      } catch { /* the result below tells */ }
    }, 300);
    try {
      const r = await api('POST', path);
      line.replaceChildren(t('rs_done', r.warnings, r.new_warnings));
    } catch (e) {
      line.replaceChildren(h('span', { class: 'error', role: 'alert' }, e.message || t('error')));
    } finally {
      clearInterval(timer);
      btn.disabled = false;
    }
  });
  return h('section', { class: 'card', 'data-testid': 'rescan-card' }, h('h2', {}, t('rs_title')), btn, line);
}
// ---- end issue 13 (usecase)

// ---- issue 14 §5 (liaison): the unit's last contacts and visits by its grid liaison, filled in
// when GET /liaison/logs answers (the page does not wait for it).
function liaisonCard(code) {
  const box = h('section', { class: 'card', 'data-testid': 'unit-liaison' }, h('h2', {}, t('li_unit_title'), ' ',
    h('a', { href: '#/liaison' }, t('nav_liaison'))));
  api('GET', `/liaison/logs?unit=${encodeURIComponent(code)}&per_page=10`).then((res) => {
    box.append(res.items.length ? tableWrap(h('table', {},
      h('thead', {}, h('tr', {}, [t('li_date'), t('li_kind'), t('li_person'), t('li_notes'), t('li_followups')].map((x) => h('th', { scope: 'col' }, x)))),
      h('tbody', {}, res.items.map((x) => h('tr', { 'data-log': x.id }, h('td', {}, x.date),
        h('td', {}, t(x.kind === 'visit' ? 'li_kind_visit' : 'li_kind_contact')), h('td', {}, x.person),
        h('td', {}, x.notes || ''), h('td', {}, x.followups || ''))))))
      : h('p', { class: 'muted' }, t('li_unit_none')));
  }).catch(() => box.append(h('p', { class: 'muted' }, t('error'))));
  return box;
}
// ---- end issue 14 §5 (liaison)

// ---- issue 15 §1 (rating): the unit's 0–5A grade year by year (GET /units/{code}/ratings), each
// year linking to its rating page; filled in when the answer arrives (the page does not wait).
function ratingCard(code) {
  const enc = encodeURIComponent(code);
  const box = h('section', { class: 'card', 'data-testid': 'unit-rating' }, h('h2', {}, t('rt_history'), ' ',
    h('a', { href: '#/rating' }, t('rt_all'))));
  api('GET', `/units/${enc}/ratings`).then((res) => {
    box.append(res.items.length ? tableWrap(h('table', { 'data-testid': 'unit-ratings' },
      h('thead', {}, h('tr', {}, [t('rt_year'), t('rt_grade'), t('rt_score'), t('rt_year_state')].map((x) => h('th', { scope: 'col' }, x)))),
      h('tbody', {}, res.items.map((x) => h('tr', { 'data-year': x.year },
        h('td', {}, h('a', { href: `#/rating/${x.year}/${enc}` }, t('rt_year_v', x.year))), h('td', {}, gradeBadge(x.grade)),
        h('td', { class: 'num' }, score2(x.score)),
        h('td', {}, x.published ? t('rt_published') : t('rt_unpublished')))))))
      : h('p', { class: 'muted' }, t('rt_history_none')));
  }).catch(() => box.append(h('p', { class: 'muted' }, t('error'))));
  return box;
}
// ---- end issue 15 §1 (rating)
