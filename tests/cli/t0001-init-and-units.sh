#!/usr/bin/env bash
# t0001: init creates a database; unit add validates and refuses bad input with nothing written.
. "$(dirname "$0")/lib.sh"
DB="$T/a.db"

expect_exit 3 "commands on a missing database are refused" "$AG" --db "$DB" unit list
expect_grep "auditgrid init" "$T/err" "the refusal says to run init"
expect_exit 0 "init creates the database" "$AG" --db "$DB" init
expect_exit 3 "a second init is refused" "$AG" --db "$DB" init
expect_exit 0 "add a cell" "$AG" --db "$DB" grid add-cell --id D01 --kind dept --name 区教育局

entries() { "$AG" --db "$DB" --json audit-log verify | jq .entries; }
units() { "$AG" --db "$DB" unit list --json | jq length; }
before=$(entries)

expect_exit 3 "a wrong check character is refused with exit 3" \
    "$AG" --db "$DB" unit add --code 12120104MB1234567X --name 测试学校 --type 学校 --cell D01
expect_grep "应为“K”" "$T/err" "the Chinese message names the expected check character"
expect_grep "expected 'K'" "$T/err" "the English message names the expected check character"
expect_exit 3 "a 17-character code is refused" \
    "$AG" --db "$DB" unit add --code 12120104MB1234567 --name 测试学校 --type 学校
expect_exit 3 "an unknown type is refused" \
    "$AG" --db "$DB" unit add --code 12120104MB1234567K --name 测试学校 --type 公司
expect_exit 3 "an unknown cell is refused" \
    "$AG" --db "$DB" unit add --code 12120104MB1234567K --name 测试学校 --type 学校 --cell D99
expect_grep "D99" "$T/err" "the message names the unknown cell"
expect_exit 2 "a missing required option is a usage error" \
    "$AG" --db "$DB" unit add --code 12120104MB1234567K --type 学校
expect_grep "\-\-name" "$T/err" "the usage error names the missing option"
expect_exit 2 "an unknown option is a usage error" \
    "$AG" --db "$DB" unit add --code 12120104MB1234567K --name x --type 学校 --colour red
expect_eq "$(units)" 0 "nothing was written by the refused commands (units)"
expect_eq "$(entries)" "$before" "nothing was written by the refused commands (audit log)"

expect_exit 0 "a valid unit is added" \
    "$AG" --db "$DB" unit add --code 12120104MB1234567K --name 测试学校 --type 学校 --cell D01 --pilot
expect_exit 3 "a duplicate code is refused" \
    "$AG" --db "$DB" unit add --code 12120104MB1234567K --name 另一学校 --type 学校
expect_grep "已存在" "$T/err" "the duplicate message says it exists"
expect_exit 3 "an unknown parent is refused" \
    "$AG" --db "$DB" unit add --code 91120104MA05TLXA1T --name 某公司 --type 国企 --parent 91120104MA05TLXA2X
expect_eq "$(units)" 1 "exactly one unit exists"
expect_exit 0 "unit show --json" "$AG" --db "$DB" unit show --code 12120104MB1234567K --json
expect_eq "$(jq -r .name "$T/out")" "测试学校" "unit show returns the name"
expect_eq "$(jq -r .pilot "$T/out")" "true" "the unit is a pilot unit"
expect_exit 3 "unit show of an unknown unit is refused" "$AG" --db "$DB" unit show --code 12120104MB1234567X
expect_grep "可用 auditgrid unit list 查看" "$T/err" "the refusal points to unit list (Chinese)"
expect_grep "see \`auditgrid unit list\`" "$T/err" "and in English"

expect_exit 0 "person add as principal" \
    "$AG" --db "$DB" person add --name 王丽 --unit 12120104MB1234567K --role principal --phone 13800001234
expect_exit 0 "person add as auditor" \
    "$AG" --db "$DB" person add --name 李强 --unit 12120104MB1234567K --role auditor
"$AG" --db "$DB" unit show --code 12120104MB1234567K --json >"$T/u.json"
expect_eq "$(jq -r .principal.name "$T/u.json")" "王丽" "the principal leader is recorded"
expect_eq "$(jq -r '.auditors[0].name' "$T/u.json")" "李强" "the internal auditor is recorded"
expect_exit 3 "a person for an unknown unit is refused" \
    "$AG" --db "$DB" person add --name 赵六 --unit 12120104MB1234567X --role auditor
"$AG" --db "$DB" grid show >"$T/tree"
expect_grep "区教育局" "$T/tree" "grid show prints the cell"
expect_grep "测试学校" "$T/tree" "grid show prints the unit under it"
expect_grep "负责人 王丽" "$T/tree" "grid show prints the subjects"
AUDITGRID_DB="$DB" "$AG" unit list --pilot --json >"$T/env.json"
expect_eq "$(jq length "$T/env.json")" 1 "AUDITGRID_DB selects the database"
finish
