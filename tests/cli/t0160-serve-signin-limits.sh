#!/usr/bin/env bash
# t0160: sign-in limits (issue 12 §6): growing delays per (account, address) pair, a ceiling per
# address against spraying, no lock of an account from addresses that did not fail; and the
# password policy as the API answers it (issue 12 §7).
. "$(dirname "$0")/serve_lib.sh"
DB="$T/s.db"
demo_db "$DB"
# --proxy lets the test speak for several client addresses through X-Real-IP
# (192.0.2.0/24 is a documentation range: no traffic goes anywhere).
start_server "$DB" --proxy 127.0.0.1
from() { echo "X-Real-IP: 192.0.2.$1"; }
J=(-H 'Content-Type: application/json')
wrong() { expect_status 401 "$1 from .$2: wrong password" anon POST /api/v1/session -H "$(from "$2")" \
    "${J[@]}" -d "{\"username\":\"$1\",\"password\":\"wrong-password\"}"; }
right() { req anon POST /api/v1/session -H "$(from "$2")" "${J[@]}" -d "{\"username\":\"$1\",\"password\":\"$PW\"}"; }
retry_after() { grep -i '^retry-after:' "$T/headers" | tr -dc 0-9; }

# 1. The pair's delay: three free failures, then 1 s, 2 s, 4 s …
for i in 1 2 3; do wrong leader 1; done
right leader 1
expect_eq "$STATUS" 429 "after three failures the pair must wait, even with the right password"
expect_eq "$(body_json .error.code)" rate_limited "rate_limited"
expect_eq "$(retry_after)" 1 "Retry-After: 1 second"
case $(body_json .error.message) in *账号*秒*) ok "the message says why, in Chinese: $(body_json .error.message)" ;; *) fail "message: $(cat "$T/body")" ;; esac
case $(body_json .error.message_en) in *"try again in 1 s"*) ok "and in English" ;; *) fail "message_en: $(cat "$T/body")" ;; esac
if grep -q -- '--' "$T/body"; then fail "the answer names a command-line option"; else ok "no command-line option in the answer"; fi
right leader 2
expect_eq "$STATUS" 200 "the same account from another address (the same office's colleague) gets in at once"
sleep 1.2
wrong leader 1
right leader 1
expect_eq "$STATUS" 429 "the fourth failure: delayed again"
expect_eq "$(retry_after)" 2 "Retry-After doubles to 2"
sleep 2.2
wrong leader 1
right leader 1
expect_eq "$(retry_after)" 4 "and to 4"
sleep 4.2
right leader 1
expect_eq "$STATUS" 200 "after the delay the right password gets in"
wrong leader 1
wrong leader 1
right leader 1
expect_eq "$STATUS" 200 "the success cleared the pair: two new failures cost no delay"

# 2. Anyone can no longer lock a named account: five wrong passwords from five addresses.
for i in 11 12 13 14 15; do wrong admin "$i"; done
right admin 16
expect_eq "$STATUS" 200 "admin still signs in from an address that did not fail"
right admin 11
expect_eq "$STATUS" 200 "and from one that failed once"
for i in 1 2 3; do wrong admin 20; done
right admin 21
expect_eq "$STATUS" 200 "even a delayed pair does not lock the account elsewhere"

# An unknown account is answered and delayed exactly like a known one.
for i in 1 2 3; do wrong ghost 30; done
req anon POST /api/v1/session -H "$(from 30)" "${J[@]}" -d '{"username":"ghost","password":"x"}'
expect_eq "$STATUS" 429 "an unknown user is delayed the same way"

# 3. The address ceiling (default 100 failures in 15 minutes, across accounts): spraying two
# guesses at each of 50 names from one address, then every account from there is refused.
spray_start=$SECONDS
for i in $(seq 1 50); do
    for k in 1 2; do
        req anon POST /api/v1/session -H "$(from 77)" "${J[@]}" -d "{\"username\":\"spray$i\",\"password\":\"guess$k-xyz\"}"
        [ "$STATUS" = 401 ] || fail "spray $i/$k: status $STATUS"
    done
done
ok "100 failures from .77 across 50 accounts, each answered 401"
right reviewer 77
expect_eq "$STATUS" 429 "the 101st try from that address is refused, even with the right password"
ra=$(retry_after)
least=$((900 - (SECONDS - spray_start) - 2)) # the window started with the first failure
[ -n "$ra" ] && [ "$ra" -ge "$least" ] && [ "$ra" -le 900 ] && ok "Retry-After $ra s: until the window ends" ||
    fail "Retry-After '$ra' (wanted $least..900)"
case $(body_json .error.message) in *此地址*) ok "the message names the address limit" ;; *) fail "message: $(cat "$T/body")" ;; esac
right reviewer 78
expect_eq "$STATUS" 200 "another address is not affected"
stop_server

# The ceiling and its window are settings of serve.
start_server "$DB" --proxy 127.0.0.1 --login-ceiling 4 --login-window 1
for u in reviewer liaison supervisor chief; do wrong "$u" 90; done
right admin 90
expect_eq "$STATUS" 429 "--login-ceiling 4: the fifth try is refused"
ra=$(retry_after)
[ -n "$ra" ] && [ "$ra" -gt 0 ] && [ "$ra" -le 60 ] && ok "--login-window 1: Retry-After $ra s" || fail "Retry-After '$ra'"

# 4. The password policy through the API: 422 validation naming "password", no command-line option.
login admin || fail "admin signs in"
for pw in '12345678' 'Password1' '        ' 'abc\u0001defgh' 'tab\there12' 'short'; do
    expect_status 422 "POST /users with password '$pw' is refused" admin POST /api/v1/users "${J[@]}" \
        -d "{\"username\":\"newbie\",\"role\":\"reviewer\",\"password\":\"$pw\"}"
    expect_eq "$(body_json .error.where)" password "it names the field password"
    if grep -q -- '--' "$T/body"; then fail "the error names an option: $(cat "$T/body")"; else ok "no '--' in the error"; fi
done
expect_status 400 "a wrong scope names the field, not an option" admin POST /api/v1/users "${J[@]}" \
    -d '{"username":"newbie","role":"auditor","password":"Audit-Grid-2026"}'
expect_eq "$(body_json .error.where)" unit_code "where: unit_code"
if grep -q -- '--' "$T/body"; then fail "the error names an option: $(cat "$T/body")"; else ok "no '--unit' in the error"; fi
expect_status 201 "a good password is accepted" admin POST /api/v1/users "${J[@]}" \
    -d '{"username":"newbie","role":"reviewer","password":"Audit-Grid-2026"}'
login newbie Audit-Grid-2026 || fail "the new account signs in"
expect_eq "$(sq "$DB" "SELECT COUNT(*) FROM app_user WHERE username='newbie'")" 1 "one account was created"

# The CLI still speaks in options.
echo 12345678 | expect_exit 3 "the CLI refuses a common password" "$AG" --db "$DB" user add --username x9 \
    --role admin --password-stdin
expect_grep '--password-stdin' "$T/err" "and names its option"
finish
