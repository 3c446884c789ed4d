// pages/training.js - training of internal auditors (#/training, 业务培训, issue 14 §4): the year's
// sessions (date, topic, system such as 卫健/教育, hours, who attended; a 岗位练兵技术比武 with
// its scores), each internal auditor's hours of the year, and for the administrator a form to
// record a session with its attendees. ?year=YYYY picks the year.
import { api } from '../api.js';
import { h, t, fill, sel, tableWrap } from '../ui.js';
import { tabs, formKit } from './soe.js';

const SYSTEMS = ['卫健', '教育', '国资', '财政', '审计', '民政', '街道'];

export default async function training({ main, me, query }) {
  const here = location.hash;
  const thisYear = new Date(Date.now() + 8 * 3600e3).getUTCFullYear();
  const year = Number(query.get('year')) || thisYear;
  const [sessions, hours] = await Promise.all([api('GET', '/training/sessions?year=' + year), api('GET', '/training/hours?year=' + year)]);
  if (location.hash !== here) return;
  const kit = formKit(() => training({ main, me, query }), 'tr-status');
  const years = [];
  for (let y = thisYear + 1; y >= thisYear - 3; y--) years.push([String(y), t('tr_year', y)]);
  const yearSel = sel('year', t('tr_year_label'), years, String(year));
  yearSel.querySelector('select').addEventListener('change', (e) => { location.hash = '#/training?year=' + e.target.value; });

  const sessionRow = (s) => h('tr', { 'data-session': s.id },
    h('td', {}, s.held_on), h('td', {}, s.topic, s.competition ? [' ', h('span', { class: 'badge', 'data-testid': 'tr-competition' }, t('tr_competition'))] : null),
    h('td', {}, s.system), h('td', { class: 'num' }, s.hours), h('td', { class: 'num' }, s.attendees),
    h('td', {}, s.competition && s.attendance.length
      ? h('ol', { class: 'scores' }, s.attendance.slice(0, 10).map((a) => h('li', {}, `${a.name}（${a.unit_name || ''}）${a.score ?? ''}`)))
      : ''));
  const sessionsBlock = sessions.items.length
    ? tableWrap({ 'data-testid': 'tr-sessions' },
      h('caption', {}, t('tr_sessions_caption', year, sessions.items.length)),
      h('thead', {}, h('tr', {}, [t('tr_date'), t('tr_topic'), t('tr_system'), t('tr_hours'), t('tr_attendees'), t('tr_scores')].map((x) => h('th', { scope: 'col' }, x)))),
      h('tbody', {}, sessions.items.map(sessionRow)))
    : h('p', { class: 'muted', 'data-testid': 'tr-none' }, t('tr_none', year));
  const hoursBlock = tableWrap({ 'data-testid': 'tr-hours' },
    h('caption', {}, t('tr_hours_caption', year, hours.items.length)),
    h('thead', {}, h('tr', {}, [t('tr_person'), t('tr_unit'), t('tr_hours'), t('tr_count')].map((x) => h('th', { scope: 'col' }, x)))),
    h('tbody', {}, hours.items.map((p) => h('tr', { 'data-person': p.person_id },
      h('td', {}, p.name), h('td', {}, p.unit_name || ''), h('td', { class: 'num', 'data-testid': 'tr-person-hours' }, p.hours), h('td', { class: 'num' }, p.sessions)))));
  // replaceChildren() would write a missing part (null) as text
  fill(main, ...[h('h1', {}, t('tr_title')), tabs('training'), kit.status, yearSel,
    me.user.role === 'admin' ? addForm(hours.items, kit) : null,
    h('h2', {}, t('tr_sessions_title')), sessionsBlock,
    h('h2', {}, t('tr_hours_title')), hoursBlock].filter(Boolean));
}

function addForm(auditors, kit) {
  const date = h('input', { type: 'date', name: 'date', required: true });
  const topic = h('input', { name: 'topic', required: true, maxlength: 200, size: 30 });
  const hours = h('input', { type: 'number', name: 'hours', required: true, min: 0.1, max: 24, step: 0.1, size: 4 });
  const comp = h('input', { type: 'checkbox', name: 'competition' });
  const who = h('select', { name: 'attendees', multiple: true, size: 6 },
    auditors.map((p) => h('option', { value: p.person_id }, `${p.name}（${p.unit_name || ''}）`)));
  const form = h('form', { class: 'card', 'data-testid': 'tr-form' },
    h('h2', {}, t('tr_form_title')), h('label', {}, t('tr_date'), date), ' ', h('label', {}, t('tr_topic'), topic), ' ',
    sel('system', t('tr_system'), SYSTEMS.map((s) => [s, s]), SYSTEMS[0]), ' ', h('label', {}, t('tr_hours'), hours), ' ',
    h('label', { class: 'check' }, comp, t('tr_is_competition')), h('label', {}, t('tr_attendees'), who),
    h('button', { type: 'submit' }, t('tr_save')));
  form.addEventListener('submit', kit.submit(form, () => api('POST', '/training/sessions', {
    date: date.value, topic: topic.value.trim(), system: form.elements.system.value, hours: Number(hours.value),
    competition: comp.checked, attendees: [...who.selectedOptions].map((o) => ({ person_id: Number(o.value) })),
  }), t('tr_saved')));
  return form;
}
