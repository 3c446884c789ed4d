/* test_expr.c - filters: what each operator selects and refuses; block = row = reference. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <pthread.h>
#include <time.h>

#include <cmocka.h>

#include "engine/dict.h"
#include "engine/expr.h"
#include "util/date.h"
#include "util/money.h"
#include "util/rng.h"
#include "util/banned.h"

/* ---- a ten-line hand-built ledger ---------------------------------------- */

typedef struct line {
    const char *date;
    int period;
    const char *account, *account_name, *summary;
    const char *debit, *credit; /* yuan */
    const char *counterparty, *maker, *reviewer;
    int posted, voided;
} line;

/* amount = debit, or credit when debit is 0:
 *   50000, 50000, 49999.99, 49999.99, 1200.50, 1200.50, -200, -200, 100000, 100000 */
static const line LINES[] = {
    {"2024-01-05", 1, "5001", "业务活动费用", "购买办公用品", "50000.00", "0", "甲公司", "张三",
     "李四", 1, 0},
    {"2024-01-05", 1, "1002", "银行存款", "支付办公用品款", "0", "50000", "甲公司", "张三", "李四",
     1, 0},
    {"2024-01-31", 1, "500101", "工资福利费用", "发放一月工资", "49999.99", "0", "", "王五", "王五",
     1, 0},
    {"2024-02-10", 2, "1002", "银行存款", "发放一月工资", "0", "49999.99", "", "王五", "王五", 0,
     0},
    {"2024-02-29", 2, "2307", "其他应付款", "收到押金", "0", "1200.50", "乙公司", "赵六", "李四", 1,
     0},
    {"2024-03-01", 3, "1001", "库存现金", "收到押金", "1200.5", "0", "乙公司", "赵六", "李四", 1,
     1},
    {"2024-03-15", 3, "5001", "业务活动费用", "冲销多计费用", "-200", "0", "甲公司", "张三", "", -1,
     0},
    {"2024-03-15", 3, "1002", "银行存款", "冲销多计费用", "0", "-200.00", "甲公司", "张三", "", -1,
     0},
    {"2024-12-31", 12, "50010101", "差旅费", "报销差旅费 \"北京\\天津\"", "100000", "0", "丙研究所",
     "李四", "张三", 1, 0},
    {"2024-12-31", 12, "10021", "银行存款-基本户", "报销差旅费", "0", "100000", "丙研究所", "李四",
     "张三", 1, 0},
};
#define NLINES (sizeof LINES / sizeof LINES[0])

enum {
    C_ACCOUNT,
    C_ACCOUNT_NAME,
    C_SUMMARY,
    C_COUNTERPARTY,
    C_MAKER,
    C_REVIEWER,
    C_YEAR,
    C_PERIOD,
    C_LINE_NO,
    C_DATE,
    C_DEBIT,
    C_CREDIT,
    C_POSTED,
    C_VOID,
    C_ODD, /* a malformed column: INT of width 3 */
    NCOLS
};

static struct {
    eng_dict *dict;
    uint32_t text[6][NLINES];
    int16_t year[NLINES];
    int8_t period[NLINES], posted[NLINES], voided[NLINES];
    int32_t line_no[NLINES], date[NLINES];
    int64_t debit[NLINES], credit[NLINES];
    expr_column cols[NCOLS];
    expr_schema schema;
} fx;

static uint32_t intern(eng_dict *d, const char *s)
{
    uint32_t id = eng_dict_intern(d, s, strlen(s));
    assert_true(id != UINT32_MAX);
    return id;
}

static int64_t yuan(const char *s)
{
    int64_t fen = 0;
    assert_true(ag_money_parse(s, strlen(s), &fen));
    return fen;
}

static int32_t day(const char *iso)
{
    int32_t d = 0;
    assert_true(ag_date_parse(iso, strlen(iso), &d));
    return d;
}

static int setup_fixture(void **state)
{
    (void)state;
    fx.dict = eng_dict_new();
    assert_non_null(fx.dict);
    intern(fx.dict, "9999-unused"); /* ids are not the row order */
    for (size_t r = 0; r < NLINES; r++) {
        const line *l = &LINES[r];
        const char *text[6] = {l->account,      l->account_name, l->summary,
                               l->counterparty, l->maker,        l->reviewer};
        for (int c = 0; c < 6; c++)
            fx.text[c][r] = intern(fx.dict, text[c]);
        fx.year[r] = 2024;
        fx.period[r] = (int8_t)l->period;
        fx.posted[r] = (int8_t)l->posted;
        fx.voided[r] = (int8_t)l->voided;
        fx.line_no[r] = (int32_t)(r % 2 + 1);
        fx.date[r] = day(l->date);
        fx.debit[r] = yuan(l->debit);
        fx.credit[r] = yuan(l->credit);
    }
    static const char *text_names[6] = {"account",      "account_name", "summary",
                                        "counterparty", "maker",        "reviewer"};
    for (int c = 0; c < 6; c++)
        fx.cols[c] = (expr_column){text_names[c], EXPR_STR, 4, fx.text[c]};
    fx.cols[C_YEAR] = (expr_column){"year", EXPR_INT, 2, fx.year};
    fx.cols[C_PERIOD] = (expr_column){"period", EXPR_INT, 1, fx.period};
    fx.cols[C_LINE_NO] = (expr_column){"line_no", EXPR_INT, 4, fx.line_no};
    fx.cols[C_DATE] = (expr_column){"date", EXPR_DATE, 4, fx.date};
    fx.cols[C_DEBIT] = (expr_column){"debit", EXPR_MONEY, 8, fx.debit};
    fx.cols[C_CREDIT] = (expr_column){"credit", EXPR_MONEY, 8, fx.credit};
    fx.cols[C_POSTED] = (expr_column){"posted", EXPR_INT, 1, fx.posted};
    fx.cols[C_VOID] = (expr_column){"void", EXPR_INT, 1, fx.voided};
    fx.cols[C_ODD] = (expr_column){"odd", EXPR_INT, 3, fx.line_no};
    fx.schema = (expr_schema){fx.cols, NCOLS, fx.dict};
    return 0;
}

static int teardown_fixture(void **state)
{
    (void)state;
    eng_dict_free(fx.dict);
    return 0;
}

/* Compiles src and checks which of the ten lines it selects ("1" = selected),
 * by block evaluation over all rows, over rows [3, 9), and row by row. */
static void check(const char *src, const char *want)
{
    assert_int_equal(strlen(want), NLINES);
    ag_error err;
    ag_error_clear(&err);
    expr *e = NULL;
    if (expr_compile(src, &fx.schema, &e, &err) != AG_OK)
        fail_msg("`%s` did not compile: %s: %s", src, err.where, err.en);
    uint8_t all[NLINES], part[NLINES];
    memset(all, 7, sizeof all);
    memset(part, 7, sizeof part);
    expr_eval(e, 0, NLINES, all);
    expr_eval(e, 3, 9, part + 3);
    char got[NLINES + 1], rows[NLINES + 1];
    for (size_t r = 0; r < NLINES; r++) {
        if (all[r] > 1)
            fail_msg("`%s`: row %zu evaluated to %u, not 0 or 1", src, r, all[r]);
        got[r] = (char)('0' + all[r]);
        rows[r] = expr_eval_row(e, r) ? '1' : '0';
        if (r >= 3 && r < 9 && part[r] != all[r])
            fail_msg("`%s`: row %zu differs when evaluating rows [3, 9)", src, r);
    }
    got[NLINES] = rows[NLINES] = '\0';
    if (strcmp(got, want) != 0)
        fail_msg("`%s` selected %s, expected %s", src, got, want);
    if (strcmp(rows, want) != 0)
        fail_msg("`%s` row by row selected %s, expected %s", src, rows, want);
    expr_free(e);
}

/* Compiles src expecting an error at `where` whose messages contain en and zh. */
static void check_error(const char *src, ag_err code, const char *where, const char *en,
                        const char *zh)
{
    ag_error err;
    ag_error_clear(&err);
    expr *e = (expr *)&err; /* must be reset to NULL */
    ag_err rc = expr_compile(src, &fx.schema, &e, &err);
    if (rc == AG_OK)
        fail_msg("`%s` compiled, expected an error at %s", src, where);
    assert_null(e);
    assert_int_equal(rc, code);
    assert_int_equal(err.code, code);
    if (strcmp(err.where, where) != 0)
        fail_msg("`%s`: error at %s, expected %s (%s)", src, err.where, where, err.en);
    if (!strstr(err.en, en))
        fail_msg("`%s`: \"%s\" does not say \"%s\"", src, err.en, en);
    if (!strstr(err.zh, zh))
        fail_msg("`%s`: \"%s\" does not say \"%s\"", src, err.zh, zh);
}

static void check_input_error(const char *src, const char *where, const char *en, const char *zh)
{
    check_error(src, AG_ERR_INPUT, where, en, zh);
}

/* ---- what each operator selects ------------------------------------------ */

static void text_equality(void **state)
{
    (void)state;
    check("account == \"1002\"", "0101000100");
    check("account != \"1002\"", "1010111011");
    check("counterparty == \"\"", "0011000000");
    check("account_name == \"银行存款\"", "0101000100");
    check("summary == \"报销差旅费 \\\"北京\\\\天津\\\"\"", "0000000010"); /* \" and \\ */
}

static void text_absent_from_the_dictionary_matches_nothing(void **state)
{
    (void)state;
    check("account == \"9999\"", "0000000000");
    check("account != \"9999\"", "1111111111");
    check("account == \"9999-unused\"", "0000000000"); /* in the dictionary, in no row */
    check("account ^= \"9\"", "0000000000");
    check("summary == \"差旅\"", "0000000000"); /* == is the whole text, not a part */
}

static void text_order_is_byte_order(void **state)
{
    (void)state;
    check("account < \"2\"", "0101010101");
    check("account >= \"5001\"", "1010001010");
    check("account > \"5001\"", "0010000010");
    check("account <= \"1002\"", "0101010100"); /* "10021" sorts after "1002" */
}

static void prefix_and_contains(void **state)
{
    (void)state;
    check("account ^= \"5001\"", "1010001010");
    check("account ^= \"1002\"", "0101000101");
    check("account ^= \"50010101\"", "0000000010");
    check("account ^= \"500101010\"", "0000000000");
    check("summary ^= \"发放\"", "0011000000");
    check("account_name ^= \"银行存款\"", "0101000101");
    check("summary ^= \"\"", "1111111111");
    check("summary *= \"差旅\"", "0000000011");
    check("summary *= \"办公用品\"", "1100000000");
    check("summary *= \"\\\"北京\"", "0000000010");
    check("!(account ^= \"5001\")", "0101110101");
    check("!account ^= \"5001\"", "0101110101"); /* ! applies to the whole condition */
}

static void integers(void **state)
{
    (void)state;
    check("period == 1", "1110000000");
    check("period != 12", "1111111100");
    check("period >= 3", "0000011111");
    check("period > 3", "0000000011");
    check("period < 2", "1110000000");
    check("period <= 2", "1111100000");
    check("year == 2024", "1111111111");
    check("year == 2023", "0000000000");
    check("line_no == 2", "0101010101");
    check("posted == -1", "0000001100");
    check("void == 1", "0000010000");
    /* Beyond the range of the 1-byte column: decided at compile time. */
    check("period < 1000", "1111111111");
    check("period == 1000", "0000000000");
    check("period != -1000", "1111111111");
    check("period > -1000", "1111111111");
    check("period >= 1000", "0000000000");
    check("period <= -129", "0000000000");
    check("period > -129", "1111111111");
    check("period >= -128", "1111111111");
}

static void money_literals_are_yuan_to_the_fen(void **state)
{
    (void)state;
    check("debit >= 50000", "1000000010");
    check("debit >= 50000.00", "1000000010");
    check("debit >= 49999.99", "1010000010");
    check("debit > 49999.99", "1000000010");
    check("debit == 49999.99", "0010000000");
    check("debit == 49999.9", "0000000000");
    check("credit == 1200.5", "0000100000");
    check("debit == 1200.50", "0000010000");
    check("debit < 0", "0000001000");
    check("debit == -200", "0000001000");
    check("credit == 0", "1010011010");
    check("debit == 0.01", "0000000000");
}

static void dates(void **state)
{
    (void)state;
    check("date == \"2024-01-05\"", "1100000000");
    check("date >= \"2024-02-29\"", "0000111111");
    check("date < \"2024-03-01\"", "1111100000");
    check("date != \"2024-03-15\"", "1111110011");
    check("date > \"2024-12-31\"", "0000000000");
    check("date in [\"2024-01-31\", \"2024-12-31\"]", "0010000011");
    check("date in [\"2024-01-31\", \"1900-01-01\", \"2100-12-31\"]", "0010000000"); /* wide */
}

static void the_virtual_amount(void **state)
{
    (void)state;
    check("amount >= 50000", "1100000011");
    check("amount == 49999.99", "0011000000");
    check("amount < 0", "0000001100");
    check("amount == 1200.50", "0000110000");
    check("account ^= \"5001\" && amount >= 50000", "1000000010");
    check("amount > debit", "0101100001");
}

static void in_lists(void **state)
{
    (void)state;
    check("account in [\"1001\", \"1002\", \"9999\"]", "0101010100");
    check("account !in [\"1001\", \"1002\"]", "1010101011");
    check("!(account in [\"1001\", \"1002\"])", "1010101011");
    check("account in [\"9999\"]", "0000000000");
    check("account in []", "0000000000");
    check("account !in []", "1111111111");
    check("counterparty in [\"\", \"乙公司\"]", "0011110000");
    check("period in [1, 12]", "1110000011");
    check("period in [12, 1, 12]", "1110000011");
    check("period !in [1, 12]", "0001111100");
    check("period in [1000]", "0000000000");
    check("year in [2024]", "1111111111");
    check("line_no in [2, 2000000000]", "0101010101");
    check("amount in [50000, 49999.99]", "1111000000");
    check("debit in [100000, -200]", "0000001010");
    check("amount !in [100000, -200]", "1111110000");
    /* more than a handful of far-apart values: a bisected set */
    check("amount in [1, 2, 3, 4, 5, 6, 7, 8, 9, 1200.50, 100000, 99999999]", "0000110011");
    check("amount !in [1, 2, 3, 4, 5, 6, 7, 8, 9, 1200.50, 100000, 99999999]", "1111001100");
}

static void precedence_and_parentheses(void **state)
{
    (void)state;
    /* a = period == 1: 0,1,2   b = account == "1002": 1,3,7   c = amount >= 50000: 0,1,8,9 */
    check("period == 1 || account == \"1002\" && amount >= 50000", "1110000000");
    check("period == 1 || (account == \"1002\" && amount >= 50000)", "1110000000");
    check("(period == 1 || account == \"1002\") && amount >= 50000", "1100000000");
    check("account == \"1002\" && amount >= 50000 || period == 1", "1110000000");
    check("account == \"10021\" && amount >= 50000 || period == 3", "0000011101");
    check("account == \"10021\" && (amount >= 50000 || period == 3)", "0000000001");
    check("((((period == 1))))", "1110000000");
    check("period == 1 && period == 2", "0000000000");
    check("period == 1 || period == 2 || period == 3", "1111111100");
}

static void negation(void **state)
{
    (void)state;
    check("!(period == 1)", "0001111111");
    check("!!(period == 1)", "1110000000");
    check("!!!period == 1", "0001111111");
    check("!(period == 1 || account == \"1002\")", "0000111011");
    check("!(period == 1) && !(account == \"1002\")", "0000111011");
    check("!(period == 1 && debit > 0)", "0101111111");
    check("!(amount >= 50000)", "0011111100");
    check("!(date < \"2024-03-01\")", "0000011111");
    check("!(account < \"2\")", "1010101010");
    check("!(maker == reviewer)", "1100111111");
    check("!(period < 1000)", "0000000000");
}

static void column_against_column(void **state)
{
    (void)state;
    check("maker == reviewer", "0011000000");
    check("maker != reviewer", "1100111111");
    check("debit > credit", "1010010110");
    check("debit == credit", "0000000000");
    check("period == line_no", "1011000000");
    check("date == date", "1111111111");
}

static void a_bare_text_column_means_it_has_a_value(void **state)
{
    (void)state;
    check("counterparty", "1100111111");
    check("!counterparty", "0011000000");
    check("amount >= 100000 && !reviewer", "0000000000");
    check("amount < 0 && !reviewer", "0000001100");
}

static void deeply_alternating_filters(void **state)
{
    (void)state;
    /* period >= 1 && (account == "1002" || (period >= 1 && (account == "1002" || ... period == 1)))
     * alternates && and || thirty levels deep: block evaluation then needs
     * more scratch than it keeps on the stack. */
    char src[2048];
    size_t n = 0;
    for (int i = 0; i < 30; i++)
        n += (size_t)snprintf(src + n, sizeof src - n, "period >= 1 && (account == \"1002\" || (");
    n += (size_t)snprintf(src + n, sizeof src - n, "period == 1");
    for (int i = 0; i < 30; i++)
        n += (size_t)snprintf(src + n, sizeof src - n, "))");
    assert_true(n < sizeof src);
    check(src, "1111000100");
}

static void layout_is_free(void **state)
{
    (void)state;
    check("\n period\t==\r\n1 ", "1110000000");
    check("period==1&&account^=\"5\"", "1010000000");
    check("period in[1,12]", "1110000011");
}

/* ---- what it refuses, and where ------------------------------------------ */

static void unknown_columns_are_named(void **state)
{
    (void)state;
    check_input_error("acount == \"1002\"", "filter:1", "unknown column \"acount\"",
                      "未知列 \"acount\"");
    check_input_error("acount == \"1002\"", "filter:1", "did you mean \"account\"?", "\"account\"");
    check_input_error("period == 1 || amout > 5", "filter:16", "did you mean \"amount\"?",
                      "未知列 \"amout\"");
    check_input_error("zzz == 1", "filter:1",
                      "unknown column \"zzz\"; the columns are: account, account_name, summary, "
                      "counterparty, maker, reviewer, year, period, line_no, date, debit, credit, "
                      "posted, void, odd, amount",
                      "可用的列：account, account_name");
    /* positions count characters, not bytes */
    check_input_error("summary == \"办公\" && acount == 1", "filter:20",
                      "unknown column \"acount\"", "未知列");
    check_input_error("paid == 1", "filter:1", "unknown column \"paid\"", "未知列");
}

static void bad_tokens(void **state)
{
    (void)state;
    check_input_error("amount >= 5 $", "filter:13", "unexpected character \"$\"", "无法识别的字符");
    check_input_error("period = 1", "filter:8", "use == to compare", "==");
    check_input_error("period == 1 & debit > 0", "filter:13", "write &&", "&&");
    check_input_error("period == 1 | debit > 0", "filter:13", "write ||", "||");
    check_input_error("（period == 1）", "filter:1", "full-width", "全角");
    check_input_error("summary == “办公”", "filter:12", "full-width", "全角");
    check_input_error("金额 >= 5", "filter:1",
                      "unexpected character \"金\" (column names are English", "列名是英文");
    check_input_error("debit >= 5.", "filter:10", "malformed number 5.", "数字");
    check_input_error("debit >= 5x", "filter:10", "malformed number 5x", "数字");
    check_input_error("debit >= 1.2.3", "filter:10", "malformed number", "数字");
    check_input_error("debit >= - 5", "filter:10", "unexpected character \"-\"", "无法识别");
    check_input_error("period == 1\x01", "filter:12", "control character", "控制字符");
    check_input_error("period == 1 \xff", "filter:13", "not valid UTF-8", "UTF-8");
}

static void strings_must_end(void **state)
{
    (void)state;
    check_input_error("account == \"1002", "filter:12", "unterminated string", "双引号");
    check_input_error("account == \"1002\\\"", "filter:12", "unterminated string", "双引号");
    check_input_error("account == \"10\\", "filter:12", "unterminated string", "双引号");
    check_input_error("summary == \"a\\n\"", "filter:14", "escapes", "转义");
}

static void syntax(void **state)
{
    (void)state;
    check_input_error("", "filter:1", "the filter is empty", "为空");
    check_input_error("  \n ", "filter:1", "the filter is empty", "为空");
    check_input_error("period ==", "filter:10",
                      "expected a value for column \"period\" but found the end of the filter",
                      "表达式结尾");
    check_input_error("period in [1, )", "filter:15", "expected a value for column \"period\"",
                      "\")\"");
    check_input_error("period == 1 &&", "filter:15", "expected a condition", "表达式结尾");
    check_input_error("period == 1 period == 2", "filter:13", "expected &&, || or the end",
                      "\"period\"");
    check_input_error("(period == 1", "filter:13", "expected )", "右括号");
    check_input_error("period == 1)", "filter:12", "expected &&, ||", "\")\"");
    check_input_error("period", "filter:1",
                      "column \"period\" holds integers and is not a condition",
                      "列 \"period\" 是整数");
    check_input_error("posted || void == 1", "filter:1", "e.g. posted == 1", "posted == 1");
    check_input_error("debit", "filter:1", "e.g. debit != 0", "金额");
    check_input_error("date && period == 1", "filter:1", "column \"date\" holds dates", "日期");
    check_input_error("period ^ 1", "filter:8", "unexpected character \"^\"", "无法识别");
    check_input_error("period 1", "filter:8", "expected an operator", "\"period\"");
    check_input_error("\"1002\" == account", "filter:1", "starts with a column name", "列名");
    check_input_error("5 < amount", "filter:1", "starts with a column name", "列名");
    check_input_error("period !in 3", "filter:12", "expected [ after in on column \"period\"", "[");
    check_input_error("account in [\"1\" \"2\"]", "filter:17", "expected , or ]", ", 或 ]");
    check_input_error("account in [\"1\",]", "filter:17", "column \"account\"", "字符串");
    check_input_error("account in [\"1\"", "filter:16", "expected , or ]", "表达式结尾");
    check_input_error("period in [1, 2", "filter:16", "expected , or ]", "表达式结尾");
    check_input_error("in == 1", "filter:1", "expected a condition", "\"in\"");
    check_input_error("!", "filter:2", "expected a condition", "表达式结尾");
    check_input_error("()", "filter:2", "expected a condition", "\")\"");
}

static void type_mismatches_name_the_column(void **state)
{
    (void)state;
    check_input_error("account == 5001", "filter:12",
                      "column \"account\" holds text and cannot be compared with the number 5001; "
                      "write \"5001\"",
                      "列 \"account\" 是文本");
    check_input_error("account in [\"1001\", 1002]", "filter:21", "column \"account\" holds text",
                      "列 \"account\" 是文本");
    check_input_error("amount >= \"50000\"", "filter:11", "column \"amount\" holds amounts",
                      "列 \"amount\" 是金额");
    check_input_error("debit in [1, \"2\"]", "filter:14", "column \"debit\" holds amounts",
                      "列 \"debit\" 是金额");
    check_input_error("debit >= 1.005", "filter:10", "more than 2 decimal places", "两位");
    check_input_error("debit >= 999999999999999999", "filter:10", "out of range", "超出范围");
    check_input_error("date >= 20240101", "filter:9", "column \"date\" holds dates", "日期");
    check_input_error("date == \"2024-02-30\"", "filter:9", "not a valid date", "不是有效日期");
    check_input_error("date in [\"2024-01-01\", \"yesterday\"]", "filter:24", "not a valid date",
                      "列 \"date\"");
    check_input_error("period == 1.5", "filter:11", "column \"period\" holds integers", "整数");
    check_input_error("period == \"1\"", "filter:11", "column \"period\" holds integers",
                      "不能与字符串");
    check_input_error("period in [1, 2.5]", "filter:15", "holds integers", "整数");
    check_input_error("line_no == 99999999999999999999", "filter:12", "out of range", "超出范围");
    check_input_error("debit ^= \"5\"", "filter:7",
                      "^= works on text columns only; column \"debit\" holds amounts", "金额");
    check_input_error("period *= \"5\"", "filter:8", "column \"period\" holds integers", "整数");
    check_input_error("account ^= 5001", "filter:12", "column \"account\" holds text", "文本");
    check_input_error("account ^= summary", "filter:12", "string in double quotes", "双引号");
    check_input_error("debit == period", "filter:10",
                      "column \"debit\" (amounts) cannot be compared with column \"period\" "
                      "(integers)",
                      "列 \"debit\"（金额）");
    check_input_error("account < summary", "filter:11",
                      "can only be compared with == or !=", "文本列");
    check_input_error("account == acount", "filter:12", "unknown column \"acount\"", "未知列");
}

static void bounds(void **state)
{
    (void)state;
    char src[EXPR_MAX_LEN + 64];

    /* nesting: 64 levels are fine, the 65th is refused where it opens */
    char *p = src;
    for (int i = 0; i < EXPR_MAX_DEPTH; i++)
        *p++ = '(';
    p += snprintf(p, 16, "period == 1");
    for (int i = 0; i < EXPR_MAX_DEPTH; i++)
        *p++ = ')';
    *p = '\0';
    check(src, "1110000000");
    memmove(src + 1, src, strlen(src) + 1);
    src[0] = '(';
    strncat(src, ")", 2);
    check_input_error(src, "filter:65", "nest deeper than 64", "64");

    p = src;
    for (int i = 0; i < EXPR_MAX_DEPTH; i++)
        *p++ = '!';
    snprintf(p, 16, "period == 1");
    check(src, "1110000000"); /* an even number of ! */
    memmove(src + 1, src, strlen(src) + 1);
    src[0] = '!';
    check_input_error(src, "filter:65", "nest deeper than 64", "64");

    /* length: 4096 bytes are fine, 4097 are not */
    memset(src, ' ', EXPR_MAX_LEN);
    memcpy(src, "period == 1", 11);
    src[EXPR_MAX_LEN] = '\0';
    check(src, "1110000000");
    src[EXPR_MAX_LEN] = ' ';
    src[EXPR_MAX_LEN + 1] = '\0';
    check_input_error(src, "filter", "longer than the limit of 4096 bytes", "4096");

    /* in-lists: 1000 items are fine, the 1001st is refused */
    char *big = malloc(16 * (EXPR_MAX_IN + 2));
    assert_non_null(big);
    char where[32];
    size_t n = (size_t)snprintf(big, 32, "line_no in [");
    for (int i = 1; i <= EXPR_MAX_IN; i++)
        n += (size_t)snprintf(big + n, 16, "%s%d", i > 1 ? "," : "", i + 2);
    snprintf(big + n, 4, "]");
    assert_true(strlen(big) <= EXPR_MAX_LEN);
    check(big, "0000000000"); /* 3 .. 1002: neither 1 nor 2 */
    snprintf(big + n, 8, ",2]");
    snprintf(where, sizeof where, "filter:%zu", n + 2);
    check_input_error(big, where, "has more than 1000 items", "1000");
    /* the same for text */
    n = (size_t)snprintf(big, 32, "reviewer in [");
    for (int i = 0; i < EXPR_MAX_IN; i++)
        n += (size_t)snprintf(big + n, 8, "%s\"\"", i ? "," : "");
    snprintf(big + n, 4, "]");
    check(big, "0000001100");
    snprintf(big + n, 8, ",\"\"]");
    snprintf(where, sizeof where, "filter:%zu", n + 2);
    check_input_error(big, where, "has more than 1000 items", "1000");
    free(big);
}

static void bad_schemas_are_internal_errors(void **state)
{
    (void)state;
    check_error("odd == 1", AG_ERR_INTERNAL, "filter", "width 3", "宽度");
    expr_schema no_dict = fx.schema;
    no_dict.dict = NULL;
    ag_error err;
    expr *e = NULL;
    assert_int_equal(expr_compile("account == \"1\"", &no_dict, &e, &err), AG_ERR_INTERNAL);
    assert_null(e);
    /* numeric columns need no dictionary */
    assert_int_equal(expr_compile("period == 1", &no_dict, &e, &err), AG_OK);
    expr_free(e);
    expr_free(NULL);
    /* err may be NULL */
    assert_int_equal(expr_compile("acount == 1", &fx.schema, &e, NULL), AG_ERR_INPUT);
    assert_null(e);
}

static void a_real_amount_column_wins(void **state)
{
    (void)state;
    /* With a stored `amount` the virtual one stays out of the way; without
     * debit and credit there is none. */
    int64_t stored[NLINES];
    for (size_t r = 0; r < NLINES; r++)
        stored[r] = (int64_t)r * 100;
    expr_column cols[3] = {fx.cols[C_DEBIT], fx.cols[C_CREDIT], {"amount", EXPR_MONEY, 8, stored}};
    expr_schema s = {cols, 3, fx.dict};
    expr *e = NULL;
    ag_error err;
    assert_int_equal(expr_compile("amount == 3", &s, &e, &err), AG_OK);
    assert_true(expr_eval_row(e, 3));
    assert_false(expr_eval_row(e, 4));
    expr_free(e);
    s.ncols = 1;
    assert_int_equal(expr_compile("amount == 3", &s, &e, &err), AG_ERR_INPUT);
    assert_string_equal(err.where, "filter:1");
}

static void the_documented_columns_and_examples(void **state)
{
    (void)state;
    /* docs/expr.md: every column of the list, with its type, and every example. */
    static const char *text[] = {"unit",         "voucher_type", "voucher_no",   "summary",
                                 "account",      "account_name", "counterparty", "dept",
                                 "project",      "func_class",   "econ_class",   "fund_type",
                                 "decision_ref", "bill_no",      "settle_type",  "maker",
                                 "reviewer",     "poster",       "cashier"};
    static const char *ints[] = {"year", "period", "line_no", "posted", "void"};
    static const int int_width[] = {2, 1, 2, 1, 1};
    expr_column cols[32];
    size_t n = 0;
    static uint32_t ids[NLINES];
    static int64_t money[NLINES];
    static int32_t i32[NLINES];
    for (size_t i = 0; i < sizeof text / sizeof *text; i++)
        cols[n++] = (expr_column){text[i], EXPR_STR, 4, ids};
    for (size_t i = 0; i < sizeof ints / sizeof *ints; i++)
        cols[n++] = (expr_column){ints[i], EXPR_INT, int_width[i], i32};
    cols[n++] = (expr_column){"date", EXPR_DATE, 4, i32};
    cols[n++] = (expr_column){"debit", EXPR_MONEY, 8, money};
    cols[n++] = (expr_column){"credit", EXPR_MONEY, 8, money};
    assert_int_equal(n, 27); /* + the virtual amount = the 28 documented */
    expr_schema s = {cols, n, fx.dict};
    static const char *examples[] = {
        "account ^= \"5001\" && amount >= 50000",
        "account ^= \"1002\" && credit >= 100000 && !decision_ref",
        "maker && maker == reviewer",
        "account ^= \"1001\" && credit > 1000",
        "period == 12 && date >= \"2024-12-20\" && account ^= \"5\"",
        "summary *= \"招待\" || summary *= \"宴请\"",
        "counterparty in [\"甲公司\", \"乙公司\"]",
        "settle_type !in [\"转账\", \"公务卡\"]",
        "posted == 0 || void == 1",
        "amount < 0",
        "amount >= 45000 && amount < 50000",
        "account >= \"5001\" && account < \"5002\"",
        "voucher_no == \"12\"",
        "unit == \"120104001\" && year == 2024 && line_no >= 1 && poster != cashier",
        "dept ^= \"办公室\" && project && func_class && econ_class && fund_type && bill_no",
        "voucher_type in [\"收\", \"付\"] && !(posted == 1)",
    };
    for (size_t i = 0; i < sizeof examples / sizeof *examples; i++) {
        ag_error err;
        expr *e = NULL;
        if (expr_compile(examples[i], &s, &e, &err) != AG_OK)
            fail_msg("`%s` did not compile: %s: %s", examples[i], err.where, err.en);
        expr_free(e);
    }
}

/* ---- block = row = a naive reference, on a random table ------------------ */

#define RROWS 100000

static const char *R_ACCOUNTS[] = {"1001",   "1002",     "100201", "1218", "2307", "5001",
                                   "500101", "50010101", "5101",   "7201", ""};
static const char *R_SUMMARIES[] = {"购买办公用品",      "支付货款",   "发放工资", "报销差旅费",
                                    "收到押金 \"现金\"", "冲销\\错账", "",         "招待费"};
static const char *R_PARTIES[] = {"甲公司", "乙公司", "丙研究所", "", "丁个体户"};
static const char *R_PEOPLE[] = {"张三", "李四", "王五", ""};
static const char *R_TEXT_LITS[] = {"1001",   "1002",     "5001", "500101", "1",          "10",
                                    "50",     "7",        "",     "9999",   "不存在",     "支付",
                                    "报",     "发放工资", "\"",   "\\",     "冲销\\错账", "张三",
                                    "甲公司", "李四",     "费"};
static const int64_t R_MONEY[] = {0,       1,       -1,       4999999,
                                  5000000, 5000001, -20000,   100000000,
                                  123456,  99,      -5000000, INT64_C(922337203685477580)};

enum {
    RC_ACCOUNT,
    RC_SUMMARY,
    RC_PARTY,
    RC_MAKER,
    RC_REVIEWER,
    RC_PERIOD,
    RC_YEAR,
    RC_LINE_NO,
    RC_DATE,
    RC_DEBIT,
    RC_CREDIT,
    RC_POSTED,
    RC_AMOUNT,
    RC_N
};

static const char *RC_NAMES[RC_N] = {"account", "summary", "counterparty", "maker", "reviewer",
                                     "period",  "year",    "line_no",      "date",  "debit",
                                     "credit",  "posted",  "amount"};

static struct {
    eng_dict *dict;
    uint32_t text[5][RROWS];
    int8_t period[RROWS], posted[RROWS];
    int16_t year[RROWS];
    int32_t line_no[RROWS], date[RROWS];
    int64_t debit[RROWS], credit[RROWS];
    expr_column cols[RC_AMOUNT];
    expr_schema schema;
} rt;

static bool rc_text(int c)
{
    return c <= RC_REVIEWER;
}

static int64_t r_num(int c, size_t r)
{
    switch (c) {
    case RC_PERIOD:
        return rt.period[r];
    case RC_YEAR:
        return rt.year[r];
    case RC_LINE_NO:
        return rt.line_no[r];
    case RC_DATE:
        return rt.date[r];
    case RC_DEBIT:
        return rt.debit[r];
    case RC_CREDIT:
        return rt.credit[r];
    case RC_POSTED:
        return rt.posted[r];
    default:
        return rt.debit[r] != 0 ? rt.debit[r] : rt.credit[r];
    }
}

static const char *r_text(int c, size_t r)
{
    return eng_dict_str(rt.dict, rt.text[c][r]);
}

static void build_random_table(ag_rng *g)
{
    rt.dict = eng_dict_new();
    assert_non_null(rt.dict);
    int32_t d0 = day("2023-12-25");
    for (size_t r = 0; r < RROWS; r++) {
        const char *t[5] = {R_ACCOUNTS[ag_rng_below(g, 11)], R_SUMMARIES[ag_rng_below(g, 8)],
                            R_PARTIES[ag_rng_below(g, 5)], R_PEOPLE[ag_rng_below(g, 4)],
                            R_PEOPLE[ag_rng_below(g, 4)]};
        for (int c = 0; c < 5; c++)
            rt.text[c][r] = intern(rt.dict, t[c]);
        rt.period[r] = (int8_t)ag_rng_range(g, 0, 13);
        rt.posted[r] = (int8_t)ag_rng_range(g, -1, 1);
        rt.year[r] = (int16_t)ag_rng_range(g, 2023, 2025);
        rt.line_no[r] = (int32_t)ag_rng_range(g, -3, 40);
        rt.date[r] = d0 + (int32_t)ag_rng_below(g, 380);
        int64_t v = ag_rng_chance(g, 0.5) ? R_MONEY[ag_rng_below(g, 12)]
                                          : ag_rng_range(g, -100000, 20000000);
        int side = (int)ag_rng_below(g, 10); /* mostly one side, sometimes both or neither */
        rt.debit[r] = side < 5 || side == 9 ? v : 0;
        rt.credit[r] = side >= 5 && side < 9 ? v : side == 9 ? ag_rng_range(g, 0, 9999) : 0;
    }
    static const int width[RC_AMOUNT] = {4, 4, 4, 4, 4, 1, 2, 4, 4, 8, 8, 1};
    static const expr_type type[RC_AMOUNT] = {EXPR_STR,  EXPR_STR,   EXPR_STR,   EXPR_STR,
                                              EXPR_STR,  EXPR_INT,   EXPR_INT,   EXPR_INT,
                                              EXPR_DATE, EXPR_MONEY, EXPR_MONEY, EXPR_INT};
    const void *data[RC_AMOUNT] = {rt.text[0], rt.text[1], rt.text[2], rt.text[3],
                                   rt.text[4], rt.period,  rt.year,    rt.line_no,
                                   rt.date,    rt.debit,   rt.credit,  rt.posted};
    for (int c = 0; c < RC_AMOUNT; c++)
        rt.cols[c] = (expr_column){RC_NAMES[c], type[c], width[c], data[c]};
    rt.schema = (expr_schema){rt.cols, RC_AMOUNT, rt.dict};
}

/* A random expression as a tree the reference evaluates, printed as source. */
enum { RN_AND, RN_OR, RN_NOT, RN_CMP, RN_PREFIX, RN_CONTAINS, RN_IN, RN_BARE, RN_COLS };
enum { RO_EQ, RO_NE, RO_LT, RO_LE, RO_GT, RO_GE };
static const char *RO_TEXT[] = {"==", "!=", "<", "<=", ">", ">="};

typedef struct rnode {
    int kind, col, col2, op;
    bool neg; /* RN_IN: !in */
    const struct rnode *a, *b;
    int nlit;
    int64_t num[12];
    const char *text[12];
} rnode;

typedef struct rgen {
    ag_rng *g;
    rnode pool[64];
    int used;
    char *src;
    size_t len, cap;
} rgen;

static void emit(rgen *q, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;
static void emit(rgen *q, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(q->src + q->len, q->cap - q->len, fmt, ap);
    va_end(ap);
    assert_true(n >= 0 && (size_t)n < q->cap - q->len);
    q->len += (size_t)n;
}

static void emit_text(rgen *q, const char *s)
{
    emit(q, "\"");
    for (; *s; s++)
        emit(q, *s == '"' || *s == '\\' ? "\\%c" : "%c", *s);
    emit(q, "\"");
}

static int64_t random_value(rgen *q, int c)
{
    ag_rng *g = q->g;
    switch (c) {
    case RC_PERIOD: {
        static const int64_t v[] = {-1, 0, 1, 6, 12, 13, 200, -200, 127, -128};
        return v[ag_rng_below(g, 10)];
    }
    case RC_POSTED:
        return ag_rng_range(g, -2, 2);
    case RC_YEAR: {
        static const int64_t v[] = {2023, 2024, 2025, 40000, -40000};
        return v[ag_rng_below(g, 5)];
    }
    case RC_LINE_NO:
        return ag_rng_chance(g, 0.9) ? ag_rng_range(g, -4, 41) : INT64_C(5000000000);
    case RC_DATE:
        return day("2023-12-20") + (int32_t)ag_rng_below(g, 400);
    default:
        return ag_rng_chance(g, 0.6) ? R_MONEY[ag_rng_below(g, 12)]
                                     : ag_rng_range(g, -100000, 20000000);
    }
}

static void emit_value(rgen *q, int c, int64_t v)
{
    if (c == RC_DATE) {
        char d[11];
        ag_date_format((int32_t)v, d);
        emit(q, "\"%s\"", d);
    } else if (c >= RC_DEBIT && c != RC_POSTED) {
        char m[24];
        ag_money_format(v, m);
        emit(q, "%s", m);
    } else {
        emit(q, "%lld", (long long)v);
    }
}

static const rnode *random_pred(rgen *q)
{
    ag_rng *g = q->g;
    rnode *n = &q->pool[q->used++];
    memset(n, 0, sizeof *n);
    n->col = (int)ag_rng_below(g, RC_N);
    bool text = rc_text(n->col);
    int pick = (int)ag_rng_below(g, 10);
    if (pick == 0) {
        n->kind = RN_IN;
        n->neg = ag_rng_chance(g, 0.4);
        n->nlit = (int)ag_rng_below(g, 13);
        for (int i = 0; i < n->nlit; i++) {
            if (text)
                n->text[i] = R_TEXT_LITS[ag_rng_below(g, 21)];
            else
                n->num[i] = random_value(q, n->col);
        }
        if (!text && n->nlit > 0 && ag_rng_chance(g, 0.5)) /* values close together */
            for (int i = 1; i < n->nlit; i++)
                n->num[i] = n->num[0] + (int64_t)ag_rng_below(g, 20);
    } else if (pick == 1) {
        n->kind = RN_COLS;
        static const int pairs[][2] = {{RC_MAKER, RC_REVIEWER}, {RC_ACCOUNT, RC_SUMMARY},
                                       {RC_DEBIT, RC_CREDIT},   {RC_AMOUNT, RC_DEBIT},
                                       {RC_PERIOD, RC_LINE_NO}, {RC_YEAR, RC_POSTED},
                                       {RC_DATE, RC_DATE}};
        int k = (int)ag_rng_below(g, 7);
        n->col = pairs[k][0];
        n->col2 = pairs[k][1];
        n->op = rc_text(n->col) ? (int)ag_rng_below(g, 2) : (int)ag_rng_below(g, 6);
    } else if (text && pick == 2) {
        n->kind = RN_PREFIX;
        n->text[0] = R_TEXT_LITS[ag_rng_below(g, 21)];
    } else if (text && pick == 3) {
        n->kind = RN_CONTAINS;
        n->text[0] = R_TEXT_LITS[ag_rng_below(g, 21)];
    } else if (text && pick == 4) {
        n->kind = RN_BARE;
    } else {
        n->kind = RN_CMP;
        n->op = (int)ag_rng_below(g, 6);
        if (text)
            n->text[0] = R_TEXT_LITS[ag_rng_below(g, 21)];
        else
            n->num[0] = random_value(q, n->col);
    }
    return n;
}

static void emit_pred(rgen *q, const rnode *n)
{
    const char *name = RC_NAMES[n->col];
    switch (n->kind) {
    case RN_IN:
        emit(q, "%s %s [", name, n->neg ? "!in" : "in");
        for (int i = 0; i < n->nlit; i++) {
            if (i)
                emit(q, ", ");
            if (rc_text(n->col))
                emit_text(q, n->text[i]);
            else
                emit_value(q, n->col, n->num[i]);
        }
        emit(q, "]");
        return;
    case RN_COLS:
        emit(q, "%s %s %s", name, RO_TEXT[n->op], RC_NAMES[n->col2]);
        return;
    case RN_PREFIX:
    case RN_CONTAINS:
        emit(q, "%s %s ", name, n->kind == RN_PREFIX ? "^=" : "*=");
        emit_text(q, n->text[0]);
        return;
    case RN_BARE:
        emit(q, "%s", name);
        return;
    default:
        emit(q, "%s %s ", name, RO_TEXT[n->op]);
        if (rc_text(n->col))
            emit_text(q, n->text[0]);
        else
            emit_value(q, n->col, n->num[0]);
    }
}

static const rnode *random_expr(rgen *q, int depth)
{
    ag_rng *g = q->g;
    int pick = depth <= 0 || q->used > 56 ? 9 : (int)ag_rng_below(g, 10);
    if (pick < 3 || pick > 6) {
        const rnode *n = random_pred(q);
        emit_pred(q, n);
        return n;
    }
    rnode *n = &q->pool[q->used++];
    memset(n, 0, sizeof *n);
    if (pick == 3) {
        n->kind = RN_NOT;
        emit(q, "!(");
        n->a = random_expr(q, depth - 1);
        emit(q, ")");
        return n;
    }
    n->kind = pick < 5 ? RN_AND : RN_OR;
    emit(q, "(");
    n->a = random_expr(q, depth - 1);
    emit(q, n->kind == RN_AND ? ") && (" : ") || (");
    n->b = random_expr(q, depth - 1);
    emit(q, ")");
    return n;
}

static bool ref_holds(int op, int cmp)
{
    switch (op) {
    case RO_EQ:
        return cmp == 0;
    case RO_NE:
        return cmp != 0;
    case RO_LT:
        return cmp < 0;
    case RO_LE:
        return cmp <= 0;
    case RO_GT:
        return cmp > 0;
    default:
        return cmp >= 0;
    }
}

static int cmp64(int64_t a, int64_t b)
{
    return (a > b) - (a < b);
}

/* The reference: strings compared as strings, numbers as int64, per row. */
static bool ref_eval(const rnode *n, size_t r)
{
    switch (n->kind) {
    case RN_AND:
        return ref_eval(n->a, r) && ref_eval(n->b, r);
    case RN_OR:
        return ref_eval(n->a, r) || ref_eval(n->b, r);
    case RN_NOT:
        return !ref_eval(n->a, r);
    case RN_BARE:
        return r_text(n->col, r)[0] != '\0';
    case RN_PREFIX:
        return strncmp(r_text(n->col, r), n->text[0], strlen(n->text[0])) == 0;
    case RN_CONTAINS:
        return strstr(r_text(n->col, r), n->text[0]) != NULL;
    case RN_COLS:
        if (rc_text(n->col))
            return ref_holds(n->op, strcmp(r_text(n->col, r), r_text(n->col2, r)));
        return ref_holds(n->op, cmp64(r_num(n->col, r), r_num(n->col2, r)));
    case RN_IN: {
        bool hit = false;
        for (int i = 0; i < n->nlit; i++)
            hit |= rc_text(n->col) ? strcmp(r_text(n->col, r), n->text[i]) == 0
                                   : r_num(n->col, r) == n->num[i];
        return hit != n->neg;
    }
    default:
        if (rc_text(n->col))
            return ref_holds(n->op, strcmp(r_text(n->col, r), n->text[0]));
        return ref_holds(n->op, cmp64(r_num(n->col, r), n->num[0]));
    }
}

static void block_equals_row_equals_reference(void **state)
{
    (void)state;
    ag_rng g;
    ag_rng_seed(&g, 20240531);
    build_random_table(&g);
    uint8_t *all = malloc(RROWS), *part = malloc(RROWS);
    char *src = malloc(EXPR_MAX_LEN);
    assert_true(all && part && src);
    size_t selected = 0;
    for (int round = 0; round < 300; round++) {
        rgen q = {.g = &g, .src = src, .cap = EXPR_MAX_LEN};
        const rnode *tree = random_expr(&q, 1 + (int)ag_rng_below(&g, 4));
        ag_error err;
        expr *e = NULL;
        if (expr_compile(src, &rt.schema, &e, &err) != AG_OK)
            fail_msg("`%s` did not compile: %s: %s", src, err.where, err.en);
        memset(all, 9, RROWS);
        expr_eval(e, 0, RROWS, all);
        size_t b = (size_t)ag_rng_below(&g, RROWS), end = b + (size_t)ag_rng_below(&g, RROWS - b);
        memset(part, 9, RROWS);
        expr_eval(e, b, end, part);
        for (size_t r = 0; r < RROWS; r++) {
            bool want = ref_eval(tree, r);
            if (all[r] != want)
                fail_msg("`%s`: row %zu: block %u, reference %d", src, r, all[r], want);
            if (expr_eval_row(e, r) != want)
                fail_msg("`%s`: row %zu: row evaluation %d, reference %d", src, r, !want, want);
            if (r >= b && r < end && part[r - b] != want)
                fail_msg("`%s`: row %zu: rows [%zu, %zu) gave %u", src, r, b, end, part[r - b]);
            selected += want;
        }
        assert_int_equal(part[end - b], 9); /* nothing written past the range */
        expr_free(e);
    }
    /* The expressions were neither all empty nor all full. */
    assert_true(selected > 300u * RROWS / 20 && selected < 300u * RROWS * 19 / 20);
    free(all);
    free(part);
    free(src);
    eng_dict_free(rt.dict);
}

/* ---- many threads on one compiled expression ----------------------------- */

typedef struct slice {
    const expr *e;
    size_t begin, end;
    uint8_t *out;
} slice;

static void *eval_slice(void *arg)
{
    slice *s = arg;
    expr_eval(s->e, s->begin, s->end, s->out + s->begin);
    return NULL;
}

static void one_expression_many_threads(void **state)
{
    (void)state;
    enum { ROWS = 200000, THREADS = 4 };
    int64_t *debit = calloc(ROWS, sizeof *debit), *credit = calloc(ROWS, sizeof *credit);
    int8_t *period = calloc(ROWS, 1);
    uint8_t *one = malloc(ROWS), *many = malloc(ROWS);
    assert_true(debit && credit && period && one && many);
    ag_rng g;
    ag_rng_seed(&g, 7);
    for (size_t r = 0; r < ROWS; r++) {
        debit[r] = ag_rng_chance(&g, 0.5) ? ag_rng_range(&g, 0, 10000000) : 0;
        credit[r] = debit[r] ? 0 : ag_rng_range(&g, 0, 10000000);
        period[r] = (int8_t)ag_rng_range(&g, 1, 12);
    }
    expr_column cols[] = {{"debit", EXPR_MONEY, 8, debit},
                          {"credit", EXPR_MONEY, 8, credit},
                          {"period", EXPR_INT, 1, period}};
    expr_schema s = {cols, 3, NULL};
    expr *e = NULL;
    ag_error err;
    assert_int_equal(
        expr_compile("(amount >= 50000 || period in [3, 6, 9]) && !(period == 12 && debit > 0)", &s,
                     &e, &err),
        AG_OK);
    expr_eval(e, 0, ROWS, one);
    pthread_t th[THREADS];
    slice sl[THREADS];
    for (int t = 0; t < THREADS; t++) {
        sl[t] = (slice){e, (size_t)t * ROWS / THREADS, (size_t)(t + 1) * ROWS / THREADS, many};
        assert_int_equal(pthread_create(&th[t], NULL, eval_slice, &sl[t]), 0);
    }
    for (int t = 0; t < THREADS; t++)
        assert_int_equal(pthread_join(th[t], NULL), 0);
    assert_memory_equal(one, many, ROWS);
    expr_free(e);
    free(debit);
    free(credit);
    free(period);
    free(one);
    free(many);
}

/* ---- speed: printed, never asserted --------------------------------------- */

static double seconds_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void ten_million_rows(void **state)
{
    (void)state;
#if defined(__SANITIZE_ADDRESS__)
    const size_t rows = 1000000; /* sanitizers make it slow; the count check still runs */
#else
    const size_t rows = 10000000;
#endif
    eng_dict *d = eng_dict_new();
    assert_non_null(d);
    enum { NACC = 400 };
    uint32_t acc[NACC];
    bool is5001[NACC];
    char code[32];
    for (int i = 0; i < NACC; i++) {
        if (i % 10 == 0)
            snprintf(code, sizeof code, "5001%03d", i);
        else
            snprintf(code, sizeof code, "%d", 1001 + i);
        acc[i] = intern(d, code);
        is5001[i] = strncmp(code, "5001", 4) == 0;
    }
    for (int i = 0; i < 100000; i++) { /* summaries and names make a big dictionary */
        snprintf(code, sizeof code, "摘要%d", i);
        intern(d, code);
    }
    uint32_t *account = malloc(rows * sizeof *account);
    int64_t *debit = malloc(rows * sizeof *debit), *credit = malloc(rows * sizeof *credit);
    uint8_t *out = malloc(rows);
    assert_true(account && debit && credit && out);
    ag_rng g;
    ag_rng_seed(&g, 42);
    size_t want = 0;
    for (size_t r = 0; r < rows; r++) {
        int a = (int)ag_rng_below(&g, NACC);
        account[r] = acc[a];
        int64_t v = ag_rng_range(&g, 1, 20000000);
        bool deb = ag_rng_chance(&g, 0.5);
        debit[r] = deb ? v : 0;
        credit[r] = deb ? 0 : v;
        want += is5001[a] && v >= 5000000;
    }
    expr_column cols[] = {{"account", EXPR_STR, 4, account},
                          {"debit", EXPR_MONEY, 8, debit},
                          {"credit", EXPR_MONEY, 8, credit}};
    expr_schema s = {cols, 3, d};
    expr *e = NULL;
    ag_error err;
    double t0 = seconds_now();
    assert_int_equal(expr_compile("account ^= \"5001\" && amount >= 50000", &s, &e, &err), AG_OK);
    double t1 = seconds_now();
    expr_eval(e, 0, rows, out);
    double t2 = seconds_now();
    size_t got = 0;
    for (size_t r = 0; r < rows; r++)
        got += out[r];
    assert_int_equal(got, want);
    size_t by_row = 0;
    double t3 = seconds_now();
    for (size_t r = 0; r < rows; r++)
        by_row += expr_eval_row(e, r);
    double t4 = seconds_now();
    assert_int_equal(by_row, want);
    printf("[ speed    ] `account ^= \"5001\" && amount >= 50000`: compile %.2f ms over %u "
           "dictionary ids; %zu rows, %zu selected: block %.1f ms (%.0f M rows/s), row by row "
           "%.1f ms (%.0f M rows/s)\n",
           (t1 - t0) * 1e3, eng_dict_count(d), rows, got, (t2 - t1) * 1e3,
           (double)rows / (t2 - t1) / 1e6, (t4 - t3) * 1e3, (double)rows / (t4 - t3) / 1e6);
    expr_free(e);
    free(account);
    free(debit);
    free(credit);
    free(out);
    eng_dict_free(d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(text_equality),
        cmocka_unit_test(text_absent_from_the_dictionary_matches_nothing),
        cmocka_unit_test(text_order_is_byte_order),
        cmocka_unit_test(prefix_and_contains),
        cmocka_unit_test(integers),
        cmocka_unit_test(money_literals_are_yuan_to_the_fen),
        cmocka_unit_test(dates),
        cmocka_unit_test(the_virtual_amount),
        cmocka_unit_test(in_lists),
        cmocka_unit_test(precedence_and_parentheses),
        cmocka_unit_test(negation),
        cmocka_unit_test(column_against_column),
        cmocka_unit_test(a_bare_text_column_means_it_has_a_value),
        cmocka_unit_test(deeply_alternating_filters),
        cmocka_unit_test(layout_is_free),
        cmocka_unit_test(unknown_columns_are_named),
        cmocka_unit_test(bad_tokens),
        cmocka_unit_test(strings_must_end),
        cmocka_unit_test(syntax),
        cmocka_unit_test(type_mismatches_name_the_column),
        cmocka_unit_test(bounds),
        cmocka_unit_test(bad_schemas_are_internal_errors),
        cmocka_unit_test(a_real_amount_column_wins),
        cmocka_unit_test(the_documented_columns_and_examples),
        cmocka_unit_test(block_equals_row_equals_reference),
        cmocka_unit_test(one_expression_many_threads),
        cmocka_unit_test(ten_million_rows),
    };
    return cmocka_run_group_tests(tests, setup_fixture, teardown_fixture);
}
