#!/usr/bin/env bash
# t0110: while another process holds the database's write lock (a long CLI import), a write through
# the API answers 503 busy with Retry-After after a short wait instead of 500 after 10 s, writers
# waiting for the lock hold no request thread (GET /health and other reads keep answering at
# once: WAL readers never wait), and once the lock is gone the same write goes through.
. "$(dirname "$0")/serve_lib.sh"
DB="$T/b.db"
demo_db "$DB"
start_server "$DB" --threads 2
J=(-H 'Content-Type: application/json')
login auditor || fail "auditor signs in"
unit=$(sq "$DB" "SELECT unit_code FROM app_user WHERE username='auditor'")
wid=$(sq "$DB" "SELECT id FROM warning WHERE unit_code='$unit' ORDER BY id LIMIT 1")
TR="/api/v1/warnings/$wid/triage"

# now_ms -- a monotonic-enough clock in milliseconds.
now_ms() { date +%s%3N; }

# Another process takes the write lock and keeps it for 12 s.
mkfifo "$T/lock.in"
sqlite3 "$DB" <"$T/lock.in" >"$T/lock.out" 2>&1 &
LOCK_PID=$!
exec 7>"$T/lock.in"
echo "BEGIN IMMEDIATE; SELECT 'locked';" >&7
for _ in $(seq 1 100); do grep -q locked "$T/lock.out" && break; sleep 0.05; done
grep -q locked "$T/lock.out" && ok "another process holds the write lock" || fail "no lock: $(cat "$T/lock.out")"

t0=$(now_ms)
expect_status 503 "a triage POST while the database is locked is 503" \
    auditor POST "$TR" "${J[@]}" -d '{"action":"acknowledge"}'
t1=$(now_ms)
expect_eq "$(body_json .error.code)" busy "error code busy"
body_json .error.message | grep -q '服务器正忙' && ok "the message says 服务器正忙 first" || fail "message: $(cat "$T/body")"
body_json .error.message_en | grep -qi 'busy' && ok "and busy in English" || fail "message_en"
grep -qi '^Retry-After: 5' "$T/headers" && ok "Retry-After: 5" || fail "no Retry-After: $(cat "$T/headers")"
wait_ms=$((t1 - t0))
[ "$wait_ms" -ge 1500 ] && [ "$wait_ms" -lt 6000 ] && ok "it waited about 2 s for the lock (${wait_ms} ms)" ||
    fail "waited ${wait_ms} ms (wanted 1.5–6 s)"

# Eight writers waiting at once, more than the server's request threads.
W=()
for i in $(seq 1 8); do
    curl -s -o "$T/w$i.body" -w '%{http_code}' -b "$T/auditor.jar" -H "X-CSRF-Token: $(cat "$T/auditor.csrf")" \
        "${J[@]}" -X POST -d '{"action":"acknowledge"}' "$URL$TR" >"$T/w$i.code" &
    W+=($!)
done
sleep 0.3
t0=$(now_ms)
expect_status 200 "GET /health answers while eight writers wait" anon GET /api/v1/health --max-time 5
t1=$(now_ms)
[ $((t1 - t0)) -lt 700 ] && ok "and fast ($((t1 - t0)) ms)" || fail "/health took $((t1 - t0)) ms"
t0=$(now_ms)
expect_status 200 "a read of the warning answers too" auditor GET "/api/v1/warnings/$wid" --max-time 5
t1=$(now_ms)
[ $((t1 - t0)) -lt 700 ] && ok "and fast ($((t1 - t0)) ms)" || fail "the read took $((t1 - t0)) ms"
wait "${W[@]}"
codes=$(for f in "$T"/w*.code; do cat "$f"; echo; done | sort | uniq -c | tr -s ' ' | tr '\n' ';')
expect_eq "$codes" " 8 503;" "all eight waiting writers answered 503 (none 500)"

# The lock goes away: the same write succeeds.
echo "ROLLBACK;" >&7
exec 7>&-
wait "$LOCK_PID"
expect_status 200 "after the lock is released the triage goes through" \
    auditor POST "$TR" "${J[@]}" -d '{"action":"acknowledge"}'
expect_eq "$(body_json .status)" acknowledged "the warning is acknowledged"
grep -q 'database is locked' "$T/serve.err" && ok "the server log says why" || fail "no log line"
finish
