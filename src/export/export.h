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

#endif
