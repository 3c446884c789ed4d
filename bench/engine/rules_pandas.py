#!/usr/bin/env python3
"""rules_pandas.py - the default rule catalog (catalog/rules.json) in pandas/numpy, a third
implementation of src/engine/prim.c, vectorised (Python loops only over the few
candidate clusters of split_payment and over the years of receivable_aging).

Usage: rules_pandas.py --catalog catalog/rules.json --holidays catalog/holidays.csv
                       --staff DIR/staff.csv --out keys.tsv [--timing] FILE.csv...
Writes the canonical keys of compare.py: rule, unit, date, voucher, line, extra, amount.

Text columns are read as categoricals (one dictionary per column, as a columnar engine
would), amounts as float64 and rounded to whole fen (exact for amounts below 10^13 yuan).
"""
import argparse
import json
import sys
import time

import numpy as np
import pandas as pd
from pandas.api.types import union_categoricals

TEXT = ["unit_code", "voucher_type", "voucher_no", "account_code", "counterparty",
        "decision_ref", "bill_no", "settle_type", "maker", "reviewer", "poster", "cashier",
        "void", "voucher_date"]
NUM = ["fiscal_year", "period", "line_no", "debit", "credit"]
YES = {"1", "y", "yes", "t", "true", "是", "已记账", "记账", "已过账", "过账", "已作废", "作废", "√", "✓"}
GOV = {"cashbank": ["1001", "1002", "1011", "1021"],
       "expense": ["5001", "5101", "5201", "5301", "5401", "5501", "5801", "5901"], "orcv": ["1218"]}
ENT = {"cashbank": ["1001", "1002", "1012"],
       "expense": ["6401", "6402", "6403", "6601", "6602", "6603", "6701", "6711", "6801"],
       "orcv": ["1221"]}
EPOCH = np.datetime64("1970-01-01", "D")

T0 = time.monotonic()
TIMING = False


def lap(what):
    if TIMING:
        print(f"{time.monotonic() - T0:8.2f} s  {what}", file=sys.stderr)


def fen_param(rule, key, default_yuan):
    v = rule["params"].get(key, default_yuan)
    return int(v) * 100 if isinstance(v, int) else int(round(float(v) * 100))


def load(files):
    """All files in order; text columns become categoricals over trimmed strings."""
    frames = []
    for f in files:
        df = pd.read_csv(f, usecols=TEXT + NUM, dtype={c: "category" for c in TEXT} |
                         {"fiscal_year": "float64", "period": "float64", "line_no": "float64",
                          "debit": "float64", "credit": "float64"},
                         keep_default_na=False, na_values={c: [""] for c in NUM},
                         engine="c")
        frames.append(df)
    lap(f"read {len(files)} files")
    out = {}
    for c in TEXT:
        cat = union_categoricals([f[c] for f in frames], sort_categories=False)
        cats = pd.Index(cat.categories.astype(str))
        trimmed = cats.str.strip(" \t\r\n\f\v")
        codes = cat.codes.astype(np.int32)
        # Recode onto the trimmed strings; "" becomes -1 (empty).
        uniq, inv = np.unique(np.asarray(trimmed, dtype=object), return_inverse=True)
        remap = inv.astype(np.int32)
        empty = np.flatnonzero(uniq == "")
        if len(empty):
            remap = np.where(remap == empty[0], -1, remap - (remap > empty[0])).astype(np.int32)
            uniq = np.delete(uniq, empty[0])
        codes = np.where(codes < 0, -1, remap[np.maximum(codes, 0)]).astype(np.int32)
        out[c] = (codes, uniq)
    for c in NUM:
        out[c] = np.concatenate([f[c].to_numpy() for f in frames])
    del frames
    lap("concatenated")
    return out


def same_space(cols, names):
    """Recodes several text columns onto one dictionary so codes compare across columns."""
    universe = np.unique(np.concatenate([cols[n][1] for n in names]))
    res = {}
    for n in names:
        codes, cats = cols[n]
        m = np.searchsorted(universe, cats).astype(np.int32) if len(cats) else np.zeros(0, np.int32)
        res[n] = np.where(codes < 0, -1, m[np.maximum(codes, 0)] if len(m) else -1)
    return res, universe


def main():
    global TIMING
    ap = argparse.ArgumentParser()
    for o in ("catalog", "holidays", "staff", "out"):
        ap.add_argument("--" + o, required=True)
    ap.add_argument("--timing", action="store_true")
    ap.add_argument("files", nargs="+")
    a = ap.parse_args()
    TIMING = a.timing
    rules = {r["id"]: r for r in json.load(open(a.catalog, encoding="utf-8"))["rules"]}

    C = load(a.files)
    n = len(C["debit"])
    rid = np.arange(n, dtype=np.int64)

    unit, unit_s = C["unit_code"]
    ent_unit = np.array([s.startswith("9") for s in unit_s], dtype=bool)
    ent = ent_unit[unit]
    dcodes, dcats = C["voucher_date"]
    day_of_cat = ((pd.to_datetime(pd.Series(dcats), format="%Y-%m-%d").to_numpy()
                   .astype("datetime64[D]") - EPOCH).astype(np.int32))
    dn = day_of_cat[dcodes]
    dates = pd.DatetimeIndex(dn.astype("datetime64[D]"))
    fy = np.where(np.isnan(C["fiscal_year"]), dates.year, C["fiscal_year"]).astype(np.int16)
    per0 = np.nan_to_num(C["period"], nan=0)
    per = np.where(per0 == 0, dates.month, per0).astype(np.int8)
    del dates
    vt_codes, vt_s = C["voucher_type"]
    if "记" not in set(vt_s):  # an empty type reads as 记
        vt_s = np.append(vt_s, "记")
    ji = int(np.flatnonzero(vt_s == "记")[0])
    vtype = np.where(vt_codes < 0, ji, vt_codes).astype(np.int32)
    vno, vno_s = C["voucher_no"]
    # Numeric voucher numbers (digits only, as the engine's vno_number).
    def vnumber(s):
        if not s or not s.isascii() or not s.isdigit():
            return -1
        v = 0
        for ch in s:
            if v > 100000000:
                return -1
            v = v * 10 + ord(ch) - 48
        return v
    vnum_cat = np.array([vnumber(s) for s in vno_s] + [-1], dtype=np.int64)
    vnum = vnum_cat[vno]  # vno -1 (empty) picks the trailing -1
    line = np.nan_to_num(C["line_no"], nan=0).astype(np.int64)
    dr = np.rint(np.nan_to_num(C["debit"], nan=0) * 100).astype(np.int64)
    cr = np.rint(np.nan_to_num(C["credit"], nan=0) * 100).astype(np.int64)
    del C["debit"], C["credit"]
    acc, acc_s = C["account_code"]
    a4 = np.array([s[:4] if len(s.encode()) >= 4 else "" for s in acc_s] + [""], dtype=object)
    def role(kind):
        g, e = np.isin(a4, GOV[kind]), np.isin(a4, ENT[kind])  # a4[-1] is "" (no account)
        return np.where(ent, e[acc], g[acc])
    cashbank, expense, orcv = role("cashbank"), role("expense"), role("orcv")
    cash_acct = (a4 == "1001")[acc]
    cpty, cpty_s = C["counterparty"]
    decision = C["decision_ref"][0] >= 0
    bill = C["bill_no"][0]
    settle, settle_s = C["settle_type"]
    settle_cash = np.append(settle_s == "现金", False)[settle]
    vd_codes, vd_s = C["void"]
    voided = np.append(np.array([s.lower() in YES for s in vd_s], dtype=bool), False)[vd_codes]
    ppl, _ = same_space(C, ["maker", "reviewer", "poster", "cashier"])
    mk, rv, ps, cs = ppl["maker"], ppl["reviewer"], ppl["poster"], ppl["cashier"]
    del C, ppl
    pay = (cr > 0) & cashbank & ~voided
    lap("columns")

    out = []  # (rule, unit, date, voucher, line, extra, amount)

    def emit(rule, rows, date=None, extra=None, amount=None, line_=None):
        rows = np.asarray(rows, dtype=np.int64)
        dd = dn[rows] if date is None else date
        ds = np.datetime_as_string(np.asarray(dd, dtype=np.int64).astype("datetime64[D]"))
        for i, r in enumerate(rows):
            out.append((rule, unit_s[unit[r]], ds[i], f"{vt_s[vtype[r]]}-{vno_s[vno[r]]}",
                        str(line[r] if line_ is None else line_[i]),
                        "" if extra is None else extra[i],
                        0 if amount is None else int(amount[i])))

    # ---- vouchers: (unit, year, period, type, number), first row in file order ----
    vid = pd.DataFrame({"u": unit, "y": fy, "p": per, "t": vtype, "n": vno}).groupby(
        ["u", "y", "p", "t", "n"], sort=False).ngroup().to_numpy()
    _, fidx = np.unique(vid, return_index=True)  # first occurrence = first row in file order
    first = fidx.astype(np.int64)
    g = pd.DataFrame({"v": vid, "dr": np.where(voided, 0, dr), "cr": np.where(voided, 0, cr),
                      "dn": dn, "dec": decision,
                      "k1": (mk >= 0) & (mk == rv), "k2": (cs >= 0) & (cs == mk),
                      "k3": (cs >= 0) & (cs == ps) & (cs != mk)}).groupby("v", sort=True)
    agg = g.agg(sd=("dr", "sum"), sc=("cr", "sum"), dmin=("dn", "min"), dmax=("dn", "max"),
                ndates=("dn", "nunique"),
                dec=("dec", "any"), k1=("k1", "any"), k2=("k2", "any"), k3=("k3", "any"))
    lap("vouchers")
    r = rules.get("unbalanced_voucher")
    if r:
        m = (agg.sd != agg.sc).to_numpy()
        emit(r["id"], first[m], amount=np.abs(agg.sd - agg.sc).to_numpy()[m])
    r = rules.get("voucher_reuse")
    if r:
        m = (agg.dmin < agg.dmax).to_numpy()
        emit(r["id"], first[m], date=agg.dmin.to_numpy()[m],
             extra=[str(x) for x in agg.ndates.to_numpy()[m]])
    r = rules.get("same_maker_reviewer")
    if r:
        for k, name in (("k1", "maker=reviewer"), ("k2", "cashier=maker"), ("k3", "cashier=poster")):
            m = agg[k].to_numpy()
            emit(r["id"], first[m], extra=[name] * int(m.sum()))
    r = rules.get("nonworking_day")
    if r:
        h = pd.read_csv(a.holidays, dtype=str, keep_default_na=False)
        hd = ((pd.to_datetime(h["date"].str.strip(), format="%Y-%m-%d").to_numpy()
               .astype("datetime64[D]") - EPOCH).astype(np.int32))
        kind = h["kind"].str.strip().str.lower().to_numpy()
        fd = dn[first]
        hol, work = np.isin(fd, hd[kind == "holiday"]), np.isin(fd, hd[kind == "workday"])
        weekend = (fd.astype(np.int64) + 3) % 7 >= 5
        m = hol | (weekend & ~work)
        emit(r["id"], first[m])
    r = rules.get("voucher_gap")
    if r:
        fv = first
        df = pd.DataFrame({"u": unit[fv], "y": fy[fv], "p": per[fv], "t": vtype[fv],
                           "n": vnum[fv], "f": fv})
        df = df[df.n >= 1].sort_values(["u", "y", "p", "t", "n", "f"], kind="stable")
        prev = df.groupby(["u", "y", "p", "t"], sort=False)["n"].shift(1)
        expect = (prev.fillna(0).to_numpy() + 1).astype(np.int64)
        num = df.n.to_numpy()
        cnt = np.clip(np.minimum(num, expect + 1000) - expect, 0, None)  # a gap gives <= 1,000
        rows = np.repeat(df.f.to_numpy(), cnt)
        miss = np.repeat(expect, cnt) + (np.arange(cnt.sum()) - np.repeat(np.cumsum(cnt) - cnt, cnt))
        seq = np.repeat(df.groupby(["u", "y", "p", "t"], sort=False).ngroup().to_numpy(), cnt)
        k = pd.Series(miss).groupby(seq).cumcount().to_numpy()  # ascending within a sequence
        for rr, mm in zip(rows[k < 1000], miss[k < 1000]):  # the first 1,000 of a sequence
            out.append((r["id"], unit_s[unit[rr]], "", f"{vt_s[vtype[rr]]}-{mm}", "",
                        f"{fy[rr]}-{per[rr]}", 0))
    lap("voucher rules")

    # ---- payments ----
    P = np.flatnonzero(pay)
    r = rules.get("dup_payment")
    if r:
        lo, win = fen_param(r, "min_amount", 1000), int(r["params"].get("window_days", 7))
        q = P[(cpty[P] >= 0) & (cr[P] >= lo)]
        df = pd.DataFrame({"u": unit[q], "c": cpty[q], "a": cr[q], "d": dn[q], "r": q})
        df = df.sort_values(["u", "c", "a", "d", "r"], kind="stable")
        grp = df.groupby(["u", "c", "a"], sort=False)
        df["k"] = grp.cumcount()
        df = df[grp["r"].transform("size").to_numpy() > 1].copy()
        df["v"], df["b"] = vid[df.r.to_numpy()], bill[df.r.to_numpy()]
        pairs = df.merge(df, on=["u", "c", "a"], suffixes=("a", "b"))
        pairs = pairs[(pairs.ka < pairs.kb) & (pairs.kb - pairs.ka <= 1000) & (pairs.va != pairs.vb)
                      & (((pairs.ba >= 0) & (pairs.ba == pairs.bb)) | (pairs.db - pairs.da <= win))]
        rows = np.unique(pairs.rb.to_numpy())
        emit(r["id"], rows, amount=cr[rows])
    r = rules.get("near_threshold")
    if r:
        band = float(r["params"].get("band", 0.95))
        tiers = [int(round(float(t) * 100)) for t in r["params"].get("tiers", [])] or \
            [5000000, 10000000, 50000000, 100000000]
        m = np.zeros(len(P), dtype=bool)
        for tv in tiers:
            lo = int(np.ceil(tv * band - 1e-9))
            m |= (cr[P] >= lo) & (cr[P] < tv)
        emit(r["id"], P[m], amount=cr[P[m]])
    r = rules.get("split_payment")
    if r:
        thr, win = fen_param(r, "threshold", 1000000), int(r["params"].get("window_days", 30))
        q = P[(cpty[P] >= 0) & (cr[P] >= 1) & (cr[P] < thr)]
        df = pd.DataFrame({"u": unit[q], "c": cpty[q], "d": dn[q], "r": q}).sort_values(
            ["u", "c", "d", "r"], kind="stable")
        gid = df.groupby(["u", "c"], sort=False).ngroup().to_numpy().astype(np.int64)
        key = gid * (1 << 32) + (df.d.to_numpy().astype(np.int64) + (1 << 31))
        rows = df.r.to_numpy()
        end = np.searchsorted(key, key + win, side="right")
        csum = np.concatenate([[0], np.cumsum(cr[rows])])
        idx = np.arange(len(rows))
        total = csum[end] - csum[idx]
        cand = np.flatnonzero((end - idx >= 2) & (total >= thr))
        keep, last_g, resume = [], -1, 0
        for i in cand:  # the engine's greedy scan, over the candidates only
            if gid[i] != last_g:
                last_g, resume = gid[i], 0
            if i >= resume:
                keep.append(i)
                resume = end[i]
        keep = np.array(keep, dtype=np.int64)
        emit(r["id"], rows[keep], amount=total[keep])
    r = rules.get("large_no_decision")
    if r:
        lo = fen_param(r, "min_amount", 500000)
        m = (cr[P] >= lo) & ~agg.dec.to_numpy()[vid[P]]
        emit(r["id"], P[m], amount=cr[P[m]])
    r = rules.get("cash_over_limit")
    if r:
        lim = fen_param(r, "limit", 1000)
        m = (cash_acct[P] | settle_cash[P]) & (cr[P] > lim)
        emit(r["id"], P[m], amount=cr[P[m]])
    r = rules.get("round_amount")
    if r:
        lo, mult = fen_param(r, "min_amount", 10000), fen_param(r, "multiple", 10000)
        if mult > 0:
            m = (cr[P] >= lo) & (cr[P] % mult == 0)
            emit(r["id"], P[m], amount=cr[P[m]])
    r = rules.get("payee_is_staff")
    if r:
        pairs = set()
        with open(a.staff, encoding="utf-8") as f:  # unit_code,name[,...] as the engine reads it
            for i, ln in enumerate(f):
                ln = ln.rstrip("\r\n")
                if i == 0 or "," not in ln:
                    continue
                u, rest = ln.split(",", 1)
                name = rest.split(",", 1)[0]
                if name:
                    pairs.add((u, name))
        q = P[cpty[P] >= 0]
        uc = pd.MultiIndex.from_arrays([unit_s[unit[q]], cpty_s[cpty[q]]])
        m = uc.isin(list(pairs)) if pairs else np.zeros(len(q), dtype=bool)
        emit(r["id"], q[m], amount=cr[q[m]])
    lap("payment rules")

    # ---- unit-year rules ----
    r = rules.get("yearend_spike")
    if r:
        share = float(r["params"].get("share", 0.25))
        m = expense & ~voided & (dr > 0)
        df = pd.DataFrame({"u": unit[m], "y": fy[m], "t": dr[m], "dec": np.where(per[m] == 12, dr[m], 0)})
        s = df.groupby(["u", "y"]).sum()
        s = s[(s.t > 0) & (s.dec.astype(float) / s.t.astype(float) > share)]
        for (u, y), row in s.iterrows():
            out.append((r["id"], unit_s[u], f"{y}-12-31", "", "", "", int(row.dec)))
    r = rules.get("benford_first2")
    if r:
        lo = fen_param(r, "min_amount", 10)
        min_count = int(r["params"].get("min_count", 1000))
        limit = float(r["params"].get("mad_limit", 0.0022))
        q = P[(cr[P] >= lo) & (cr[P] > 0)]
        y = cr[q].copy()  # the first two significant digits of the amount in fen
        while (y >= 100).any():
            y = np.where(y >= 100, y // 10, y)
        y = np.where(y < 10, y * 10, y)
        keep = y >= 10
        df = pd.DataFrame({"u": unit[q][keep], "y": fy[q][keep], "f": y[keep]})
        c = df.groupby(["u", "y", "f"]).size().unstack("f", fill_value=0)
        c = c.reindex(columns=range(10, 100), fill_value=0)
        cnt = c.to_numpy().astype(np.float64)
        tot = cnt.sum(axis=1)
        ok = (tot >= min_count) & (tot > 0)
        mad = np.zeros(len(cnt))
        for d in range(90):  # bins in order, as the engine adds them
            mad += np.abs(cnt[:, d] / np.where(tot > 0, tot, 1) - np.log10(1.0 + 1.0 / (d + 10)))
        mad /= 90.0
        for (u, yy), hit in zip(c.index, ok & (mad > limit)):
            if hit:
                out.append((r["id"], unit_s[u], f"{yy}-12-31", "", "", "", 0))
    r = rules.get("receivable_aging")
    if r:
        days = int(r["params"].get("days", 365))
        q = np.flatnonzero(orcv & ~voided)
        df = pd.DataFrame({"u": unit[q], "c": cpty[q], "d": dn[q], "r": q, "a": dr[q] - cr[q]})
        df = df.sort_values(["u", "c", "d", "r"], kind="stable").reset_index(drop=True)
        gp = df.groupby(["u", "c"], sort=False)
        df["g"] = gp.ngroup()
        x = gp["a"].cumsum()
        df["D"] = df.a.clip(lower=0).groupby([df.u, df.c], sort=False).cumsum()
        df["S"] = df.D - (x - np.minimum(0, x.groupby([df.u, df.c], sort=False).cummin()))
        years = pd.DataFrame({"u": unit, "y": fy}).drop_duplicates()
        for yv in sorted(years.y.unique()):
            units = years.u[years.y == yv].to_numpy()
            end = int((np.datetime64(f"{yv}-12-31", "D") - EPOCH).astype(np.int64))
            sub = df[np.isin(df.u.to_numpy(), units) & (df.d.to_numpy() <= end)]
            if sub.empty:
                continue
            state = sub.groupby("g", sort=False).S.last()
            it = sub[(sub.a > 0) & (end - sub.d > days)].copy()
            it["open"] = np.minimum(it.a, np.maximum(0, it.D - state.reindex(it.g).to_numpy()))
            it = it[it.open > 0]
            if it.empty:
                continue
            agg2 = it.groupby("g", sort=False).agg(r=("r", "first"), amt=("open", "sum"))
            rows = agg2.r.to_numpy()
            emit(r["id"], rows, extra=[str(yv)] * len(rows), amount=agg2.amt.to_numpy())
    lap("unit-year rules")

    with open(a.out, "w", encoding="utf-8") as f:
        for k in sorted(out):
            f.write("\t".join(str(x) for x in k) + "\n")
    print(f"pandas: {len(out)} warnings", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
