#!/usr/bin/env bash
# t0101: the server speaks HTTP properly: health, static files, routing errors, bounded JSON bodies,
# an access log without personal data, and a graceful stop that finishes in-flight requests.
. "$(dirname "$0")/serve_lib.sh"
DB="$T/a.db"
demo_db "$DB"
mkdir -p "$T/web/css" "$T/empty"
printf '<!doctype html><title>审计监督一张网</title>\n' >"$T/web/index.html"
printf 'body{}\n' >"$T/web/css/app.css"
printf 'secret\n' >"$T/outside.txt"
ln -s "$T/outside.txt" "$T/web/link.txt"
start_server "$DB" --web "$T/web" --max-body 4

expect_grep "listening on http://127.0.0.1:" "$T/serve.out" "serve says where it listens"
expect_status 200 "GET /api/v1/health needs no login" anon GET /api/v1/health
expect_eq "$(body_json .status)" ok "health says ok"
expect_grep "application/json; charset=utf-8" "$T/headers" "JSON responses say so"
expect_grep "X-Content-Type-Options: nosniff" "$T/headers" "nosniff on every response"
expect_grep "Cache-Control: no-store" "$T/headers" "API responses are not cached"

# Static files.
expect_status 200 "/ serves web/index.html" anon GET /
expect_grep "text/html; charset=utf-8" "$T/headers" "HTML content type"
expect_grep "审计监督一张网" "$T/body" "the file's UTF-8 bytes come through"
expect_status 200 "a file in a subfolder" anon GET /css/app.css
expect_grep "text/css" "$T/headers" "CSS content type"
expect_status 200 "HEAD of a static file" anon HEAD /css/app.css
expect_status 404 "a missing file is 404" anon GET /nope.js
expect_eq "$(body_json .error.code)" not_found "and the 404 is JSON"
expect_status 404 "path traversal is refused" anon GET /../outside.txt --path-as-is
expect_status 404 "encoded traversal is refused" anon GET /%2e%2e/outside.txt --path-as-is
expect_status 404 "a symlink out of web/ is refused" anon GET /link.txt
expect_status 404 "hidden files are not served" anon GET /.index.html
expect_status 405 "POST to a static path" anon POST /index.html
expect_grep "Allow: GET, HEAD" "$T/headers" "with an Allow header"

# Routing.
expect_status 404 "an unknown API route" anon GET /api/v1/nothing
expect_eq "$(body_json .error.code)" not_found "not_found"
expect_status 404 "a trailing slash is another path" anon GET /api/v1/health/
expect_status 405 "a wrong method" anon PUT /api/v1/health
expect_grep "Allow: GET, HEAD" "$T/headers" "405 lists the allowed methods"
expect_eq "$(body_json .error.code)" method_not_allowed "method_not_allowed"
expect_status 401 "an API route needs a session" anon GET /api/v1/units
expect_eq "$(body_json .error.code)" unauthenticated "unauthenticated"
expect_eq "$(body_json '.error.message_en | length > 0')" true "errors carry an English message too"

# Request bodies (POST /session is public and takes JSON).
J=(-H 'Content-Type: application/json')
expect_status 400 "malformed JSON" anon POST /api/v1/session "${J[@]}" -d '{"username": "admin",'
expect_eq "$(body_json .error.code)" bad_json "bad_json"
expect_grep "line 1" "$T/body" "the error says where"
expect_status 400 "duplicate keys are refused" anon POST /api/v1/session "${J[@]}" \
    -d '{"username":"admin","username":"x","password":"12345678"}'
expect_grep "duplicate" "$T/body" "and named as such"
deep=$(printf '[%.0s' $(seq 1 40))$(printf ']%.0s' $(seq 1 40))
expect_status 400 "nesting deeper than 32 is refused" anon POST /api/v1/session "${J[@]}" -d "$deep"
expect_status 400 "a body that is not an object" anon POST /api/v1/session "${J[@]}" -d '[1,2]'
expect_status 422 "an unknown field" anon POST /api/v1/session "${J[@]}" \
    -d '{"username":"admin","password":"x","remember":true}'
expect_eq "$(body_json .error.code)" validation "validation"
expect_status 422 "a missing field" anon POST /api/v1/session "${J[@]}" -d '{"username":"admin"}'
head -c 5000 /dev/zero | tr '\0' 'x' >"$T/big.txt"
expect_status 413 "a body over --max-body (4 KiB)" anon POST /api/v1/session "${J[@]}" \
    --data-binary @"$T/big.txt"
expect_eq "$(body_json .error.code)" payload_too_large "payload_too_large"
req anon POST /api/v1/session "${J[@]}" -H 'Transfer-Encoding: chunked' --data-binary @"$T/big.txt"
case $STATUS in 413 | 000) ok "a chunked body over the limit is refused ($STATUS)" ;; *) fail "chunked oversize gave $STATUS" ;; esac
expect_status 200 "the server still answers" anon GET /api/v1/health

# The access log: one JSON line per request, no query values, no passwords.
login admin || fail "admin signs in"
expect_status 200 "a query with values" admin GET "/api/v1/units?cell=D01&per_page=3"
sleep 0.2
expect_eq "$(grep -c '^{' "$T/serve.err" | tr -d ' ')" "$(grep -c '"method"' "$T/serve.err")" "every access-log line is JSON"
jq -c 'select(.method) | [.ts, .method, .path, .status, .bytes, .ms, .user] | map(. != null) | .[0:6] | all' "$T/serve.err" | sort -u >"$T/shape"
expect_eq "$(cat "$T/shape")" true "each line has ts, method, path, status, bytes, ms"
expect_eq "$(jq -r 'select(.path == "/api/v1/units") | .user' "$T/serve.err" | tail -1)" \
    "$(sq "$DB" "SELECT id FROM app_user WHERE username='admin'")" "the line names the user id"
if grep -q "D01\|per_page" "$T/serve.err"; then fail "query values in the log"; else ok "no query strings in the log"; fi
if grep -q "$PW" "$T/serve.err"; then fail "a password in the log"; else ok "no password in the log"; fi

# A server without web/index.html answers / with a JSON 404.
stop_server
expect_eq "$SRV_RC" 0 "SIGTERM stops the server with exit 0"
mkdir -p "$T/spool"
start_server "$DB" --web "$T/empty" --tmp-dir "$T/spool"
expect_status 404 "no index.html: / is a JSON 404" anon GET /
expect_eq "$(body_json .error.code)" not_found "not_found"

# Graceful stop: an upload still arriving when SIGTERM comes is received, imported and answered.
login auditor || fail "auditor signs in"
unit=$(sq "$DB" "SELECT unit_code FROM app_user WHERE username='auditor'")
{
    echo "voucher_date,voucher_no,account_code,debit,credit,summary"
    for i in $(seq 1 800); do
        echo "2023-05-06,$i,5001,100.00,,办公用品采购（第$i笔）"
        echo "2023-05-06,$i,1002,,100.00,办公用品采购（第$i笔）"
    done
} >"$T/slow.csv"
curl -s -o "$T/slow.json" -w '%{http_code}' --limit-rate 40k -b "$T/auditor.jar" \
    -H "X-CSRF-Token: $(cat "$T/auditor.csrf")" --data-binary @"$T/slow.csv" \
    "$URL/api/v1/units/$unit/imports?filename=slow.csv" >"$T/slow.code" &
cpid=$!
for _ in $(seq 1 200); do
    [ -n "$(ls "$T/spool")" ] && break
    sleep 0.05
done
[ -n "$(ls "$T/spool")" ] && ok "the upload is arriving" || fail "the upload never started"
stop_server
wait $cpid
expect_eq "$(cat "$T/slow.code")" 201 "the in-flight upload was finished and imported after SIGTERM"
expect_eq "$(jq -r .lines "$T/slow.json")" 1600 "all of it"
expect_eq "$SRV_RC" 0 "and the server exited cleanly"
expect_exit 2 "a bad --listen is a usage error" "$AG" --db "$DB" serve --listen nowhere
expect_exit 3 "a missing --web folder is refused" "$AG" --db "$DB" serve --listen 127.0.0.1:0 --web "$T/none"
finish
