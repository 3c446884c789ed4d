#!/usr/bin/env bash
# t0105: --tls-cert/--tls-key serve HTTPS through libmicrohttpd's GnuTLS: cookies become Secure,
# HSTS is sent, the Origin check expects https, plain HTTP on the port gets nowhere, and TLS 1.0
# and 1.1 are refused while 1.2 works.
. "$(dirname "$0")/serve_lib.sh"
DB="$T/t.db"
demo_db "$DB"
openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=127.0.0.1 \
    -addext subjectAltName=IP:127.0.0.1 -keyout "$T/key.pem" -out "$T/cert.pem" >/dev/null 2>&1 ||
    { echo "openssl failed"; exit 1; }
expect_exit 2 "--tls-cert without --tls-key is a usage error" "$AG" --db "$DB" serve --tls-cert "$T/cert.pem"
start_server "$DB" --tls-cert "$T/cert.pem" --tls-key "$T/key.pem"
case $URL in https://*) ok "serve says https" ;; *) fail "URL $URL" ;; esac
C=(--cacert "$T/cert.pem")
expect_status 200 "GET /health over TLS, certificate verified" anon GET /api/v1/health "${C[@]}"
expect_grep "Strict-Transport-Security" "$T/headers" "HSTS header"
STATUS=$(curl -s -o "$T/login.json" -D "$T/headers" -w '%{http_code}' "${C[@]}" -c "$T/admin.jar" \
    -H 'Content-Type: application/json' -d "{\"username\":\"admin\",\"password\":\"$PW\"}" "$URL/api/v1/session")
expect_eq "$STATUS" 200 "sign in over TLS"
grep -qi 'set-cookie:.*HttpOnly; SameSite=Strict; Secure' "$T/headers" && ok "the cookie is Secure" || fail "cookie not Secure"
jq -r .csrf_token "$T/login.json" >"$T/admin.csrf"
expect_status 403 "an http:// Origin on the https port is foreign" admin DELETE /api/v1/session "${C[@]}" \
    -H "Origin: ${URL/https/http}"
expect_status 200 "the https Origin is ours" admin DELETE /api/v1/session "${C[@]}" -H "Origin: $URL"
# issue 12 §7: TLS 1.2 or later only.
hp=${URL#https://}
if openssl s_client -connect "$hp" -tls1_2 </dev/null >"$T/tls12.out" 2>&1; then
    ok "TLS 1.2 is accepted"
else fail "TLS 1.2 refused"; sed 's/^/    /' "$T/tls12.out" | head -5; fi
# openssl's default security level refuses TLS 1.1 on its own side; @SECLEVEL=0 lets it ask.
if openssl s_client -connect "$hp" -tls1_1 -cipher 'DEFAULT:@SECLEVEL=0' </dev/null >"$T/tls11.out" 2>&1; then
    fail "TLS 1.1 was accepted"; grep -i 'protocol' "$T/tls11.out" | head -3
else ok "TLS 1.1 is refused"; fi
if openssl s_client -connect "$hp" -tls1 -cipher 'DEFAULT:@SECLEVEL=0' </dev/null >"$T/tls10.out" 2>&1; then
    fail "TLS 1.0 was accepted"
else ok "TLS 1.0 is refused"; fi
code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 3 "${URL/https/http}/api/v1/health")
[ "$code" != 200 ] && ok "plain HTTP to the TLS port gets no answer ($code)" || fail "plain HTTP answered"
finish
