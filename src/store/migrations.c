/* migrations.c - the schema, as an append-only list of portable migrations. */
#include "store/backend.h"

#include "util/banned.h"

/* Never edit a migration that has shipped: append a new one. {{ID}} is the
 * backend's auto-generated integer key. Integers are BIGINT, text is TEXT,
 * times are ISO-8601 UTC text, money is BIGINT fen. */
const char *const store_migrations[] = {
    /* 1: the grid (一张网), its people, accounts, the catalog and the audit log. */
    "CREATE TABLE district ("
    "  code TEXT PRIMARY KEY,"
    "  name TEXT NOT NULL,"
    "  created_at TEXT NOT NULL);"

    "CREATE TABLE grid_cell ("
    "  id TEXT PRIMARY KEY,"
    "  district_code TEXT NOT NULL REFERENCES district(code),"
    "  kind TEXT NOT NULL CHECK (kind IN ('dept', 'street', 'soe')),"
    "  name TEXT NOT NULL,"
    "  visit_days BIGINT NOT NULL DEFAULT 30 CHECK (visit_days > 0),"
    "  sort_order BIGINT NOT NULL DEFAULT 0,"
    "  created_at TEXT NOT NULL);"

    "CREATE TABLE unit ("
    "  code TEXT PRIMARY KEY,"
    "  name TEXT NOT NULL,"
    "  type TEXT NOT NULL CHECK (type IN ('机关', '事业', '国企', '街道', '学校', '医院')),"
    "  district_code TEXT NOT NULL REFERENCES district(code),"
    "  cell_id TEXT REFERENCES grid_cell(id),"
    "  parent_code TEXT REFERENCES unit(code),"
    "  pilot BIGINT NOT NULL DEFAULT 0 CHECK (pilot IN (0, 1)),"
    "  address TEXT,"
    "  created_at TEXT NOT NULL);"
    "CREATE INDEX unit_cell ON unit(cell_id);"
    "CREATE INDEX unit_parent ON unit(parent_code);"

    "CREATE TABLE person ("
    "  id {{ID}},"
    "  name TEXT NOT NULL,"
    "  unit_code TEXT REFERENCES unit(code),"
    "  title TEXT,"
    "  phone TEXT,"
    "  email TEXT,"
    "  created_at TEXT NOT NULL);"
    "CREATE INDEX person_unit ON person(unit_code);"

    /* The two responsible subjects (两个主体) of a unit, and an SOE's chief auditor. */
    "CREATE TABLE unit_subject ("
    "  id {{ID}},"
    "  unit_code TEXT NOT NULL REFERENCES unit(code),"
    "  person_id BIGINT NOT NULL REFERENCES person(id),"
    "  role TEXT NOT NULL CHECK (role IN ('principal', 'auditor', 'chief_auditor')),"
    "  since TEXT,"
    "  UNIQUE (unit_code, person_id, role));"
    "CREATE INDEX unit_subject_person ON unit_subject(person_id);"

    /* The audit bureau's grid liaison (网格指导员) for a cell. */
    "CREATE TABLE cell_liaison ("
    "  id {{ID}},"
    "  cell_id TEXT NOT NULL REFERENCES grid_cell(id),"
    "  person_id BIGINT NOT NULL REFERENCES person(id),"
    "  UNIQUE (cell_id, person_id));"

    "CREATE TABLE app_user ("
    "  id {{ID}},"
    "  username TEXT NOT NULL UNIQUE,"
    "  role TEXT NOT NULL CHECK (role IN ('admin', 'reviewer', 'liaison', 'supervisor',"
    "                                     'leader', 'auditor', 'chief_auditor')),"
    "  unit_code TEXT REFERENCES unit(code),"
    "  cell_id TEXT REFERENCES grid_cell(id),"
    "  person_id BIGINT REFERENCES person(id),"
    "  display_name TEXT,"
    "  password_hash TEXT NOT NULL,"
    "  disabled BIGINT NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1)),"
    "  created_at TEXT NOT NULL);"

    /* The catalog of audit items is versioned: a finding keeps the version it used. */
    "CREATE TABLE catalog_version ("
    "  version BIGINT PRIMARY KEY,"
    "  source TEXT NOT NULL,"
    "  note TEXT,"
    "  created_at TEXT NOT NULL);"
    "CREATE TABLE catalog_item ("
    "  id {{ID}},"
    "  version BIGINT NOT NULL REFERENCES catalog_version(version),"
    "  code TEXT NOT NULL,"
    "  kind TEXT NOT NULL CHECK (kind IN ('fund', 'key')),"
    "  name_zh TEXT NOT NULL,"
    "  name_en TEXT NOT NULL,"
    "  description_zh TEXT,"
    "  basis TEXT,"
    "  params TEXT NOT NULL DEFAULT '{}',"
    "  sort_order BIGINT NOT NULL,"
    "  UNIQUE (version, code));"

    /* Append-only, hash-chained record of every write. */
    "CREATE TABLE audit_log ("
    "  seq BIGINT PRIMARY KEY,"
    "  ts TEXT NOT NULL,"
    "  actor TEXT NOT NULL,"
    "  action TEXT NOT NULL,"
    "  tbl TEXT NOT NULL,"
    "  row_key TEXT NOT NULL,"
    "  before_digest TEXT NOT NULL,"
    "  after_digest TEXT NOT NULL,"
    "  prev_hash TEXT NOT NULL,"
    "  hash TEXT NOT NULL);"
    "CREATE TABLE audit_head ("
    "  id BIGINT PRIMARY KEY CHECK (id = 1),"
    "  seq BIGINT NOT NULL,"
    "  hash TEXT NOT NULL);",
};

const int store_migration_count = (int)(sizeof store_migrations / sizeof store_migrations[0]);
