#!/usr/bin/env bash
# t0111: the database is created 0600 (its -wal and -shm too); a request with both Content-Length
# and Transfer-Encoding is refused and its connection closed; a chunked attachment over 20 MiB
# answers 413 and leaves nothing spooled; `filename=a%00.pdf` is refused, not cut to `a`; a broken
# JSON body is not echoed back and errors name no server path.
. "$(dirname "$0")/serve_lib.sh"
DB="$T/h.db"
umask 022
demo_db "$DB"
for f in "$DB" "$DB-wal" "$DB-shm"; do
    [ -e "$f" ] || continue
    expect_eq "$(stat -c %a "$f")" 600 "$(basename "$f") is 0600"
done
mkdir -p "$T/spool"
start_server "$DB" --tmp-dir "$T/spool"
expect_eq "$(stat -c %a "$DB-wal")" 600 "the -wal the server opened is 0600"
J=(-H 'Content-Type: application/json')
login auditor || fail "auditor signs in"
unit=$(sq "$DB" "SELECT unit_code FROM app_user WHERE username='auditor'")
A="/api/v1/units/$unit/attachments"

# Request smuggling: both framings.
port=${URL##*:}
exec 3<>"/dev/tcp/127.0.0.1/$port"
# (in a subshell: the server may hang up before it read everything, and SIGPIPE ends only that)
(printf 'POST /api/v1/session HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\nGET /api/v1/health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n' >&3) 2>/dev/null
timeout 5 cat <&3 >"$T/smuggle.out"
exec 3<&-
head -n1 "$T/smuggle.out" | grep -q ' 400 ' && ok "Content-Length with Transfer-Encoding is 400" ||
    fail "answer: $(head -n1 "$T/smuggle.out")"
expect_eq "$(grep -c '^HTTP/1.1' "$T/smuggle.out")" 1 "the connection is closed: the smuggled GET gets no answer"
expect_grep 'Content-Length 和 Transfer-Encoding' "$T/smuggle.out" "the refusal says why"
grep -qi '^Connection: close' "$T/smuggle.out" && ok "Connection: close" || fail "no Connection: close"

# A chunked attachment over 20 MiB.
head -c $((21 * 1024 * 1024)) /dev/zero >"$T/big.pdf"
expect_status 413 "a chunked attachment over 20 MiB is 413, not a dropped connection" auditor POST \
    "$A?filename=big.pdf" -H 'Transfer-Encoding: chunked' --data-binary @"$T/big.pdf"
expect_eq "$(body_json .error.code)" payload_too_large "payload_too_large"
expect_eq "$(ls "$T/spool" | wc -l | tr -d ' ')" 0 "nothing is left in the spool"
printf '%%PDF-1.4 small\n' >"$T/ok.pdf"
expect_status 201 "a chunked attachment under the limit is taken" auditor POST \
    "$A?filename=ok.pdf" -H 'Transfer-Encoding: chunked' --data-binary @"$T/ok.pdf"

# NUL and control characters in the file name.
expect_status 400 "filename=a%00.pdf is refused" auditor POST "$A?filename=a%00.pdf" --data-binary @"$T/ok.pdf"
expect_eq "$(body_json .error.where)" filename "the error names filename"
expect_status 400 "filename with %0A is refused" auditor POST "$A?filename=a%0A.pdf" --data-binary @"$T/ok.pdf"
expect_eq "$(sq "$DB" "SELECT COUNT(*) FROM attachment WHERE filename IN ('a','a.pdf')")" 0 "nothing was stored under a cut name"

# bad_json: no echo of the body, no library wording.
expect_status 400 "a broken sign-in body" anon POST /api/v1/session "${J[@]}" \
    -d '{"username":"admin","password":Nankai-Secret-77}'
expect_eq "$(body_json .error.code)" bad_json "bad_json"
grep -q 'Nankai-Secret' "$T/body" && fail "the body was echoed: $(cat "$T/body")" || ok "the password is not echoed"
grep -qi 'invalid token\|near' "$T/body" && fail "the JSON library's wording leaks" || ok "a fixed message"
body_json .error.message | grep -q '第 1 行第 .* 列' && ok "with line and column" || fail "message: $(cat "$T/body")"

# Errors never name a server path (the spool folder, the database).
printf 'not,a,ledger\n' >"$T/bad.csv"
req auditor POST "/api/v1/units/$unit/imports?filename=bad.csv&year=2024" --data-binary @"$T/bad.csv"
cp "$T/body" "$T/badcsv.json"
[ "${STATUS:0:1}" = 4 ] && ok "a broken ledger upload is refused ($STATUS)" || fail "status $STATUS"
grep -q "$T\|auditgrid-upload\|/tmp/" "$T/body" && fail "a server path leaks: $(cat "$T/body")" || ok "no server path in the error"

# Domain checks written for the CLI name options (`--unit`); over the API they name the field.
login admin || fail "admin signs in"
expect_status 400 "a person with a role but no unit" admin POST /api/v1/persons "${J[@]}" \
    -d '{"role":"principal","name":"张三"}'
expect_eq "$(body_json .error.where)" role "where names the field, not --role"
grep -q -- '--[a-z]' "$T/body" && fail "a command-line option leaks: $(cat "$T/body")" || ok "no command-line option in the error"
finish
