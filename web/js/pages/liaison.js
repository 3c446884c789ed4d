// pages/liaison.js - the grid liaison's page (#/liaison, 网格指导员, issue 14 §5): the to-do list of
// the units whose contact (联系) or visit (走访) cadence slipped, most overdue first, a form to log a
// contact or visit (a to-do's button fills it in), the recent log, and the bureau's cadence, which
// the administrator sets here. What each role sees is decided by the server (its cells' units for
// a liaison); only the administrator and liaisons log.
import { api, all } from '../api.js';
import { h, t, fill, sel, searchable, unitLink, tableWrap, actorOf, bjTime } from '../ui.js';

const LOGGERS = ['admin', 'liaison'];

export default async function liaison({ main, me }) {
  const here = location.hash;
  const role = me.user.role;
  const [todo, logs, units] = await Promise.all([
    api('GET', '/liaison/todo'), api('GET', '/liaison/logs?per_page=50'),
    LOGGERS.includes(role) ? all('/units') : Promise.resolve([])]);
  if (location.hash !== here) return; // the user has moved on: do not draw over the next page
  const cad = todo.cadence;
  const status = h('p', { role: 'status', 'data-testid': 'li-status', class: 'muted' });
  const say = (text, bad) => { status.textContent = text; status.className = bad ? 'error' : 'ok'; };
  const reload = async (msg) => {
    await liaison({ main, me });
    const s = main.querySelector('[data-testid="li-status"]');
    if (s && msg) { s.textContent = msg; s.className = 'ok'; }
  };
  // Runs a form's request; shows the server's refusal in the user's language.
  const submit = (form, run, done) => async (ev) => {
    ev.preventDefault();
    const buttons = form.querySelectorAll('button');
    buttons.forEach((b) => { b.disabled = true; });
    try { await run(); await reload(done); } catch (e) {
      buttons.forEach((b) => { b.disabled = false; });
      if (e.status !== 401) say(e.status === undefined ? t('error') : e.message, true);
    }
  };

  // ---- the log form
  let form = null;
  if (LOGGERS.includes(role)) {
    const unitSel = searchable(sel('unit_code', t('li_unit'), units.map((u) => [u.code, u.name])));
    const date = h('input', { type: 'date', name: 'date', value: todo.today, max: todo.today, required: true });
    const person = h('input', { name: 'person', required: true, maxlength: 60, size: 12 });
    const notes = h('textarea', { name: 'notes', rows: 2 });
    const followups = h('textarea', { name: 'followups', rows: 2 });
    form = h('form', { 'data-testid': 'li-form', class: 'card' },
      h('h2', {}, t('li_form_title')),
      unitSel, ' ',
      sel('kind', t('li_kind'), [['contact', t('li_kind_contact')], ['visit', t('li_kind_visit')]], 'contact'), ' ',
      h('label', {}, t('li_date'), date), ' ',
      h('label', {}, t('li_person'), person),
      h('label', {}, t('li_notes'), notes),
      h('label', {}, t('li_followups'), followups),
      h('button', { type: 'submit' }, t('li_save')));
    form.addEventListener('submit', submit(form, () => {
      if (!person.value.trim()) { person.focus(); throw Object.assign(new Error(t('li_need_person')), { status: 0 }); }
      return api('POST', '/liaison/logs', {
        unit_code: form.elements.unit_code.value, kind: form.elements.kind.value, date: date.value,
        person: person.value.trim(), notes: notes.value.trim() || undefined, followups: followups.value.trim() || undefined,
      });
    }, t('li_saved')));
  }
  const fillForm = (x) => {
    form.elements.unit_code.value = x.unit_code;
    form.elements.kind.value = x.kind;
    form.elements.person.focus();
  };

  // ---- the to-do list
  const todoRow = (x) => h('tr', { 'data-unit': x.unit_code, 'data-kind': x.kind },
    h('td', {}, unitLink(x.unit_code, x.unit_name)),
    h('td', {}, x.cell_name),
    h('td', {}, h('span', { class: 'badge overdue' }, t(x.kind === 'visit' ? 'li_late_visit' : 'li_late_contact'))),
    h('td', {}, x.last || t('li_never')),
    h('td', {}, x.due),
    h('td', { class: 'num', 'data-testid': 'days-overdue' }, t('li_days', x.days_overdue)),
    h('td', {}, form ? h('button', { type: 'button', 'data-testid': 'li-fill', onclick: () => fillForm(x) }, t('li_log_this')) : null));
  const todoBlock = todo.items.length
    ? tableWrap({ 'data-testid': 'li-todo' },
      h('caption', {}, t('li_todo_caption', todo.units, todo.today)),
      h('thead', {}, h('tr', {}, [t('li_unit'), t('li_cell'), t('li_what'), t('li_last'), t('li_due'), t('li_overdue'), ''].map((x) => h('th', { scope: 'col' }, x)))),
      h('tbody', {}, todo.items.map(todoRow)))
    : h('p', { class: 'muted', 'data-testid': 'li-todo-empty' }, t('li_todo_none', todo.today));

  // ---- the recent log
  const logRow = (x) => h('tr', { 'data-log': x.id },
    h('td', {}, x.date), h('td', {}, t(x.kind === 'visit' ? 'li_kind_visit' : 'li_kind_contact')),
    h('td', {}, unitLink(x.unit_code, x.unit_name)), h('td', {}, x.person),
    h('td', {}, x.notes || ''), h('td', {}, x.followups || ''),
    h('td', { class: 'muted' }, actorOf(x, 'created_by'), ' ', bjTime(x.created_at)));
  const logBlock = logs.items.length
    ? tableWrap({ 'data-testid': 'li-logs' },
      h('caption', {}, t('li_logs_caption', logs.total)),
      h('thead', {}, h('tr', {}, [t('li_date'), t('li_kind'), t('li_unit'), t('li_person'), t('li_notes'), t('li_followups'), t('li_by')].map((x) => h('th', { scope: 'col' }, x)))),
      h('tbody', {}, logs.items.map(logRow)))
    : h('p', { class: 'muted' }, t('li_logs_none'));

  // ---- the cadence (the bureau's; the administrator changes it)
  let cadForm = null;
  if (role === 'admin') {
    const c = h('input', { type: 'number', name: 'contact_days', min: 1, max: 366, value: cad.contact_days, size: 4 });
    const v = h('input', { type: 'number', name: 'visit_days', min: 1, max: 366, value: cad.visit_days, size: 4 });
    cadForm = h('form', { 'data-testid': 'li-cadence-form', class: 'inline' },
      h('label', {}, t('li_contact_days'), c), ' ', h('label', {}, t('li_visit_days'), v), ' ',
      h('button', { type: 'submit' }, t('li_cadence_save')));
    cadForm.addEventListener('submit', submit(cadForm, () => api('PUT', '/liaison/cadence',
      { contact_days: Number(c.value), visit_days: Number(v.value) }), t('li_cadence_saved')));
  }

  fill(main,
    h('h1', {}, t('li_title')),
    h('p', { 'data-testid': 'li-cadence' }, t('li_cadence', cad.contact_days, cad.visit_days)),
    cadForm, status,
    h('h2', {}, t('li_todo_title')), todoBlock,
    form,
    h('h2', {}, t('li_logs_title')), logBlock);
}
