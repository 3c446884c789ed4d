#!/usr/bin/env bash
# engine.sh - the rule engine end to end, CSV to warnings, against what a user would
# pick instead: DuckDB (npm @duckdb/node-api) running the same rules as SQL
# (bench/engine/rules.sql) and pandas (Debian's python3-pandas) running them in Python
# (bench/engine/rules_pandas.py), over the generator's ledgers (30 units x 2 years).
# Checks that the three give the same warnings per rule (first on a small hand-made
# ledger of corner cases, bench/engine/edge_cases.py, then at each size), scores each
# against the generator's ground_truth.csv, and prints the median wall time and peak
# memory of each and the ratios.
#
# Usage: bench/engine.sh [LINES...]          (default: 1000000 10000000)
# Environment: RUNS (default 3) runs per tool and size; BENCH_DIR (default
#   /tmp/ag-bench-engine) keeps the generated ledgers between runs; AG_BIN; EDGE=0
#   skips the corner-case check; SKIP_PANDAS=1 leaves pandas out.
# Exit status: 1 when the implementations disagree on any rule, 0 otherwise.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ $# -gt 0 ]; then SIZES=("$@"); else SIZES=(1000000 10000000); fi
AG=${AG_BIN:-build/auditgrid}
W=${BENCH_DIR:-/tmp/ag-bench-engine}
RUNS=${RUNS:-3}
PY=/usr/bin/python3 # Debian's python, where python3-pandas is installed
E=bench/engine

scripts/deps.sh bench >/dev/null
if [ -z "${AG_BIN:-}" ]; then
    make build >/dev/null 2>&1 || { [ -x "$AG" ] && echo "warning: make build failed; using the existing $AG" >&2; }
fi
[ -x "$AG" ] || { echo "no $AG" >&2; exit 1; }
command -v npm >/dev/null || { echo "npm is needed (Node 20 with npm)" >&2; exit 1; }
[ -d "$E/node_modules/@duckdb/node-api" ] || (cd "$E" && npm ci --no-audit --no-fund >/dev/null)
mkdir -p "$W"

common=(--catalog catalog/rules.json --holidays catalog/holidays.csv)
disagree=0

# Runs the three implementations over DIR, writing DIR/../NAME.{jsonl,tsv}.
run_once() { # dir outprefix
    local d=$1 o=$2 files=("$1"/*-20*.csv)
    "$AG" scan --csv "${files[@]}" --staff "$d/staff.csv" >"$o.auditgrid.jsonl" 2>/dev/null
    node "$E/rules_duckdb.mjs" "${common[@]}" --staff "$d/staff.csv" --out "$o.duckdb.tsv" \
        "${files[@]}" 2>/dev/null
    if [ -z "${SKIP_PANDAS:-}" ]; then
        "$PY" "$E/rules_pandas.py" "${common[@]}" --staff "$d/staff.csv" --out "$o.pandas.tsv" \
            "${files[@]}" 2>/dev/null
    fi
}

compare() { # dir outprefix
    local args=(--catalog catalog/rules.json --truth "$1/ground_truth.csv"
        --auditgrid "$2.auditgrid.jsonl" --duckdb "$2.duckdb.tsv" --json "$2.compare.json")
    [ -n "${SKIP_PANDAS:-}" ] || args+=(--pandas "$2.pandas.tsv")
    "$PY" "$E/compare.py" "${args[@]}"
}

echo "machine: $(nproc) cores, $(free -g | awk '/^Mem:/ {print $2}') GiB RAM; auditgrid $(git rev-parse --short HEAD 2>/dev/null || echo '?');" \
    "duckdb $(node -e 'console.log(require("./'$E'/node_modules/@duckdb/node-api/package.json").version)');" \
    "pandas $("$PY" -c 'import pandas; print(pandas.__version__)'); $(date -u +%Y-%m-%d)"

if [ "${EDGE:-1}" != 0 ]; then
    echo
    echo "== corner cases (bench/engine/edge_cases.py): the three must agree =="
    rm -rf "$W/edge" && "$PY" "$E/edge_cases.py" "$W/edge" >/dev/null
    run_once "$W/edge" "$W/edge"
    compare "$W/edge" "$W/edge" >"$W/edge.compare.txt" || disagree=1
    sed -n '/^against/q;p' "$W/edge.compare.txt" # no ground truth here: the table only
fi

declare -A T M
for n in "${SIZES[@]}"; do
    d="$W/gen-$n"
    echo
    echo "== $n lines =="
    if [ ! -f "$d/ground_truth.csv" ]; then
        rm -rf "$d"
        "$AG" ledger generate --out "$d" --lines "$n" >/dev/null 2>&1
    fi
    files=("$d"/*-20*.csv)
    echo "ledgers: ${#files[@]} files, $(du -ch "${files[@]}" | tail -1 | cut -f1), $d"
    cat "${files[@]}" >/dev/null # the page cache holds them for every tool alike
    o="$W/$n"
    tools=(auditgrid duckdb)
    [ -n "${SKIP_PANDAS:-}" ] || tools+=(pandas)
    for t in "${tools[@]}"; do
        case $t in
        auditgrid) cmd="$AG scan --csv ${files[*]} --staff $d/staff.csv >$o.auditgrid.jsonl 2>/dev/null" ;;
        duckdb) cmd="node $E/rules_duckdb.mjs ${common[*]} --staff $d/staff.csv --out $o.duckdb.tsv ${files[*]} 2>/dev/null" ;;
        pandas) cmd="$PY $E/rules_pandas.py ${common[*]} --staff $d/staff.csv --out $o.pandas.tsv ${files[*]} 2>/dev/null" ;;
        esac
        rm -f "$o.$t.mem"
        hyperfine --runs "$RUNS" --style none --export-json "$o.$t.json" -n "$t" \
            "/usr/bin/time -a -o $o.$t.mem -f '%e %M' $cmd" >/dev/null 2>"$o.$t.hyperfine.log"
        T[$n,$t]=$(jq '.results[0].median' "$o.$t.json")
        M[$n,$t]=$(awk '{print $2}' "$o.$t.mem" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
        printf '  %-9s median %7.2f s over %d runs, peak memory %7.0f MiB\n' "$t" "${T[$n,$t]}" "$RUNS" \
            "$(echo "${M[$n,$t]} / 1024" | bc -l)"
    done
    if ! compare "$d" "$o"; then disagree=1; fi
    printf '\nratios at %s lines: duckdb/auditgrid time %.2fx, memory %.2fx' "$n" \
        "$(echo "${T[$n,duckdb]} / ${T[$n,auditgrid]}" | bc -l)" "$(echo "${M[$n,duckdb]} / ${M[$n,auditgrid]}" | bc -l)"
    [ -n "${SKIP_PANDAS:-}" ] || printf '; pandas/auditgrid time %.2fx, memory %.2fx' \
        "$(echo "${T[$n,pandas]} / ${T[$n,auditgrid]}" | bc -l)" "$(echo "${M[$n,pandas]} / ${M[$n,auditgrid]}" | bc -l)"
    echo
done

echo
echo "== summary (median wall time, peak RSS; $RUNS runs each) =="
printf '%-10s %-10s %10s %12s %9s %9s\n' lines tool seconds "peak MiB" "time x" "mem x"
for n in "${SIZES[@]}"; do
    for t in "${tools[@]}"; do
        printf '%-10s %-10s %10.2f %12.0f %8.2fx %8.2fx\n' "$n" "$t" "${T[$n,$t]}" \
            "$(echo "${M[$n,$t]} / 1024" | bc -l)" "$(echo "${T[$n,$t]} / ${T[$n,auditgrid]}" | bc -l)" \
            "$(echo "${M[$n,$t]} / ${M[$n,auditgrid]}" | bc -l)"
    done
    if (($(echo "${T[$n,duckdb]} >= 2 * ${T[$n,auditgrid]}" | bc -l) && ${M[$n,duckdb]} > ${M[$n,auditgrid]})); then
        echo "  target (auditgrid >= 2x faster than DuckDB, less memory) at $n lines: met"
    else
        echo "  target (auditgrid >= 2x faster than DuckDB, less memory) at $n lines: NOT met"
    fi
done
if [ "$disagree" != 0 ]; then
    echo "the implementations DISAGREE (see the tables above)"
    exit 1
fi
echo "the implementations agree on every rule"
