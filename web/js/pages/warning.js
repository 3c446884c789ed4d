// pages/warning.js - one warning (#/warnings/{id}): its evidence lines, and triage (acknowledge,
// dismiss with a reason, escalate) for internal auditors, chief auditors and grid liaisons.
import { api } from '../api.js';
import { h, t, sevBadge, TRIAGERS, yuan } from '../ui.js';

const DONE = { acknowledge: 'acknowledged', dismiss: 'dismissed', escalate: 'escalated' };

export default async function warning(ctx) {
  const { main, params, me } = ctx;
  const w = await api('GET', '/warnings/' + encodeURIComponent(params.id));
  const ev = (w.evidence && w.evidence.lines) || [];
  const msg = h('p', { role: 'status', 'data-testid': 'triage-msg' });
  const reason = h('textarea', { name: 'reason', rows: 2, cols: 60 });
  const act = async (action) => {
    msg.textContent = ''; msg.className = '';
    if (action === 'dismiss' && !reason.value.trim()) { msg.textContent = t('reason_needed'); msg.className = 'error'; reason.focus(); return; }
    try {
      const body = { action };
      if (reason.value.trim()) body.reason = reason.value.trim();
      await api('POST', `/warnings/${w.id}/triage`, body);
      await warning(ctx);
    } catch (e) { if (e.status !== 401) { msg.textContent = e.message; msg.className = 'error'; } }
  };
  main.replaceChildren(
    h('p', {}, h('a', { href: '#/warnings?unit=' + encodeURIComponent(w.unit) }, '← ' + t('back'))),
    h('h1', {}, `${t('warning')} #${w.id} · ${w.item} · ${w.rule}`),
    h('section', { class: 'card' }, h('dl', { class: 'kv', 'data-testid': 'warning' },
      h('dt', {}, t('unit')), h('dd', {}, h('a', { href: '#/units/' + encodeURIComponent(w.unit) }, w.unit)),
      h('dt', {}, t('severity')), h('dd', {}, sevBadge(w.severity)),
      h('dt', {}, t('date')), h('dd', {}, w.date || ''), h('dt', {}, t('amount')), h('dd', {}, yuan(w.amount)),
      h('dt', {}, t('message')), h('dd', {}, w.message),
      h('dt', {}, t('status')), h('dd', { 'data-testid': 'status' }, t('st_' + w.status)),
      w.status_by ? [h('dt', {}, t('handled_by')), h('dd', { 'data-testid': 'status-by' }, w.status_by),
        h('dt', {}, t('handled_at')), h('dd', {}, w.status_at),
        h('dt', {}, t('reason')), h('dd', {}, w.status_reason || '')] : null)),
    h('section', { class: 'card' }, h('h2', {}, t('evidence')), h('table', { 'data-testid': 'evidence' },
      h('thead', {}, h('tr', {}, [t('source'), t('source_line'), t('date'), t('voucher'), t('account'), t('debit'), t('credit'), t('counterparty')].map((x) => h('th', { scope: 'col' }, x)))),
      h('tbody', {}, ev.map((l) => h('tr', {}, h('td', {}, l.source), h('td', { class: 'num' }, l.source_line), h('td', {}, l.date),
        h('td', {}, `${l.voucher}/${l.line}`), h('td', {}, l.account), h('td', { class: 'num' }, yuan(l.debit)), h('td', { class: 'num' }, yuan(l.credit)),
        h('td', {}, l.counterparty || '')))))),
    TRIAGERS.includes(me.user.role) ? h('section', { class: 'card', 'aria-labelledby': 'tri' }, h('h2', { id: 'tri' }, t('triage')),
      h('label', {}, t('reason'), reason),
      h('p', {}, Object.keys(DONE).filter((a) => w.status !== DONE[a])
        .map((a) => [h('button', { class: 'primary', type: 'button', 'data-action': a, onclick: () => act(a) }, t(a)), ' '])), msg) : null);
}
