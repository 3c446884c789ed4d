# serve_lib.sh - helpers for the t01NN tests: a demo database, the real server on a free
# loopback port, and curl requests as a signed-in user. Sourced after lib.sh.
. "$(dirname "$0")/lib.sh"
PW='Nankai#2026'
SRV_PID=
URL=
trap 'stop_server; rm -rf "$T"' EXIT

# demo_db DB -- a demo district whose pilot books (50 000 lines) give warnings.
demo_db() {
    "$AG" --db "$1" demo --lines 50000 --no-serve >"$T/demo.out" 2>&1 || {
        cat "$T/demo.out"
        echo "demo failed"
        exit 1
    }
}

# start_server DB [serve options...] -- runs `serve --listen 127.0.0.1:0` in the
# background (env vars given before the call reach it), waits for its
# "listening on" line and sets URL. The access log goes to $T/serve.err.
start_server() {
    local db=$1
    shift
    : >"$T/serve.out"
    "$AG" --db "$db" serve --listen 127.0.0.1:0 "$@" >"$T/serve.out" 2>>"$T/serve.err" &
    SRV_PID=$!
    for _ in $(seq 1 600); do
        URL=$(grep -o 'http[s]*://127.0.0.1:[0-9]*' "$T/serve.out" 2>/dev/null)
        [ -n "$URL" ] && return 0
        kill -0 "$SRV_PID" 2>/dev/null || break
        sleep 0.05
    done
    echo "the server did not start"
    cat "$T/serve.err"
    exit 1
}

# stop_server -- SIGTERM, then waits; SRV_RC holds its exit code.
stop_server() {
    SRV_RC=
    if [ -n "$SRV_PID" ]; then
        kill -TERM "$SRV_PID" 2>/dev/null
        wait "$SRV_PID" 2>/dev/null
        SRV_RC=$?
        SRV_PID=
    fi
}

# req WHO METHOD PATH [curl args...] -- one request as WHO (a user signed in
# with login, or "anon"); the body lands in $T/body, headers in $T/headers,
# the status in $STATUS. State-changing requests carry WHO's CSRF token.
req() {
    local who=$1 method=$2 path=$3
    shift 3
    local args=(-s -o "$T/body" -D "$T/headers" -w '%{http_code}' -X "$method")
    [ "$method" = HEAD ] && args=(-s -I -o "$T/body" -D "$T/headers" -w '%{http_code}')
    if [ "$who" != anon ]; then
        # The jar is rewritten through a rename: a request running in the background with the
        # same jar never reads it half-written (and goes out without its cookie).
        args+=(-b "$T/$who.jar" -c "$T/$who.jar.$BASHPID")
        case $method in POST | PUT | PATCH | DELETE) args+=(-H "X-CSRF-Token: $(cat "$T/$who.csrf")") ;; esac
    fi
    STATUS=$(curl "${args[@]}" "$@" "$URL$path")
    if [ "$who" != anon ] && [ -s "$T/$who.jar.$BASHPID" ]; then
        mv -f "$T/$who.jar.$BASHPID" "$T/$who.jar"
    else
        rm -f "$T/$who.jar.$BASHPID"
    fi
}

# expect_status WANT DESCRIPTION WHO METHOD PATH [curl args...]
expect_status() {
    local want=$1 desc=$2
    shift 2
    req "$@"
    if [ "$STATUS" = "$want" ]; then ok "$desc"; else
        fail "$desc (status $STATUS, wanted $want)"
        head -c 400 "$T/body" | sed 's/^/    body: /'
        echo
    fi
}

# login USER [PASSWORD] -- signs USER in; keeps the cookie jar and CSRF token.
login() {
    rm -f "$T/$1.jar"
    STATUS=$(curl -s -o "$T/login.json" -D "$T/headers" -w '%{http_code}' -c "$T/$1.jar" \
        -H 'Content-Type: application/json' \
        -d "{\"username\":\"$1\",\"password\":\"${2:-$PW}\"}" "$URL/api/v1/session")
    jq -r '.csrf_token // empty' "$T/login.json" >"$T/$1.csrf"
    [ "$STATUS" = 200 ]
}

# body_json FILTER -- runs jq on the last response body.
body_json() { jq -r "$1" "$T/body"; }

# sq DB SQL -- one value from the database.
sq() { sqlite3 "$1" "$2"; }
