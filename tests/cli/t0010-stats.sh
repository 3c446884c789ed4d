#!/usr/bin/env bash
# t0010: benford and sample commands reproduce published figures (Nigrini's payments file, AICPA tables).
. "$(dirname "$0")/lib.sh"
data="${AG_SHARED_DATA:-${AG_SOURCE_DIR:-.}/../shared/data}/corporate_payment.csv.gz"
if [ -f "$data" ]; then
    zcat "$data" >"$T/cp.csv"
    expect_exit 0 "benford first2 on all positive amounts" \
        "$AG" benford --csv "$T/cp.csv" --column Amount --test first2 --min 0.01 --json
    expect_eq "$(jq .n "$T/out")" 185083 "n = 185,083 as benford.analysis publishes"
    expect_eq "$(jq '.mad * 1e9 | round' "$T/out")" 2336614 "MAD = 0.002336614 as published"
    expect_eq "$(jq -r .conformity "$T/out")" nonconformity "verdict: nonconformity"
    expect_eq "$(jq .df "$T/out")" 89 "89 degrees of freedom"
    expect_eq "$(jq -r '[.bins[] | select(.digits == "50")][0].excess | round' "$T/out")" 5938 "the spike at 50: excess 5938.25 as published"
    expect_eq "$(jq -r 'has("chisq") and has("ks") and has("bins")' "$T/out")" true "the documented keys are present"
else
    ok "shared data absent: published-figure checks skipped ($data)"
fi
printf 'id,amount\n1,100.00\n2,"1,234.56"\n3,abc\n' >"$T/s.csv"
expect_exit 3 "too few amounts for a test is refused" "$AG" benford --csv "$T/s.csv" --column Amount
expect_exit 2 "an unknown test is a usage error" "$AG" benford --csv "$T/s.csv" --column amount --test fourth
expect_exit 0 "sample size, binomial 5%/1%" "$AG" sample size --method binomial --materiality 0.05 --expected 0.01 --json
expect_eq "$(jq .n "$T/out")" 93 "AICPA Table A-1: 5% tolerable, 1% expected -> 93"
expect_exit 0 "sample size, binomial 10%/0%" "$AG" sample size --method binomial --materiality 10% --json
expect_eq "$(jq .n "$T/out")" 29 "AICPA Table A-1: 10% tolerable, 0% expected -> 29"
expect_exit 0 "sample size, poisson 5%" "$AG" sample size --method poisson --materiality 0.05 --json
expect_eq "$(jq .n "$T/out")" 60 "AICPA Table C-1: 5% tolerable -> 60"
expect_exit 3 "hypergeometric without a population is refused" "$AG" sample size --method hypergeometric --materiality 0.05
expect_exit 0 "evaluate poisson, 0 errors in 100" "$AG" sample evaluate --method poisson --n 100 --json
expect_eq "$(jq '.upper * 10000 | round' "$T/out")" 300 "upper bound 3.00/100 (factor 2.9957)"
expect_exit 0 "evaluate stringer" "$AG" sample evaluate --method stringer --n 100 --taints 0.5,0.2 --json
expect_eq "$(jq 'has("mle") and has("upper")' "$T/out")" true "stringer gives mle and upper"
printf 'item,amount\n' >"$T/p.csv"; for i in $(seq 1 200); do echo "$i,$((i * 37 % 1000 + 1)).00" >>"$T/p.csv"; done
echo "201,50000.00" >>"$T/p.csv"
expect_exit 0 "mus selection" "$AG" sample select --csv "$T/p.csv" --value-column amount --n 10 --method mus --seed 3 --json
cp "$T/out" "$T/sel1.json"
expect_eq "$(jq '[.selected[] | select(.top_stratum)] | length' "$T/out")" 1 "the 50,000 item is in the top stratum"
expect_exit 0 "the same seed again" "$AG" sample select --csv "$T/p.csv" --value-column amount --n 10 --method mus --seed 3 --json
if cmp -s "$T/out" "$T/sel1.json"; then ok "the same seed selects the same items"; else fail "selection is not deterministic"; fi
finish
