/* test_table.c - the table pipeline: header mapping, amount layouts, row conversion and the
 * locations its faults name. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "ledger/table.h"
#include "util/date.h"
#include "../testutil.h"

/* What the sink saw of the last row, copied. */
typedef struct seen {
    int rows;
    int year, period, line_no, posted, voided;
    int32_t date;
    int64_t debit, credit, src_line;
    char unit[32], vno[32], acode[32], summary[64], cparty[64], extra[256];
    bool unit_null, summary_null;
} seen;

static void copy(char *dst, size_t n, const char *s)
{
    snprintf(dst, n, "%s", s ? s : "");
}

static ag_err on_row(void *ctx, const ledger_row *r, ag_error *err)
{
    (void)err;
    seen *s = ctx;
    s->rows++;
    s->year = r->fiscal_year;
    s->period = r->period;
    s->line_no = r->line_no;
    s->posted = r->posted;
    s->voided = r->voided;
    s->date = r->date;
    s->debit = r->debit;
    s->credit = r->credit;
    s->src_line = r->src_line;
    s->unit_null = r->unit_code == NULL;
    s->summary_null = r->summary == NULL;
    copy(s->unit, sizeof s->unit, r->unit_code);
    copy(s->vno, sizeof s->vno, r->voucher_no);
    copy(s->acode, sizeof s->acode, r->account_code);
    copy(s->summary, sizeof s->summary, r->summary);
    copy(s->cparty, sizeof s->cparty, r->counterparty);
    copy(s->extra, sizeof s->extra, r->extra_json);
    return AG_OK;
}

/* A table over `sink` for file "t.csv" (or a sheet), the unit given or not. */
typedef struct fixture {
    seen seen;
    ledger_sink sink;
    ledger_table *t;
    char buf[4096];
    ledger_cell cells[64];
} fixture;

static void open_table(fixture *fx, const char *sheet, const char *unit)
{
    memset(fx, 0, sizeof *fx);
    fx->sink.ctx = &fx->seen;
    fx->sink.row = on_row;
    ledger_table_opts o = {
        .file = "t.csv", .sheet = sheet, .unit_code = unit, .default_year = 2025};
    ag_error err;
    /* opts are copied by value but their strings are borrowed: literals here. */
    must(ledger_table_open(&o, &fx->sink, &fx->t, &err), &err);
}

/* Splits `line` at '|' into fx->cells (over a private copy); returns the cell count. */
static size_t split(fixture *fx, const char *line)
{
    snprintf(fx->buf, sizeof fx->buf, "%s", line);
    size_t n = 0;
    char *p = fx->buf;
    for (;;) {
        char *bar = strchr(p, '|');
        fx->cells[n].p = p;
        fx->cells[n].len = bar ? (size_t)(bar - p) : strlen(p);
        n++;
        if (!bar)
            break;
        *bar = '\0';
        p = bar + 1;
    }
    return n;
}

static ag_err header(fixture *fx, const char *line, ag_error *err)
{
    size_t n = split(fx, line);
    return ledger_table_header(fx->t, fx->cells, n, 1, err);
}

static ag_err row(fixture *fx, int64_t line_no, const char *line, ag_error *err)
{
    size_t n = split(fx, line);
    return ledger_table_row(fx->t, fx->cells, n, line_no, err);
}

static void english_headers_map_case_insensitively_and_values_convert(void **state)
{
    (void)state;
    fixture fx;
    ag_error err;
    open_table(&fx, NULL, NULL);
    must(header(&fx,
                "Unit_Code|VOUCHER_DATE|voucher_no|line_no|account_code|summary|debit|credit|"
                "posted|void|period|fiscal_year",
                &err),
         &err);
    assert_int_equal(ledger_table_layout(fx.t), LEDGER_LAYOUT_DEBIT_CREDIT);
    assert_int_equal(ledger_table_width(fx.t), 12);
    assert_int_equal(ledger_table_column_kind(fx.t, 6), LEDGER_COL_AMOUNT);
    assert_int_equal(ledger_table_column_kind(fx.t, 1), LEDGER_COL_DATE);
    assert_int_equal(ledger_table_column_kind(fx.t, 5), LEDGER_COL_TEXT);
    must(row(&fx, 2, " U001 |2024/1/5|记-12|2|100201|　支付办公费　|1,234.50|0|是|正常|1|2024",
             &err),
         &err);
    assert_int_equal(fx.seen.rows, 1);
    assert_string_equal(fx.seen.unit, "U001");
    assert_int_equal(fx.seen.date, ag_date_to_days((ag_date){2024, 1, 5}));
    assert_string_equal(fx.seen.vno, "记-12");
    assert_int_equal(fx.seen.line_no, 2);
    assert_string_equal(fx.seen.acode, "100201");
    /* Ideographic spaces are trimmed like ASCII ones. */
    assert_string_equal(fx.seen.summary, "支付办公费");
    assert_int_equal(fx.seen.debit, 123450);
    assert_int_equal(fx.seen.credit, 0);
    assert_int_equal(fx.seen.posted, 1);
    assert_int_equal(fx.seen.voided, 0);
    assert_int_equal(fx.seen.period, 1);
    assert_int_equal(fx.seen.year, 2024);
    assert_int_equal(fx.seen.src_line, 2);
    assert_int_equal(ledger_table_rows(fx.t), 1);
    ledger_table_free(fx.t);
}

static void chinese_synonyms_and_the_import_unit_make_unit_code_optional(void **state)
{
    (void)state;
    fixture fx;
    ag_error err;
    open_table(&fx, NULL, "U001");
    must(header(&fx, "凭证日期|凭证编号|科目代码|借方|贷方|收款人|摘要", &err), &err);
    must(row(&fx, 2, "20240305|7|1001|0|300|张三|", &err), &err);
    assert_true(fx.seen.unit_null);       /* the import's unit */
    assert_int_equal(fx.seen.year, 2025); /* default_year */
    assert_int_equal(fx.seen.period, 0);
    assert_int_equal(fx.seen.credit, 30000);
    assert_string_equal(fx.seen.cparty, "张三");
    assert_true(fx.seen.summary_null);    /* an empty cell is NULL */
    assert_int_equal(fx.seen.posted, -1); /* no column: unknown */
    ledger_table_free(fx.t);
}

static void the_direction_layout_puts_the_amount_on_its_side(void **state)
{
    (void)state;
    fixture fx;
    ag_error err;
    open_table(&fx, NULL, "U001");
    must(header(&fx, "voucher_date|voucher_no|account_code|方向|金额", &err), &err);
    assert_int_equal(ledger_table_layout(fx.t), LEDGER_LAYOUT_DIRECTION);
    must(row(&fx, 2, "2024-03-05|1|1001|贷|88.8", &err), &err);
    assert_int_equal(fx.seen.credit, 8880);
    assert_int_equal(fx.seen.debit, 0);
    must(row(&fx, 3, "2024-03-05|1|5001|Dr|88.8", &err), &err);
    assert_int_equal(fx.seen.debit, 8880);
    /* The pinyin J is not a direction. */
    assert_int_equal(row(&fx, 4, "2024-03-05|1|5001|J|1", &err), AG_ERR_INPUT);
    assert_string_equal(err.where, "t.csv:4:方向");
    ledger_table_free(fx.t);
}

static void a_signed_amount_is_debit_when_positive_credit_when_negative(void **state)
{
    (void)state;
    fixture fx;
    ag_error err;
    open_table(&fx, NULL, "U001");
    must(header(&fx, "voucher_date|voucher_no|account_code|amount", &err), &err);
    assert_int_equal(ledger_table_layout(fx.t), LEDGER_LAYOUT_SIGNED);
    must(row(&fx, 2, "2024-03-05|1|1001|-12.34", &err), &err);
    assert_int_equal(fx.seen.credit, 1234);
    assert_int_equal(fx.seen.debit, 0);
    must(row(&fx, 3, "2024-03-05|1|1001|(5.00)", &err), &err);
    assert_int_equal(fx.seen.credit, 500);
    ledger_table_free(fx.t);
}

static void a_direction_beside_debit_and_credit_is_kept_as_an_extra_column(void **state)
{
    (void)state;
    fixture fx;
    ag_error err;
    open_table(&fx, NULL, "U001");
    must(header(&fx, "voucher_date|voucher_no|account_code|debit|credit|方向|备注", &err), &err);
    assert_int_equal(ledger_table_layout(fx.t), LEDGER_LAYOUT_DEBIT_CREDIT);
    must(row(&fx, 2, "2024-03-05|1|1001|1|0|借|\"急\"|surplus", &err), &err);
    assert_string_equal(fx.seen.extra,
                        "{\"方向\":\"借\",\"备注\":\"\\\"急\\\"\",\"#8\":\"surplus\"}");
    ledger_table_free(fx.t);
}

static void an_extra_column_is_escaped_as_json(void **state)
{
    (void)state;
    fixture fx;
    ag_error err;
    open_table(&fx, NULL, "U001");
    must(header(&fx, "voucher_date|voucher_no|account_code|debit|credit|备注", &err), &err);
    must(row(&fx, 2, "2024-03-05|1|1001|1|0|a\tb\\c\"d\x01\x1f\re\nf\bg\fh", &err), &err);
    assert_string_equal(fx.seen.extra,
                        "{\"备注\":\"a\\tb\\\\c\\\"d\\u0001\\u001f\\re\\nf\\bg\\fh\"}");
    ledger_table_free(fx.t);
}

static void header_faults_name_what_is_missing_or_doubled(void **state)
{
    (void)state;
    fixture fx;
    ag_error err;
    open_table(&fx, NULL, NULL);
    assert_int_equal(header(&fx, "voucher_date|debit|credit", &err), AG_ERR_INPUT);
    assert_string_equal(err.where, "t.csv:1");
    assert_non_null(strstr(err.en, "voucher_no"));
    assert_non_null(strstr(err.en, "account_code"));
    assert_non_null(strstr(err.en, "unit_code"));
    assert_non_null(strstr(err.zh, "缺少必需的列"));
    ledger_table_free(fx.t);

    open_table(&fx, NULL, "U001");
    assert_int_equal(header(&fx, "voucher_date|voucher_no|凭证号|account_code|debit|credit", &err),
                     AG_ERR_INPUT);
    assert_non_null(strstr(err.en, "appears twice"));
    assert_non_null(strstr(err.zh, "凭证号"));
    ledger_table_free(fx.t);

    open_table(&fx, NULL, "U001");
    assert_int_equal(header(&fx, "voucher_date|voucher_no|account_code|debit|credit|amount", &err),
                     AG_ERR_INPUT);
    assert_non_null(strstr(err.en, "ambiguous"));
    ledger_table_free(fx.t);

    open_table(&fx, NULL, "U001");
    assert_int_equal(header(&fx, "voucher_date|voucher_no|account_code|debit", &err), AG_ERR_INPUT);
    assert_non_null(strstr(err.en, "no complete amount layout"));
    ledger_table_free(fx.t);
}

static void row_faults_name_file_line_and_column(void **state)
{
    (void)state;
    fixture fx;
    ag_error err;
    open_table(&fx, NULL, "U001");
    must(header(&fx, "unit_code|voucher_date|voucher_no|account_code|debit|credit|period|posted",
                &err),
         &err);
    assert_int_equal(row(&fx, 5, "U001|2024-02-30|1|1001|1|0|1|1", &err), AG_ERR_INPUT);
    assert_string_equal(err.where, "t.csv:5:voucher_date");
    assert_non_null(strstr(err.en, "2024-02-30"));
    assert_int_equal(row(&fx, 6, "U001|2024-02-01|1|1001|1.234|0|1|1", &err), AG_ERR_INPUT);
    assert_string_equal(err.where, "t.csv:6:debit");
    assert_int_equal(row(&fx, 7, "U001|2024-02-01|1|1001|1|0|14|1", &err), AG_ERR_INPUT);
    assert_string_equal(err.where, "t.csv:7:period");
    assert_int_equal(row(&fx, 8, "U001|2024-02-01|1|1001|1|0|1|maybe", &err), AG_ERR_INPUT);
    assert_string_equal(err.where, "t.csv:8:posted");
    assert_int_equal(row(&fx, 9, "U001|2024-02-01||1001|1|0|1|1", &err), AG_ERR_INPUT);
    assert_string_equal(err.where, "t.csv:9:voucher_no");
    assert_non_null(strstr(err.en, "empty"));
    assert_int_equal(row(&fx, 10, "U002|2024-02-01|1|1001|1|0|1|1", &err), AG_ERR_INPUT);
    assert_string_equal(err.where, "t.csv:10:unit_code");
    assert_non_null(strstr(err.en, "U002"));
    /* An all-empty row is skipped; nothing reached the sink so far. */
    must(row(&fx, 11, " | | | | | | | ", &err), &err);
    assert_int_equal(fx.seen.rows, 0);
    assert_int_equal(ledger_table_rows(fx.t), 0);
    ledger_table_free(fx.t);
}

static void a_sheet_names_cells_as_excel_does(void **state)
{
    (void)state;
    fixture fx;
    ag_error err;
    open_table(&fx, "Sheet1", "U001");
    must(header(&fx, "voucher_date|voucher_no|account_code|debit|credit", &err), &err);
    assert_int_equal(row(&fx, 17, "2024-01-01|1|1001|x|0", &err), AG_ERR_INPUT);
    assert_string_equal(err.where, "t.csv:Sheet1!D17");
    char where[128];
    ledger_table_where(fx.t, 3, SIZE_MAX, where, sizeof where);
    assert_string_equal(where, "t.csv:Sheet1!3:3");
    ledger_table_free(fx.t);
}

static void column_letters_run_like_a_spreadsheet(void **state)
{
    (void)state;
    char l[8];
    ledger_column_letters(0, l);
    assert_string_equal(l, "A");
    ledger_column_letters(25, l);
    assert_string_equal(l, "Z");
    ledger_column_letters(26, l);
    assert_string_equal(l, "AA");
    ledger_column_letters(701, l);
    assert_string_equal(l, "ZZ");
    ledger_column_letters(702, l);
    assert_string_equal(l, "AAA");
}

static void a_second_header_or_a_row_before_the_header_is_a_bug(void **state)
{
    (void)state;
    fixture fx;
    ag_error err;
    open_table(&fx, NULL, "U001");
    assert_int_equal(row(&fx, 1, "2024-01-01|1|1001|1|0", &err), AG_ERR_INTERNAL);
    must(header(&fx, "voucher_date|voucher_no|account_code|debit|credit", &err), &err);
    assert_int_equal(header(&fx, "voucher_date|voucher_no|account_code|debit|credit", &err),
                     AG_ERR_INTERNAL);
    ledger_table_free(fx.t);
    ledger_table_free(NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(english_headers_map_case_insensitively_and_values_convert),
        cmocka_unit_test(chinese_synonyms_and_the_import_unit_make_unit_code_optional),
        cmocka_unit_test(the_direction_layout_puts_the_amount_on_its_side),
        cmocka_unit_test(a_signed_amount_is_debit_when_positive_credit_when_negative),
        cmocka_unit_test(a_direction_beside_debit_and_credit_is_kept_as_an_extra_column),
        cmocka_unit_test(an_extra_column_is_escaped_as_json),
        cmocka_unit_test(header_faults_name_what_is_missing_or_doubled),
        cmocka_unit_test(row_faults_name_file_line_and_column),
        cmocka_unit_test(a_sheet_names_cells_as_excel_does),
        cmocka_unit_test(column_letters_run_like_a_spreadsheet),
        cmocka_unit_test(a_second_header_or_a_row_before_the_header_is_a_bug),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
