#!/usr/bin/env bash
# t0004: every command has help; unknown commands and options are usage errors (exit 2).
. "$(dirname "$0")/lib.sh"
expect_exit 0 "--version" "$AG" --version
expect_grep "^auditgrid [0-9]" "$T/out" "--version prints the version"
expect_exit 0 "help" "$AG" help
expect_grep "审计监督一张网" "$T/out" "help is in Chinese first"
expect_exit 2 "no command is a usage error" "$AG"
expect_exit 2 "an unknown command is a usage error" "$AG" frobnicate
expect_grep "unknown command" "$T/err" "the error is also in English"
# Every command listed in the overview answers `help CMD` and `CMD --help`.
"$AG" help | awk '/^命令 commands:/ {on = 1; next} on && /^$/ {exit} on {print}' |
    sed -n 's/^  \([a-z-]*\)\( [a-z-]*\)\? .*/\1\2/p' | while read -r cmd sub; do
    [ -n "$cmd" ] || continue
    if "$AG" help $cmd $sub >"$T/h" 2>&1 && grep -q "用法 usage" "$T/h" && \
       "$AG" $cmd $sub --help >"$T/h2" 2>&1 && cmp -s "$T/h" "$T/h2"; then
        echo "ok - help for $cmd $sub"
    else
        echo "not ok - help for $cmd $sub"; echo FAIL >>"$T/failed"
    fi
done
[ -f "$T/failed" ] && fail "some command lacks help" || ok "every command has help"
expect_exit 2 "an unknown subcommand is a usage error" "$AG" unit frob
expect_grep "unit add" "$T/err" "the error lists the subcommands"
finish
