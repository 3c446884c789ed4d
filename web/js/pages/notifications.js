// pages/notifications.js - the user's notices (#/notifications): overdue rectification escalated to
// a unit's principal leader (整改第一责任人) and to its supervising department, newest first, each
// linking to the item. What each role sees is decided by GET /api/v1/notifications.
import { api } from '../api.js';
import { h, t, getLang } from '../ui.js';

const AUDIENCE = { leader: 'nt_to_leader', supervisor: 'nt_to_supervisor' };

export default async function notifications({ main }) {
  const here = location.hash;
  const res = await api('GET', '/notifications?limit=500');
  if (location.hash !== here) return; // the user has moved on: do not draw over the next page
  const en = getLang() === 'en';
  const item = (n) => h('li', { class: 'card notice', 'data-notification': n.id, 'data-rect': n.rect_id ?? '' },
    h('div', { class: 'when' },
      h('span', { class: 'badge overdue' }, n.kind === 'overdue' ? t('nt_kind_overdue') : n.kind), ' ',
      h('b', {}, t(AUDIENCE[n.audience] || 'nt_to_other')), n.person_name ? `（${n.person_name}）` : '', ' ',
      h('a', { href: '#/units/' + encodeURIComponent(n.unit_code) }, n.unit_name), ' ',
      h('span', { class: 'muted' }, n.created_at)),
    h('p', { class: 'body' }, (en ? n.message_en : n.message_zh) || n.message_zh),
    n.rect_id ? h('a', { href: '#/rectifications/' + n.rect_id, 'data-testid': 'open-item' }, t('nt_open_item')) : null);
  main.replaceChildren(
    h('h1', {}, t('nt_title'), ' ', h('span', { class: 'muted', 'data-testid': 'total', 'data-total': res.total }, t('nt_total', res.total))),
    res.items.length ? h('ol', { class: 'notices', 'data-testid': 'notifications' }, res.items.map(item))
      : h('p', { class: 'muted', 'data-testid': 'no-notifications' }, t('nt_none')));
}
