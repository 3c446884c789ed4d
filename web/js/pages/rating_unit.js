// pages/rating_unit.js - one unit's 0–5A rating of one year (#/rating/:year/:unit, issue 15 §1):
// the result (score, applicable points, grade), the special items (特别说明项: vetoes, major
// events, why a 90-point unit is 4A), every deduction with a link to its evidence; the unit's
// self-evaluation form (per evaluation point a score from 0 to its points, a note and evidence
// files; an indicator marked inapplicable where the rubric allows) when the user may fill it in;
// the bureau's review (accept, or adjust a point's score with a reason) when the user may review.
// 打印 prints the report alone (the print stylesheet of app.css hides the header and the forms).
import { api, upload } from '../api.js';
import { h, t, fill, getLang, tableWrap, bjTime, actorOf, setTitle, unitLink } from '../ui.js';
import { gradeBadge, score2, pts, selfState, reviewState } from './rating.js';

const nameOf = (x) => (x ? (getLang() === 'en' ? x.name_en || x.name_zh : x.name_zh || x.name_en) : '');
const fileLink = (a) => h('a', { href: `/api/v1/attachments/${a.id}/content`, download: a.filename, 'data-attachment': a.id },
  a.filename, h('span', { class: 'muted' }, ` (${a.bytes} ${t('bytes')})`));

// A deduction's evidence as links to the records it comes from: the object names them by
// {kind, id} or by "<kind>_id" members ({kind: "finding", id, finding_id, rectification_id,
// project_code, title}); a missing internal-audit body links to the IA-body page.
const EVIDENCE = [
  ['finding', '#/findings/', 'rt_ev_finding'],
  ['rectification', '#/rectifications/', 'rt_ev_rectification'],
  ['project', '#/audits/', 'rt_ev_project'],
  ['warning', '#/warnings/', 'rt_ev_warning'],
  ['attachment', '/api/v1/attachments/', 'rt_ev_attachment'],
];
export function evidenceLink(ev) {
  if (!ev || typeof ev !== 'object') return t('rt_ev_system');
  const kind = ev.kind === 'overdue' ? 'rectification' : ev.kind;
  const links = [];
  for (const [k, base, label] of EVIDENCE) {
    const id = ev[k + '_id'] ?? (kind === k ? ev.id : null);
    if (id === null || id === undefined) continue;
    const href = base + id + (k === 'attachment' ? '/content' : '');
    const text = kind === k && ev.title ? `${t(label)}：${ev.title}` : `${t(label)} #${id}`;
    links.push(h('a', { href, 'data-evidence': k, 'data-evidence-id': id }, text));
  }
  if (links.length) return links.flatMap((l, i) => (i ? [h('br'), l] : [l]));
  if (kind === 'iabody' || kind === 'ia_body') return h('a', { href: '#/iabody', 'data-evidence': 'iabody' }, ev.title || t('rt_ev_iabody'));
  return ev.title || t('rt_ev_system');
}

const SPECIAL = ['veto', 'major_event', 'five_a_fail'];

export default async function unitRating({ main, params, me }) {
  const here = location.hash;
  const year = params.year;
  const code = params.unit;
  const base = `/units/${encodeURIComponent(code)}/rating/${encodeURIComponent(year)}`;
  const r = await api('GET', base);
  const rubric = await api('GET', '/rating/rubric' + (r.rubric_version ? `?version=${r.rubric_version}` : ''));
  if (location.hash !== here) return; // the user has moved on: do not draw over the next page
  draw(main, me, r, rubric, base);
}

function draw(main, me, r, rubric, base, message) {
  const inds = rubric.indicators || [];
  const point = new Map();
  const indOf = new Map();
  for (const ind of inds) {
    indOf.set(ind.code, ind);
    for (const p of ind.points_list || []) point.set(p.code, { ...p, indicator: ind.code });
  }
  const indName = (code) => (indOf.has(code) ? `${code} ${nameOf(indOf.get(code))}` : code || '—');
  const pointName = (code) => (point.has(code) ? `${code} ${nameOf(point.get(code))}` : code || '—');
  const self = r.self || { state: 'none', answers: [], inapplicable: [] };
  const review = r.review || { state: 'none', adjustments: [] };
  const res = r.result || {};
  const answers = new Map((self.answers || []).map((a) => [a.point, a]));
  const inapplicable = new Set(self.inapplicable || []);

  const status = h('p', { role: 'status', 'data-testid': 'rt-status' });
  const say = (text, bad) => { status.textContent = text; status.className = bad ? 'error' : 'ok'; };
  if (message) say(message);
  // Sends a request; on success redraws the page with the answer (the GET object) and a message.
  const send = async (buttons, run, done) => {
    buttons.forEach((b) => { b.disabled = true; });
    try {
      const obj = await run();
      draw(main, me, obj && obj.unit ? obj : await api('GET', base), rubric, base, done);
    } catch (e) {
      buttons.forEach((b) => { b.disabled = false; });
      if (e.status !== 401) say(e.status === undefined || !e.message ? t('error') : e.message, true);
    }
  };

  // ---- the result
  const special = (res.special || []).filter((s) => s);
  const resultCard = h('section', { class: 'card rt-result', 'data-testid': 'rt-result', 'aria-labelledby': 'rt-res-h' },
    h('h2', { id: 'rt-res-h' }, t('rt_result')),
    h('dl', { class: 'kv' },
      h('dt', {}, t('rt_grade')), h('dd', { 'data-testid': 'rt-grade' }, gradeBadge(res.grade)),
      h('dt', {}, t('rt_score')), h('dd', { 'data-testid': 'rt-score' }, score2(res.score)),
      h('dt', {}, t('rt_applicable')), h('dd', { 'data-testid': 'rt-applicable' }, pts(res.applicable)),
      res.veto ? [h('dt', {}, t('rt_veto')), h('dd', { 'data-testid': 'rt-veto' }, res.veto)] : null,
      h('dt', {}, t('rt_self')), h('dd', { 'data-testid': 'rt-self-state' }, selfState(self.state),
        self.filed_at ? ` · ${bjTime(self.filed_at)}` : '', self.filed_by ? ` · ${actorOf(self, 'filed_by')}` : '',
        self.late ? [' ', h('span', { class: 'badge overdue' }, t('rt_late'))] : null),
      h('dt', {}, t('rt_review')), h('dd', { 'data-testid': 'rt-review-state' }, reviewState(review.state),
        review.reviewed_at ? ` · ${bjTime(review.reviewed_at)}` : '', review.reviewed_by ? ` · ${actorOf(review, 'reviewed_by')}` : ''),
      h('dt', {}, t('rt_year_state')), h('dd', {}, r.published ? t('rt_published') : t('rt_unpublished')),
      h('dt', {}, t('rt_rubric')), h('dd', {}, r.rubric_version ? t('rt_rubric_v', r.rubric_version) : t('none')),
      inapplicable.size ? [h('dt', {}, t('rt_inapplicable')), h('dd', { 'data-testid': 'rt-inapplicable' }, [...inapplicable].map(indName).join('、'))] : null),
    h('h3', {}, t('rt_special')),
    special.length
      ? h('ul', { 'data-testid': 'rt-special' }, special.map((s) => h('li', { 'data-kind': s.kind },
        h('b', {}, t('rt_sp_' + (SPECIAL.includes(s.kind) ? s.kind : 'other'))), '：',
        // the reason often begins with the item's name ("未在截止日前报送自评（逾期报送）"): once
        s.reason && nameOf(s) && s.reason.startsWith(nameOf(s)) ? s.reason : [nameOf(s), s.reason].filter(Boolean).join(' — '))))
      : h('p', { class: 'muted', 'data-testid': 'rt-special-none' }, t('rt_special_none')),
    h('h3', {}, t('rt_deductions')),
    (res.deductions || []).length
      ? tableWrap(h('table', { 'data-testid': 'rt-deductions' },
        h('thead', {}, h('tr', {}, [t('rt_indicator'), t('rt_point'), t('rt_deduct'), t('rt_reason'), t('rt_evidence')].map((c) => h('th', { scope: 'col' }, c)))),
        h('tbody', {}, res.deductions.map((d) => h('tr', { 'data-indicator': d.indicator || '', 'data-point': d.point || '' },
          h('td', {}, indName(d.indicator)), h('td', {}, d.point ? pointName(d.point) : '—'),
          h('td', { class: 'num', 'data-col': 'deduct' }, pts(d.deduct),
            d.capped && d.deduct_full !== undefined && Number(d.deduct_full) !== Number(d.deduct)
              ? h('div', { class: 'muted small', 'data-capped': d.deduct_full }, t('rt_capped', pts(d.deduct_full))) : null),
          h('td', {}, getLang() === 'en' ? d.reason_en || d.reason || '' : d.reason || ''),
          h('td', { 'data-col': 'evidence' }, evidenceLink(d.evidence))))),
        h('tfoot', {}, h('tr', {}, h('th', { scope: 'row', colspan: 2 }, t('rt_deduct_total')),
          h('td', { class: 'num' }, pts(res.deductions.reduce((s, d) => s + Number(d.deduct || 0), 0))), h('td', { colspan: 2 })))))
      : h('p', { class: 'muted', 'data-testid': 'rt-no-deductions' }, t('rt_no_deductions')));

  // ---- the self-evaluation: a form when the user may fill it in, else what was filed
  const selfBlock = r.can_edit_self ? selfForm() : selfView();
  function selfView() {
    if (!(self.answers || []).length) return h('section', { class: 'card', 'data-testid': 'rt-self-view' }, h('h2', {}, t('rt_self_title')), h('p', { class: 'muted' }, t('rt_self_empty')));
    return h('section', { class: 'card', 'data-testid': 'rt-self-view' }, h('h2', {}, t('rt_self_title')),
      tableWrap(h('table', {},
        h('thead', {}, h('tr', {}, [t('rt_indicator'), t('rt_point'), t('rt_points'), t('rt_self_score'), t('rt_note'), t('rt_files')].map((c) => h('th', { scope: 'col' }, c)))),
        h('tbody', {}, inds.flatMap((ind) => (ind.points_list || []).map((p) => {
          const a = answers.get(p.code);
          return h('tr', { 'data-point': p.code },
            h('td', {}, indName(ind.code)), h('td', {}, nameOf(p)), h('td', { class: 'num' }, pts(p.points)),
            h('td', { class: 'num' }, inapplicable.has(ind.code) ? t('rt_na') : a ? pts(a.score) : '—'),
            h('td', {}, a && a.note ? a.note : ''), h('td', {}, (a && a.attachments ? a.attachments : []).map((f) => h('div', {}, fileLink(f)))));
        }))))));
  }
  function selfForm() {
    const rows = [];
    const fieldsets = inds.map((ind) => {
      const na = ind.may_be_inapplicable
        ? h('input', { type: 'checkbox', name: `na_${ind.code}`, checked: inapplicable.has(ind.code) ? true : null, 'data-na': ind.code })
        : null;
      const body = h('tbody', {}, (ind.points_list || []).map((p) => {
        const a = answers.get(p.code) || {};
        const score = h('input', { type: 'number', name: `score_${p.code}`, min: 0, max: p.points, step: 'any', size: 4,
          value: a.score ?? '', 'aria-label': `${p.code} ${t('rt_self_score')}（0–${pts(p.points)}）`, 'data-point': p.code });
        const note = h('textarea', { name: `note_${p.code}`, rows: 1, maxlength: 2000, 'aria-label': `${p.code} ${t('rt_note')}` }, a.note || '');
        const file = h('input', { type: 'file', name: `file_${p.code}`, multiple: true, 'aria-label': `${p.code} ${t('rt_files')}` });
        rows.push({ p, ind, score, note, file, a });
        return h('tr', { 'data-point': p.code },
          h('td', {}, h('b', {}, p.code), ' ', nameOf(p), p.criteria_zh || p.criteria_en
            ? h('div', { class: 'muted small' }, getLang() === 'en' ? p.criteria_en || p.criteria_zh : p.criteria_zh || p.criteria_en) : null),
          h('td', { class: 'num' }, pts(p.points)), h('td', {}, score), h('td', {}, note),
          h('td', {}, (a.attachments || []).map((f) => h('div', {}, fileLink(f))), file));
      }));
      const fs = h('fieldset', { class: 'rt-ind', 'data-indicator': ind.code },
        h('legend', {}, `${ind.code} ${nameOf(ind)}（${t('rt_points_v', pts(ind.points))}）`),
        na ? h('label', { class: 'check' }, na, t('rt_mark_na')) : null,
        tableWrap(h('table', {},
          h('thead', {}, h('tr', {}, [t('rt_point'), t('rt_points'), t('rt_self_score'), t('rt_note'), t('rt_files')].map((c) => h('th', { scope: 'col' }, c)))),
          body)));
      if (na) {
        const sync = () => { fs.classList.toggle('na', na.checked); body.querySelectorAll('input,textarea').forEach((el) => { el.disabled = na.checked; }); };
        na.addEventListener('change', sync);
        sync();
      }
      return fs;
    });
    const save = h('button', { type: 'submit', class: 'primary', 'data-testid': 'rt-save' }, t('rt_save_draft'));
    const file = h('button', { type: 'button', 'data-testid': 'rt-file' }, t('rt_file'));
    const form = h('form', { class: 'card rt-self-form no-print', 'data-testid': 'rt-self-form', novalidate: true }, // checked in body(), with our message
      h('h2', {}, t('rt_self_title')),
      h('p', { class: 'muted' }, t('rt_self_help'), r.self_eval_due ? ' ' + t('rt_self_due', r.self_eval_due) : ''),
      fieldsets, h('div', { class: 'actions' }, save, ' ', file));
    const progress = h('span', { class: 'muted', 'aria-live': 'polite' });
    form.append(progress);
    // The body of PUT …/self: the evidence files are uploaded first (the attachment endpoint), then
    // named by id in their answer; answers without a score are left out.
    const body = async () => {
      if (!form.reportValidity()) throw Object.assign(new Error(t('rt_bad_score')), { status: 0 });
      const out = { answers: [], inapplicable: [] };
      for (const ind of inds) if (form.elements.namedItem(`na_${ind.code}`)?.checked) out.inapplicable.push(ind.code);
      for (const x of rows) {
        if (out.inapplicable.includes(x.ind.code)) continue;
        const v = x.score.value.trim();
        const ids = [];
        for (const f of x.file.files) {
          const a = await upload(`/units/${encodeURIComponent(r.unit)}/attachments?filename=${encodeURIComponent(f.name)}`, f,
            (pc) => { progress.textContent = pc === null ? t('au_uploaded', f.name) : `${t('uploading')} ${f.name} ${pc}%`; });
          ids.push(a.id);
        }
        const note = x.note.value.trim();
        if (v === '' && !note && !ids.length) continue;
        const ans = { point: x.p.code, score: v === '' ? 0 : Number(v), note: note || undefined }; // unanswered points score 0
        if (ids.length) ans.attachment_ids = ids;
        out.answers.push(ans);
      }
      return out;
    };
    form.addEventListener('submit', (ev) => {
      ev.preventDefault();
      send([save, file], async () => api('PUT', base + '/self', await body()), t('rt_saved'));
    });
    file.addEventListener('click', () => send([save, file], async () => {
      await api('PUT', base + '/self', await body());
      return api('POST', base + '/self/file');
    }, t('rt_filed')));
    return form;
  }

  // ---- the bureau's review: accept as filed, or change points' scores, each with a reason
  let reviewBlock = null;
  const adjustments = review.adjustments || [];
  if (r.can_review) {
    const adj = new Map(adjustments.map((a) => [a.point, a]));
    const rows = [];
    const tbody = h('tbody', {}, inds.flatMap((ind) => (ind.points_list || []).map((p) => {
      const a = answers.get(p.code);
      const cur = adj.get(p.code);
      const score = h('input', { type: 'number', name: `rv_score_${p.code}`, min: 0, max: p.points, step: 'any', size: 4,
        value: cur ? cur.score : '', 'aria-label': `${p.code} ${t('rt_review_score')}（0–${pts(p.points)}）`, 'data-point': p.code });
      const reason = h('input', { name: `rv_reason_${p.code}`, maxlength: 500, size: 18, value: cur ? cur.reason || '' : '', 'aria-label': `${p.code} ${t('rt_reason')}` });
      rows.push({ p, score, reason });
      return h('tr', { 'data-point': p.code, class: inapplicable.has(ind.code) ? 'na' : null },
        h('td', {}, h('b', {}, p.code), ' ', nameOf(p)), h('td', { class: 'num' }, pts(p.points)),
        h('td', { class: 'num', 'data-col': 'self' }, inapplicable.has(ind.code) ? t('rt_na') : a ? pts(a.score) : '—'),
        h('td', {}, score), h('td', {}, reason));
    })));
    const accept = h('button', { type: 'button', 'data-testid': 'rt-accept' }, t('rt_accept'));
    const adjust = h('button', { type: 'submit', class: 'primary', 'data-testid': 'rt-adjust' }, t('rt_adjust'));
    const note = h('input', { name: 'rv_note', maxlength: 2000, size: 30 });
    const form = h('form', { class: 'card no-print', 'data-testid': 'rt-review-form', novalidate: true }, // the server checks, in its words
      h('h2', {}, t('rt_review_title')), h('p', { class: 'muted' }, t('rt_review_help')),
      tableWrap(h('table', {},
        h('thead', {}, h('tr', {}, [t('rt_point'), t('rt_points'), t('rt_self_score'), t('rt_review_score'), t('rt_reason')].map((c) => h('th', { scope: 'col' }, c)))),
        tbody)),
      h('label', {}, t('rt_review_note'), note),
      h('div', { class: 'actions' }, adjust, ' ', accept));
    form.addEventListener('submit', (ev) => {
      ev.preventDefault();
      // Every row with a score is an adjustment; the server requires its reason (and says so).
      const list = rows.filter((x) => x.score.value.trim() !== '')
        .map((x) => ({ point: x.p.code, score: Number(x.score.value), reason: x.reason.value.trim() }));
      if (!list.length) { say(t('rt_adjust_none'), true); return; }
      send([accept, adjust], () => api('POST', base + '/review', { adjustments: list, note: note.value.trim() || undefined }), t('rt_reviewed'));
    });
    accept.addEventListener('click', () => send([accept, adjust],
      () => api('POST', base + '/review', { adjustments: [], note: note.value.trim() || undefined }), t('rt_accepted')));
    reviewBlock = form;
  }
  const adjustView = adjustments.length
    ? h('section', { class: 'card', 'data-testid': 'rt-adjustments' }, h('h2', {}, t('rt_adjustments')),
      tableWrap(h('table', {},
        h('thead', {}, h('tr', {}, [t('rt_point'), t('rt_self_score'), t('rt_review_score'), t('rt_reason')].map((c) => h('th', { scope: 'col' }, c)))),
        h('tbody', {}, adjustments.map((a) => h('tr', { 'data-point': a.point },
          h('td', {}, pointName(a.point)), h('td', { class: 'num' }, answers.get(a.point) ? pts(answers.get(a.point).score) : '—'),
          h('td', { class: 'num' }, pts(a.score)), h('td', {}, a.reason || '')))))))
    : null;

  const title = `${r.unit_name || r.unit} · ${t('rt_title_year', r.year)}`;
  setTitle(title);
  fill(main,
    h('div', { class: 'titlebar' },
      h('h1', {}, r.unit_name || r.unit, ' ', h('span', { class: 'muted' }, t('rt_title_year', r.year))),
      h('span', { class: 'no-print' },
        h('a', { href: `#/rating?year=${encodeURIComponent(r.year)}` }, t('rt_back')), ' ',
        h('button', { type: 'button', class: 'secondary', 'data-testid': 'rt-print', onclick: () => window.print() }, t('rt_print')))),
    h('p', { class: 'rt-print-head' }, t('rt_report_of'), ' ', unitLink(r.unit, r.unit_name), ` · ${t('code')} ${r.unit}`),
    status,
    resultCard,
    adjustView,
    selfBlock,
    reviewBlock);
}
