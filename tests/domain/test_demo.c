/* test_demo.c - the demo district: the shape of DESIGN §1-§2, determinism, all or nothing. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/attach.h"
#include "domain/demo.h"
#include "domain/grid.h"
#include "domain/scope.h"
#include "domain/user.h"
#include "util/clock.h"
#include "util/date.h"
#include "util/buf.h"
#include "util/uscc.h"
#include "../testutil.h"

#define SEED 2026

static const char *const STREETS[12] = {"长虹",   "鼓楼",     "兴南",     "广开",
                                        "万兴",   "学府",     "向阳路",   "嘉陵道",
                                        "王顶堤", "水上公园", "体育中心", "华苑"};

/* One demo district built once for the structural tests. */
typedef struct fixture {
    ag_store *st;
    demo_summary sum;
    demo_account acc[DEMO_MAX_ACCOUNTS];
    char files[1100];
} fixture;

static int64_t count(ag_store *st, const char *sql)
{
    int64_t n = -1;
    ag_error err;
    must(store_query_int(st, &n, &err, sql, NULL), &err);
    return n;
}

/* The attachments folder of the scratch database `name`. */
static const char *files_of(const char *name)
{
    static char dir[1100];
    char path[1024];
    ag_test_path(path, sizeof path, name);
    snprintf(dir, sizeof dir, "%s.files", path);
    return dir;
}

static ag_store *fresh_db(const char *name)
{
    char path[1024];
    ag_test_path(path, sizeof path, name);
    ag_store *st = NULL;
    ag_error err;
    must(store_open(path, AG_STORE_CREATE, &st, &err), &err);
    return st;
}

/* The rows of a query joined into one text, a row per line and columns
 * separated by '|', NULL as "-". Caller frees. */
static char *dump(ag_store *st, const char *sql)
{
    ag_buf b;
    ag_buf_init(&b, 1u << 24);
    ag_stmt *s = NULL;
    ag_error err;
    bool row;
    must(store_prepare(st, sql, &s, &err), &err);
    while (!store_step(s, &row, &err) && row) {
        for (int i = 0; i < store_col_count(s); i++) {
            const char *t = store_col_text(s, i);
            assert_int_equal(ag_buf_printf(&b, "%s%s", i ? "|" : "", t ? t : "-"), AG_OK);
        }
        assert_int_equal(ag_buf_adds(&b, "\n"), AG_OK);
    }
    store_finalize(s);
    char *out = strdup(ag_buf_str(&b));
    ag_buf_release(&b);
    assert_non_null(out);
    return out;
}

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    if (!f)
        return -1;
    f->st = fresh_db("demo.db");
    snprintf(f->files, sizeof f->files, "%s", files_of("demo.db"));
    ag_error err;
    if (demo_build(f->st, SEED, f->files, &f->sum, f->acc, DEMO_MAX_ACCOUNTS, &err) != AG_OK) {
        fprintf(stderr, "demo_build: %s\n", err.en);
        store_close(f->st);
        free(f);
        return -1;
    }
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    if (f)
        store_close(f->st);
    free(f);
    return 0;
}

/* ---- the grid ----------------------------------------------------------- */

static void the_district_is_nankai_with_34_cells(void **state)
{
    fixture *f = *state;
    ag_store *st = f->st;
    char code[64], name[128];
    ag_error err;
    must(grid_district_get(st, code, name, &err), &err);
    assert_string_equal(code, "120104");
    assert_string_equal(name, "天津市南开区");
    assert_int_equal(f->sum.cells, 34);
    assert_int_equal(count(st, "SELECT COUNT(*) FROM grid_cell"), 34);
    /* 22 competent departments, the SOE regulator among them, and 12 streets. */
    assert_int_equal(count(st, "SELECT COUNT(*) FROM grid_cell WHERE kind IN ('dept', 'soe')"), 22);
    assert_int_equal(count(st, "SELECT COUNT(*) FROM grid_cell WHERE kind = 'soe'"), 1);
    assert_int_equal(count(st, "SELECT COUNT(*) FROM grid_cell WHERE kind = 'street'"), 12);

    char want[1024] = "";
    size_t len = 0;
    for (int i = 0; i < 12; i++)
        len += (size_t)snprintf(want + len, sizeof want - len, "%s街道\n", STREETS[i]);
    char *got = dump(st, "SELECT name FROM grid_cell WHERE kind = 'street' ORDER BY sort_order");
    assert_string_equal(got, want);
    free(got);
    /* Every cell has a grid liaison from the audit bureau. */
    assert_int_equal(count(st, "SELECT COUNT(*) FROM grid_cell c WHERE NOT EXISTS"
                               " (SELECT 1 FROM cell_liaison l WHERE l.cell_id = c.id)"),
                     0);
}

static void about_150_units_with_30_pilots_of_every_type(void **state)
{
    fixture *f = *state;
    ag_store *st = f->st;
    int64_t units = count(st, "SELECT COUNT(*) FROM unit");
    assert_in_range(units, 140, 160);
    assert_int_equal(f->sum.units, units);
    assert_int_equal(DEMO_PILOT_UNITS, 30);
    assert_int_equal(count(st, "SELECT COUNT(*) FROM unit WHERE pilot = 1"), 30);
    assert_int_equal(f->sum.pilot_units, 30);
    for (int i = 0; i < grid_unit_type_count; i++) {
        int64_t n = -1;
        ag_error err;
        must(store_query_int(st, &n, &err, "SELECT COUNT(*) FROM unit WHERE type = ?",
                             grid_unit_types[i], NULL),
             &err);
        if (n < 1)
            fail_msg("no unit of type %s", grid_unit_types[i]);
        /* Every kind of unit takes part in the pilot. */
        must(store_query_int(st, &n, &err, "SELECT COUNT(*) FROM unit WHERE type = ? AND pilot = 1",
                             grid_unit_types[i], NULL),
             &err);
        if (n < 1)
            fail_msg("no pilot unit of type %s", grid_unit_types[i]);
    }
    assert_int_equal(count(st, "SELECT COUNT(DISTINCT type) FROM unit"), 6);
    /* 12 street offices, one per street cell. */
    assert_int_equal(count(st, "SELECT COUNT(*) FROM unit u JOIN grid_cell c ON c.id = u.cell_id"
                               " WHERE u.type = '街道' AND c.kind = 'street'"),
                     12);
}

static void every_credit_code_is_valid_and_in_the_district(void **state)
{
    fixture *f = *state;
    ag_stmt *s = NULL;
    ag_error err;
    bool row;
    int n = 0;
    must(store_prepare(f->st, "SELECT code, type FROM unit", &s, &err), &err);
    while (!store_step(s, &row, &err) && row) {
        const char *code = store_col_text(s, 0);
        if (uscc_validate(code, "unit.code", &err) != AG_OK)
            fail_msg("%s: %s", code, err.en);
        if (strncmp(code + 2, "120104", 6) != 0)
            fail_msg("%s is not registered in 120104", code);
        /* 国企 registered with 市场监管 (9x), the rest with 机构编制 (1x). */
        const char *type = store_col_text(s, 1);
        if ((code[0] == '9') != (strcmp(type, "国企") == 0))
            fail_msg("%s (%s): registration authority does not fit the type", code, type);
        n++;
    }
    store_finalize(s);
    assert_int_equal(n, f->sum.units);
    assert_int_equal(count(f->st, "SELECT COUNT(DISTINCT code) FROM unit"), n);
}

static void every_unit_sits_in_an_existing_cell(void **state)
{
    fixture *f = *state;
    assert_int_equal(count(f->st, "SELECT COUNT(*) FROM unit WHERE cell_id IS NULL"
                                  " OR cell_id NOT IN (SELECT id FROM grid_cell)"),
                     0);
    /* SOEs sit under the SOE regulator; subsidiaries under a group head. */
    assert_int_equal(count(f->st, "SELECT COUNT(*) FROM unit u JOIN grid_cell c ON c.id = u.cell_id"
                                  " WHERE u.type = '国企' AND c.kind <> 'soe'"),
                     0);
    assert_int_equal(count(f->st,
                           "SELECT COUNT(*) FROM unit u JOIN unit p ON p.code = u.parent_code"
                           " WHERE p.type <> '国企' OR p.parent_code IS NOT NULL"),
                     0);
}

/* ---- the two responsible subjects --------------------------------------- */

static void every_unit_has_one_principal_and_pilots_have_auditors(void **state)
{
    fixture *f = *state;
    ag_store *st = f->st;
    assert_int_equal(count(st,
                           "SELECT COUNT(*) FROM unit u WHERE (SELECT COUNT(*) FROM unit_subject"
                           " s WHERE s.unit_code = u.code AND s.role = 'principal') <> 1"),
                     0);
    assert_int_equal(count(st, "SELECT COUNT(*) FROM unit u WHERE u.pilot = 1 AND"
                               " (SELECT COUNT(*) FROM unit_subject s WHERE s.unit_code = u.code"
                               " AND s.role = 'auditor') NOT BETWEEN 1 AND 3"),
                     0);
    /* A subject works in the unit it is a subject of. */
    assert_int_equal(count(st, "SELECT COUNT(*) FROM unit_subject s JOIN person p"
                               " ON p.id = s.person_id WHERE p.unit_code IS NOT s.unit_code"),
                     0);
    assert_int_equal(f->sum.persons, count(st, "SELECT COUNT(*) FROM person"));
    assert_int_equal(count(st, "SELECT COUNT(*) FROM person WHERE name = ''"), 0);
}

static void soe_group_heads_with_subsidiaries_have_a_chief_auditor(void **state)
{
    fixture *f = *state;
    ag_store *st = f->st;
    int64_t heads = count(st, "SELECT COUNT(*) FROM unit h WHERE h.type = '国企'"
                              " AND h.parent_code IS NULL AND EXISTS"
                              " (SELECT 1 FROM unit c WHERE c.parent_code = h.code)");
    assert_true(heads >= 1);
    assert_int_equal(count(st, "SELECT COUNT(*) FROM unit h WHERE h.type = '国企'"
                               " AND h.parent_code IS NULL"
                               " AND EXISTS (SELECT 1 FROM unit c WHERE c.parent_code = h.code)"
                               " AND NOT EXISTS (SELECT 1 FROM unit_subject s"
                               " WHERE s.unit_code = h.code AND s.role = 'chief_auditor')"),
                     0);
    /* And chief auditors are nowhere else. */
    assert_int_equal(count(st, "SELECT COUNT(*) FROM unit_subject s JOIN unit u"
                               " ON u.code = s.unit_code WHERE s.role = 'chief_auditor'"),
                     heads);
}

/* ---- accounts and the log ----------------------------------------------- */

static void one_account_per_role(void **state)
{
    fixture *f = *state;
    ag_store *st = f->st;
    assert_int_equal(f->sum.users, 8);
    assert_int_equal(count(st, "SELECT COUNT(*) FROM app_user"), 8);
    assert_int_equal(count(st, "SELECT COUNT(DISTINCT role) FROM app_user"), 7);
    for (int i = 0; i < user_role_count; i++)
        assert_string_equal(f->acc[i].role, user_roles[i]);
    /* The eighth: a second internal auditor, who leads the cross audit. */
    assert_string_equal(f->acc[7].username, "auditor2");
    assert_string_equal(f->acc[7].role, "auditor");
    /* Scoped to real places: the school of the leader and auditor is a pilot;
     * the chief auditor's unit is an SOE group head with subsidiaries. */
    assert_int_equal(count(st, "SELECT COUNT(*) FROM app_user a JOIN unit u ON u.code = a.unit_code"
                               " WHERE a.username IN ('leader', 'auditor') AND u.pilot = 1"
                               " AND u.type = '学校'"),
                     2);
    assert_int_equal(count(st, "SELECT COUNT(*) FROM app_user a JOIN unit u ON u.code = a.unit_code"
                               " WHERE a.username = 'auditor2' AND u.pilot = 1"
                               " AND u.code <> (SELECT unit_code FROM app_user"
                               " WHERE username = 'auditor')"),
                     1);
    /* Accounts of people are linked to their persons: a subject of the
     * account's own unit in the account's role. */
    assert_int_equal(count(st, "SELECT COUNT(*) FROM app_user a JOIN unit_subject s"
                               " ON s.person_id = a.person_id AND s.unit_code = a.unit_code"
                               " AND s.role = CASE a.role WHEN 'leader' THEN 'principal'"
                               " ELSE a.role END"),
                     4);
    assert_int_equal(count(st, "SELECT COUNT(*) FROM app_user a JOIN unit u ON u.code = a.unit_code"
                               " WHERE a.role = 'chief_auditor' AND u.type = '国企' AND EXISTS"
                               " (SELECT 1 FROM unit c WHERE c.parent_code = u.code)"),
                     1);
    assert_int_equal(count(st,
                           "SELECT COUNT(*) FROM app_user a JOIN grid_cell c ON c.id = a.cell_id"
                           " WHERE a.role = 'supervisor' AND c.kind = 'dept'"),
                     1);
    assert_int_equal(count(st,
                           "SELECT COUNT(*) FROM app_user a JOIN grid_cell c ON c.id = a.cell_id"
                           " WHERE a.role = 'liaison'"),
                     1);
    /* The demo password opens an account (one Argon2id check is enough). */
    int64_t id = 0;
    ag_error err;
    must(user_check_password(st, f->acc[0].username, DEMO_PASSWORD, &id, &err), &err);
    assert_true(id > 0);
    assert_int_equal(f->sum.catalog_version, 1);
    assert_int_equal(count(st, "SELECT COUNT(*) FROM catalog_item WHERE version = 1"), 20);
}

static void the_audit_log_of_the_build_verifies(void **state)
{
    fixture *f = *state;
    ag_audit_report rep;
    ag_error err;
    must(store_audit_verify(f->st, &rep, &err), &err);
    assert_int_equal(rep.entries, count(f->st, "SELECT COUNT(*) FROM audit_log"));
    /* At least one entry per unit, person and account written. */
    assert_true(rep.entries > f->sum.units + f->sum.persons + f->sum.users);
}

/* ---- the audit workflow ------------------------------------------------- */

#define CROSS "(SELECT id FROM audit_project WHERE kind = 'cross')"

static void the_workflow_covers_every_stage_of_a_cross_audit(void **state)
{
    fixture *f = *state;
    ag_store *st = f->st;
    char *stages = dump(st, "SELECT kind, stage, period_from FROM audit_project ORDER BY id");
    assert_string_equal(stages, "special|closed|2024-01-01\n"
                                "cross|rectify|2025-01-01\n"
                                "self_check|field|2025-01-01\n");
    free(stages);
    /* The cross audit is of the 'auditor' account's school, led by auditor2's
     * person with one member from a third pilot unit, none from the school. */
    assert_int_equal(count(st, "SELECT COUNT(*) FROM audit_project p JOIN app_user a"
                               " ON a.username = 'auditor' AND a.unit_code = p.unit_code"
                               " WHERE p.id = " CROSS),
                     1);
    assert_int_equal(count(st, "SELECT COUNT(*) FROM audit_team t JOIN app_user a"
                               " ON a.username = 'auditor2' AND a.person_id = t.person_id"
                               " WHERE t.role = 'lead' AND t.project_id = " CROSS),
                     1);
    assert_int_equal(count(st, "SELECT COUNT(DISTINCT t.from_unit) FROM audit_team t"
                               " JOIN unit u ON u.code = t.from_unit AND u.pilot = 1"
                               " WHERE t.project_id = " CROSS),
                     2);
    assert_int_equal(count(st, "SELECT COUNT(*) FROM audit_team t JOIN audit_project p"
                               " ON p.id = t.project_id WHERE p.kind = 'cross'"
                               " AND t.from_unit = p.unit_code"),
                     0);
    /* Four findings citing real regulations, one rectification item in each
     * state: 已销号, 已整改 (claimed), 整改中 and one overdue, escalated. */
    assert_int_equal(count(st, "SELECT COUNT(*) FROM finding WHERE basis LIKE '%《%》%'"
                               " AND project_id = " CROSS),
                     4);
    char *states = dump(st, "SELECT r.state FROM rectification r WHERE r.project_id = " CROSS
                            " ORDER BY r.state");
    assert_string_equal(states, "claimed\nclosed\nin_progress\nopen\n");
    free(states);
    char today[11];
    ag_date_format(ag_clock_today(), today);
    ag_stmt *s = NULL;
    ag_error err;
    bool row = false;
    must(store_prepare(st,
                       "SELECT COUNT(*) FROM rectification WHERE state = 'open' AND deadline < ?"
                       " AND escalated_at IS NOT NULL",
                       &s, &err),
         &err);
    assert_int_equal(store_bind_text(s, 1, today), AG_OK);
    must(store_step(s, &row, &err), &err);
    assert_int_equal(store_col_int(s, 0), 1);
    store_finalize(s);
    assert_int_equal(count(st, "SELECT COUNT(*) FROM notification n JOIN rectification r"
                               " ON r.id = n.rect_id WHERE r.state = 'open'"),
                     2);
    /* 屡审屡犯: one current finding repeats a closed one of the earlier audit. */
    assert_int_equal(count(st, "SELECT COUNT(*) FROM finding f JOIN finding o ON o.id = f.repeat_of"
                               " JOIN rectification r ON r.finding_id = o.id"
                               " WHERE r.state = 'closed' AND o.item = f.item"
                               " AND o.unit_code = f.unit_code AND f.project_id = " CROSS),
                     1);
    assert_int_equal(count(st, "SELECT COUNT(*) FROM finding WHERE repeat_of IS NOT NULL"), 1);
    /* The notice number the ledger export shows. */
    assert_int_equal(count(st, "SELECT COUNT(*) FROM audit_record WHERE kind = 'notice'"
                               " AND doc_no = '南审通〔2026〕5号' AND project_id = " CROSS),
                     1);
    /* The self-check: a working paper and a draft finding without basis. */
    assert_int_equal(count(st, "SELECT COUNT(*) FROM audit_record r JOIN audit_project p"
                               " ON p.id = r.project_id WHERE p.kind = 'self_check'"
                               " AND r.kind = 'working_paper'"),
                     1);
    assert_int_equal(count(st, "SELECT COUNT(*) FROM finding f JOIN audit_project p"
                               " ON p.id = f.project_id WHERE p.kind = 'self_check'"
                               " AND f.basis = ''"),
                     1);
    /* auditor2 sees the school while assigned; the closed audit's team no
     * longer does. */
    ag_scope sc;
    bool visible = false;
    int64_t person = count(st, "SELECT person_id FROM app_user WHERE username = 'auditor2'");
    char unit[32], school[32];
    /* An account's scope text starts with its unit's 18-character code. */
    snprintf(unit, sizeof unit, "%.18s", f->acc[7].scope);
    snprintf(school, sizeof school, "%.18s", f->acc[5].scope);
    must(scope_init(&sc, "auditor", unit, NULL, person, &err), &err);
    must(scope_unit_visible(st, &sc, school, &visible, &err), &err);
    assert_true(visible);
    /* The evidence files are on disk beside the database and intact. */
    int64_t file = count(st, "SELECT MIN(id) FROM attachment WHERE owner_kind = 'rect_event'");
    int fd = -1;
    must(attach_open(st, f->files, file, NULL, true, &fd, NULL, &err), &err);
    assert_true(fd >= 0);
    close(fd);
    assert_int_equal(count(st, "SELECT COUNT(*) FROM attachment WHERE owner_kind IS NULL"), 0);
}

/* ---- determinism -------------------------------------------------------- */

#define UNITS_SQL   "SELECT code, name, type, pilot, cell_id, parent_code FROM unit ORDER BY rowid"
#define PERSONS_SQL "SELECT name, title, unit_code FROM person ORDER BY id"

static void the_same_seed_gives_the_same_district_and_another_seed_another(void **state)
{
    fixture *f = *state;
    ag_store *again = fresh_db("demo-again.db");
    ag_store *other = fresh_db("demo-other.db");
    demo_summary sum;
    ag_error err;
    must(demo_build(again, SEED, files_of("demo-again.db"), &sum, NULL, 0, &err), &err);
    assert_int_equal(sum.units, f->sum.units);
    assert_int_equal(sum.persons, f->sum.persons);
    must(demo_build(other, SEED + 1, files_of("demo-other.db"), &sum, NULL, 0, &err), &err);

    char *u1 = dump(f->st, UNITS_SQL), *u2 = dump(again, UNITS_SQL);
    char *p1 = dump(f->st, PERSONS_SQL), *p2 = dump(again, PERSONS_SQL);
    assert_string_equal(u1, u2);
    assert_string_equal(p1, p2);
    char *s1 = dump(f->st, "SELECT id, kind, name FROM grid_cell ORDER BY id");
    char *s2 = dump(again, "SELECT id, kind, name FROM grid_cell ORDER BY id");
    assert_string_equal(s1, s2);
    free(s1);
    free(s2);
    /* The workflow too, all but its timestamps. */
    static const char workflow[] =
        "SELECT p.code, p.unit_code, p.stage, f.seq, f.item, f.title, f.amount, f.basis,"
        " f.repeat_of, r.state, r.class FROM audit_project p"
        " LEFT JOIN finding f ON f.project_id = p.id LEFT JOIN rectification r"
        " ON r.finding_id = f.id ORDER BY p.id, f.seq";
    s1 = dump(f->st, workflow);
    s2 = dump(again, workflow);
    assert_string_equal(s1, s2);
    free(s1);
    free(s2);

    /* Another seed: the same institutions (the district's structure is fixed),
     * but other codes, another pilot draw and other people. */
    char *n1 = dump(f->st, "SELECT name FROM unit ORDER BY name");
    char *n3 = dump(other, "SELECT name FROM unit ORDER BY name");
    assert_string_equal(n1, n3);
    char *c1 = dump(f->st, "SELECT code FROM unit ORDER BY rowid");
    char *c3 = dump(other, "SELECT code FROM unit ORDER BY rowid");
    char *pl1 = dump(f->st, "SELECT name FROM unit WHERE pilot = 1 ORDER BY name");
    char *pl3 = dump(other, "SELECT name FROM unit WHERE pilot = 1 ORDER BY name");
    assert_true(strcmp(c1, c3) != 0 || strcmp(pl1, pl3) != 0);
    char *u3 = dump(other, UNITS_SQL), *p3 = dump(other, PERSONS_SQL);
    assert_string_not_equal(u1, u3);
    assert_string_not_equal(p1, p3);
    assert_int_equal(count(other, "SELECT COUNT(*) FROM unit WHERE pilot = 1"), 30);

    char *all[] = {u1, u2, p1, p2, n1, n3, c1, c3, pl1, pl3, u3, p3};
    for (size_t i = 0; i < sizeof all / sizeof all[0]; i++)
        free(all[i]);
    store_close(again);
    store_close(other);
}

/* ---- all or nothing ----------------------------------------------------- */

static const char *const TABLES[] = {
    "district",      "grid_cell",    "unit",       "person",
    "unit_subject",  "cell_liaison", "app_user",   "catalog_version",
    "catalog_item",  "audit_log",    "audit_head", "audit_project",
    "audit_team",    "audit_record", "finding",    "finding_evidence",
    "rectification", "rect_event",   "attachment", "notification"};
#define NTABLES (sizeof TABLES / sizeof TABLES[0])

static void count_tables(ag_store *st, int64_t out[NTABLES])
{
    for (size_t i = 0; i < NTABLES; i++) {
        char sql[96];
        snprintf(sql, sizeof sql, "SELECT COUNT(*) FROM %s", TABLES[i]);
        out[i] = count(st, sql);
    }
}

static void assert_same_counts(const int64_t a[NTABLES], const int64_t b[NTABLES])
{
    for (size_t i = 0; i < NTABLES; i++)
        if (a[i] != b[i])
            fail_msg("%s: %lld rows before, %lld after", TABLES[i], (long long)a[i],
                     (long long)b[i]);
}

static void building_over_an_existing_district_fails_and_writes_nothing(void **state)
{
    (void)state;
    ag_store *st = fresh_db("demo-exists.db");
    ag_error err;
    must(grid_district_init(st, "120104", "天津市南开区", &err), &err);
    int64_t before[NTABLES], after[NTABLES];
    count_tables(st, before);
    demo_summary sum;
    demo_account acc[DEMO_MAX_ACCOUNTS];
    assert_int_equal(
        demo_build(st, SEED, files_of("demo-exists.db"), &sum, acc, DEMO_MAX_ACCOUNTS, &err),
        AG_ERR_EXISTS);
    assert_false(store_in_tx(st));
    count_tables(st, after);
    assert_same_counts(before, after);
    assert_int_equal(sum.units, 0);
    store_close(st);
}

static void a_failure_late_in_the_build_leaves_nothing_behind(void **state)
{
    (void)state;
    /* An account named "admin" exists: the build gets through the grid, the
     * people and the catalog, then fails on its first account. */
    ag_store *st = fresh_db("demo-late.db");
    ag_error err;
    user_in admin = {"admin", "admin", NULL, NULL, NULL, "already-here", 0};
    must(user_add(st, &admin, NULL, &err), &err);
    int64_t before[NTABLES], after[NTABLES];
    count_tables(st, before);
    demo_summary sum;
    assert_int_equal(demo_build(st, SEED, files_of("demo-late.db"), &sum, NULL, 0, &err),
                     AG_ERR_EXISTS);
    /* Accounts come last: the refusal names the account, so it got that far. */
    assert_non_null(strstr(err.en, "user admin already exists"));
    assert_false(store_in_tx(st));
    count_tables(st, after);
    assert_same_counts(before, after);
    ag_audit_report rep;
    must(store_audit_verify(st, &rep, &err), &err);
    assert_int_equal(rep.entries, 1);
    store_close(st);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(the_district_is_nankai_with_34_cells),
        cmocka_unit_test(about_150_units_with_30_pilots_of_every_type),
        cmocka_unit_test(every_credit_code_is_valid_and_in_the_district),
        cmocka_unit_test(every_unit_sits_in_an_existing_cell),
        cmocka_unit_test(every_unit_has_one_principal_and_pilots_have_auditors),
        cmocka_unit_test(soe_group_heads_with_subsidiaries_have_a_chief_auditor),
        cmocka_unit_test(one_account_per_role),
        cmocka_unit_test(the_audit_log_of_the_build_verifies),
        cmocka_unit_test(the_workflow_covers_every_stage_of_a_cross_audit),
        cmocka_unit_test(the_same_seed_gives_the_same_district_and_another_seed_another),
        cmocka_unit_test(building_over_an_existing_district_fails_and_writes_nothing),
        cmocka_unit_test(a_failure_late_in_the_build_leaves_nothing_behind),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
