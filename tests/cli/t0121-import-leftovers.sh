#!/usr/bin/env bash
# t0121: what a crash leaves behind is cleaned (issue 12 §7): a server killed mid-upload leaves its
# auditgrid-upload.* folder in the temporary directory, and an import killed mid-way leaves
# staging rows nobody sees; the server removes both when it starts (stale folders only: an
# hour untouched), and `attach gc` removes stale upload folders and says how many.
. "$(dirname "$0")/serve_lib.sh"
DB="$T/l.db"
demo_db "$DB"
unit=$(sq "$DB" "SELECT unit_code FROM app_user WHERE username = 'auditor'")
mkdir -p "$T/spool"
old() { touch -d '2 hours ago' "$@"; }

# 1. A server killed with -9 while an upload comes in leaves the spool folder.
start_server "$DB" --tmp-dir "$T/spool"
login auditor || fail "the auditor signs in"
{
    echo "voucher_date,voucher_no,account_code,debit,credit,summary"
    for i in $(seq 1 2000); do
        echo "2023-05-06,$i,5001,100.00,,办公用品采购（第$i笔）"
        echo "2023-05-06,$i,1002,,100.00,办公用品采购（第$i笔）"
    done
} >"$T/slow.csv"
curl -s -o /dev/null --limit-rate 20k -b "$T/auditor.jar" -H "X-CSRF-Token: $(cat "$T/auditor.csrf")" \
    --data-binary @"$T/slow.csv" "$URL/api/v1/units/$unit/imports?filename=slow.csv" &
cpid=$!
for _ in $(seq 1 200); do
    [ -n "$(ls "$T/spool")" ] && break
    sleep 0.05
done
kill -9 "$SRV_PID"
wait "$SRV_PID" 2>/dev/null
SRV_PID=
wait $cpid 2>/dev/null
left=$(ls -d "$T"/spool/auditgrid-upload.* 2>/dev/null | wc -l)
expect_eq "$left" 1 "the killed server left its upload folder behind"

# Beside it: a fresh upload folder (maybe in progress), a stale folder of another name, a stale
# symlink with the prefix: none of these is ours to remove.
mkdir "$T/spool/auditgrid-upload.fresh1" "$T/spool/other.old" "$T/target"
echo x >"$T/spool/auditgrid-upload.fresh1/a.csv"
ln -s "$T/target" "$T/spool/auditgrid-upload.link1"
old "$T"/spool/auditgrid-upload.??????/* 2>/dev/null
for d in "$T"/spool/auditgrid-upload.*; do [ "$d" = "$T/spool/auditgrid-upload.fresh1" ] || [ -L "$d" ] || old "$d"/* "$d"; done
old "$T/spool/other.old"
touch "$T/spool/auditgrid-upload.fresh1/a.csv"

# 2. An import killed mid-way leaves staging rows (invisible to readers).
"$AG" ledger generate --out "$T/gen" --lines 300000 --units 1 --years 1 --seed 7 >/dev/null 2>&1
f=$(ls "$T"/gen/*-2024.csv)
code=$(basename "$f" | cut -c1-18)
"$AG" --db "$DB" unit add --code "$code" --name 测试单位乙 --type 机关 >/dev/null
# The import is killed as soon as its first batch is staged (polled, not guessed from a delay:
# under AddressSanitizer on a loaded machine the first batch may take seconds).
staged=0
for _ in 1 2 3; do
    "$AG" --db "$DB" import --unit "$code" "$f" >/dev/null 2>&1 &
    pid=$!
    for _ in $(seq 1 1200); do
        staged=$(sq "$DB" "SELECT COUNT(*) FROM ledger_stage" 2>/dev/null || echo 0)
        [ "${staged:-0}" -gt 0 ] && break
        kill -0 $pid 2>/dev/null || break
        sleep 0.05
    done
    kill -9 $pid 2>/dev/null
    wait $pid 2>/dev/null
    staged=$(sq "$DB" "SELECT COUNT(*) FROM ledger_stage")
    [ "$staged" -gt 0 ] && break
done
[ "$staged" -gt 0 ] && ok "a killed import left staging rows ($staged)" || fail "no import was killed after its first batch"
expect_eq "$(sq "$DB" "SELECT COUNT(*) FROM ledger_book WHERE unit_code = '$code' AND fiscal_year > 0")" 0 \
    "and no visible book"

# 3. The server cleans both when it starts.
start_server "$DB" --tmp-dir "$T/spool"
expect_eq "$(ls -d "$T"/spool/auditgrid-upload.* | sed 's|.*/||' | sort | tr '\n' ' ')" \
    "auditgrid-upload.fresh1 auditgrid-upload.link1 " "the stale upload folder is gone; the fresh one and the symlink stay"
[ -d "$T/spool/other.old" ] && ok "a folder of another name stays" || fail "a folder of another name was removed"
[ -d "$T/target" ] && ok "the symlink's target is untouched" || fail "the symlink's target was removed"
expect_eq "$(sq "$DB" "SELECT COUNT(*) FROM ledger_stage")" 0 "the staging rows are gone"
expect_eq "$(sq "$DB" "SELECT COUNT(*) FROM ledger_book WHERE fiscal_year < 0")" 0 "with their books"
expect_eq "$(sq "$DB" "SELECT COUNT(*) FROM ledger_source WHERE unit_code = '$code'")" 0 "and their source"
expect_grep "上传临时目录 1 个" "$T/serve.err" "the server says what it removed"
expect_status 200 "the server answers" anon GET /api/v1/health
stop_server

# 4. attach gc removes stale upload folders and counts them.
mkdir "$T/spool/auditgrid-upload.gc1" "$T/spool/auditgrid-upload.gc2"
head -c 1000 /dev/zero >"$T/spool/auditgrid-upload.gc1/x.csv"
old "$T/spool/auditgrid-upload.gc1/x.csv" "$T/spool/auditgrid-upload.gc1" "$T/spool/auditgrid-upload.gc2"
expect_exit 0 "attach gc" "$AG" --db "$DB" --json attach gc --tmp-dir "$T/spool"
expect_eq "$(jq -r .uploads "$T/out")" 2 "attach gc reports the two upload folders"
[ "$(jq -r .temps "$T/out")" -ge 2 ] && ok "and counts them as temporary files" || fail "temps $(jq -r .temps "$T/out")"
[ "$(jq -r .bytes "$T/out")" -ge 1000 ] && ok "with their size" || fail "bytes $(jq -r .bytes "$T/out")"
[ ! -e "$T/spool/auditgrid-upload.gc1" ] && [ ! -e "$T/spool/auditgrid-upload.gc2" ] && ok "both are gone" || fail "an upload folder stayed"
[ -d "$T/spool/auditgrid-upload.fresh1" ] && ok "the fresh folder still stays" || fail "the fresh folder was removed"
expect_exit 0 "attach gc in words" "$AG" --db "$DB" attach gc --tmp-dir "$T/spool"
expect_grep "其中上传临时目录 0 个" "$T/out" "the text report counts upload folders"
expect_exit 0 "attach gc with --min-age-minutes 0 takes the fresh one too" "$AG" --db "$DB" --json attach gc --tmp-dir "$T/spool" --min-age-minutes 0
expect_eq "$(jq -r .uploads "$T/out")" 1 "one more"
finish
