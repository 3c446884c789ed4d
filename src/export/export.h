/* export.h - documents auditors take away: the rectification ledger and closure certificates as
 * XLSX. */
#ifndef AG_EXPORT_H
#define AG_EXPORT_H

#include <jansson.h>
#include <stddef.h>

#include "util/error.h"

/* Writes the rectification ledger (整改台账) to an XLSX file at path, one row
 * per item of `items` (the "items" array of rectify_list), in the layout
 * auditors use: 序号, 通知书号, 项目, 被审计单位, 问题摘要, 金额（元）,
 * 定性依据, 整改类型, 整改措施, 整改期限, 责任人, 整改进展, 整改结果,
 * 证明材料, 状态 — with a title row naming `title` and the date it was made
 * (today, ag_clock), frozen header, amounts as numbers in yuan with two
 * decimals, overdue rows marked. The file is written beside path and renamed
 * into place: a failure leaves no partial file. */
ag_err export_rectify_xlsx(const json_t *items, const char *title, const char *path, ag_error *err);

/* Writes the closure certificate (对账销号单) of one rectification item: the
 * item as rectify_get returns it (with events) — project, notice number,
 * unit, finding, amount, basis, class, measures, result, evidence list, the
 * verification (who, when, decision) and signature lines for the audited
 * unit's principal leader and the audit team lead. AG_ERR_INPUT when the
 * item is not closed (已销号). Same atomic write as above. */
ag_err export_certificate_xlsx(const json_t *item, const char *path, ag_error *err);

/* issue 15 §1 (rating): the 0–5A grades of one year — `year` is the object of
 * rating_year_json ({year, published, published_at, rubric_version, items:
 * [{unit, unit_name, cell_name, score, applicable, grade, veto, self_state,
 * review_state, deductions:[{indicator, indicator_name?, point, point_name?,
 * deduct, reason}]}]}). Sheet 评级结果: 序号, 单位, 统一社会信用代码, 网格,
 * 得分, 适用分值, 等级, 否决原因, 自评状态, 复核状态 (grades and states in
 * Chinese); sheet 扣分明细: 序号, 单位, 指标, 评价要点, 扣分, 原因. Same atomic
 * write as above. */
ag_err export_rating_xlsx(const json_t *year, const char *path, ag_error *err);
/* issue 15 §2 (assess): writes the year's performance assessment (内审工作绩效考核结果) as
 * XLSX, one sheet 考核结果 with a row per unit of `year` (the object of
 * assess_year_json: "year", "published", "items" in rank order, each with
 * unit, unit_name, cell_name, state, total, rank_district, rank_cell and
 * items [{indicator, group, score, max}]): 区排名, 网格内排名, 单位,
 * 统一社会信用代码, 网格, one column per indicator of the rubric's "groups"
 * [{code, kind, name_zh, max, min, indicators}] (组织建设 … 扣分项, each the sum
 * of its items), 合计, 状态 in Chinese, then one column per item of
 * "indicators" [{code, name_zh, max}] (when the year names no groups, the
 * items stand before 合计). "cell_name" at the top level names the cell it
 * was filtered by. Same atomic write as above. */
ag_err export_assess_xlsx(const json_t *year, const char *path, ag_error *err);

#endif
