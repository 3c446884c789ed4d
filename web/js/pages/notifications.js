// pages/notifications.js - the user's notices (#/notifications): overdue rectification escalated to
// a unit's principal leader (整改第一责任人) and to its supervising department, newest first, each
// linking to the item. Unread ones stand out, each with a button that marks it read; the unread
// count is in the title and, through the "ag:unread" event, in the header's badge. What each role
// sees is decided by GET /api/v1/notifications; a reviewer reads but does not mark. The bureau
// also gets a notice for each escalated warning and each dismissal sampled for review.
import { api } from '../api.js';
import { h, t, fill, getLang, bjTime, setTitle } from '../ui.js';

const AUDIENCE = { leader: 'nt_to_leader', supervisor: 'nt_to_supervisor', bureau: 'nt_to_bureau' };
// The kinds of notice and their words; a warning's (issue 12 §2) link to the warning.
const KIND = { overdue: 'nt_kind_overdue', warning_escalated: 'nt_kind_warning_escalated', warning_review: 'nt_kind_warning_review',
  liaison_contact: 'nt_kind_liaison_contact', liaison_visit: 'nt_kind_liaison_visit' }; // issue 14 §5 (liaison)
KIND.guidance_overdue = 'nt_kind_guidance_overdue'; // issue 14 §2 (dept)

export default async function notifications({ main, me }) {
  const here = location.hash;
  const res = await api('GET', '/notifications?limit=500');
  if (location.hash !== here) return; // the user has moved on: do not draw over the next page
  const en = getLang() === 'en';
  const canMark = me && me.user.role !== 'reviewer';
  let unread = res.unread;
  const count = h('span', { class: 'unread-count', 'data-testid': 'unread', 'data-unread': unread });
  const setUnread = (n) => {
    unread = n;
    count.dataset.unread = n;
    count.textContent = n > 0 ? t('nt_unread_n', n) : '';
    setTitle(n > 0 ? `${t('nt_title')} (${n})` : t('nt_title'));
    window.dispatchEvent(new CustomEvent('ag:unread', { detail: n }));
  };
  const readLine = (n) => h('span', { class: 'muted', 'data-testid': 'read-at' }, t('nt_read_at', bjTime(n.read_at)));

  async function markRead(n, li, btn) {
    btn.disabled = true;
    li.querySelector('.error')?.remove();
    try {
      const got = await api('POST', `/notifications/${n.id}/read`);
      li.classList.remove('unread');
      li.dataset.read = '1';
      li.querySelector('[data-testid="unread-mark"]')?.remove();
      btn.replaceWith(readLine(got));
      setUnread(Math.max(0, unread - 1));
      // Keyboard focus goes on to the next unread notice, or stays on this one.
      const next = main.querySelector('li.notice.unread button[data-testid="mark-read"]');
      (next || li).focus();
    } catch (e) {
      btn.disabled = false;
      if (e.status !== 401) li.append(h('p', { class: 'error', role: 'alert' }, e.message));
    }
  }

  const item = (n) => {
    const isUnread = !n.read_at;
    const li = h('li', { class: 'card notice' + (isUnread ? ' unread' : ''), tabindex: -1, 'data-notification': n.id, 'data-rect': n.rect_id ?? '', 'data-warning': n.warning_id ?? '', 'data-read': isUnread ? '0' : '1' },
      h('div', { class: 'when' },
        isUnread ? h('span', { class: 'badge unread', 'data-testid': 'unread-mark' }, t('nt_unread')) : null, isUnread ? ' ' : null,
        h('span', { class: 'badge overdue', 'data-kind': n.kind }, t(KIND[n.kind] || 'nt_to_other')), ' ',
        h('b', {}, t(AUDIENCE[n.audience] || 'nt_to_other')), n.person_name ? `（${n.person_name}）` : '', ' ',
        h('a', { href: '#/units/' + encodeURIComponent(n.unit_code) }, n.unit_name), ' ',
        h('span', { class: 'muted' }, bjTime(n.created_at))),
      h('p', { class: 'body' }, (en ? n.message_en : n.message_zh) || n.message_zh));
    const actions = h('div', { class: 'actions' },
      n.rect_id ? h('a', { href: '#/rectifications/' + n.rect_id, 'data-testid': 'open-item' }, t('nt_open_item')) : null,
      n.warning_id ? h('a', { href: '#/warnings/' + n.warning_id, 'data-testid': 'open-warning' }, t('nt_open_warning')) : null);
    if (isUnread && canMark) {
      const btn = h('button', { type: 'button', 'data-testid': 'mark-read', onclick: () => markRead(n, li, btn) }, t('nt_mark_read'));
      actions.append(' ', btn);
    } else if (!isUnread) actions.append(' ', readLine(n));
    li.append(actions);
    return li;
  };
  fill(main,
    h('h1', {}, t('nt_title'), ' ', count, ' ', h('span', { class: 'muted', 'data-testid': 'total', 'data-total': res.total }, t('nt_total', res.total))),
    res.items.length ? h('ol', { class: 'notices', 'data-testid': 'notifications' }, res.items.map(item))
      : h('p', { class: 'muted', 'data-testid': 'no-notifications' }, t('nt_none')));
  setUnread(unread);
}
