#!/usr/bin/env python3
"""edge_cases.py - a small hand-made ledger that walks the corners of every primitive
(void lines, ties on one day, windows at their bounds, the greedy clusters of
split_payment, credits before debits in receivable_aging, adjusted workdays, voucher
numbers with leading zeros or gaps over 1,000, ...). The generator's ledgers are clean
and never reach these corners; bench/engine.sh runs the three implementations on this
ledger too, so that a difference in semantics shows up.

Usage: edge_cases.py OUTDIR   (writes UNIT-YEAR.csv files, staff.csv, ground_truth.csv)
"""
import csv
import datetime as dt
import os
import sys

COLS = ["unit_code", "fiscal_year", "period", "voucher_date", "voucher_type", "voucher_no",
        "line_no", "summary", "account_code", "account_name", "debit", "credit", "counterparty",
        "dept", "project", "func_class", "econ_class", "fund_type", "decision_ref", "bill_no",
        "settle_type", "maker", "reviewer", "poster", "cashier", "posted", "void"]
G = "111201040000000011"  # government chart (gov2019)
E = "911201040000000022"  # enterprise chart
G2 = "121201040000000033"  # government chart, expenses only

rows = []  # (unit, year) -> lines, kept in insertion (file) order
seq = {}


def next_no(unit, date, vtype):
    k = (unit, date.year, date.month, vtype)
    seq[k] = seq.get(k, 0) + 1
    return str(seq[k])


def voucher(unit, date, lines, vtype="记", no=None, **common):
    """lines: dicts with account, debit, credit and any other column; 'date' overrides."""
    d0 = dt.date.fromisoformat(date)
    no = no or next_no(unit, d0, vtype)
    for i, ln in enumerate(lines, 1):
        d = dt.date.fromisoformat(ln.get("date", date))
        r = {c: "" for c in COLS}
        r.update(unit_code=unit, fiscal_year=str(d0.year), period=str(d0.month),
                 voucher_date=d.isoformat(), voucher_type=vtype, voucher_no=no, line_no=str(i),
                 summary="边界用例", maker="甲", reviewer="乙", poster="丙", cashier="丁",
                 posted="1", void="0", debit="0.00", credit="0.00")
        r.update(common)
        r.update({k: v for k, v in ln.items() if k != "date"})
        r["account_code"] = ln["account"] if "account" in ln else r["account_code"]
        r.pop("account", None)
        rows.append(r)


def pay(unit, date, amount, cpty, bank=None, exp=None, **kw):
    bank = bank or ("1002" if unit == E else "1011")
    exp = exp or ("6602" if unit == E else "5001")
    line_kw = {k: kw.pop(k) for k in ("settle_type", "bill_no", "void") if k in kw}
    voucher(unit, date, [dict(account=exp, debit=amount, counterparty=cpty),
                         dict(account=bank, credit=amount, counterparty=cpty, **line_kw)], **kw)


def workdays(year, n, start="01-05"):
    hol = {}
    with open(os.path.join(os.path.dirname(__file__), "../../catalog/holidays.csv")) as f:
        for r in csv.DictReader(f):
            hol[r["date"]] = r["kind"]
    d = dt.date.fromisoformat(f"{year}-{start}")
    out = []
    while len(out) < n:
        k = hol.get(d.isoformat())
        if k == "workday" or (k is None and d.weekday() < 5):
            out.append(d.isoformat())
        d += dt.timedelta(days=1)
    return out


def build():
    # voucher_reuse: dates 03-01, 03-05, 03-03 (three dates; the range grows twice)
    voucher(G, "2024-03-01", [dict(account="5001", debit="60.00"),
                              dict(account="5001", debit="40.00", date="2024-03-05"),
                              dict(account="1011", credit="100.00", counterparty="重用甲", date="2024-03-03")])
    # ... and a first row that is not the earliest
    voucher(G, "2024-03-11", [dict(account="5001", debit="70.00"),
                              dict(account="1011", credit="70.00", counterparty="重用乙", date="2024-03-08")])
    # unbalanced: a void line makes it balance / unbalance
    voucher(G, "2024-03-12", [dict(account="5001", debit="100.00"), dict(account="2307", credit="100.00"),
                              dict(account="5001", debit="50.00", void="1")])
    voucher(G, "2024-03-13", [dict(account="5001", debit="100.00"),
                              dict(account="2307", credit="100.00", void="1"),
                              dict(account="2307", credit="90.00")])
    # voucher_gap: 收-1, 收-3, 收-03, 收-2000 (missing 2 and, capped, 4..1003), 收-A1
    for no in ("1", "3", "03", "2000", "A1"):
        voucher(G, "2024-06-05", [dict(account="1002", debit="10.00"), dict(account="4609", credit="10.00")],
                vtype="收", no=no)
    # an empty type reads as 记, an empty period as the month of the date
    voucher(G, "2024-07-08", [dict(account="5001", debit="10.00"), dict(account="2307", credit="10.00")],
            vtype="", no="5", period="")
    # same_maker_reviewer: cashier = poster with no maker; maker = reviewer on a void line
    voucher(G, "2024-07-09", [dict(account="5001", debit="20.00"), dict(account="2307", credit="20.00")],
            maker="", cashier="丙")
    voucher(G, "2024-07-10", [dict(account="5001", debit="30.00"),
                              dict(account="2307", credit="30.00", void="1", reviewer="甲")])
    # nonworking_day: adjusted workdays, a holiday on a weekday, a plain Saturday
    for d in ("2024-02-04", "2024-02-18", "2024-10-01", "2024-03-02"):
        voucher(G, d, [dict(account="5001", debit="15.00"), dict(account="2307", credit="15.00")])
    # dup_payment
    pay(G, "2024-04-10", "5000.00", "重复甲")
    pay(G, "2024-04-10", "5000.00", "重复甲")                      # same day: the later row
    pay(G, "2024-04-12", "8000.00", "重复乙", bill_no="FP-77")
    pay(G, "2024-06-20", "8000.00", "重复乙", bill_no="FP-77")     # same bill, 69 days
    voucher(G, "2024-04-15", [dict(account="5001", debit="6000.00"),
                              dict(account="1011", credit="3000.00", counterparty="重复丙"),
                              dict(account="1011", credit="3000.00", counterparty="重复丙")])  # one voucher
    pay(G, "2024-04-16", "4000.00", "重复丁")
    pay(G, "2024-04-17", "4000.00", "重复丁", void="1")            # void: not a payment
    pay(G, "2024-04-18", "4500.00", "")
    pay(G, "2024-04-18", "4500.00", "")                              # no payee
    pay(G, "2024-04-19", "999.99", "重复戊")
    pay(G, "2024-04-19", "999.99", "重复戊")                         # below min_amount
    pay(G, "2024-05-06", "2100.00", "重复己")
    pay(G, "2024-05-13", "2100.00", "重复己")                        # 7 days: flagged
    pay(G, "2024-05-21", "2100.00", "重复己")                        # 8 days: not
    pay(G, "2024-12-27", "3300.00", "重复庚")
    pay(G, "2025-01-02", "3300.00", "重复庚")                        # across the year end
    # near_threshold at the band edges
    for a in ("47500.00", "47499.99", "49999.99", "50000.00", "94999.99", "95000.00", "999999.99"):
        pay(G, "2024-08-05", a, "临界" + a)
    # split_payment
    pay(G, "2024-04-01", "600000.00", "拆分甲", decision_ref="会-1")
    pay(G, "2024-04-20", "500000.00", "拆分甲", decision_ref="会-2")
    pay(G, "2024-05-15", "450000.00", "拆分甲")
    pay(G, "2024-05-16", "100000.00", "拆分甲")
    pay(G, "2024-06-03", "400000.00", "拆分乙")
    pay(G, "2024-06-03", "400000.00", "拆分乙")
    pay(G, "2024-06-03", "300000.00", "拆分乙")
    pay(G, "2024-06-04", "1000000.00", "拆分丙", decision_ref="会-3")
    pay(G, "2024-06-05", "10.00", "拆分丙")
    for d, a in (("2024-09-02", "300000.00"), ("2024-09-23", "400000.00"),
                 ("2024-10-11", "400000.00"), ("2024-10-16", "300000.00")):
        pay(G, d, a, "拆分丁")
    pay(G, "2024-11-01", "990000.00", "拆分戊")
    pay(G, "2024-12-01", "10.00", "拆分戊")                          # 30 days: in the window
    pay(G, "2024-11-04", "990000.00", "拆分己")
    pay(G, "2024-12-05", "10.00", "拆分己")                          # 31 days: out
    # large_no_decision: the reference on another line, on a void line
    voucher(G, "2024-08-06", [dict(account="5001", debit="600000.00", decision_ref="会-9"),
                              dict(account="1011", credit="600000.00", counterparty="大额甲")])
    voucher(G, "2024-08-07", [dict(account="5001", debit="700000.00", decision_ref="会-10", void="1"),
                              dict(account="5001", debit="700000.00"),
                              dict(account="1011", credit="700000.00", counterparty="大额乙")])
    pay(E, "2024-08-08", "800000.00", "大额丙")
    # cash_over_limit
    pay(G, "2024-08-12", "1500.00", "现金甲", bank="1002", settle_type="现金")
    pay(G, "2024-08-13", "1000.00", "现金乙", bank="1001")
    pay(G, "2024-08-14", "1000.01", "现金丙", bank="1001")
    pay(E, "2024-08-15", "2000.00", "现金丁", bank="1012", settle_type="现金")
    pay(E, "2024-08-16", "1200.00", "现金戊", bank="1011")           # 1011 is no bank account here
    # round_amount
    pay(G, "2024-08-19", "10000.00", "整数甲")
    pay(G, "2024-08-20", "20000.50", "整数乙")
    pay(E, "2024-08-21", "9990000.00", "整数丙", decision_ref="会-11")
    # yearend_spike: the enterprise's December, with a void line that would tip it
    pay(E, "2024-06-14", "100000.00", "费用甲", exp="6601")
    pay(E, "2024-12-16", "20000.00", "费用乙", exp="6601")
    voucher(E, "2024-12-17", [dict(account="6602", debit="900000.00", void="1"),
                              dict(account="2241", credit="900000.00", void="1")])
    voucher(E, "2025-12-17", [dict(account="6602", debit="5000.00"), dict(account="2241", credit="5000.00")])
    voucher(E, "2025-03-17", [dict(account="5001", debit="9000.00"), dict(account="2241", credit="9000.00")])
    # receivable_aging (gov 1218, enterprise 1221)
    rcv = lambda u, d, a, c, side: voucher(u, d, [
        dict(account="1218" if u == G else "1221", counterparty=c, **{side: a}),
        dict(account="1002", counterparty=c, **{"credit" if side == "debit" else "debit": a})])
    rcv(G, "2024-01-10", "500.00", "往来甲", "credit")   # before any debit: lost
    rcv(G, "2024-01-15", "1000.00", "往来甲", "debit")
    rcv(G, "2024-06-03", "2000.00", "往来甲", "debit")
    rcv(G, "2025-03-03", "1500.00", "往来甲", "credit")  # settles 1000 + 500 of the second
    rcv(G, "2024-12-30", "800.00", "往来乙", "debit")    # 366 days at 2025-12-31
    rcv(G, "2024-12-31", "700.00", "往来丙", "debit")    # 365 days: not yet
    rcv(G, "2024-02-01", "300.00", "", "debit")          # no counterparty
    rcv(E, "2024-05-06", "900.00", "往来丁", "debit")
    rcv(E, "2024-05-07", "900.00", "往来丁", "credit")
    rcv(E, "2024-05-08", "400.00", "往来丁", "debit")
    # payee_is_staff (staff.csv: 张三 plain, "王五" quoted, "李四 " with a space)
    for who in ("张三", "王五", "李四"):
        pay(G, "2024-09-09", "880.00", who)
    # benford_first2: 1,000 payments of the enterprise in 2025, all 91xx yuan
    days = workdays(2025, 220, "01-02")
    for i in range(1100):
        pay(E, days[i // 5], f"{9100 + i % 100}.{i // 100:02d}", f"本福特{i:04d}")
    # yearend_spike: December 40 of 140 (flagged); 30 of 130 plus a void 100 (not)
    for d, a, extra in (("2024-06-11", "100.00", {}), ("2024-12-11", "40.00", {}),
                        ("2025-06-11", "100.00", {}), ("2025-12-11", "30.00", {}),
                        ("2025-12-12", "100.00", {"void": "1"})):
        voucher(G2, d, [dict(account="5101", debit=a, **extra), dict(account="2307", credit=a, **extra)])


def main():
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    build()
    files = {}
    for r in rows:
        files.setdefault((r["unit_code"], r["voucher_date"][:4] if r["fiscal_year"] == "" else r["fiscal_year"]), []).append(r)
    for (u, y), rs in files.items():
        with open(os.path.join(out, f"{u}-{y}.csv"), "w", newline="", encoding="utf-8") as f:
            w = csv.DictWriter(f, COLS, lineterminator="\n")
            w.writeheader()
            w.writerows(rs)
    with open(os.path.join(out, "staff.csv"), "w", encoding="utf-8") as f:
        f.write(f'unit_code,name,role\n{G},张三,会计\n{G},"王五",出纳\n{G},李四 ,会计\n{E},赵六,出纳\n')
    with open(os.path.join(out, "ground_truth.csv"), "w", encoding="utf-8") as f:
        f.write("case_id,rule,item,unit_code,fiscal_year,period,voucher_type,voucher_no,line_no,"
                "voucher_date,account_code,counterparty,amount,note\n")
    print(f"{len(rows)} lines in {len(files)} files -> {out}")


if __name__ == "__main__":
    main()
