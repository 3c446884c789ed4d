// pages/warning.js - one warning (#/warnings/{id}): what it says, its evidence, where it stands in
// its life (未处理 → 已确认 / 已上报·待局复核 / 已排除·待复核 / 已排除) and the actions the signed-in
// user may take on it. Which actions those are is the server's table (the record's "actions"):
// the page only draws them. Every decision ends in a status line saying what happened.
import { api } from '../api.js';
import { h, t, fill, sevBadge, yuan, bjTime, unitLink, itemLabel, setTitle } from '../ui.js';
import { RECT_CLASSES } from './audit.js';

// What each evidence fact is called; facts without a name here are not shown as raw keys.
const FACTS = {
  limit: 'money', threshold: 'money', open_amount: 'money', multiple: 'money', total: 'money',
  debit_total: 'money', credit_total: 'money', difference: 'money', same_bill_no: 'bool',
  days_apart: 'n', window_days: 'n', payments: 'n', missing_number: 'n', max_number: 'n',
  year_end: 'n', person: 'text', day_kind: 'kind', conflict: 'conflict',
};
const ROLE_WORD = { maker: 'wf_maker', reviewer: 'wf_reviewer', poster: 'wf_poster', cashier: 'wf_cashier' };

function factValue(key, v) {
  const kind = FACTS[key];
  if (v === null || v === undefined || v === '') return t('none');
  if (kind === 'money') return yuan(v) + ' ' + t('wf_yuan');
  if (kind === 'bool') return v ? t('wf_yes') : t('wf_no');
  if (kind === 'kind') return t('wf_day_' + v) === 'wf_day_' + v ? String(v) : t('wf_day_' + v);
  if (kind === 'conflict') return String(v).split('=').map((r) => (ROLE_WORD[r] ? t(ROLE_WORD[r]) : r)).join(' = ');
  return String(v);
}

// The evidence: its facts (限额, 阈值…) and its ledger lines; 无 when there is nothing.
function evidence(ev) {
  const lines = (ev && Array.isArray(ev.lines)) ? ev.lines : [];
  const facts = Object.entries(ev || {}).filter(([k, v]) => FACTS[k] && v !== null && typeof v !== 'object');
  const cell = (v) => (v === null || v === undefined ? '' : String(v));
  return h('section', { class: 'card', 'aria-labelledby': 'ev-h' }, h('h2', { id: 'ev-h' }, t('evidence')),
    facts.length ? h('dl', { class: 'kv', 'data-testid': 'evidence-facts' },
      facts.map(([k, v]) => [h('dt', {}, t('wf_fact_' + k)), h('dd', {}, factValue(k, v))])) : null,
    lines.length ? h('div', { class: 'table-wrap' }, h('table', { 'data-testid': 'evidence' },
      h('thead', {}, h('tr', {}, [t('source'), t('source_line'), t('date'), t('voucher'), t('account'), t('debit'), t('credit'), t('counterparty')].map((x) => h('th', { scope: 'col' }, x)))),
      h('tbody', {}, lines.map((l) => h('tr', {}, h('td', {}, cell(l.source)), h('td', { class: 'num' }, cell(l.source_line)), h('td', {}, cell(l.date)),
        h('td', {}, [l.voucher, l.line].filter((x) => x !== null && x !== undefined && x !== '').join('/')), h('td', {}, cell(l.account)),
        h('td', { class: 'num' }, yuan(l.debit)), h('td', { class: 'num' }, yuan(l.credit)), h('td', {}, cell(l.counterparty)))))))
      : (facts.length ? null : h('p', { class: 'muted', 'data-testid': 'no-evidence' }, t('none'))));
}

export default async function warning(ctx, flash) {
  const { main, params } = ctx;
  const [w, catalog] = await Promise.all([
    api('GET', '/warnings/' + encodeURIComponent(params.id)),
    api('GET', '/catalog').catch(() => null),
  ]);
  const item = catalog && (catalog.items || []).find((i) => i.code === w.item);
  const itemText = itemLabel(w.item, item ? item.name_zh : '');
  const ruleText = w.rule_name || t('wf_rule_other');
  setTitle(`${t('warning')} #${w.id} ${ruleText}`);

  const msg = h('p', { role: 'status', 'data-testid': 'triage-msg', tabindex: -1, class: flash ? 'ok' : '' }, flash || '');
  const actions = w.actions || [];
  const needsText = actions.some((a) => a.reason_required) || actions.some((a) => a.action === 'escalate');
  const reason = h('textarea', { name: 'reason', rows: 2, cols: 60 });
  const toFinding = actions.some((a) => a.action === 'to_finding');
  // Straight into a rectification item of the unit's standing ledger (预警跟踪整改): its class.
  const classSel = actions.some((a) => a.action === 'to_rectification')
    ? h('select', { name: 'rect_class', 'data-testid': 'rect-class' },
      RECT_CLASSES.map((c) => h('option', { value: c }, t('au_rc_' + c))))
    : null;
  let projectSel = null;
  if (toFinding) {
    const res = await api('GET', '/audits?stage=field&unit=' + encodeURIComponent(w.unit)).catch(() => ({ items: [] }));
    const usable = (res.items || []).filter((p) => (p.items || []).includes(w.item));
    projectSel = h('select', { name: 'project_id', 'data-testid': 'project' },
      usable.length ? usable.map((p) => h('option', { value: p.id }, `${p.code} ${p.name}`))
        : h('option', { value: '' }, t('wf_no_project')));
  }

  const act = async (a, btn) => {
    msg.textContent = ''; msg.className = '';
    const text = reason.value.trim();
    if (a.reason_required && !text) {
      msg.textContent = a.action === 'reopen' ? t('wf_note_needed') : t('reason_needed');
      msg.className = 'error'; reason.focus(); return;
    }
    const body = { action: a.action };
    if (text) body.reason = text;
    if (a.action === 'to_finding') {
      if (!projectSel || !projectSel.value) { msg.textContent = t('wf_pick_project'); msg.className = 'error'; return; }
      body.project_id = Number(projectSel.value);
    }
    if (a.action === 'to_rectification') body.rect_class = classSel.value;
    btn.disabled = true;
    try {
      const got = await api('POST', `/warnings/${w.id}/triage`, body);
      await warning(ctx, t('wf_done_' + a.action, t('st_' + got.state)));
      main.querySelector('[data-testid="triage-msg"]')?.focus();
    } catch (e) {
      btn.disabled = false;
      if (e.status !== 401) { msg.textContent = e.message; msg.className = 'error'; }
    }
  };

  const decided = w.status_by || w.status_at;
  // replaceChildren would write a null as the text "null" (the bureau's `null` under the
  // evidence): what is not there is left out.
  fill(main, ...[
    h('p', {}, h('a', { href: '#/warnings?unit=' + encodeURIComponent(w.unit) }, '← ' + t('back'))),
    h('h1', {}, `${t('warning')} #${w.id} · ${itemText} · ${ruleText}`),
    msg,
    h('section', { class: 'card' }, h('dl', { class: 'kv', 'data-testid': 'warning' },
      h('dt', {}, t('unit')), h('dd', {}, unitLink(w.unit, w.unit_name)),
      h('dt', {}, t('item')), h('dd', {}, itemText),
      h('dt', {}, t('rule')), h('dd', { 'data-testid': 'rule' }, ruleText),
      h('dt', {}, t('severity')), h('dd', {}, sevBadge(w.severity)),
      h('dt', {}, t('date')), h('dd', {}, w.date || t('none')),
      h('dt', {}, t('amount')), h('dd', {}, yuan(w.amount)),
      h('dt', {}, t('message')), h('dd', {}, w.message),
      h('dt', {}, t('status')), h('dd', { 'data-testid': 'status', 'data-state': w.state }, t('st_' + w.state)),
      decided ? [h('dt', {}, t('handled_by')), h('dd', { 'data-testid': 'status-by' }, w.status_by_name || t('actor_unknown')),
        h('dt', {}, t('handled_at')), h('dd', {}, bjTime(w.status_at)),
        h('dt', {}, t('reason')), h('dd', { 'data-testid': 'status-reason' }, w.status_reason || t('none'))] : null,
      w.review_by ? [h('dt', {}, t('wf_reviewed_by')), h('dd', { 'data-testid': 'review-by' }, `${w.review_by_name || t('actor_unknown')} · ${bjTime(w.review_at)}`),
        h('dt', {}, t('wf_review_note')), h('dd', { 'data-testid': 'review-note' }, w.review_note || t('none'))] : null,
      w.finding ? [h('dt', {}, t('wf_finding')), h('dd', { 'data-testid': 'finding' },
        h('a', { href: '#/findings/' + w.finding.id }, [w.finding.project_code, w.finding.title].filter(Boolean).join(' ')))] : null)),
    evidence(w.evidence),
    actions.length ? h('section', { class: 'card', 'aria-labelledby': 'tri' }, h('h2', { id: 'tri' }, t('triage')),
      w.state === 'review' ? h('p', { class: 'muted' }, t('wf_review_hint')) : null,
      w.state === 'escalated' ? h('p', { class: 'muted' }, t('wf_escalated_hint')) : null,
      needsText ? h('label', {}, t('wf_reason_label'), reason) : null,
      projectSel ? h('label', {}, t('wf_project'), projectSel) : null,
      classSel ? h('label', {}, t('wf_rect_class'), classSel) : null,
      h('p', {}, actions.map((a) => {
        const btn = h('button', { class: a.action === 'dismiss' || a.action === 'reopen' ? '' : 'primary', type: 'button', 'data-action': a.action }, t('wa_' + a.action));
        btn.addEventListener('click', () => act(a, btn));
        return [btn, ' '];
      }))) : null].filter(Boolean));
}
