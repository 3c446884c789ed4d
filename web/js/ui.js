// ui.js - what every page shares: h() to build elements (never innerHTML, so data from the server
// is always text), the language and t() over web/i18n/, and small widgets used on several pages.
import zh from '../i18n/zh.js';
import en from '../i18n/en.js';

const LANGS = { zh, en };
let lang = localStorage.getItem('ag_lang') === 'en' ? 'en' : 'zh';

export const getLang = () => lang;
export function setLang(l) {
  lang = l === 'en' ? 'en' : 'zh';
  localStorage.setItem('ag_lang', lang);
}
// The text of key k in the current language (Chinese when the English text is missing);
// function entries take arguments.
export function t(k, ...a) {
  const v = LANGS[lang][k] ?? zh[k] ?? k;
  return typeof v === 'function' ? v(...a) : v;
}

export const ITEMS = ['F01', 'F02', 'F03', 'F04', 'F05', 'F06', 'F07', 'F08', 'F09', 'F10', 'F11', 'F12', 'F13',
  'K1', 'K2', 'K3', 'K4', 'K5', 'K6', 'K7'];
export const SEVS = ['high', 'medium', 'low'];
export const STATUSES = ['open', 'acknowledged', 'dismissed', 'escalated'];
// Who may do what (the server checks again; the UI only hides what would be refused).
export const TRIAGERS = ['auditor', 'chief_auditor', 'liaison'];
export const IMPORTERS = ['auditor', 'chief_auditor'];

// h('a', {href, class, onclick}, ...children): attributes with null/false are left out,
// on* attributes become listeners, children may be nested arrays, strings or nodes.
export function h(tag, attrs, ...kids) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k.startsWith('on')) el.addEventListener(k.slice(2), v);
    else if (k === 'class') el.className = v;
    else el.setAttribute(k, v === true ? '' : v);
  }
  return fill(el, ...kids);
}

// el's children replaced by kids, read as h() reads them: a missing part (null, undefined, false)
// is left out, where replaceChildren() would write it as the text "null".
export function fill(el, ...kids) {
  el.replaceChildren(...kids.flat(Infinity).filter((c) => c !== null && c !== undefined && c !== false)
    .map((c) => (c instanceof Node ? c : String(c))));
  return el;
}

export const sevBadge = (s, n) =>
  h('span', { class: `badge ${s}`, title: t('severity') + ' ' + t('sev_' + s) }, `${t('sev_' + s)} ${n ?? ''}`.trim());
export const roleName = (r) => t('role_' + r);
export const person = (p) => (p ? `${p.name}${p.title ? '（' + p.title + '）' : ''}` : t('none'));

// A labelled <select>; options are [value, text] pairs.
export function sel(name, label, options, value) {
  return h('label', {}, label, h('select', { name },
    options.map(([v, text]) => h('option', { value: v, selected: v === value ? true : null }, text))));
}

// A <select> made searchable (the unit filter: 147 units): a search box before it keeps only the
// options whose text or value contains what is typed (the empty "any" option always stays).
// selLabel is what sel() returns; the select stays the form's control. Returns selLabel.
export function searchable(selLabel, placeholder = t('unit_search')) {
  const s = selLabel.querySelector('select');
  const box = h('input', { type: 'search', class: 'sel-search', placeholder, 'aria-label': placeholder, size: 10, 'data-testid': 'search-' + s.name });
  const apply = () => {
    const q = box.value.trim().toLowerCase();
    for (const o of s.options) o.hidden = !!q && o.value !== '' && !`${o.textContent} ${o.value}`.toLowerCase().includes(q);
    const shown = [...s.options].filter((o) => !o.hidden && o.value !== '');
    if (q && shown.length === 1) s.value = shown[0].value; // one match: take it
  };
  box.addEventListener('input', apply);
  s.addEventListener('ag:options', apply); // the options were rebuilt (e.g. another filter changed)
  selLabel.insertBefore(box, s);
  return selLabel;
}

// The warnings table of the inbox and the unit page. `sorter` (optional) gives, per sortable
// column key, {href, dir} where dir is 'ascending', 'descending' or null (not sorted by it).
export function warningTable(items, { showUnit = true, sorter = null } = {}) {
  if (!items.length) return h('p', { class: 'muted', 'data-testid': 'no-warnings' }, t('no_warnings'));
  const th = (label, key) => {
    if (!sorter || !key) return h('th', { scope: 'col' }, label);
    const s = sorter(key);
    return h('th', { scope: 'col', 'aria-sort': s.dir || 'none' },
      h('a', { class: 'sort', href: s.href, 'data-sort': key, title: t('sort_by', label) },
        label, h('span', { 'aria-hidden': 'true', class: 'arrow' }, s.dir === 'ascending' ? ' ▲' : s.dir === 'descending' ? ' ▼' : ' ↕')));
  };
  return tableWrap(h('table', { 'data-testid': 'warnings' },
    h('thead', {}, h('tr', {}, th('ID'), showUnit ? th(t('unit'), 'unit') : null, th(t('date'), 'date'),
      th(t('item')), th(t('rule')), th(t('severity'), 'severity'), th(t('amount'), 'amount'),
      th(t('message')), th(t('status')))),
    h('tbody', {}, items.map((w) => h('tr', { 'data-warning': w.id },
      h('td', {}, h('a', { href: '#/warnings/' + w.id }, w.id)),
      showUnit ? h('td', { 'data-col': 'unit' }, unitLink(w.unit, w.unit_name)) : null,
      h('td', { 'data-col': 'date' }, w.date), h('td', {}, itemLabel(w.item, w.item_name)),
      h('td', { title: w.rule, 'data-rule': w.rule }, ruleName(w.rule, w.rule_name)),
      h('td', { 'data-col': 'severity', 'data-severity': w.severity }, sevBadge(w.severity)),
      h('td', { class: 'num', 'data-col': 'amount' }, yuan(w.amount)), h('td', {}, w.message),
      h('td', { 'data-col': 'status' }, t('st_' + (w.state || w.status))))))));  // state: issue 12 §2 (warn)
}

// "1234567.5" -> "1,234,567.50" without going through a float (amounts are exact yuan strings).
export function yuan(s) {
  if (s === null || s === undefined || s === '') return '';
  const m = /^(-?)(\d+)(?:\.(\d+))?$/.exec(String(s));
  if (!m) return String(s);
  return `${m[1]}${m[2].replace(/\B(?=(\d{3})+(?!\d))/g, ',')}.${((m[3] || '') + '00').slice(0, 2)}`;
}

// Times: the server stores and sends UTC ("2026-12-06T22:33:00Z"); pages show Beijing time
// (Asia/Shanghai, UTC+8, no daylight saving) as "2026-12-07 06:33". A plain calendar date
// ("2026-12-07", a voucher or deadline date) is not a moment and is shown as it is. A timestamp
// without a zone is taken as UTC (the store's convention). Anything unparsable is shown as given,
// and null/undefined/'' as ''.
const BJ_OFFSET_MS = 8 * 3600 * 1000;
const ISO_TS = /^(\d{4})-(\d\d)-(\d\d)[T ](\d\d):(\d\d)(?::(\d\d)(?:\.\d+)?)?(Z|[+-]\d\d:?\d\d)?$/;
function bjParts(iso) {
  if (iso === null || iso === undefined || iso === '') return null;
  const s = String(iso).trim();
  if (/^\d{4}-\d\d-\d\d$/.test(s)) return { date: s, time: null };
  const m = ISO_TS.exec(s);
  if (!m) return { raw: s };
  const zone = m[7] && m[7] !== 'Z' ? m[7].replace(/^([+-]\d\d)(\d\d)$/, '$1:$2') : 'Z';
  const ms = Date.parse(`${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6] || '00'}${zone}`);
  if (Number.isNaN(ms)) return { raw: s };
  const d = new Date(ms + BJ_OFFSET_MS);
  const p = (n) => String(n).padStart(2, '0');
  return { date: `${d.getUTCFullYear()}-${p(d.getUTCMonth() + 1)}-${p(d.getUTCDate())}`, time: `${p(d.getUTCHours())}:${p(d.getUTCMinutes())}` };
}
// "2026-12-06T22:33:00Z" -> "2026-12-07 06:33" (Beijing time).
export function bjTime(iso) {
  const p = bjParts(iso);
  if (!p) return '';
  if (p.raw !== undefined) return p.raw;
  return p.time ? `${p.date} ${p.time}` : p.date;
}
// "2026-12-06T22:33:00Z" -> "2026-12-07" (the Beijing calendar day of that moment).
export function bjDate(iso) {
  const p = bjParts(iso);
  if (!p) return '';
  return p.raw !== undefined ? p.raw : p.date;
}

// Who did something, by name: the API adds "<field>_name" and "<field>_kind" next to every stored
// actor ("user:admin", "person:杜宇", "cli:alice", "system:escalate"); raw is the stored string.
// Never shows the stored form: the command line, the server and a person without a name get the
// page's own words.
export function actor(raw, name, kind) {
  const k = kind || (raw ? (/^(user|person|cli|system|http)\b/.exec(raw) || [])[1] : null);
  if (k === 'cli') return t('actor_cli');
  if (k === 'system') return t('actor_system');
  if (k === 'anonymous' || k === 'http') return t('actor_anonymous');
  if (name) return name;
  if (raw && raw.startsWith('person:')) return raw.slice(7);
  return t('actor_unknown');
}
// actor() of the field `key` of object o: actorOf(e, 'created_by').
export const actorOf = (o, key) => actor(o[key], o[key + '_name'], o[key + '_kind']);

// A catalog rule by its Chinese (or English) name: the name the API sent, else the page's own
// name for the rule id, else the id (a rule added to the catalog after this page was written).
export function ruleName(id, name) {
  if (name) return name;
  if (!id) return '';
  const v = t('rule_' + id);
  return v === 'rule_' + id ? id : v;
}

// "F03 资金支付审批": a catalog item by code and name (the name alone when there is no code).
export const itemLabel = (code, name) => [code, name].filter(Boolean).join(' ');

// A unit by name, its credit code on hover; a link to its page unless link is false.
export function unitLink(code, name, { link = true } = {}) {
  if (!code) return t('none');
  const attrs = { title: `${t('code')} ${code}`, 'data-unit-code': code };
  return link ? h('a', { href: '#/units/' + encodeURIComponent(code), ...attrs }, name || code) : h('span', attrs, name || code);
}

// The page's <title>: "预警收件箱 · 审计监督一张网". The shell sets one per route; a page that
// knows more (a unit's name, a project's code) refines it.
export function setTitle(text) {
  document.title = text ? `${text} · ${t('app_title')}` : t('app_title');
}

// Every table of the UI goes through here: a box that scrolls sideways on its own, so a wide table
// never makes the whole page scroll on a phone. Takes a <table> (or h() arguments for one).
export function tableWrap(table, ...rest) {
  const el = table instanceof Node ? table : h('table', table, ...rest);
  return h('div', { class: 'table-wrap' }, el);
}
