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
  for (const c of kids.flat(Infinity)) if (c !== null && c !== undefined && c !== false)
    el.append(c instanceof Node ? c : String(c));
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
  return h('table', { 'data-testid': 'warnings' },
    h('thead', {}, h('tr', {}, th('ID'), showUnit ? th(t('unit'), 'unit') : null, th(t('date'), 'date'),
      th(t('item')), th(t('rule')), th(t('severity'), 'severity'), th(t('amount'), 'amount'),
      th(t('message')), th(t('status')))),
    h('tbody', {}, items.map((w) => h('tr', { 'data-warning': w.id },
      h('td', {}, h('a', { href: '#/warnings/' + w.id }, w.id)),
      showUnit ? h('td', { 'data-col': 'unit' }, h('a', { href: '#/units/' + encodeURIComponent(w.unit) }, w.unit)) : null,
      h('td', { 'data-col': 'date' }, w.date), h('td', {}, w.item), h('td', {}, w.rule),
      h('td', { 'data-col': 'severity', 'data-severity': w.severity }, sevBadge(w.severity)),
      h('td', { class: 'num', 'data-col': 'amount' }, yuan(w.amount)), h('td', {}, w.message),
      h('td', { 'data-col': 'status' }, t('st_' + w.status))))));
}

// "1234567.5" -> "1,234,567.50" without going through a float (amounts are exact yuan strings).
export function yuan(s) {
  if (s === null || s === undefined || s === '') return '';
  const m = /^(-?)(\d+)(?:\.(\d+))?$/.exec(String(s));
  if (!m) return String(s);
  return `${m[1]}${m[2].replace(/\B(?=(\d{3})+(?!\d))/g, ',')}.${((m[3] || '') + '00').slice(0, 2)}`;
}
