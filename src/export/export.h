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
#include <stdbool.h>

/* issue 16 (reports): the four reports (年度内部审计计划, 审计报告, 整改报告, 年度内部审计工作总结)
 * rendered from a content document (format "auditgrid-report/1": title, doc_no, issuer, date,
 * sections [{key, heading, blocks [p | h2 | h3 | table | item]}]) in the layout of GB/T
 * 9704-2012 (党政机关公文格式): A4, margins 37/35/28/26 mm, 22 lines of 28 characters, title
 * 2号 小标宋, body 3号 仿宋, headings 一、 黑体 / （一） 楷体 / 1. 仿宋 bold (numbered by the
 * writer), page numbers "— N —" in 4号 宋体 (odd pages right, even pages left), the issuer and
 * the date (2026年12月6日) right-aligned after the body. */

/* Writes the document as WordprocessingML (DOCX, libzip) to path; the file is written beside
 * path and renamed into place: a failure leaves no partial file. AG_ERR_INPUT when doc is not
 * a content document (no title or sections). */
ag_err export_report_docx(const json_t *doc, const char *path, ag_error *err);
/* A whole print-friendly HTML page of the document (lang zh-CN, A4 @page with the same margins
 * and font fallbacks, numbered headings, bordered tables), every text escaped. *html is
 * NUL-terminated, *len its length; the caller frees it. */
ag_err export_report_html(const json_t *doc, char **html, size_t *len, ag_error *err);
/* Writes the document as PDF: the DOCX in a private temporary folder converted by LibreOffice
 * (`soffice --headless --convert-to pdf`, found as export_report_pdf_available says, with its own
 * profile in the temporary folder, stopped after 120 s), then moved to path atomically.
 * AG_ERR_IO naming libreoffice-writer-nogui when LibreOffice is missing or fails. */
ag_err export_report_pdf(const json_t *doc, const char *path, ag_error *err);
/* True when LibreOffice can be found: $AG_SOFFICE when set (a path; empty = none, for tests of
 * the refusal), else soffice on PATH, else /usr/bin/soffice. */
bool export_report_pdf_available(void);

#endif
