#!/usr/bin/env python3
"""compare.py - compares the warnings of auditgrid, DuckDB and pandas per rule, and
scores each against the generator's ground_truth.csv.

Usage: compare.py --catalog catalog/rules.json --truth DIR/ground_truth.csv
                  --auditgrid warnings.jsonl [--duckdb keys.tsv] [--pandas keys.tsv]
                  [--examples N] [--json summary.json]

Every warning becomes a canonical key (rule, unit, date, voucher, line, extra, amount in
fen); rules_duckdb.mjs and rules_pandas.py write these keys directly, auditgrid's JSON
lines are converted here:
  row rules (dup_payment, near_threshold, split_payment, large_no_decision,
    cash_over_limit, round_amount, payee_is_staff): the flagged row's date, "type-no",
    line; dup_payment the later payment, split_payment the first of the cluster;
  voucher rules (unbalanced_voucher, voucher_reuse, same_maker_reviewer,
    nonworking_day): the voucher's first row (voucher_reuse: its earliest date),
    same_maker_reviewer with the conflict as extra;
  voucher_gap: no date or line, voucher "type-missing", extra "year-period";
  receivable_aging: the oldest open item of the counterparty, extra the year end;
  yearend_spike, benford_first2: date "year-12-31".
Exit status 1 when the implementations disagree on any rule.
"""
import argparse
import csv
import json
import re
import sys
from collections import defaultdict

VOUCHER_RULES = {"unbalanced_voucher", "voucher_reuse", "same_maker_reviewer", "nonworking_day"}
YEAR_RULES = {"yearend_spike", "benford_first2"}


def fen(text):
    """'95000.00' -> 9500000 (exact, no float)."""
    text = text.strip().replace(",", "")
    neg = text.startswith("-")
    if neg:
        text = text[1:]
    whole, _, frac = text.partition(".")
    v = int(whole or "0") * 100 + int((frac + "00")[:2])
    return -v if neg else v


def auditgrid_keys(path):
    keys = []
    with open(path, encoding="utf-8") as f:
        for ln in f:
            if not ln.strip():
                continue
            w = json.loads(ln)
            rule, ev = w["rule"], w.get("evidence", {})
            date, voucher = w.get("date", ""), w.get("voucher") or ""
            line = "" if w.get("line") is None else str(w["line"])
            extra = ""
            amount = fen(w.get("amount", "0"))
            if rule == "voucher_gap":
                m = re.search(r"(\d{4})年(\d{1,2})月", w["message"])
                year, period = (m.group(1), m.group(2)) if m else (date[:4], str(int(date[5:7])))
                vtype = voucher.rsplit("-", 1)[0]
                date, line = "", ""
                voucher = f"{vtype}-{ev['missing_number']}"
                extra = f"{year}-{period}"
            elif rule in YEAR_RULES:
                voucher, line = "", ""
                if rule == "benford_first2":
                    amount = 0
            elif rule == "same_maker_reviewer":
                extra = ev.get("conflict", "")
            elif rule == "voucher_reuse":
                extra = str(ev.get("distinct_dates", ""))
            elif rule == "receivable_aging":
                extra = str(ev.get("year_end", ""))
            keys.append((rule, w["unit"], date, voucher, line, extra, amount))
    return keys


def tsv_keys(path):
    keys = []
    with open(path, encoding="utf-8") as f:
        for row in csv.reader(f, delimiter="\t"):
            if not row:
                continue
            row = [c.strip() for c in row]
            rule, unit, date, voucher, line, extra, amount = row
            keys.append((rule, unit, date, voucher, line, extra, int(amount)))
    return keys


def truth(path):
    """Ground truth: case id per rule, and the match keys of every row."""
    cases = defaultdict(set)  # rule -> case ids
    match = defaultdict(set)  # match key -> case ids
    with open(path, encoding="utf-8") as f:
        for r in csv.DictReader(f):
            rule, unit = r["rule"], r["unit_code"]
            cases[rule].add(r["case_id"])
            voucher = f"{r['voucher_type']}-{r['voucher_no']}"
            if rule == "voucher_gap":
                k = (rule, unit, voucher, f"{r['fiscal_year']}-{int(r['period'])}")
            elif rule in YEAR_RULES:
                k = (rule, unit, f"{r['fiscal_year']}-12-31")
            elif rule in VOUCHER_RULES or not r["line_no"]:
                k = (rule, unit, r["voucher_date"], voucher)
            else:
                k = (rule, unit, r["voucher_date"], voucher, r["line_no"])
            match[k].add(r["case_id"])
    return cases, match


def match_key(k):
    rule, unit, date, voucher, line, extra, _ = k
    if rule == "voucher_gap":
        return (rule, unit, voucher, extra)
    if rule in YEAR_RULES:
        return (rule, unit, date)
    if rule in VOUCHER_RULES:
        return (rule, unit, date, voucher)
    return (rule, unit, date, voucher, line)


def score(keys, cases, match):
    """Per rule: (found cases, planted cases, false positives)."""
    found = defaultdict(set)
    fp = defaultdict(int)
    for k in keys:
        ids = match.get(match_key(k))
        if ids:
            found[k[0]] |= ids
        else:
            fp[k[0]] += 1
    return found, fp


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--catalog", required=True)
    ap.add_argument("--truth", required=True)
    ap.add_argument("--auditgrid", required=True)
    ap.add_argument("--duckdb")
    ap.add_argument("--pandas")
    ap.add_argument("--examples", type=int, default=5)
    ap.add_argument("--json")
    a = ap.parse_args()

    rules = [r["id"] for r in json.load(open(a.catalog, encoding="utf-8"))["rules"]]
    tools = {"auditgrid": auditgrid_keys(a.auditgrid)}
    if a.duckdb:
        tools["duckdb"] = tsv_keys(a.duckdb)
    if a.pandas:
        tools["pandas"] = tsv_keys(a.pandas)
    names = list(tools)
    per = {t: defaultdict(list) for t in names}
    for t, ks in tools.items():
        for k in ks:
            per[t][k[0]].append(k)
            if k[0] not in rules:
                rules.append(k[0])

    ok = True
    out = {"rules": {}, "tools": {}}
    print(f"\n{'rule':<20}" + "".join(f"{t:>11}" for t in names) + "   agree")
    diffs = []
    for r in rules:
        sets = {t: per[t][r] for t in names}
        base = sorted(sets["auditgrid"])
        agree = all(sorted(sets[t]) == base for t in names)
        ok &= agree
        print(f"{r:<20}" + "".join(f"{len(sets[t]):>11}" for t in names) + ("   yes" if agree else "   NO"))
        out["rules"][r] = {t: len(sets[t]) for t in names} | {"agree": agree}
        if not agree:
            from collections import Counter
            cnt = {t: Counter(sets[t]) for t in names}
            everything = set().union(*[set(c) for c in cnt.values()])
            for k in sorted(everything):
                have = [t for t in names if cnt[t][k]]
                if len(have) < len(names) or len({cnt[t][k] for t in names}) > 1:
                    diffs.append((r, k, {t: cnt[t][k] for t in names}))
    total = {t: len(tools[t]) for t in names}
    print(f"{'total':<20}" + "".join(f"{total[t]:>11}" for t in names) + ("   yes" if ok else "   NO"))
    if diffs:
        print("\ndisagreements (key: count per tool), first ones per rule:")
        shown = defaultdict(int)
        for r, k, c in diffs:
            if shown[r] < a.examples:
                shown[r] += 1
                print("  " + " | ".join(str(x) for x in k) + "  " + " ".join(f"{t}={n}" for t, n in c.items()))
        for r in shown:
            n = sum(1 for d in diffs if d[0] == r)
            if n > shown[r]:
                print(f"  ... {r}: {n - shown[r]} more")

    cases, match = truth(a.truth)
    planted = sum(len(v) for v in cases.values())
    print(f"\nagainst ground_truth.csv ({planted} planted cases):")
    print(f"{'rule':<20}{'planted':>8}" + "".join(f"{t + ' found/FP':>20}" for t in names))
    scores = {t: score(tools[t], cases, match) for t in names}
    for r in rules:
        line = f"{r:<20}{len(cases.get(r, ())):>8}"
        for t in names:
            found, fp = scores[t]
            line += f"{len(found[r]):>13}/{fp[r]:<6}"
        print(line)
    for t in names:
        found, fp = scores[t]
        nf = sum(len(found[r]) for r in found)
        nfp = sum(fp.values())
        recall = nf / planted if planted else 1.0
        print(f"{t}: recall {nf}/{planted} = {recall:.1%}, false positives {nfp} "
              f"(of {total[t]} warnings)")
        out["tools"][t] = {"warnings": total[t], "found": nf, "planted": planted,
                           "recall": recall, "false_positives": nfp}
    out["agree"] = ok
    if a.json:
        json.dump(out, open(a.json, "w"), indent=1)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
