#!/usr/bin/env bash
# check-layers.sh - keeps the architecture as docs/architecture.md draws it (CI runs it):
# 1. src/cli/ and src/http/ parse, call and render: no SQL and no transaction calls there; a user
#    action is composed in src/app/ or src/domain/, which own the transaction and the audit entry.
# 2. No SQLite or libpq type or call leaves src/store/.
# 3. Every .c file under src/ includes util/banned.h after its other headers.
# Exit 0 when all holds, 1 naming each file:line at fault.
set -euo pipefail
cd "$(dirname "$0")/.."
fail=0

# 1. SQL text and the store's transaction and statement calls.
sql='store_(begin|commit|rollback|prepare|exec|insert|update|delete|query_int|query_text)[[:space:]]*\(|"[[:space:]]*(SELECT|INSERT|UPDATE|DELETE|CREATE|DROP|ALTER|WITH)[[:space:]]'
if grep -nE "$sql" src/cli/*.c src/http/*.c; then
    echo "check-layers: SQL or a transaction above the use-case layer (src/cli, src/http): move it into src/app or src/domain" >&2
    fail=1
fi

# 2. Backend types stay in the store.
if grep -nE '\b(sqlite3[a-z_]*|PGconn|PGresult|PQ[a-z]+)\b' $(find src -name '*.[ch]' -not -path 'src/store/*'); then
    echo "check-layers: a database backend type or call outside src/store" >&2
    fail=1
fi

# 3. banned.h, last.
for f in $(find src -name '*.c'); do
    last=$(grep -E '^#include ' "$f" | tail -n1)
    if [ "$last" != '#include "util/banned.h"' ]; then
        echo "$f: the last #include is not \"util/banned.h\" ($last)" >&2
        fail=1
    fi
done

[ "$fail" -eq 0 ] && echo "check-layers: ok"
exit "$fail"
