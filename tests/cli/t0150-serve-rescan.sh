#!/usr/bin/env bash
# t0150: the bureau rescans a unit through the real server (issue 13 §2). POST
# /api/v1/units/{code}/scan runs on the long-job worker while GET answers from another request:
# with the database's write lock held by another process the scan waits in its 记录预警 phase, the
# status says so, a second POST is 409 in both languages; released, the scan is recorded and the
# status names it. Only the bureau admin may start one (403); the status is read by whoever sees
# the unit.
. "$(dirname "$0")/serve_lib.sh"
DB="$T/r.db"
demo_db "$DB"
start_server "$DB"
for u in admin auditor; do login $u || fail "$u signs in"; done
U=$(sq "$DB" "SELECT unit_code FROM ledger_book GROUP BY unit_code ORDER BY COUNT(*) DESC, unit_code LIMIT 1")
[ -n "$U" ] || { echo "demo data missing"; exit 1; }
S=/api/v1/units/$U/scan

expect_status 200 "status before any rescan" admin GET "$S"
[ "$(body_json '.running|tostring') $(body_json '.phase|tostring')" = "false null" ] && ok "nothing runs" ||
    fail "nothing runs ($(cat "$T/body"))"
expect_status 403 "an auditor may not start a rescan" auditor POST "$S"
expect_status 404 "a unit that does not exist" admin POST /api/v1/units/NOPE/scan

# Another process holds the write lock: the scan reads, runs its rules and waits to record (the
# server waits 2 s for a lock, so the checks below are quick and the lock is released in time).
mkfifo "$T/lock"
sqlite3 "$DB" <"$T/lock" >/dev/null 2>&1 &
LOCK_PID=$!
exec 9>"$T/lock"
echo 'BEGIN IMMEDIATE;' >&9
for _ in $(seq 1 100); do
    sqlite3 -cmd '.timeout 0' "$DB" 'BEGIN IMMEDIATE; ROLLBACK;' >/dev/null 2>&1 || break
    sleep 0.05
done
(
    STATUS=$(curl -s -o "$T/first.json" -w '%{http_code}' -X POST -b "$T/admin.jar" \
        -H "X-CSRF-Token: $(cat "$T/admin.csrf")" "$URL$S")
    echo "$STATUS" >"$T/first.status"
) &
FIRST=$!
phase=
for _ in $(seq 1 100); do
    req admin GET "$S"
    phase=$(body_json '.phase|tostring')
    [ "$phase" = record ] && break
    sleep 0.05
done
[ "$phase" = record ] && ok "another request sees the scan in its record phase" ||
    fail "the status shows the running scan (phase '$phase')"
[ "$(body_json '.running')" = true ] && ok "running" || fail "running ($(cat "$T/body"))"
body_json '.started_at' | grep -Eq '^20[0-9]{2}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z$' &&
    ok "started_at is UTC ISO" || fail "started_at ($(body_json '.started_at'))"
expect_status 409 "a second rescan while the first runs" admin POST "$S"
body_json '.error.message' | grep -q '正在重新扫描' && ok "the refusal in Chinese" ||
    fail "the refusal in Chinese ($(cat "$T/body"))"
grep -q 'being rescanned' "$T/body" && ok "and in English" || fail "and in English"
expect_status 200 "other requests are answered meanwhile" admin GET /api/v1/grid

echo 'COMMIT;' >&9
exec 9>&-
wait "$LOCK_PID"
wait "$FIRST"
[ "$(cat "$T/first.status")" = 200 ] && ok "the first rescan is recorded" ||
    fail "the first rescan (status $(cat "$T/first.status"): $(cat "$T/first.json"))"
RUN=$(jq -r '.run_id' "$T/first.json")
W=$(jq -r '.warnings' "$T/first.json")
[ "$(sq "$DB" "SELECT unit_code || '|' || warnings FROM scan_run WHERE id = $RUN")" = "$U|$W" ] &&
    ok "the scan_run row of the unit with its warnings ($W)" || fail "scan_run row $RUN"
[ "$(jq -r '.new_warnings' "$T/first.json")" = 0 ] && ok "nothing new after the demo's own scan" ||
    fail "new warnings ($(cat "$T/first.json"))"
expect_status 200 "status after" admin GET "$S"
[ "$(body_json '[.running, .phase, .last.run_id, .last.warnings] | map(tostring) | join("|")')" = "false|null|$RUN|$W" ] &&
    ok "the status names the last scan" || fail "status after ($(cat "$T/body"))"
expect_status 200 "a rescan again once it is done" admin POST "$S"
[ "$(body_json '.run_id')" -gt "$RUN" ] && ok "a new run" || fail "a new run ($(cat "$T/body"))"
finish
