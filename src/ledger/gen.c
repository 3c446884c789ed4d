/* gen.c - the ledger generator's run: options, units, the day loop, files, ground truth. */
#include "ledger/gen.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "ledger/gen_int.h"
#include "util/date.h"
#include "util/money.h"
#include "util/uscc.h"
#include "util/banned.h"

static const char CSV_HEADER[] =
    "unit_code,fiscal_year,period,voucher_date,voucher_type,voucher_no,line_no,summary,"
    "account_code,account_name,debit,credit,counterparty,dept,project,func_class,econ_class,"
    "fund_type,decision_ref,bill_no,settle_type,maker,reviewer,poster,cashier,posted,void\n";
static const char GT_HEADER[] = "case_id,rule,item,unit_code,fiscal_year,period,voucher_type,"
                                "voucher_no,line_no,voucher_date,account_code,counterparty,"
                                "amount,note\n";
static const char STAFF_HEADER[] = "unit_code,name,role\n";

/* ---- ground truth ---- */

static void gt_begin(gen_ctx *c, int64_t case_id, const char *rule, const char *item, int period)
{
    gen_file *g = &c->gt;
    gen_puts(g, "P");
    char id[24];
    snprintf(id, sizeof id, "%06lld", (long long)case_id);
    gen_puts(g, id);
    gen_putc(g, ',');
    gen_puts(g, rule);
    gen_putc(g, ',');
    gen_puts(g, item);
    gen_putc(g, ',');
    gen_puts(g, c->u->code);
    gen_putc(g, ',');
    gen_put_int(g, c->year);
    gen_putc(g, ',');
    gen_put_int(g, period);
    gen_putc(g, ',');
    c->res.gt_rows++;
}

void gen_gt_row(gen_ctx *c, int64_t case_id, const char *rule, const char *item,
                const gen_voucher *v, int line, int64_t amount, const char *note)
{
    gen_file *g = &c->gt;
    gt_begin(c, case_id, rule, item, ag_date_from_days(v->date).month);
    gen_puts(g, gen_vtype_names[v->type]);
    gen_putc(g, ',');
    gen_put_int(g, v->no);
    gen_putc(g, ',');
    if (line >= 0)
        gen_put_int(g, line + 1);
    gen_putc(g, ',');
    gen_put_date(g, v->date);
    gen_putc(g, ',');
    if (line >= 0) {
        gen_puts(g, v->l[line].acct);
        gen_putc(g, ',');
        gen_put_field(g, v->l[line].cp);
    } else {
        gen_putc(g, ',');
    }
    gen_putc(g, ',');
    gen_put_money(g, amount);
    gen_putc(g, ',');
    gen_put_field(g, note);
    gen_putc(g, '\n');
}

void gen_gt_gap(gen_ctx *c, int month, int type, int missing)
{
    char note[160];
    snprintf(note, sizeof note, "%d月%s字凭证缺号：%s-%d 与 %s-%d 之间缺少第%d号", month,
             gen_vtype_names[type], gen_vtype_names[type], missing - 1, gen_vtype_names[type],
             missing + 1, missing);
    gt_begin(c, c->gap_case[month], gen_rule_name(PL_GAP), gen_rule_item(PL_GAP), month);
    gen_file *g = &c->gt;
    gen_puts(g, gen_vtype_names[type]);
    gen_putc(g, ',');
    gen_put_int(g, missing);
    gen_puts(g, ",,,,,,");
    gen_put_field(g, note);
    gen_putc(g, '\n');
    c->res.planted++;
}

static void gt_spike(gen_ctx *c)
{
    int64_t dec = c->exp_month[12], all = c->exp_total;
    if (!c->spike || all <= 0 || dec * 4 <= all)
        return;
    char a[24], t[24], note[240];
    ag_money_format(dec, a);
    ag_money_format(all, t);
    /* A share for the reader; the amounts themselves are exact. */
    snprintf(note, sizeof note, "12月费用%s元，占全年费用%s元的%.1f%%（超过25%%）", a, t,
             100.0 * (double)dec / (double)all);
    int64_t id = ++c->case_seq;
    gt_begin(c, id, "yearend_spike", "K2", 12);
    gen_file *g = &c->gt;
    gen_puts(g, ",,,");
    gen_put_date(g, ag_date_to_days((ag_date){c->year, 12, 31}));
    gen_puts(g, ",,,");
    gen_put_money(g, dec);
    gen_putc(g, ',');
    gen_put_field(g, note);
    gen_putc(g, '\n');
    c->res.planted++;
}

/* ---- units ---- */

static uint64_t hash_str(const char *s, uint64_t h)
{
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 0x100000001B3ULL;
    return h;
}

static bool has_word(const char *name, const char *w)
{
    return w && strstr(name, w) != NULL;
}

static const gen_sector *sector_of(const char *name)
{
    for (size_t s = 1; s < gen_sectors_n; s++) {
        for (int i = 0; i < 6 && gen_sectors[s].keywords[i]; i++) {
            if (has_word(name, gen_sectors[s].keywords[i]))
                return &gen_sectors[s];
        }
    }
    return &gen_sectors[0];
}

static bool staff_taken(const gen_ctx *c, const char *name)
{
    for (int i = 0; i < c->n_staff; i++) {
        if (!strcmp(c->staff[i], name))
            return true;
    }
    return false;
}

static int add_staff(gen_ctx *c, const char *role)
{
    char name[16];
    do {
        const char *s = gen_surnames[ag_rng_below(&c->rng, gen_surnames_n)];
        const char *g = gen_staff_given[ag_rng_below(&c->rng, gen_staff_given_n)];
        snprintf(name, sizeof name, "%s%s", s, g);
    } while (staff_taken(c, name));
    snprintf(c->staff[c->n_staff], sizeof c->staff[0], "%s", name);
    c->staff_role[c->n_staff] = role;
    return c->n_staff++;
}

static void roster(gen_ctx *c)
{
    c->n_staff = 0;
    c->reviewers[0] = add_staff(c, "财务负责人");
    c->n_reviewers = 1;
    if (ag_rng_chance(&c->rng, 0.5))
        c->reviewers[c->n_reviewers++] = add_staff(c, "审核会计");
    c->poster = add_staff(c, "主管会计");
    c->n_makers = 2 + (int)ag_rng_below(&c->rng, 2);
    for (int i = 0; i < c->n_makers; i++)
        c->makers[i] = add_staff(c, "会计");
    c->n_cashiers = 1;
    c->cashiers[0] = add_staff(c, "出纳");
    int others = 8 + (int)ag_rng_below(&c->rng, 23);
    for (int i = 0; i < others && c->n_staff < GEN_MAX_STAFF; i++)
        add_staff(c, "职工");
    /* 7,000..12,000 yuan a head a month: at most 36 people keep the monthly
     * payroll below 475,000 yuan, clear of every threshold band. */
    c->salary_base = 0;
    for (int i = 0; i < c->n_staff; i++)
        c->salary_base += YUAN(7000) + (int64_t)ag_rng_below(&c->rng, (uint64_t)YUAN(5000));
}

static void depts(gen_ctx *c)
{
    static const char *const adm[] = {"办公室",   "财务科",   "人事科",    "政策法规科",
                                      "业务一科", "业务二科", "监督检查科"};
    static const char *const inst[] = {"综合办公室", "财务部",   "业务部",
                                       "后勤保障部", "信息中心", "研究室"};
    static const char *const ent[] = {"综合办公室", "财务部",     "工程管理部",
                                      "经营部",     "资产管理部", "安全生产部"};
    const char *const *src = !c->gov ? ent : c->admin ? adm : inst;
    int n = !c->gov ? 6 : c->admin ? 7 : 6;
    c->n_depts = n;
    for (int i = 0; i < n; i++)
        c->depts[i] = src[i];
}

static ag_err pools(gen_ctx *c, ag_error *err)
{
    /* Payees enough that no payee's 31-day total comes near 1,000,000 yuan:
     * about one payee for every two payments a month. */
    int64_t per_month = c->lines_per_year / 12 * 55 / 320;
    int64_t total = per_month / 2;
    if (total < 60)
        total = 60;
    if (total > 12000)
        total = 12000;
    int w[GEN_NCAT] = {0};
    size_t n = c->gov ? gen_gov_exp_n : gen_ent_exp_n;
    for (size_t k = 0; k < n; k++) {
        const gen_exp *e = c->gov ? &gen_gov_exp[k] : &gen_ent_exp[k];
        w[e->cat] += e->weight;
    }
    w[CAT_EQUIP] += 6;
    w[CAT_BUILD] += c->gov ? 3 : 12;
    w[CAT_CONSULT] += 2;
    w[CAT_PROPERTY] += 1;
    w[CAT_PERSON] += 6;
    w[CAT_CUSTOMER] += c->gov ? 4 : 18;
    w[CAT_TRADE] += c->gov ? 0 : 10;
    int wsum = 0;
    for (int k = 0; k < GEN_NCAT; k++)
        wsum += w[k];
    size_t sizes[GEN_NCAT], all = 7;
    for (int k = 0; k < GEN_NCAT; k++) {
        size_t s = (size_t)(total * w[k] / wsum);
        if (s < 6)
            s = 6;
        if (k == CAT_PLANT)
            s = 48;
        if (s > gen_company_capacity(k))
            s = gen_company_capacity(k);
        sizes[k] = s;
        all += s;
    }
    if (all > c->cap_cp) {
        gen_cp *ncp = realloc(c->cp, all * sizeof *ncp);
        if (!ncp)
            return ag_fail(err, AG_ERR_NOMEM, c->u->code, "内存不足", "out of memory");
        c->cp = ncp;
        c->cap_cp = all;
    }
    unsigned salt = (unsigned)ag_rng_below(&c->rng, 100000);
    size_t at = 0;
    for (int k = 0; k < GEN_NCAT; k++) {
        c->cat_off[k] = at;
        c->cat_n[k] = sizes[k];
        for (size_t i = 0; i < sizes[k]; i++, at++) {
            gen_cp *p = &c->cp[at];
            gen_company_name(k, i, salt, p->name, sizeof p->name);
            p->cat = (unsigned char)k;
            p->n = 0;
        }
    }
    static const char *const special[7] = {
        "天津市南开区财政局",
        "中国工商银行天津南开支行（工资代发）",
        "国家税务总局天津市南开区税务局",
        "中国工商银行股份有限公司天津南开支行",
        "天津水务集团有限公司",
        "国网天津市电力公司",
        "中国电信股份有限公司天津分公司",
    };
    int *slot[7] = {&c->cp_finance, &c->cp_salary, &c->cp_tax, &c->cp_bank,
                    &c->cp_water,   &c->cp_power,  &c->cp_tel};
    for (int i = 0; i < 7; i++, at++) {
        snprintf(c->cp[at].name, sizeof c->cp[at].name, "%s", special[i]);
        c->cp[at].cat = CAT_TRADE;
        c->cp[at].n = 0;
        *slot[i] = (int)at;
    }
    c->n_cp = at;
    c->plant_next = 0;
    return AG_OK;
}

static ag_err unit_init(gen_ctx *c, const ag_gen_unit *u, size_t ui, int64_t lpy, ag_error *err)
{
    c->u = u;
    c->ui = ui;
    c->gov = u->chart == AG_CHART_GOV2019;
    c->admin = c->gov && u->admin;
    c->sector = sector_of(u->name);
    ag_rng_seed(&c->rng, hash_str(u->code, c->o->seed ^ 0xCBF29CE484222325ULL) + ui);
    c->lines_per_year = lpy;
    depts(c);
    roster(c);
    c->dep_base = YUAN(3000) + (int64_t)ag_rng_below(&c->rng, (uint64_t)YUAN(40000));
    c->vat_pct = c->gov ? 0 : (int[]){6, 9, 13}[ag_rng_below(&c->rng, 3)];
    c->pend.n = 0;
    c->pend_seq = 0;
    c->pend_cap = 200000;
    c->salary_due = 0;
    c->tax_due = 0;
    c->tax_month = 0;
    c->bill_seq = 0;
    ag_err rc = pools(c, err);
    if (rc)
        return rc;
    gen_file *s = &c->staff_f;
    for (int i = 0; i < c->n_staff; i++) {
        gen_puts(s, u->code);
        gen_putc(s, ',');
        gen_put_field(s, c->staff[i]);
        gen_putc(s, ',');
        gen_puts(s, c->staff_role[i]);
        gen_putc(s, '\n');
    }
    return AG_OK;
}

/* ---- one unit-year ---- */

static const double GOV_MONTH_W[13] = {0,   0.75, 0.8, 1.0,  1.0,  1.0, 1.0,
                                       1.0, 0.95, 1.0, 0.95, 1.05, 1.3};
static const double ENT_MONTH_W[13] = {0,   0.85, 0.8, 1.0, 1.0, 1.0, 1.0,
                                       1.0, 1.0,  1.0, 1.0, 1.0, 1.15};

static void year_setup(gen_ctx *c)
{
    int n = snprintf(c->prefix, sizeof c->prefix, "%s,%d,", c->u->code, c->year);
    c->prefix_len = (size_t)n;
    if (c->gov) {
        c->n_projects = 5;
        for (int i = 0; i < 5; i++)
            snprintf(c->projects[i], sizeof c->projects[i], "%d年%s", c->year,
                     c->sector->projects[i]);
    } else {
        static const char *const ent[] = {"物业经营项目", "片区更新改造工程", "智慧停车运营项目",
                                          "保障性租赁住房运营项目", "老旧厂房改造项目"};
        c->n_projects = 5;
        for (int i = 0; i < 5; i++)
            snprintf(c->projects[i], sizeof c->projects[i], "%d年%s", c->year, ent[i]);
    }
    snprintf(c->basic_proj[0], sizeof c->basic_proj[0], "%s", "基本支出-人员经费");
    snprintf(c->basic_proj[1], sizeof c->basic_proj[1], "%s", "基本支出-日常公用经费");
    memset(c->counters, 0, sizeof c->counters);
    memset(c->exp_month, 0, sizeof c->exp_month);
    memset(c->gap_k, 0, sizeof c->gap_k);
    memset(c->gap_type, 0, sizeof c->gap_type);
    c->exp_total = 0;
    c->spike = false;
    c->spike_goal = 0;
    c->dec_room = INT64_MAX;
    c->reserved = 0;
    c->left = c->target;
    c->jan1 = ag_date_to_days((ag_date){c->year, 1, 1});
    gen_book_year_init(c);
}

static void day_weights(gen_ctx *c)
{
    const double *mw = c->gov ? GOV_MONTH_W : ENT_MONTH_W;
    int32_t end = ag_date_to_days((ag_date){c->year, 12, 31});
    c->wsum_left = 0;
    for (int32_t d = c->jan1; d <= end; d++) {
        double w = 0;
        if (calendar_is_workday(c->cal, d)) {
            int m = ag_date_from_days(d).month;
            w = mw[m] * (0.7 + 0.6 * ag_rng_unit(&c->rng));
            if (m == 12 && c->spike)
                w *= 2.5;
        }
        c->wday[d - c->jan1] = w;
        c->wsum_left += w;
    }
}

static int32_t last_workday(const gen_ctx *c, int year, int month)
{
    for (int d = ag_days_in_month(year, month); d >= 1; d--) {
        int32_t day = ag_date_to_days((ag_date){year, month, d});
        if (calendar_is_workday(c->cal, day))
            return day;
    }
    return 0;
}

static void december_starts(gen_ctx *c)
{
    int64_t e11 = c->exp_total;
    if (c->spike) {
        /* 34%..42% of the year's expense in December. */
        int64_t pct = 34 + (int64_t)ag_rng_below(&c->rng, 9);
        c->spike_goal = e11 / (100 - pct) * pct;
    } else {
        /* December stays within a quarter of January..November, i.e. at
         * most 20% of the year, month-end accruals included. */
        int64_t monthend = c->salary_base * 105 / 100 + c->dep_base * 11 / 10;
        c->dec_room = e11 / 4 - monthend;
        if (c->dec_room < 0)
            c->dec_room = 0;
    }
}

static ag_err year_run(gen_ctx *c, int64_t ordinal, ag_error *err)
{
    year_setup(c);
    c->plants_on = c->target >= 800;
    gen_plants_schedule(c, ordinal);
    if (c->plants_on && ordinal % 6 == 3 && c->target >= 2000)
        c->spike = true;
    day_weights(c);

    char name[96];
    snprintf(name, sizeof name, "%s-%d.csv", c->u->code, c->year);
    ag_err rc = gen_file_open(&c->f, c->o->out_dir, name, err);
    if (rc)
        return rc;
    gen_put(&c->f, CSV_HEADER, sizeof CSV_HEADER - 1);

    int32_t end = ag_date_to_days((ag_date){c->year, 12, 31});
    int32_t last_wd_year = last_workday(c, c->year, 12);
    int month = 0, wd_index = 0;
    int32_t last_wd = 0;
    bool december = false;
    for (int32_t d = c->jan1; d <= end; d++) {
        int m = ag_date_from_days(d).month;
        if (m != month) {
            month = m;
            wd_index = 0;
            last_wd = last_workday(c, c->year, m);
        }
        bool wd = calendar_is_workday(c->cal, d);
        int64_t stop = c->left;
        if (wd) {
            if (m == 12 && !december) {
                december = true;
                december_starts(c);
            }
            double w = c->wday[d - c->jan1];
            int64_t avail = c->left - c->reserved;
            int64_t want =
                c->wsum_left > 0 ? (int64_t)((double)avail * w / c->wsum_left + 0.5) : avail;
            c->wsum_left -= w;
            stop = c->left - want;
            gen_scheduled(c, d, wd_index, d == last_wd);
        }
        while (c->next_plant < c->n_plants && c->plants[c->next_plant].date <= d)
            gen_plant_emit(c, &c->plants[c->next_plant++]);
        if (wd) {
            gen_settle_due(c, d, INT64_MAX, false);
            if (d == last_wd_year) {
                gen_settle_due(c, d, 0, true);
                gen_fill(c, d);
            } else {
                while (c->left > stop) {
                    if (!gen_normal(c, d))
                        break;
                }
            }
            wd_index++;
        }
    }
    gt_spike(c);
    if (c->f.failed) {
        gen_file_abort(&c->f);
        return ag_fail(err, AG_ERR_IO, name, "写入失败", "write failed");
    }
    c->res.bytes += c->f.bytes;
    rc = gen_file_commit(&c->f, err);
    if (rc)
        return rc;
    c->res.files++;
    return AG_OK;
}

/* ---- the run ---- */

static ag_err mkdirs(const char *path, ag_error *err)
{
    char buf[GEN_PATH];
    size_t n = strlen(path);
    if (n == 0 || n >= sizeof buf)
        return ag_fail(err, AG_ERR_USAGE, "out_dir", "输出目录无效", "invalid output directory");
    memcpy(buf, path, n + 1);
    for (size_t i = 1; i <= n; i++) {
        if (buf[i] == '/' || buf[i] == '\0') {
            char keep = buf[i];
            buf[i] = '\0';
            if (mkdir(buf, 0755) != 0 && errno != EEXIST)
                return ag_fail(err, AG_ERR_IO, buf, "无法创建目录：%s",
                               "cannot create the directory: %s", strerror(errno));
            buf[i] = keep;
        }
    }
    struct stat st;
    if (stat(path, &st) != 0 || !S_ISDIR(st.st_mode))
        return ag_fail(err, AG_ERR_IO, path, "输出路径不是目录",
                       "the output path is not a directory");
    return AG_OK;
}

static int cmp_code(const void *a, const void *b)
{
    const ag_gen_unit *const *x = a, *const *y = b;
    return strcmp((*x)->code, (*y)->code);
}

static ag_err check_units(const ag_gen_unit *units, size_t n, ag_error *err)
{
    if (!units || n == 0 || n > AG_GEN_MAX_UNITS)
        return ag_fail(err, AG_ERR_USAGE, "units", "单位数量应在1到%d之间",
                       "the number of units must be 1..%d", AG_GEN_MAX_UNITS);
    for (size_t i = 0; i < n; i++) {
        char where[48];
        snprintf(where, sizeof where, "units[%zu].code", i);
        if (uscc_validate(units[i].code, where, err) != AG_OK) {
            /* a bad unit list is the caller's usage error, with the check's text */
            if (err)
                err->code = AG_ERR_USAGE;
            return AG_ERR_USAGE;
        }
        if (!units[i].name || !units[i].name[0] || strlen(units[i].name) > 200) {
            snprintf(where, sizeof where, "units[%zu].name", i);
            return ag_fail(err, AG_ERR_USAGE, where, "单位名称为空或过长",
                           "the unit name is empty or too long");
        }
        if (units[i].chart != AG_CHART_GOV2019 && units[i].chart != AG_CHART_ENTERPRISE) {
            snprintf(where, sizeof where, "units[%zu].chart", i);
            return ag_fail(err, AG_ERR_USAGE, where, "科目体系无效", "invalid chart profile");
        }
    }
    const ag_gen_unit **v = malloc(n * sizeof *v);
    if (!v)
        return ag_fail(err, AG_ERR_NOMEM, "units", "内存不足", "out of memory");
    for (size_t i = 0; i < n; i++)
        v[i] = &units[i];
    qsort(v, n, sizeof *v, cmp_code);
    ag_err rc = AG_OK;
    for (size_t i = 1; i < n; i++) {
        if (!strcmp(v[i]->code, v[i - 1]->code)) {
            rc = ag_fail(err, AG_ERR_USAGE, "units", "单位代码重复：%s",
                         "a unit code appears twice: %s", v[i]->code);
            break;
        }
    }
    free(v);
    return rc;
}

ag_err ledger_gen_run(const ag_gen_opts *opts, const ag_gen_unit *units, size_t n_units,
                      ag_gen_result *res, ag_error *err)
{
    if (res)
        memset(res, 0, sizeof *res);
    if (!opts || !opts->out_dir || !opts->out_dir[0])
        return ag_fail(err, AG_ERR_USAGE, "out_dir", "缺少输出目录",
                       "the output directory is missing");
    ag_gen_opts o = *opts;
    if (o.total_lines == 0)
        o.total_lines = 1000000;
    if (o.first_year == 0)
        o.first_year = 2024;
    if (o.years == 0)
        o.years = 2;
    if (o.total_lines < 2 || o.total_lines > AG_GEN_MAX_LINES)
        return ag_fail(err, AG_ERR_USAGE, "total_lines", "总行数应在2到%lld之间",
                       "total_lines must be 2..%lld", (long long)AG_GEN_MAX_LINES);
    if (o.years < 1 || o.years > AG_GEN_MAX_YEARS)
        return ag_fail(err, AG_ERR_USAGE, "years", "年数应在1到%d之间", "years must be 1..%d",
                       AG_GEN_MAX_YEARS);
    if (o.first_year < 1990 || o.first_year + o.years - 1 > 2100)
        return ag_fail(err, AG_ERR_USAGE, "first_year", "年度应在1990到2100之间",
                       "fiscal years must lie within 1990..2100");
    ag_err rc = check_units(units, n_units, err);
    if (rc)
        return rc;
    rc = mkdirs(o.out_dir, err);
    if (rc)
        return rc;

    gen_ctx *c = calloc(1, sizeof *c);
    int64_t *targets = calloc(n_units * (size_t)o.years, sizeof *targets);
    if (!c || !targets) {
        free(c);
        free(targets);
        return ag_fail(err, AG_ERR_NOMEM, "ledger generate", "内存不足", "out of memory");
    }
    c->o = &o;
    rc = calendar_load_default(&c->cal, err);
    if (rc)
        goto out;

    /* Units differ in size (0.5x..1.5x) and grow 4% a year; the split is
     * rounded cumulatively so that the targets add up exactly. */
    {
        double *w = malloc(n_units * (size_t)o.years * sizeof *w);
        if (!w) {
            rc = ag_fail(err, AG_ERR_NOMEM, "ledger generate", "内存不足", "out of memory");
            goto out;
        }
        double sum = 0;
        for (size_t u = 0; u < n_units; u++) {
            ag_rng r;
            ag_rng_seed(&r, hash_str(units[u].code, o.seed));
            double uw = 0.5 + ag_rng_unit(&r);
            for (int y = 0; y < o.years; y++) {
                w[u * (size_t)o.years + (size_t)y] = uw * (1.0 + 0.04 * y);
                sum += w[u * (size_t)o.years + (size_t)y];
            }
        }
        double cum = 0;
        int64_t prev = 0;
        for (size_t i = 0; i < n_units * (size_t)o.years; i++) {
            cum += w[i];
            int64_t upto = (int64_t)((double)o.total_lines * (cum / sum) + 0.5);
            if (i + 1 == n_units * (size_t)o.years)
                upto = o.total_lines;
            targets[i] = upto - prev;
            prev = upto;
        }
        free(w);
        /* A voucher has two lines at least: a lone line moves on. */
        int64_t carry = 0;
        size_t last = 0;
        for (size_t i = 0; i < n_units * (size_t)o.years; i++) {
            targets[i] += carry;
            carry = targets[i] == 1;
            if (carry)
                targets[i] = 0;
            else if (targets[i])
                last = i;
        }
        targets[last] += carry;
    }

    rc = gen_file_open(&c->gt, o.out_dir, "ground_truth.csv", err);
    if (rc)
        goto out;
    rc = gen_file_open(&c->staff_f, o.out_dir, "staff.csv", err);
    if (rc)
        goto out;
    gen_puts(&c->gt, GT_HEADER);
    gen_puts(&c->staff_f, STAFF_HEADER);

    for (size_t u = 0; u < n_units; u++) {
        int64_t lpy = 0;
        for (int y = 0; y < o.years; y++) {
            if (targets[u * (size_t)o.years + (size_t)y] > lpy)
                lpy = targets[u * (size_t)o.years + (size_t)y];
        }
        rc = unit_init(c, &units[u], u, lpy, err);
        if (rc)
            goto out;
        for (int y = 0; y < o.years; y++) {
            c->yidx = y;
            c->year = o.first_year + y;
            c->target = targets[u * (size_t)o.years + (size_t)y];
            rc = year_run(c, (int64_t)(u * (size_t)o.years + (size_t)y), err);
            if (rc)
                goto out;
        }
        if (o.progress)
            fprintf(stderr, "ledger generate: %zu/%zu units, %lld lines\n", u + 1, n_units,
                    (long long)c->res.lines);
    }
    c->res.bytes += c->gt.bytes + c->staff_f.bytes;
    rc = gen_file_commit(&c->staff_f, err);
    if (rc)
        goto out;
    c->res.files++;
    rc = gen_file_commit(&c->gt, err);
    if (rc)
        goto out;
    c->res.files++;
    if (res)
        *res = c->res;
out:
    gen_file_abort(&c->f);
    gen_file_abort(&c->gt);
    gen_file_abort(&c->staff_f);
    calendar_free(c->cal);
    free(c->cp);
    free(c->pend.v);
    free(c);
    free(targets);
    return rc;
}
