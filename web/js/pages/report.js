// pages/report.js - one report (#/reports/:id, issue 16): the structured editor, section by section.
// Each section is a card: its numbered heading (一、二、…) and its blocks — a paragraph as a text
// area, a sub-heading as a line, a table read-only (drafted from the store), a problem or project
// ("item") as a group with one text area per field. Typing saves the section by itself about
// 1.5 s later (PUT …/sections/{key} with the version it was based on), every save a new version;
// the status line says 已自动保存 第N版 or why it failed (another person's save first: reload).
// Beside it: the versions (an old one opens read-only, ?version=N), the bureau's comments, the
// score card (the administrator enters the reviewer's points), the actions the server offers the
// viewer (报备 / 采纳 / 退回, a return needs a comment) and the exports (DOCX, 打印版, PDF).
import { api } from '../api.js';
import { h, t, fill, getLang, tableWrap, unitLink, bjTime, actorOf, setTitle } from '../ui.js';
import { kindName, stateBadge, lateBadge, points, subject, scrollBox } from './reports.js';

const SAVE_DELAY = 1500;
const NUMS = ['一', '二', '三', '四', '五', '六', '七', '八', '九', '十'];
// 1 -> 一, 12 -> 十二, 20 -> 二十
export function cn(n) {
  if (n <= 10) return NUMS[n - 1];
  if (n < 20) return '十' + NUMS[n - 11];
  if (n < 100) return NUMS[Math.floor(n / 10) - 1] + '十' + (n % 10 ? NUMS[(n % 10) - 1] : '');
  return String(n);
}
const ACTIONS = ['file', 'refile', 'accept', 'return'];
const FILE = ['file', 'refile']; // a returned report is filed again (refile) through the same request
const pick = (o, zh, en) => (getLang() === 'en' ? o[en] || o[zh] : o[zh] || o[en]);

export default async function report(ctx) {
  const { main, params, query } = ctx;
  const here = location.hash;
  const id = params.id;
  if (!/^\d+$/.test(id)) { const e = new Error(t('not_found')); e.status = 404; throw e; }
  const r = await api('GET', `/reports/${id}`);
  const v = /^\d+$/.test(query.get('version') || '') ? Number(query.get('version')) : 0;
  const old = v && v !== r.version ? await api('GET', `/reports/${id}/versions/${v}`) : null;
  let score = r.score;
  if (!score) score = await api('GET', `/reports/${id}/score`).catch((e) => { if (e.status === 401) throw e; return null; });
  if (location.hash !== here) return;
  draw(ctx, r, old, score);
}

function draw(ctx, r, old, score, message) {
  const { main, me } = ctx;
  const here = location.hash;
  const id = r.id;
  const status = h('p', { role: 'status', 'aria-live': 'polite', 'data-testid': 'rp-status', class: 'rp-status' });
  const say = (text, cls) => { status.textContent = text; status.className = 'rp-status ' + (cls || ''); };
  if (message) say(message, 'ok');
  const reload = async (text) => {
    if (location.hash !== here) return;
    const [r2, s2] = await Promise.all([api('GET', `/reports/${id}`), api('GET', `/reports/${id}/score`).catch(() => null)]);
    if (location.hash !== here) return;
    draw(ctx, r2, null, r2.score || s2, text);
  };
  // Sends a request with the buttons disabled; redraws with a message, or says why it was refused.
  const run = async (buttons, fn, text) => {
    buttons.forEach((b) => { b.disabled = true; });
    try { await fn(); await reload(text); } catch (e) {
      buttons.forEach((b) => { b.disabled = false; });
      if (e.status !== 401) say(e.status === undefined || !e.message ? t('error') : e.message, 'error');
    }
  };

  // ---- the header: kind, unit, what it is about, state, version, due dates, exports
  const versionLabel = h('span', { 'data-testid': 'rp-version', 'data-version': r.version }, t('rp_version_n', r.version));
  const exp = (fmt, label, attrs = {}) => {
    const q = `format=${fmt}${old ? '&version=' + old.version : ''}`;
    return h('a', { class: 'button', href: `/api/v1/reports/${id}/export?${q}`, 'data-testid': 'rp-export-' + fmt, ...attrs }, label);
  };
  const exportsBox = h('span', { class: 'rp-exports', 'data-testid': 'rp-exports' },
    exp('docx', t('rp_export_docx'), { download: '' }), ' ',
    exp('html', t('rp_export_html'), { target: '_blank', rel: 'noopener' }), ' ',
    exp('pdf', t('rp_export_pdf'), { download: '' }));
  const facts = h('dl', { class: 'kv rp-facts', 'data-testid': 'rp-facts' },
    h('dt', {}, t('rp_kind')), h('dd', { 'data-testid': 'rp-kind' }, kindName(r)),
    h('dt', {}, t('unit')), h('dd', {}, unitLink(r.unit_code, r.unit_name)),
    r.project_id ? [h('dt', {}, t('rp_project')), h('dd', {}, h('a', { href: '#/audits/' + r.project_id }, subject(r)))]
      : [h('dt', {}, t('rp_year')), h('dd', {}, t('rp_year_n', r.year))],
    h('dt', {}, t('rp_state')), h('dd', { 'data-testid': 'rp-state' }, stateBadge(r), r.late ? [' ', lateBadge()] : null),
    h('dt', {}, t('rp_col_version')), h('dd', {}, versionLabel,
      r.filed_version ? h('span', { class: 'muted' }, ' · ', t('rp_filed_version', r.filed_version)) : null),
    h('dt', {}, t('rp_col_due')), h('dd', { 'data-testid': 'rp-due' }, r.due || t('rp_due_unknown')),
    r.filed_at ? [h('dt', {}, t('rp_col_filed')), h('dd', {}, bjTime(r.filed_at))] : null,
    r.response_due ? [h('dt', {}, t('rp_response_due')), h('dd', { 'data-testid': 'rp-response-due' }, r.response_due)] : null,
    r.submission ? [h('dt', {}, t('rp_submission')), h('dd', { 'data-testid': 'rp-submission' },
      r.submission.to_cell_name || t('rp_bureau'), ' · ', r.submission.state_zh && getLang() !== 'en' ? r.submission.state_zh : t('sb_state_' + r.submission.state))] : null,
    h('dt', {}, t('rp_created')), h('dd', {}, actorOf(r, 'created_by'), ' · ', bjTime(r.created_at)));

  // ---- the document: the editor (the latest version, when the viewer may edit) or read-only
  let versionsBox = versionsCard(r, old);
  const editable = !old && r.editable;
  const editSet = new Set(r.editable_sections || []);
  const doc = old ? old.content : r.content;
  const saver = editable ? autosaver(r, say, (r2) => {
    r = r2;
    versionLabel.textContent = t('rp_version_n', r2.version);
    versionLabel.dataset.version = r2.version;
    versionsBox.replaceWith((versionsBox = versionsCard(r2, null)));
  }) : null;
  const sections = ((doc && doc.sections) || []).map((s, i) => sectionCard(s, i, editable && editSet.has(s.key), saver));
  const editor = h('div', { class: 'rp-editor', 'data-testid': 'rp-editor', 'data-editable': editable ? '1' : '0' },
    h('div', { class: 'rp-doc-head card' },
      h('p', { class: 'rp-doc-title', 'data-testid': 'rp-doc-title' }, (doc && doc.title) || r.title),
      doc && doc.doc_no ? h('p', { class: 'rp-doc-no muted' }, doc.doc_no) : null),
    sections,
    h('div', { class: 'card rp-doc-foot' },
      h('p', {}, (doc && doc.issuer) || ''), h('p', {}, doc && doc.date ? dateZh(doc.date) : '')));

  // ---- an old version: a banner back to the current one
  const banner = old ? h('p', { class: 'card rp-old', 'data-testid': 'rp-old' },
    t('rp_viewing_old', old.version, actorOf(old, 'author'), bjTime(old.created_at)), ' ',
    h('a', { href: '#/reports/' + id }, t('rp_back_current'))) : null;

  // ---- comments, score, actions
  const commentsBox = h('section', { class: 'card', 'data-testid': 'rp-comments', 'aria-labelledby': 'rp-c-h' },
    h('h2', { id: 'rp-c-h' }, t('rp_comments')),
    (r.comments || []).length
      ? h('ol', { class: 'rp-comments' }, r.comments.map((c) => h('li', { 'data-action': c.action },
        h('b', {}, (getLang() === 'en' ? t('rp_act_' + (ACTIONS.includes(c.action) ? c.action : 'other')) : c.action_zh || t('rp_act_' + c.action))),
        h('span', { class: 'muted' }, ` · ${t('rp_version_n', c.version)} · ${actorOf(c, 'by')} · ${bjTime(c.at)}`),
        c.comment ? h('p', { class: 'rp-comment-text' }, c.comment) : null)))
      : h('p', { class: 'muted' }, t('rp_no_comments')));
  const scoreBox = scoreCard(r, score, me, (buttons, fn) => run(buttons, fn, t('rp_score_saved')), say);
  const actionsBox = actionsCard(r, old, run, say, saver);
  const redraft = editable && !old
    ? h('button', { type: 'button', class: 'secondary', 'data-testid': 'rp-redraft' }, t('rp_redraft')) : null;
  if (redraft) redraft.addEventListener('click', () => run([redraft], () => api('POST', `/reports/${id}/redraft`), t('rp_redrafted')));

  setTitle(`${r.title || kindName(r)} · ${t('rp_title')}`);
  fill(main,
    h('div', { class: 'titlebar' },
      h('h1', {}, r.title || kindName(r)),
      h('span', { class: 'no-print' }, h('a', { href: '#/reports' }, t('rp_back')))),
    status,
    banner,
    h('div', { class: 'rp-layout' },
      h('div', { class: 'rp-main' }, editable ? h('p', { class: 'muted' }, t('rp_edit_help'), ' ', redraft) : !old && r.editable === false
        ? h('p', { class: 'muted', 'data-testid': 'rp-readonly' }, t('rp_readonly_' + (r.state === 'filed' || r.state === 'accepted' ? r.state : 'other'))) : null,
      editor),
      h('aside', { class: 'rp-side' },
        h('section', { class: 'card', 'aria-labelledby': 'rp-f-h' }, h('h2', { id: 'rp-f-h' }, t('rp_facts')), facts, exportsBox),
        actionsBox, commentsBox, scoreBox, versionsBox)));
}

// "2026-12-06" -> "2026年12月6日"
function dateZh(d) {
  const m = /^(\d{4})-(\d\d)-(\d\d)$/.exec(d || '');
  return m ? `${m[1]}年${Number(m[2])}月${Number(m[3])}日` : d || '';
}

/* ---- one section --------------------------------------------------------------------------------- */

// A section card. Editable: its paragraphs and item fields as text areas, headings as lines, and
// "添加段落"; collect() gives back the section's blocks with what was typed.
function sectionCard(s, i, editable, saver) {
  const blocks = (s.blocks || []).map((b) => ({ ...b }));
  const body = h('div', { class: 'rp-blocks' });
  const heading = `${cn(i + 1)}、${pick(s, 'heading', 'heading_en') || s.heading || s.key}`;
  const changed = () => saver.touch(s.key, () => blocks.filter((b) => !(b.type === 'p' && b._new && !b.text.trim())).map(strip));
  let h2n = 0, h3n = 0;
  const draw = () => {
    h2n = 0; h3n = 0;
    fill(body, blocks.length ? blocks.map((b, j) => blockView(b, j)) : h('p', { class: 'muted rp-empty' }, t('rp_section_empty')));
  };
  const label = (b, j) => `${heading} ${t('rp_block_' + (['p', 'h2', 'h3'].includes(b.type) ? b.type : 'p'))} ${j + 1}`;
  const blockView = (b, j) => {
    if (b.type === 'h2' || b.type === 'h3') {
      const num = b.type === 'h2' ? `（${cn(++h2n)}）` : `${++h3n}.`;
      if (b.type === 'h2') h3n = 0;
      if (!editable) return h(b.type === 'h2' ? 'h3' : 'h4', { class: 'rp-' + b.type }, num, b.text || '');
      const input = h('input', { type: 'text', class: 'rp-' + b.type, name: `${s.key}.${j}`, value: b.text || '', 'aria-label': label(b, j), maxlength: 500 });
      input.addEventListener('input', () => { b.text = input.value; changed(); });
      return h('div', { class: 'rp-hline' }, h('span', { class: 'rp-num', 'aria-hidden': 'true' }, num), input);
    }
    if (b.type === 'table') return tableBlock(b);
    if (b.type === 'item') {
      const num = `（${cn(++h2n)}）`;
      h3n = 0;
      const fields = (b.fields || []).map((fl) => ({ ...fl }));
      b.fields = fields;
      const refLink = b.ref && b.ref.kind === 'finding' && b.ref.id ? h('a', { href: '#/findings/' + b.ref.id, class: 'small' }, t('rp_open_finding'))
        : b.ref && b.ref.kind === 'project' && b.ref.id ? h('a', { href: '#/audits/' + b.ref.id, class: 'small' }, t('rp_open_project')) : null;
      if (!editable) {
        return h('div', { class: 'rp-item', 'data-item': j },
          h('h3', { class: 'rp-h2' }, num, b.title || '', refLink ? [' ', refLink] : null),
          fields.filter((fl) => (fl.text || '').trim()).map((fl) => h('p', {}, h('b', {}, `${fl.label}：`), fl.text)));
      }
      return h('fieldset', { class: 'rp-item', 'data-item': j },
        h('legend', {}, num, b.title || '', refLink ? [' ', refLink] : null),
        fields.map((fl) => {
          const ta = h('textarea', { name: `${s.key}.${j}.${fl.key}`, rows: rowsFor(fl.text), maxlength: 20000 }, fl.text || '');
          ta.addEventListener('input', () => { fl.text = ta.value; grow(ta); changed(); });
          return h('label', { class: 'rp-field', 'data-field': fl.key }, fl.label, ta);
        }));
    }
    // a paragraph ("\n" splits paragraphs)
    if (!editable) return (b.text || '').split('\n').filter((x) => x.trim()).map((x) => h('p', { class: 'rp-p' }, x));
    const ta = h('textarea', { name: `${s.key}.${j}`, class: 'rp-p', rows: rowsFor(b.text), 'aria-label': label(b, j), maxlength: 50000 }, b.text || '');
    ta.addEventListener('input', () => { b.text = ta.value; grow(ta); changed(); });
    return ta;
  };
  draw();
  const add = editable ? h('button', { type: 'button', class: 'secondary small', 'data-testid': 'rp-add-' + s.key }, t('rp_add_paragraph')) : null;
  if (add) {
    add.addEventListener('click', () => {
      blocks.push({ type: 'p', text: '', _new: true });
      draw();
      const tas = body.querySelectorAll('textarea.rp-p');
      if (tas.length) tas[tas.length - 1].focus();
    });
  }
  return h('section', { class: 'card rp-section' + (editable ? ' editable' : ''), 'data-testid': 'rp-section-' + s.key, 'data-section': s.key,
    'aria-labelledby': 'rp-s-' + s.key },
  h('h2', { id: 'rp-s-' + s.key }, heading, s.required ? h('span', { class: 'rp-req', title: t('rp_required') }, ' ', t('rp_required_mark')) : null,
    editable ? null : h('span', { class: 'muted small' }, ' ', saver ? t('rp_section_locked') : '')),
  body, add);
}

function strip(b) {
  const o = { ...b };
  delete o._new;
  if (o.fields) o.fields = o.fields.map((f) => ({ ...f }));
  return o;
}
const rowsFor = (text) => Math.min(12, Math.max(2, Math.ceil(((text || '').length + 1) / 40) + ((text || '').match(/\n/g) || []).length));
function grow(ta) { ta.rows = rowsFor(ta.value); }

function tableBlock(b) {
  const cols = b.columns || [];
  const rows = b.rows || [];
  return scrollBox(tableWrap(h('table', { class: 'rp-table' },
    b.caption ? h('caption', {}, b.caption) : null,
    h('thead', {}, h('tr', {}, cols.map((c) => h('th', { scope: 'col' }, c)))),
    h('tbody', {}, rows.length ? rows.map((row) => h('tr', {}, row.map((c, k) =>
      h('td', { class: /^-?[\d,]+(\.\d+)?%?$/.test(String(c)) && k > 0 ? 'num' : null }, c ?? ''))))
      : h('tr', {}, h('td', { colspan: Math.max(1, cols.length), class: 'muted' }, t('rp_table_empty')))))), b.caption || t('rp_table'));
}

/* ---- autosave ------------------------------------------------------------------------------------ */

// One save at a time, each against the version the page last had; a section typed into while a
// save runs is saved again after it. 409 (another save came first) stops saving: reload.
function autosaver(r0, say, onSaved) {
  let version = r0.version;
  const pending = new Map(); // key -> collect()
  let timer = null, running = null, stopped = false;
  const here = location.hash;
  const flush = async () => {
    timer = null;
    if (running || stopped || !pending.size) return running;
    let done;
    running = new Promise((res) => { done = res; });
    const [key, collect] = pending.entries().next().value;
    pending.delete(key);
    say(t('rp_saving'), 'busy');
    try {
      const r = await api('PUT', `/reports/${r0.id}/sections/${encodeURIComponent(key)}`, { blocks: collect(), base_version: version });
      version = r.version;
      if (location.hash === here) {
        onSaved(r);
        say(t('rp_autosaved', r.version, bjTime(new Date().toISOString())), 'ok');
      }
    } catch (e) {
      if (e.status === 401) { stopped = true; running = null; done(); return; }
      if (e.status === 409) {
        stopped = true;
        say(t('rp_conflict'), 'error');
        status409(say);
      } else {
        pending.set(key, pending.get(key) || collect); // try again with the next keystroke
        say(t('rp_save_failed', e.status === undefined || !e.message ? t('error') : e.message), 'error');
      }
    }
    running = null;
    done();
    if (pending.size && !stopped) timer = setTimeout(flush, 50);
  };
  // Leaving the page saves what is typed at once.
  const leave = () => { window.removeEventListener('hashchange', leave); if (timer) { clearTimeout(timer); flush(); } };
  window.addEventListener('hashchange', leave);
  return {
    // Saves what is pending now and resolves once nothing is left to save.
    async settle() {
      for (let i = 0; i < 20 && !stopped && (timer || running || pending.size); i++) {
        if (timer) { clearTimeout(timer); timer = null; }
        await (running || flush());
      }
    },
    touch(key, collect) {
      if (stopped) return;
      pending.set(key, collect);
      say(t('rp_unsaved'), 'busy');
      if (timer) clearTimeout(timer);
      timer = setTimeout(flush, SAVE_DELAY);
    },
  };
}
function status409(say) {
  const el = document.querySelector('[data-testid="rp-status"]');
  if (!el) return;
  el.append(' ', h('button', { type: 'button', 'data-testid': 'rp-reload', onclick: () => window.dispatchEvent(new HashChangeEvent('hashchange')) }, t('rp_reload')));
  void say;
}

/* ---- versions, score, actions -------------------------------------------------------------------- */

function versionsCard(r, old) {
  const list = r.versions || [];
  return h('section', { class: 'card', 'data-testid': 'rp-versions', 'aria-labelledby': 'rp-v-h' },
    h('h2', { id: 'rp-v-h' }, t('rp_versions'), ' ', h('span', { class: 'muted small' }, t('rp_versions_n', list.length))),
    list.length ? h('ol', { class: 'rp-versions', reversed: true }, list.map((v) => h('li', { 'data-version': v.version, class: old && old.version === v.version ? 'current' : null },
      v.version === r.version && !old ? h('b', {}, t('rp_version_n', v.version), ' ', t('rp_latest'))
        : h('a', { href: `#/reports/${r.id}${v.version === r.version ? '' : '?version=' + v.version}`, 'aria-current': old && old.version === v.version ? 'page' : null },
          t('rp_version_n', v.version)),
      v.filed ? [' ', h('span', { class: 'badge ok' }, t('rp_filed_mark'))] : null,
      h('div', { class: 'muted small' }, `${actorOf(v, 'author')} · ${bjTime(v.created_at)}`))))
      : h('p', { class: 'muted' }, t('rp_no_versions')));
}

function scoreCard(r, score, me, run, say) {
  const box = h('section', { class: 'card', 'data-testid': 'rp-score', 'aria-labelledby': 'rp-sc-h' }, h('h2', { id: 'rp-sc-h' }, t('rp_score')));
  if (!score || !(score.criteria || []).length) { box.append(h('p', { class: 'muted' }, t('rp_score_none'))); return box; }
  const admin = me.user.role === 'admin';
  const inputs = [];
  const rows = score.criteria.map((c) => {
    const name = pick(c, 'name_zh', 'name_en') || t('rp_criterion');
    const input = admin ? h('input', { type: 'number', name: 'sc_' + c.code, min: 0, max: c.max, step: 0.5, size: 4,
      value: c.by && c.points !== null && c.points !== undefined ? c.points : '',
      'aria-label': `${name} ${t('rp_reviewer_points')}（0–${c.max}）`, 'data-criterion': c.code }) : null;
    if (input) inputs.push([c, input]);
    return h('tr', { 'data-criterion': c.code },
      h('td', {}, name, h('div', { class: 'muted small' }, pick(c, 'basis_zh', 'basis_en') || '')),
      h('td', { class: 'num nowrap', 'data-col': 'points' }, c.points === null || c.points === undefined ? h('span', { class: 'muted' }, t('rp_to_review')) : points(c.points),
        ` / ${points(c.max)}`),
      // a criterion without points (评价意见 until the bureau scores it) is the reviewer's to give
      h('td', { class: 'small', 'data-col': 'source' }, c.by ? t('rp_by_reviewer') : c.auto && c.points !== null && c.points !== undefined ? t('rp_auto') : t('rp_reviewer_only')),
      admin ? h('td', {}, input) : null);
  });
  box.append(
    h('p', { class: 'rp-total' }, t('rp_score_total'), ' ', h('b', { 'data-testid': 'rp-score-total' }, points(score.total)), ' ',
      h('span', { class: 'muted small' }, score.version ? t('rp_score_of_version', score.version) : '')),
    tableWrap(h('table', { class: 'rp-score' },
      h('thead', {}, h('tr', {}, [t('rp_criterion'), t('rp_points'), t('rp_source'), admin ? t('rp_reviewer_points') : null]
        .filter(Boolean).map((c) => h('th', { scope: 'col' }, c)))),
      h('tbody', {}, rows))));
  if (admin) {
    const save = h('button', { type: 'button', class: 'primary', 'data-testid': 'rp-score-save' }, t('rp_score_save'));
    save.addEventListener('click', () => {
      const scores = {};
      for (const [c, input] of inputs) {
        if (input.value.trim() === '') continue;
        const v = Number(input.value);
        if (Number.isNaN(v) || v < 0 || v > c.max) { say(t('rp_score_bad', pick(c, 'name_zh', 'name_en'), c.max), 'error'); input.focus(); return; }
        scores[c.code] = v;
      }
      if (!Object.keys(scores).length) { say(t('rp_score_empty'), 'error'); return; }
      run([save], () => api('PUT', `/reports/${r.id}/score`, { scores }));
    });
    box.append(h('p', { class: 'muted small' }, t('rp_score_help')), h('div', { class: 'actions' }, save));
  }
  return box;
}

function actionsCard(r, old, run, say, saver) {
  const acts = (r.actions || []).filter((a) => ACTIONS.includes(a.action));
  const box = h('section', { class: 'card', 'data-testid': 'rp-actions', 'aria-labelledby': 'rp-a-h' }, h('h2', { id: 'rp-a-h' }, t('rp_actions')));
  if (old || !acts.length) {
    box.append(h('p', { class: 'muted' }, old ? t('rp_actions_old') : t('rp_actions_none_' + (['filed', 'accepted'].includes(r.state) ? r.state : 'other'))));
    return box;
  }
  const review = acts.some((a) => !FILE.includes(a.action));
  const comment = review ? h('textarea', { name: 'comment', rows: 3, maxlength: 4000, 'data-testid': 'rp-comment' }) : null;
  const buttons = [];
  for (const a of acts) {
    const b = h('button', { type: 'button', class: a.action === 'return' ? 'secondary' : 'primary', 'data-action': a.action, 'data-testid': 'rp-' + (FILE.includes(a.action) ? 'file' : a.action) },
      (getLang() === 'en' ? a.label_en || a.label_zh : a.label_zh || a.label_en) || t('rp_act_' + a.action));
    b.addEventListener('click', () => {
      // what was typed is saved first: filing freezes the latest version
      if (FILE.includes(a.action)) {
        run(buttons, async () => { if (saver) await saver.settle(); return api('POST', `/reports/${r.id}/file`); }, t('rp_filed_done'));
        return;
      }
      const text = comment.value.trim();
      if (a.action === 'return' && !text) { say(t('rp_return_needs_comment'), 'error'); comment.focus(); return; }
      run(buttons, () => api('POST', `/reports/${r.id}/review`, { action: a.action, comment: text || undefined }),
        t(a.action === 'accept' ? 'rp_accepted_done' : 'rp_returned_done'));
    });
    buttons.push(b);
  }
  return fill(box, box.firstChild,
    acts.some((a) => FILE.includes(a.action)) ? h('p', { class: 'muted small' }, r.state === 'returned' ? t('rp_refile_help') : t('rp_file_help')) : null,
    comment ? h('label', {}, t('rp_comment_label'), comment) : null,
    h('div', { class: 'actions' }, buttons));
}
