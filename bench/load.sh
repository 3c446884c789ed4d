#!/usr/bin/env bash
# load.sh - wrk against the API (GET /api/v1/units, /api/v1/warnings) with a signed-in session on
# the demo district, against a static file of the same size as the baseline, and a login storm
# running alongside the API load. Prints requests/s, p99, errors and the ratio to the baseline.
#
# Usage: bench/load.sh                 (DURATION=30s CONNS=64 WRK_THREADS=2 LINES=1000000)
#        DURATION=10s bench/load.sh    (a shorter run)
# Targets (2 cores): zero errors, p99 < 20 ms, API throughput >= 30 % of the static baseline,
# and the API p99 stays bounded while a login storm runs.
set -euo pipefail
cd "$(dirname "$0")/.."
DURATION=${DURATION:-30s}
CONNS=${CONNS:-64}
WRK_THREADS=${WRK_THREADS:-2}
STORM_CONNS=${STORM_CONNS:-16}
LINES=${LINES:-1000000}
OUT=${BENCH_DIR:-build/bench-load}
AG=${AG_BIN:-build/auditgrid}
PW='Nankai#2026'

scripts/deps.sh bench >/dev/null
[ -n "${AG_BIN:-}" ] || make -s build >/dev/null
mkdir -p "$OUT/web"
DB="$OUT/demo.db"
if [ ! -f "$DB" ] || [ "${REBUILD:-0}" = 1 ]; then
    echo "== building the demo district ($LINES voucher lines) in $DB"
    "$AG" --db "$DB" demo --lines "$LINES" --no-serve --force >/dev/null 2>&1
fi

SRV=
stop() { [ -n "$SRV" ] && kill -TERM "$SRV" 2>/dev/null && wait "$SRV" 2>/dev/null; SRV=; }
trap stop EXIT
# start [serve options] -- the server on a free loopback port; sets URL.
start() {
    : >"$OUT/serve.out"
    "$AG" --db "$DB" serve --listen 127.0.0.1:0 --web "$OUT/web" "$@" >"$OUT/serve.out" 2>"$OUT/access.log" &
    SRV=$!
    for _ in $(seq 1 200); do
        URL=$(grep -o 'http://127.0.0.1:[0-9]*' "$OUT/serve.out" || true)
        [ -n "$URL" ] && return
        sleep 0.05
    done
    echo "server did not start" >&2
    exit 1
}
signin() {
    curl -s -c "$OUT/jar" -H 'Content-Type: application/json' \
        -d "{\"username\":\"$1\",\"password\":\"$PW\"}" "$URL/api/v1/session" >/dev/null
    COOKIE="ag_session=$(awk '$6 == "ag_session" {print $7}' "$OUT/jar")"
}

# A Lua script for wrk that POSTs wrong passwords and counts the statuses.
cat >"$OUT/storm.lua" <<'EOF'
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
local threads = {}
function setup(thread) table.insert(threads, thread) end
function init(args) n = 0; c401 = 0; c429 = 0; c503 = 0; cother = 0 end
function request()
    n = n + 1
    return wrk.format(nil, "/api/v1/session", nil,
        string.format('{"username":"storm%d","password":"wrong-password-%d"}', n % 50, n))
end
function response(status)
    if status == 401 then c401 = c401 + 1 elseif status == 429 then c429 = c429 + 1
    elseif status == 503 then c503 = c503 + 1 else cother = cother + 1 end
end
function done()
    local a, b, c, d = 0, 0, 0, 0
    for _, t in ipairs(threads) do
        a = a + t:get("c401"); b = b + t:get("c429"); c = c + t:get("c503"); d = d + t:get("cother")
    end
    io.write(string.format("storm statuses: 401=%d 429=%d 503=%d other=%d\n", a, b, c, d))
end
EOF
# Counts non-2xx answers for the API runs (wrk reports them too, this names them).
cat >"$OUT/count.lua" <<'EOF'
local bad = 0
response = function(status) if status >= 300 then bad = bad + 1 end end
EOF

# run NAME PATH [wrk args] -- one wrk run; prints a row and keeps its numbers.
declare -A RPS P99 ERR
run() {
    local name=$1 path=$2
    shift 2
    wrk -t"$WRK_THREADS" -c"$CONNS" -d"$DURATION" --latency "$@" "$URL$path" >"$OUT/$name.txt" 2>&1
    local rps p99 non2xx sock
    rps=$(awk '/^Requests\/sec:/ {print $2}' "$OUT/$name.txt")
    p99=$(awk '$1 == "99%" {v=$2; u=v; sub(/[0-9.]+/, "", u); sub(/[a-z]+$/, "", v);
              if (u == "us") v /= 1000; else if (u == "s") v *= 1000; else if (u == "m") v *= 60000;
              printf "%.2f", v}' "$OUT/$name.txt")
    non2xx=$(awk '/Non-2xx/ {print $NF}' "$OUT/$name.txt")
    sock=$(awk '/Socket errors/ {gsub(/,/, ""); print $4 + $6 + $8 + $10}' "$OUT/$name.txt")
    RPS[$name]=${rps:-0}
    P99[$name]=${p99:-?}
    ERR[$name]=$(( ${non2xx:-0} + ${sock:-0} ))
}

row() {
    local name=$1 base=${2:-} label=$1
    case $1 in units_nc) label="units (no cache)" ;; warnings_nc) label="warnings (no cache)" ;; esac
    local ratio="-"
    [ -n "$base" ] && ratio=$(echo "scale=1; 100 * ${RPS[$name]} / ${RPS[$base]}" | bc)%
    printf "%-34s %12s %10s %8s %8s\n" "$label" "${RPS[$name]}" "${P99[$name]}" "${ERR[$name]}" "$ratio"
}

echo "== auditgrid serve, $(nproc) cores; wrk -t$WRK_THREADS -c$CONNS -d$DURATION"
start
signin admin
H=(-H "Cookie: $COOKIE")
# The baseline serves the very bytes of the units page as a static file.
curl -s "${H[@]}" "$URL/api/v1/units" >"$OUT/web/units.json"
curl -s "${H[@]}" "$URL/api/v1/warnings" >"$OUT/web/warnings.json"
echo "   units page $(wc -c <"$OUT/web/units.json") bytes, warnings page $(wc -c <"$OUT/web/warnings.json") bytes;" \
    "$(curl -s "${H[@]}" "$URL/api/v1/warnings?per_page=1" | jq .total) warnings, $(curl -s "${H[@]}" "$URL/api/v1/units?per_page=1" | jq .total) units"
run static /units.json -s "$OUT/count.lua"
run static_w /warnings.json -s "$OUT/count.lua"
run units /api/v1/units "${H[@]}" -s "$OUT/count.lua"
run warnings /api/v1/warnings "${H[@]}" -s "$OUT/count.lua"
stop
# The same without the response cache: every request queries the store and builds its JSON.
start --no-cache
signin admin
H=(-H "Cookie: $COOKIE")
run units_nc /api/v1/units "${H[@]}" -s "$OUT/count.lua"
run warnings_nc /api/v1/warnings "${H[@]}" -s "$OUT/count.lua"
stop
start
signin admin
H=(-H "Cookie: $COOKIE")

# A login storm (wrong passwords, many accounts, one address) next to the API load:
# (a) with the default limits, the address is refused (429) after five failures;
# (b) with the limits lifted, every attempt costs an Argon2 verification and only the
#     bounded hashing workers run them, the rest wait at most 5 s and get 503.
storm() {
    local name=$1
    wrk -t1 -c"$STORM_CONNS" -d"$DURATION" --latency -s "$OUT/storm.lua" "$URL/" >"$OUT/$name-storm.txt" 2>&1 &
    local wpid=$!
    sleep 1
    run "$name" /api/v1/units "${H[@]}" -s "$OUT/count.lua"
    wait $wpid || true
}
storm storm_limited
stop
start --login-failures 1000000000
signin admin
H=(-H "Cookie: $COOKIE")
storm storm_hashing
stop

printf "\n%-34s %12s %10s %8s %8s\n" "run" "requests/s" "p99 ms" "errors" "vs static"
row static
row units static
row warnings static_w
printf "%-34s %12s %10s %8s %8s\n" "static (warnings-sized file)" "${RPS[static_w]}" "${P99[static_w]}" "${ERR[static_w]}" "-"
row units_nc static
row warnings_nc static_w
printf "%-34s %12s %10s %8s %8s\n" "units during storm (limited)" "${RPS[storm_limited]}" "${P99[storm_limited]}" "${ERR[storm_limited]}" "$(echo "scale=1; 100 * ${RPS[storm_limited]} / ${RPS[static]}" | bc)%"
printf "%-34s %12s %10s %8s %8s\n" "units during storm (Argon2 each)" "${RPS[storm_hashing]}" "${P99[storm_hashing]}" "${ERR[storm_hashing]}" "$(echo "scale=1; 100 * ${RPS[storm_hashing]} / ${RPS[static]}" | bc)%"
for s in storm_limited storm_hashing; do
    echo "   $s login storm: $(awk '/^Requests\/sec:/ {print $2}' "$OUT/$s-storm.txt") sign-in attempts/s;" \
        "$(grep '^storm statuses' "$OUT/$s-storm.txt" | sed 's/storm statuses: //')"
done
echo "   raw wrk output in $OUT/*.txt"
