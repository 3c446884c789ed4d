# lib.sh - shared helpers for the shell tests that drive the real binary.
# Each test sources this, gets a fresh scratch dir in $T and the binary in $AG.
set -u
AG=${AG_BIN:?AG_BIN must point at the auditgrid binary}
T=$(mktemp -d "${AG_TEST_TMP:-/tmp}/cli.XXXXXX" 2>/dev/null || mktemp -d)
trap 'rm -rf "$T"' EXIT
fails=0
passes=0

# ok DESCRIPTION -- records a pass; fail DESCRIPTION -- records a failure.
ok() { passes=$((passes + 1)); echo "ok - $1"; }
fail() { fails=$((fails + 1)); echo "not ok - $1"; }

# expect_exit CODE DESCRIPTION CMD... -- runs CMD, checks its exit code,
# keeps its stdout in $T/out and stderr in $T/err.
expect_exit() {
    local want=$1 desc=$2
    shift 2
    "$@" >"$T/out" 2>"$T/err"
    local got=$?
    if [ "$got" -eq "$want" ]; then ok "$desc"; else
        fail "$desc (exit $got, wanted $want)"
        sed 's/^/    stderr: /' "$T/err" | head -5
    fi
}

# expect_grep PATTERN FILE DESCRIPTION
expect_grep() {
    if grep -q -- "$1" "$2"; then ok "$3"; else fail "$3 (no '$1' in $(basename "$2"))"; fi
}

# expect_eq GOT WANT DESCRIPTION
expect_eq() {
    if [ "$1" = "$2" ]; then ok "$3"; else fail "$3 (got '$1', wanted '$2')"; fi
}

finish() {
    echo "$passes passed, $fails failed"
    [ "$fails" -eq 0 ]
}
