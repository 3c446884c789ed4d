// pages/assess.js - the internal-audit performance assessment (内审工作绩效考核, issue 15 §2).
// #/assess?year=&cell= ranks the year's units (区排名, 网格内排名, every indicator's score of its
// maximum, the total and the state), filtered by grid cell, with the XLSX of the same filter and,
// for the bureau's administrator once every unit has its final score, publishing.
// #/assess/:year/:unit is one unit's assessment: every item with its source and basis, the unit's
// self-assessment of the entered items (evidence uploaded as attachments), the department's and
// the bureau's review (adjust a score with a reason, or accept), and the change history. Who may do
// what is the server's answer (can_self, can_dept, can_bureau); the page only draws it.
import { api, upload } from '../api.js';
import { h, t, fill, getLang, tableWrap, unitLink, actor, actorOf, bjTime, setTitle } from '../ui.js';

const STATES = ['none', 'self', 'dept', 'bureau', 'published'];
const STAGES = ['self', 'dept', 'bureau'];

// 17.5 -> "17.5", 20 -> "20", -5 -> "−5"; a missing score is a dash, never "null".
export function score(x) {
  if (x === null || x === undefined || x === '' || Number.isNaN(Number(x))) return '—';
  const s = String(Math.round(Number(x) * 100) / 100);
  return s.startsWith('-') ? '−' + s.slice(1) : s;
}
// A state in words; a saved but unsubmitted self-assessment (draft) is 自评中.
export const stateName = (s, draft) => (s === 'none' && draft ? t('as_state_draft')
  : STATES.includes(s) ? t('as_state_' + s) : t('as_state_none'));
const stageName = (s) => (STAGES.includes(s) ? t('as_stage_' + s) : t('as_stage_other'));
const sourceName = (s) => t(s === 'data' ? 'as_source_data' : 'as_source_entered');

// The rubric: its groups (组织建设 20, 计划执行 20, …, 加分项, 扣分项) and their indicators by code,
// for names (an item carries its code), bounds and who enters it.
let rubricCache = null;
async function rubric() {
  if (!rubricCache) rubricCache = api('GET', '/assess/rubric').catch((e) => { rubricCache = null; throw e; });
  return rubricCache;
}
const pick = (o) => (getLang() === 'en' ? o.name_en || o.name_zh : o.name_zh || o.name_en);
function namer(rb) {
  const by = new Map((rb.indicators || []).map((x) => [x.code, x]));
  return (it) => {
    const r = by.get(it.indicator) || {};
    return pick({ name_zh: it.name_zh || r.name_zh, name_en: it.name_en || r.name_en }) || t('as_indicator_unnamed');
  };
}
const rubricItem = (rb, code) => (rb.indicators || []).find((x) => x.code === code) || {};
// An item's bounds: max and min of the item, else of the rubric (a penalty runs from min to 0).
const hiOf = (it, r = {}) => Number(it.max ?? r.max ?? 0);
const loOf = (it, r = {}) => Number(it.min ?? r.min ?? Math.min(0, hiOf(it, r)));
// The group columns of the ranking: each group's score is the sum of its items.
function groupsOf(rb) {
  const groups = (rb.groups || []).map((g) => ({ code: g.code, kind: g.kind, name: pick(g), max: g.max, min: g.min,
    codes: new Set(g.indicators || []) }));
  for (const x of rb.indicators || []) groups.find((g) => g.code === x.group)?.codes.add(x.code);
  return groups;
}
const groupScore = (g, items) => {
  const mine = items.filter((it) => it.group === g.code || g.codes.has(it.indicator));
  return mine.length ? mine.reduce((a, it) => a + Number(it.score || 0), 0) : null;
};
const bound = (g) => (g.kind === 'penalty' ? g.min : g.max);
// "17.5 / 20"; a penalty item (扣分项: 0 down to its min) is its score alone.
function scoreOfMax(rb, it) {
  const g = (rb.groups || []).find((x) => x.code === (it.group || rubricItem(rb, it.indicator).group));
  if ((g && g.kind === 'penalty') || it.max === null || it.max === undefined) return score(it.score);
  return `${score(it.score)} / ${score(it.max)}`;
}

const yearNow = () => Number(new Date(Date.now() + 8 * 3600e3).toISOString().slice(0, 4));

export default async function assess(ctx) {
  if (ctx.params.year && ctx.params.unit) return unitPage(ctx);
  return rankingPage(ctx);
}

/* ---- #/assess: the ranking table -------------------------------------------------------------- */

async function rankingPage({ main, query, me }) {
  const here = location.hash;
  const year = /^\d{4}$/.test(query.get('year') || '') ? Number(query.get('year')) : yearNow() - 1;
  const cell = query.get('cell') || '';
  const qs = cell ? `?cell=${encodeURIComponent(cell)}` : '';
  const [rb, full, shown] = await Promise.all([rubric(), api('GET', `/assess/years/${year}`),
    cell ? api('GET', `/assess/years/${year}${qs}`) : null]);
  if (location.hash !== here) return;
  const res = shown || full;
  const admin = me.user.role === 'admin';
  const groups = groupsOf(rb);
  const itemsOf = (u) => u.items || u.result?.items || [];
  const status = h('p', { role: 'status', 'aria-live': 'polite', 'data-testid': 'as-status' });
  const go = (y, c) => { location.hash = `#/assess?year=${y}${c ? '&cell=' + encodeURIComponent(c) : ''}`; };

  // The filters: the year and the cell (the cells of the year's units).
  const cells = [...new Map(full.items.filter((u) => u.cell_id).map((u) => [u.cell_id, u.cell_name || u.cell_id])).entries()]
    .sort((a, b) => a[0].localeCompare(b[0]));
  const years = [];
  for (let y = yearNow(); y >= Math.min(year, yearNow() - 4); y--) years.push(y);
  if (!years.includes(year)) years.push(year);
  const yearSel = h('select', { name: 'year', 'data-testid': 'as-year' },
    years.map((y) => h('option', { value: y, selected: y === year ? true : null }, t('as_year_n', y))));
  const cellSel = h('select', { name: 'cell', 'data-testid': 'as-cell' },
    h('option', { value: '' }, t('as_all_cells')),
    cells.map(([id, n]) => h('option', { value: id, selected: id === cell ? true : null }, n)));
  yearSel.addEventListener('change', () => go(yearSel.value, ''));
  cellSel.addEventListener('change', () => go(year, cellSel.value));
  const filters = h('form', { class: 'filters', 'data-testid': 'as-filters', onsubmit: (ev) => ev.preventDefault() },
    h('label', {}, t('as_year'), yearSel), h('label', {}, t('as_cell'), cellSel));

  const exportLink = h('a', { class: 'button', href: `/api/v1/assess/years/${year}/export.xlsx${qs}`, download: '',
    'data-testid': 'as-export', title: t('as_export_title') }, t('as_export'));

  // Publishing: the administrator, once every unit of the year has the bureau's final score.
  const allFinal = full.items.length > 0 && full.items.every((u) => u.state === 'bureau');
  let publish = null;
  if (admin && !full.published) {
    publish = h('button', { type: 'button', class: 'primary', 'data-testid': 'as-publish', disabled: allFinal ? null : true,
      title: allFinal ? null : t('as_publish_wait') }, t('as_publish'));
    publish.addEventListener('click', async () => {
      publish.disabled = true;
      try {
        await api('POST', `/assess/years/${year}/publish`);
        await rankingPage({ main, query, me });
        const s = main.querySelector('[data-testid="as-status"]');
        if (s) { s.textContent = t('as_published_done', year); s.className = 'ok'; }
      } catch (e) {
        publish.disabled = false;
        if (e.status !== 401) { status.textContent = e.message; status.className = 'error'; }
      }
    });
  }
  const summary = h('p', { 'data-testid': 'as-summary' },
    t('as_summary', year, res.items.length), ' · ',
    full.published ? h('span', { class: 'badge ok', 'data-published': '1' }, t('as_state_published'))
      : h('span', { class: 'badge', 'data-published': '0' }, t('as_not_published')),
    // How many units stand at each state (the whole year as the user may see it).
    full.counts ? h('span', { class: 'muted', 'data-testid': 'as-counts' }, ' · ',
      STATES.filter((k) => full.counts[k]).map((k) => `${stateName(k)} ${full.counts[k]}`).join('，')) : null,
    admin && !full.published && !allFinal ? h('span', { class: 'muted' }, ' ', t('as_publish_wait')) : null);

  const rankCol = cell ? 'rank_cell' : 'rank_district';
  const cols = [t('as_rank_district'), t('as_rank_cell'), t('as_unit'), t('as_cell'),
    ...groups.map((g) => `${g.name}${bound(g) !== undefined && bound(g) !== null ? `（${score(bound(g))}）` : ''}`),
    t('as_total'), t('as_state')];
  const row = (u) => {
    return h('tr', { 'data-unit': u.unit, 'data-total': u.total, 'data-rank': u[rankCol], 'data-state': u.state },
      h('td', { class: 'num', 'data-col': 'rank_district' }, u.rank_district ?? '—'),
      h('td', { class: 'num', 'data-col': 'rank_cell' }, u.rank_cell ?? '—'),
      h('td', { 'data-col': 'unit' }, h('a', { href: `#/assess/${year}/${encodeURIComponent(u.unit)}`, title: `${t('code')} ${u.unit}` }, u.unit_name || u.unit),
        h('div', { class: 'muted small' }, u.unit)),
      h('td', { 'data-col': 'cell' }, u.cell_name || t('none')),
      groups.map((g) => {
        const v = groupScore(g, itemsOf(u));
        return h('td', { class: 'num nowrap', 'data-group': g.code, 'data-score': v ?? '' },
          v === null ? '—' : g.kind === 'penalty' ? score(v) : `${score(v)} / ${score(g.max)}`);
      }),
      h('td', { class: 'num', 'data-col': 'total' }, h('b', {}, score(u.total))),
      h('td', { 'data-col': 'state', class: 'nowrap' }, h('span', { class: `astate ${STATES.includes(u.state) ? u.state : 'none'}` }, stateName(u.state, u.draft))));
  };
  const table = res.items.length
    ? tableWrap(h('table', { 'data-testid': 'as-ranking', class: 'assess' },
      h('caption', {}, cell ? t('as_caption_cell', year, cells.find(([id]) => id === cell)?.[1] || t('none')) : t('as_caption', year)),
      h('thead', {}, h('tr', {}, cols.map((c) => h('th', { scope: 'col' }, c)))),
      h('tbody', {}, res.items.map(row))))
    : h('p', { class: 'muted', 'data-testid': 'as-empty' }, t('as_none', year));

  setTitle(`${t('as_title')} · ${t('as_year_n', year)}`);
  fill(main,
    h('div', { class: 'titlebar' }, h('h1', {}, t('as_title')), exportLink),
    filters, summary, publish, status, table,
    h('p', { class: 'muted' }, t('as_rank_note')));
}

/* ---- #/assess/:year/:unit: one unit's assessment ---------------------------------------------- */

async function unitPage(ctx) {
  const { main, params } = ctx;
  const here = location.hash;
  const year = params.year, code = params.unit;
  const [rb, a] = await Promise.all([rubric(), api('GET', `/units/${encodeURIComponent(code)}/assess/${encodeURIComponent(year)}`)]);
  if (location.hash !== here) return;
  const name = namer(rb);
  const result = a.result || {};
  const items = result.items || [];
  const entered = new Map((a.entered || []).map((x) => [x.indicator, x]));
  const status = h('p', { role: 'status', 'aria-live': 'polite', 'data-testid': 'as-status' });
  const say = (text, bad) => { status.textContent = text; status.className = bad ? 'error' : 'ok'; };
  const reload = async (text) => {
    if (location.hash !== here) return;
    await unitPage(ctx);
    const s = main.querySelector('[data-testid="as-status"]');
    if (s && text) { s.textContent = text; s.className = 'ok'; }
  };
  // Runs a form's request(s); shows the server's refusal in the user's language.
  const submit = (form, run, done) => async (ev) => {
    ev.preventDefault();
    const buttons = [...form.querySelectorAll('button')];
    buttons.forEach((b) => { b.disabled = true; });
    try { await run(ev); await reload(done(ev)); } catch (e) {
      buttons.forEach((b) => { b.disabled = false; });
      if (e.status !== 401) say(e.status === undefined ? t('error') : e.message, true); // a network failure has no words of ours
    }
  };

  // ---- every item, under its group with the group's score
  const groups = groupsOf(rb);
  const ungrouped = items.filter((it) => !groups.some((g) => it.group === g.code || g.codes.has(it.indicator)));
  const itemRow = (it) => {
    const e = entered.get(it.indicator);
    return h('tr', { 'data-ind': it.indicator, 'data-source': it.source },
      h('th', { scope: 'row' }, name(it)),
      h('td', { class: 'num nowrap', 'data-col': 'score' }, scoreOfMax(rb, it)),
      h('td', { class: 'nowrap' }, h('span', { class: `badge src-${it.source === 'data' ? 'data' : 'entered'}` }, sourceName(it.source))),
      h('td', { class: 'body' }, basisOf(it, e)),
      h('td', {}, files(e)));
  };
  const body = [];
  for (const g of groups) {
    const mine = items.filter((it) => it.group === g.code || g.codes.has(it.indicator));
    if (!mine.length) continue;
    const v = groupScore(g, mine);
    body.push(h('tr', { class: 'group', 'data-group': g.code },
      h('th', { scope: 'rowgroup', colspan: 5 }, g.name, ' ', h('span', { class: 'num' },
        g.kind === 'penalty' ? score(v) : `${score(v)} / ${score(g.max)}`))));
    body.push(...mine.map(itemRow));
  }
  body.push(...ungrouped.map(itemRow));
  const itemTable = tableWrap(h('table', { 'data-testid': 'as-items', class: 'assess' },
    h('thead', {}, h('tr', {}, [t('as_indicator'), t('as_score'), t('as_source'), t('as_basis'), t('as_evidence')].map((c) => h('th', { scope: 'col' }, c)))),
    h('tbody', {}, body),
    h('tfoot', {}, h('tr', {}, h('th', { scope: 'row' }, t('as_total')),
      h('td', { class: 'num', 'data-testid': 'as-total' }, h('b', {}, score(result.total))), h('td', { colspan: 3 },
        t('as_ranks', result.rank_district ?? '—', result.rank_cell ?? '—'))))));

  // ---- the self-assessment of the entered items
  let selfForm = null;
  const enteredItems = items.filter((it) => it.source === 'entered' && rubricItem(rb, it.indicator).entered_by !== 'bureau');
  if (a.can_self && enteredItems.length) {
    const rows = enteredItems.map((it) => {
      const e = entered.get(it.indicator) || {};
      const lo = loOf(it, rubricItem(rb, it.indicator));
      const hi = Math.max(0, hiOf(it, rubricItem(rb, it.indicator)));
      const sc = h('input', { type: 'number', name: `score_${it.indicator}`, min: lo, max: hi, step: '0.5', size: 5,
        value: e.score ?? '', 'aria-label': `${name(it)} ${t('as_score')}` });
      const basis = h('textarea', { name: `basis_${it.indicator}`, rows: 2, maxlength: 2000, 'aria-label': `${name(it)} ${t('as_basis')}` }, e.basis || '');
      const file = h('input', { type: 'file', name: `file_${it.indicator}`, multiple: true, 'aria-label': `${name(it)} ${t('as_evidence_add')}` });
      return { it, e, sc, basis, file, lo, hi };
    });
    selfForm = h('form', { class: 'card stack', 'data-testid': 'as-self-form', novalidate: true }, // the page says what is wrong, in words
      h('h2', {}, t('as_self_title')),
      h('p', { class: 'muted' }, t('as_self_hint')),
      rows.map((r) => h('fieldset', { class: 'as-item', 'data-ind': r.it.indicator },
        h('legend', {}, `${name(r.it)}（${t('as_max_n', score(r.it.max))}）`),
        // What the system knows that helps (B1: the year's competitions in the training record).
        r.e.hint && (r.e.hint.text_zh || r.e.hint.text_en)
          ? h('p', { class: 'muted', 'data-testid': 'as-hint' }, t('as_hint'), getLang() === 'en' ? r.e.hint.text_en || r.e.hint.text_zh : r.e.hint.text_zh || r.e.hint.text_en)
          : null,
        h('div', { class: 'row top' },
          h('label', {}, t('as_score'), r.sc),
          h('label', { class: 'grow' }, t('as_basis'), r.basis),
          h('label', {}, t('as_evidence_add'), r.file)),
        files(r.e))),
      h('div', { class: 'row' },
        h('button', { type: 'submit', class: 'secondary', value: 'save', 'data-testid': 'as-self-save' }, t('as_self_save')),
        h('button', { type: 'submit', class: 'primary', value: 'submit', 'data-testid': 'as-self-submit' }, t('as_self_submit'))));
    selfForm.addEventListener('submit', submit(selfForm, async (ev) => {
      const body = [];
      for (const r of rows) {
        const raw = r.sc.value.trim();
        if (raw === '') continue;
        const v = Number(raw);
        if (!Number.isFinite(v) || v < r.lo || v > r.hi) {
          r.sc.focus();
          throw Object.assign(new Error(t('as_score_range', name(r.it), score(r.lo), score(r.hi))), { status: 0 });
        }
        // Unchanged (same score and basis, no new file): not sent, so the history only has changes.
        if (v === Number(r.e.score ?? 0) && r.basis.value.trim() === (r.e.basis || '') && !r.file.files.length) continue;
        const ids = []; // the new files only: those already listed stay the entry's
        for (const f of r.file.files) {
          const up = await upload(`/units/${encodeURIComponent(code)}/attachments?filename=${encodeURIComponent(f.name)}`, f,
            (p) => { if (p !== null) { status.textContent = t('as_uploading', f.name, p); status.className = 'muted'; } });
          ids.push(up.id);
        }
        body.push({ indicator: r.it.indicator, score: v, basis: r.basis.value.trim(), attachment_ids: ids });
      }
      await api('PUT', `/units/${encodeURIComponent(code)}/assess/${year}/self`, { items: body });
      if (ev.submitter && ev.submitter.value === 'submit') await api('POST', `/units/${encodeURIComponent(code)}/assess/${year}/self/submit`);
    }, (ev) => (ev.submitter && ev.submitter.value === 'submit' ? t('as_self_submitted') : t('as_self_saved'))));
  }

  // ---- the department's and the bureau's review
  const reviewForm = (stage) => {
    // Only the bureau enters what the rubric reserves for it (the penalty for falsified data).
    const mine = items.filter((it) => stage === 'bureau' || rubricItem(rb, it.indicator).entered_by !== 'bureau');
    const rows = mine.map((it) => ({
      it,
      sc: h('input', { type: 'number', name: `${stage}_score_${it.indicator}`, step: '0.5', size: 5, value: score(it.score) === '—' ? '' : Number(it.score),
        min: loOf(it, rubricItem(rb, it.indicator)), max: Math.max(0, hiOf(it, rubricItem(rb, it.indicator))), 'aria-label': `${name(it)} ${t('as_new_score')}` }),
      reason: h('input', { name: `${stage}_reason_${it.indicator}`, maxlength: 2000, size: 24, 'aria-label': `${name(it)} ${t('as_reason')}` }),
    }));
    const note = h('textarea', { name: `${stage}_note`, rows: 2, maxlength: 2000 });
    const form = h('form', { class: 'card stack', 'data-testid': `as-${stage}-form`, 'data-stage': stage, novalidate: true },
      h('h2', {}, t(`as_${stage}_title`)),
      h('p', { class: 'muted' }, t('as_review_hint')),
      tableWrap(h('table', { class: 'assess' },
        h('thead', {}, h('tr', {}, [t('as_indicator'), t('as_score'), t('as_new_score'), t('as_reason')].map((c) => h('th', { scope: 'col' }, c)))),
        h('tbody', {}, rows.map((r) => h('tr', { 'data-ind': r.it.indicator },
          h('th', { scope: 'row' }, name(r.it)),
          h('td', { class: 'num nowrap' }, scoreOfMax(rb, r.it)),
          h('td', {}, r.sc), h('td', {}, r.reason)))))),
      h('label', {}, t('as_note'), note),
      h('div', { class: 'row' },
        h('button', { type: 'submit', class: 'secondary', value: 'accept', 'data-testid': `as-${stage}-accept` }, t('as_accept')),
        h('button', { type: 'submit', class: 'primary', value: 'adjust', 'data-testid': `as-${stage}-adjust` }, t('as_adjust'))));
    form.addEventListener('submit', submit(form, async (ev) => {
      const accept = ev.submitter && ev.submitter.value === 'accept';
      const changes = [];
      if (!accept) {
        for (const r of rows) {
          const raw = r.sc.value.trim();
          const v = Number(raw);
          if (raw === '' || !Number.isFinite(v)) continue;
          if (Math.abs(v - Number(r.it.score)) < 1e-9 && !r.reason.value.trim()) continue;
          // The reason is the server's to require: its refusal names the field, in the user's language.
          changes.push({ indicator: r.it.indicator, score: v, reason: r.reason.value.trim() });
        }
        if (!changes.length) throw Object.assign(new Error(t('as_no_change')), { status: 0 });
      }
      await api('POST', `/units/${encodeURIComponent(code)}/assess/${year}/review`,
        { stage, items: changes, note: note.value.trim() || undefined });
    }, (ev) => (ev.submitter && ev.submitter.value === 'accept' ? t('as_accepted', t('as_stage_' + stage)) : t('as_adjusted', t('as_stage_' + stage)))));
    return form;
  };

  // ---- the stages passed: who submitted, reviewed and gave the final score, when, with the note
  const st = a.stages || {};
  const passed = [['self', 'as_stage_done_self'], ['dept', 'as_stage_done_dept'], ['bureau', 'as_stage_done_bureau']]
    .filter(([k]) => st[k + '_at']);
  const stageBlock = passed.length
    ? tableWrap(h('table', { 'data-testid': 'as-stages', class: 'assess' },
      h('thead', {}, h('tr', {}, [t('as_stage'), t('as_at'), t('as_by'), t('as_note')].map((c) => h('th', { scope: 'col' }, c)))),
      h('tbody', {}, passed.map(([k, key]) => h('tr', { 'data-stage': k },
        h('td', { class: 'nowrap' }, t(key)), h('td', { class: 'nowrap' }, bjTime(st[k + '_at'])),
        h('td', {}, actorOf(st, k + '_by')), h('td', { class: 'body' }, st[k + '_note'] || ''))))))
    : null;

  // ---- the change history
  const hist = a.history || [];
  const histBlock = hist.length
    ? tableWrap(h('table', { 'data-testid': 'as-history', class: 'assess' },
      h('caption', {}, t('as_history_caption', hist.length)),
      h('thead', {}, h('tr', {}, [t('as_at'), t('as_by'), t('as_stage'), t('as_indicator'), t('as_change'), t('as_reason')].map((c) => h('th', { scope: 'col' }, c)))),
      h('tbody', {}, hist.map((x) => h('tr', { 'data-stage': x.stage, 'data-ind': x.indicator || '' },
        h('td', { class: 'nowrap' }, bjTime(x.at)),
        h('td', {}, actor(x.by, x.by_name, x.by_kind)),
        h('td', { class: 'nowrap' }, stageName(x.stage)),
        h('td', {}, x.indicator ? name({ indicator: x.indicator }) : t('as_whole')),
        h('td', { class: 'num nowrap' }, x.from === null && x.to === null ? '—' : `${score(x.from)} → ${score(x.to)}`),
        h('td', { class: 'body' }, x.reason || ''))))))
    : h('p', { class: 'muted', 'data-testid': 'as-history-none' }, t('as_history_none'));

  setTitle(`${a.unit_name || code} · ${t('as_title')} ${year}`);
  fill(main,
    h('p', {}, h('a', { href: `#/assess?year=${encodeURIComponent(year)}` }, t('as_back', year))),
    h('h1', { 'data-testid': 'as-unit-name' }, t('as_unit_title', a.unit_name || code, year)),
    h('p', { 'data-testid': 'as-unit-state', 'data-state': a.state }, unitLink(code, a.unit_name), ' · ',
      h('span', { class: 'muted' }, `${t('code')} ${code}`), ' · ',
      h('span', { class: `astate ${STATES.includes(a.state) ? a.state : 'none'}` }, stateName(a.state, a.draft))),
    status,
    h('h2', {}, t('as_items_title')), itemTable,
    selfForm,
    a.can_dept ? reviewForm('dept') : null,
    a.can_bureau ? reviewForm('bureau') : null,
    stageBlock ? [h('h2', {}, t('as_stages_title')), stageBlock] : null,
    h('h2', {}, t('as_history_title')), histBlock);
}

// An item's basis: what the server says it rests on (computed from data, or the unit's words).
function basisOf(it, e) {
  const b = getLang() === 'en' ? it.basis_en || it.basis : it.basis;
  return b || (e && e.basis) || t('none');
}

// An entered item's evidence: links to its attachments.
function files(e) {
  const list = (e && e.attachments) || [];
  if (!list.length) return null;
  return h('ul', { class: 'plain files', 'data-testid': 'as-files' }, list.map((f) =>
    h('li', {}, h('a', { href: `/api/v1/attachments/${f.id}/content`, download: '' }, f.filename || t('as_file')))));
}
