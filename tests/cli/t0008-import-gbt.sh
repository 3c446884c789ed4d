#!/usr/bin/env bash
# t0008: a GB/T 19581 export (folder) imports with its chart and balances, checked against the vouchers.
. "$(dirname "$0")/lib.sh"
DB="$T/g.db"
U=12120104MB1234567K
"$AG" --db "$DB" init >/dev/null
"$AG" --db "$DB" unit add --code $U --name 测试中心 --type 事业 >/dev/null
mkdir -p "$T/gbt"
q() { printf '"%s"' "$1"; }
tail26='\t""\t""\t""\t""\t""\t0\t"张三"\t"李四"\t"王五"\t"赵六"\t1\t0\r\n'
{
    printf '"001"\t"2024年账套"\t"天津市南开区测试中心"\t"%s"\t"事业单位"\t"公共管理"\t"某软件"\t"V8"\t2024\t"人民币"\t"4-2-2"\r\n' $U
} >"$T/gbt/DZZB.TXT"
{
    printf '"1002"\t"银行存款"\t1\t0\t""\t"资产"\t""\t"借"\r\n'
    printf '"100201"\t"工商银行"\t2\t0\t""\t"资产"\t""\t"借"\r\n'
    printf '"4001"\t"财政拨款收入"\t1\t0\t""\t"收入"\t""\t"贷"\r\n'
    printf '"5001"\t"业务活动费用"\t1\t0\t""\t"费用"\t""\t"借"\r\n'
    printf '"500101"\t"工资福利费用"\t2\t0\t""\t"费用"\t""\t"借"\r\n'
} >"$T/gbt/kjkm.txt"
kmye() { # $1: the 5001 debit movement
    printf '"1002"\t"人民币"\t""\t100,000.00\t0\t0\t50000.00\t0\t0\t12345.67\t0\t0\t137654.33\t0\t0\t1\r\n'
    printf '"100201"\t"人民币"\t""\t100000.00\t0\t0\t50000.00\t0\t0\t12345.67\t0\t0\t137654.33\t0\t0\t1\r\n'
    printf '"4001"\t"人民币"\t""\t0\t0\t0\t0\t0\t0\t50000.00\t0\t0\t-50000.00\t0\t0\t1\r\n'
    printf '"5001"\t"人民币"\t""\t0\t0\t0\t%s\t0\t0\t0\t0\t0\t%s\t0\t0\t1\r\n' "$1" "$1"
    printf '"500101"\t"人民币"\t""\t0\t0\t0\t12345.67\t0\t0\t0\t0\t0\t12345.67\t0\t0\t1\r\n'
}
kmye 12345.67 >"$T/gbt/KMYE.TXT"
{
    printf '\r\n'
    printf '20240105\t"记"\t"0001"\t1\t"收到财政拨款"\t"100201"\t"50,000.00"\t0\t"人民币"\t0\t0\t1\t0\t0'"$tail26"
    printf '20240105\t"记"\t"0001"\t2\t"收到财政拨款"\t"4001"\t0\t50000.00\t"人民币"\t0\t0\t1\t0\t0'"$tail26"
    printf '20240110\t"记"\t"0002"\t1\t"支付工资"\t"500101"\t  12,345.67 \t0\t"人民币"\t0\t0\t1\t0\t0'"$tail26"
    printf '20240110\t"记"\t"0002"\t2\t"支付工资"\t"100201"\t0\t12345.67\t"人民币"\t0\t0\t1\t0\t0'"$tail26"
} >"$T/gbt/JZPZ.TXT"

expect_exit 0 "a GB/T 19581 folder imports" "$AG" --db "$DB" --json import --unit $U "$T/gbt"
expect_eq "$(jq -r '.[0].format' "$T/out")" gbt19581 "the format is detected"
expect_eq "$(jq -r '.[0].lines' "$T/out")" 4 "4 voucher lines"
expect_eq "$(jq -r '.[0].debit_total' "$T/out")" 62345.67 "debit total to the fen (thousands separators, padding)"
expect_eq "$(jq -r '.[0].findings_total' "$T/out")" 0 "consistent balances give no findings"
expect_eq "$(sqlite3 "$DB" "SELECT COUNT(*) FROM ledger_account")" 5 "the chart comes from KJKM"
expect_eq "$(sqlite3 "$DB" "SELECT normal_side FROM ledger_account WHERE code='4001'")" C "normal sides from KJKM"
expect_eq "$(sqlite3 "$DB" "SELECT closing FROM ledger_balance WHERE account_code='4001'")" -5000000 "balances are stored debit-positive in fen"
expect_eq "$(sqlite3 "$DB" "SELECT parent_code FROM ledger_account WHERE code='500101'")" 5001 "parents from the code structure"

kmye 12000.00 >"$T/gbt/KMYE.TXT"
expect_exit 3 "a changed export for the same year is refused without --replace" "$AG" --db "$DB" import --unit $U "$T/gbt"
expect_exit 0 "with --replace it imports" "$AG" --db "$DB" --json import --unit $U --replace "$T/gbt"
expect_eq "$(jq -r '.[0].findings_by_kind.kmye_vs_jzpz' "$T/out")" 1 "KMYE movements that differ from the vouchers are a finding"
expect_eq "$(sqlite3 "$DB" "SELECT COUNT(*) FROM ledger_balance")" 5 "the old balances were replaced"
expect_exit 0 "the audit log verifies" "$AG" --db "$DB" audit-log verify

printf '20240105\t"记"\t"0001"\t1\t"x"\t"100201"\t50000.00\t"abc"\t"人民币"\t0\t0\t1\t0\t0'"$tail26" >"$T/gbt/JZPZ.TXT"
expect_exit 3 "a bad number in JZPZ rejects the set" "$AG" --db "$DB" import --unit $U --replace "$T/gbt"
expect_grep "JZPZ.TXT:1" "$T/err" "the fault names JZPZ.TXT and the line"
expect_eq "$(sqlite3 "$DB" "SELECT COUNT(*) FROM ledger_line")" 4 "and nothing changed"
finish
