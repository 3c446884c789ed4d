#!/usr/bin/env bash
# t0002: user accounts take their password from stdin, keep only an Argon2id hash, obey scope rules.
. "$(dirname "$0")/lib.sh"
DB="$T/u.db"
"$AG" --db "$DB" init >/dev/null
"$AG" --db "$DB" grid add-cell --id D01 --kind dept --name 区教育局 >/dev/null
"$AG" --db "$DB" grid add-cell --id S01 --kind street --name 长虹街道 >/dev/null
"$AG" --db "$DB" unit add --code 12120104MB1234567K --name 测试学校 --type 学校 --cell D01 >/dev/null

PW='correct horse 42'
expect_exit 2 "a password on the command line is not accepted" \
    "$AG" --db "$DB" user add --username a --role admin --password "$PW"
expect_exit 2 "user add without --password-stdin is a usage error" \
    "$AG" --db "$DB" user add --username root1 --role admin </dev/null
echo "$PW" | expect_exit 0 "admin account" "$AG" --db "$DB" user add --username root1 --role admin --password-stdin
echo "$PW" | expect_exit 0 "auditor scoped to a unit" \
    "$AG" --db "$DB" user add --username li --role auditor --unit 12120104MB1234567K --password-stdin
echo "$PW" | expect_exit 2 "an auditor without a unit is refused" \
    "$AG" --db "$DB" user add --username li2 --role auditor --password-stdin
echo "$PW" | expect_exit 3 "a supervisor on a street cell is refused" \
    "$AG" --db "$DB" user add --username sup --role supervisor --cell S01 --password-stdin
echo "$PW" | expect_exit 0 "a supervisor on a department cell" \
    "$AG" --db "$DB" user add --username sup --role supervisor --cell D01 --password-stdin
echo "$PW" | expect_exit 3 "a chief auditor of a school is refused" \
    "$AG" --db "$DB" user add --username ca --role chief_auditor --unit 12120104MB1234567K --password-stdin
echo "$PW" | expect_exit 2 "an unknown role is refused" \
    "$AG" --db "$DB" user add --username x1 --role boss --password-stdin
echo "short" | expect_exit 3 "a short password is refused" \
    "$AG" --db "$DB" user add --username x2 --role admin --password-stdin
echo "$PW" | expect_exit 3 "a duplicate username is refused" \
    "$AG" --db "$DB" user add --username li --role admin --password-stdin
hash=$(sqlite3 "$DB" "SELECT password_hash FROM app_user WHERE username='li'")
case "$hash" in '$argon2id$'*) ok "the stored hash is Argon2id" ;; *) fail "the stored hash is Argon2id" ;; esac
if sqlite3 "$DB" .dump | grep -q "$PW"; then fail "the password appears in the database"; else ok "the password is nowhere in the database"; fi
expect_exit 0 "user list --json" "$AG" --db "$DB" user list --json
expect_eq "$(jq length "$T/out")" 3 "three accounts exist"
if grep -q password_hash "$T/out"; then fail "user list leaks hashes"; else ok "user list shows no hashes"; fi
finish
