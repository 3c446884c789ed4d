#!/usr/bin/env bash
# t0102: sign-in, cookies, CSRF, rate limits and timeouts: sessions behave as DESIGN.md §7 says.
. "$(dirname "$0")/serve_lib.sh"
DB="$T/s.db"
demo_db "$DB"
# --proxy lets the test speak for several client addresses through X-Real-IP
# (192.0.2.0/24 is a documentation range: no traffic goes anywhere).
start_server "$DB" --proxy 127.0.0.1
from() { echo "X-Real-IP: 192.0.2.$1"; }
J=(-H 'Content-Type: application/json')

login admin || fail "admin signs in"
cookie=$(grep -i 'set-cookie' "$T/headers")
case $cookie in *"ag_session="*"Path=/"*"HttpOnly"*"SameSite=Strict"*) ok "the cookie is HttpOnly, SameSite=Strict, Path=/" ;; *) fail "cookie flags: $cookie" ;; esac
case $cookie in *Secure*) fail "Secure over plain HTTP" ;; *) ok "no Secure flag over plain HTTP" ;; esac
tok=$(awk '$6 == "ag_session" {print $7}' "$T/admin.jar")
expect_eq "${#tok}" 43 "the session id is 32 bytes in base64url"
expect_eq "$(jq -r .user.role "$T/login.json")" admin "sign-in returns the user"
expect_eq "$(jq -r '.csrf_token | length' "$T/login.json")" 43 "and a CSRF token"
hash=$(printf %s "$tok" | sha256sum | cut -d' ' -f1)
expect_eq "$(sq "$DB" "SELECT COUNT(*) FROM session WHERE token_hash='$hash'")" 1 "only the id's SHA-256 is stored"
if sqlite3 "$DB" .dump | grep -q -- "$tok"; then fail "the raw session id is in the database"; else ok "the raw session id is nowhere in the database"; fi
expect_status 200 "GET /me" admin GET /api/v1/me
expect_eq "$(body_json .user.username)" admin "/me names the user"
expect_eq "$(body_json .csrf_token)" "$(cat "$T/admin.csrf")" "/me gives the same CSRF token"
if grep -q password_hash "$T/body"; then fail "/me leaks the hash"; else ok "/me shows no hash"; fi

# A new id on every sign-in; the old one stops working.
cp "$T/admin.jar" "$T/old.jar"
login admin || fail "second sign-in"
tok2=$(awk '$6 == "ag_session" {print $7}' "$T/admin.jar")
[ "$tok" != "$tok2" ] && ok "a new session id on every sign-in" || fail "the session id was reused"
STATUS=$(curl -s -o /dev/null -w '%{http_code}' -b "$T/old.jar" "$URL/api/v1/me")
expect_eq "$STATUS" 200 "another browser's session is not touched by a sign-in elsewhere"
STATUS=$(curl -s -o /dev/null -w '%{http_code}' -b "$T/old.jar" -c "$T/old2.jar" "${J[@]}" \
    -d "{\"username\":\"admin\",\"password\":\"$PW\"}" "$URL/api/v1/session")
STATUS=$(curl -s -o /dev/null -w '%{http_code}' -b "$T/old.jar" "$URL/api/v1/me")
expect_eq "$STATUS" 401 "signing in again with a cookie revokes that cookie's session"

# CSRF.
wid=$(sq "$DB" "SELECT id FROM warning WHERE unit_code = (SELECT unit_code FROM app_user WHERE username='auditor') LIMIT 1")
login auditor || fail "auditor signs in"
expect_status 403 "a POST without X-CSRF-Token" anon POST "/api/v1/warnings/$wid/triage" \
    -b "$T/auditor.jar" "${J[@]}" -d '{"action":"acknowledge"}'
expect_eq "$(body_json .error.code)" csrf "csrf"
expect_status 403 "a wrong X-CSRF-Token" anon POST "/api/v1/warnings/$wid/triage" \
    -b "$T/auditor.jar" -H 'X-CSRF-Token: AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA' "${J[@]}" -d '{"action":"acknowledge"}'
expect_status 403 "the admin's token does not fit the auditor's session" anon POST \
    "/api/v1/warnings/$wid/triage" -b "$T/auditor.jar" -H "X-CSRF-Token: $(cat "$T/admin.csrf")" "${J[@]}" -d '{"action":"acknowledge"}'
expect_status 403 "a foreign Origin with the right token" auditor POST "/api/v1/warnings/$wid/triage" \
    -H 'Origin: https://evil.example' "${J[@]}" -d '{"action":"acknowledge"}'
expect_eq "$(sq "$DB" "SELECT status FROM warning WHERE id=$wid")" open "nothing changed"
expect_status 403 "a DELETE /session without the token" anon DELETE /api/v1/session -b "$T/auditor.jar"
expect_status 403 "sign-in from a foreign Origin" anon POST /api/v1/session -H 'Origin: http://evil.example' \
    "${J[@]}" -d "{\"username\":\"admin\",\"password\":\"$PW\"}"
expect_status 200 "a GET from a foreign Origin changes nothing and is served" auditor GET /api/v1/me -H 'Origin: http://evil.example'
expect_status 200 "our own Origin with the token" auditor POST "/api/v1/warnings/$wid/triage" \
    -H "Origin: $URL" "${J[@]}" -d '{"action":"acknowledge"}'
expect_eq "$(sq "$DB" "SELECT status || ':' || status_by FROM warning WHERE id=$wid")" acknowledged:auditor "the triage was recorded"

# Sign-out revokes.
atok=$(awk '$6 == "ag_session" {print $7}' "$T/auditor.jar")
expect_status 200 "DELETE /session" auditor DELETE /api/v1/session
grep -qi 'set-cookie: ag_session=;.*Max-Age=0' "$T/headers" && ok "the cookie is cleared" || fail "cookie not cleared"
expect_status 401 "the signed-out session is dead, even if a client keeps the cookie" anon GET /api/v1/me \
    -H "Cookie: ag_session=$atok"
expect_eq "$(sq "$DB" "SELECT COUNT(*) FROM session s JOIN app_user u ON u.id = s.user_id WHERE u.username='auditor' AND revoked=1")" 1 "the row is marked revoked"

# Sign-in limits (issue 12 §6; every case in t0160): failures count per (account, address) pair
# with growing delays, so five wrong passwords from five addresses lock nobody out.
for i in 1 2 3 4 5; do
    expect_status 401 "leader: wrong password $i (address .$i)" anon POST /api/v1/session -H "$(from $i)" \
        "${J[@]}" -d '{"username":"leader","password":"wrong-password"}'
done
cp "$T/body" "$T/known.json"
expect_status 200 "the right password from a sixth address gets in" anon POST \
    /api/v1/session -H "$(from 6)" "${J[@]}" -d "{\"username\":\"leader\",\"password\":\"$PW\"}"
for i in 1 2 3; do
    expect_status 401 "ghost (no such user): wrong password $i" anon POST /api/v1/session -H "$(from 16)" \
        "${J[@]}" -d '{"username":"ghost","password":"wrong-password"}'
done
if cmp -s "$T/body" "$T/known.json"; then ok "an unknown user gets the same answer as a wrong password"; else fail "the answers differ"; fi
expect_status 429 "after three failures the pair waits" anon POST /api/v1/session -H "$(from 16)" \
    "${J[@]}" -d '{"username":"ghost","password":"wrong-password"}'
expect_eq "$(body_json .error.code)" rate_limited "rate_limited"
ra=$(grep -i '^retry-after:' "$T/headers" | tr -dc 0-9)
[ -n "$ra" ] && [ "$ra" -gt 0 ] && [ "$ra" -le 900 ] && ok "Retry-After $ra s" || fail "Retry-After '$ra'"
for u in reviewer liaison supervisor chief nobody; do
    expect_status 401 "address .50: wrong password for $u" anon POST /api/v1/session -H "$(from 50)" \
        "${J[@]}" -d "{\"username\":\"$u\",\"password\":\"wrong-password\"}"
done
expect_status 200 "one typist's failures do not block the office: admin from .50 gets in" anon POST \
    /api/v1/session -H "$(from 50)" "${J[@]}" -d "{\"username\":\"admin\",\"password\":\"$PW\"}"
expect_status 200 "others still sign in" anon POST /api/v1/session -H "$(from 51)" \
    "${J[@]}" -d "{\"username\":\"reviewer\",\"password\":\"$PW\"}"
expect_eq "$(sq "$DB" "SELECT COUNT(*) FROM audit_log WHERE tbl='session' AND action='insert' AND actor='user:admin'")" 4 \
    "sign-ins are in the audit log with their user"
expect_eq "$(sq "$DB" "SELECT COUNT(*) FROM audit_log WHERE tbl='session' AND action='update' AND actor='user:auditor'")" 1 \
    "the sign-out too"
stop_server

# Timeouts, with the clock moved by AUDITGRID_NOW across restarts: idle 30 min, absolute 1 h.
opts=(--session-idle 30 --session-max 1)
AUDITGRID_NOW=2026-01-05T08:00:00Z start_server "$DB" "${opts[@]}"
login admin || fail "sign-in at 08:00"
login reviewer || fail "reviewer at 08:00"
stop_server
AUDITGRID_NOW=2026-01-05T08:25:00Z start_server "$DB" "${opts[@]}"
expect_status 200 "08:25: the session is alive" admin GET /api/v1/me
stop_server
expect_eq "$(sq "$DB" "SELECT last_seen_at FROM session s JOIN app_user u ON u.id=s.user_id WHERE u.username='admin' ORDER BY s.id DESC LIMIT 1")" \
    2026-01-05T08:25:00Z "use refreshes last_seen_at"
AUDITGRID_NOW=2026-01-05T08:50:00Z start_server "$DB" "${opts[@]}"
expect_status 200 "08:50: used 25 minutes ago, still alive" admin GET /api/v1/me
expect_status 401 "08:50: the reviewer, idle for 50 minutes, is signed out" reviewer GET /api/v1/me
stop_server
AUDITGRID_NOW=2026-01-05T09:00:01Z start_server "$DB" "${opts[@]}"
expect_status 401 "09:00:01: past the absolute hour, even though in use" admin GET /api/v1/me
finish
