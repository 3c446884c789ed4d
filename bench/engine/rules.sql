-- rules.sql - the default rule catalog (catalog/rules.json) as DuckDB SQL: a second,
-- independent implementation of src/engine/prim.c, run by rules_duckdb.mjs.
--
-- Placeholders: {{FILES}} (a SQL list of the ledger CSV paths, in the order given to
-- auditgrid), {{STAFF}}, {{HOLIDAYS}}, {{OUT}}, and {{rule.param}} for every numeric
-- parameter of catalog/rules.json (money in yuan, as in the catalog). Statements are
-- separated by a line holding only ';'.
--
-- Output: one TSV line per warning, the canonical key of compare.py:
--   rule, unit, date, voucher, line, extra, amount (fen)
-- with, per rule: the flagged row for row rules (date, "type-no", line); the voucher's
-- first row (file order) for voucher rules, voucher_reuse taking the earliest date and
-- the number of distinct dates as extra;
-- voucher_gap: no date or line, voucher "type-missing", extra "year-period";
-- same_maker_reviewer: extra the conflict; receivable_aging: the oldest open item,
-- extra the year end; yearend_spike and benford_first2: date year-12-31 only.

-- ---- the ledger lines, in file order, with the roles of the unit's chart ---------------
-- (the default, said aloud: rows keep the order of the files, which lr.rid relies on)
SET preserve_insertion_order = true
;
CREATE TEMP TABLE l AS
WITH raw AS (
    SELECT unit_code, fiscal_year, period, voucher_date,
           voucher_type, voucher_no, line_no, account_code, debit, credit, counterparty,
           decision_ref, bill_no, settle_type, maker, reviewer, poster, cashier, void
    FROM read_csv({{FILES}}, header = true, auto_detect = false, delim = ',', quote = '"',
                  escape = '"', dateformat = '%Y-%m-%d',
                  columns = {'unit_code': 'VARCHAR', 'fiscal_year': 'SMALLINT', 'period': 'TINYINT',
                             'voucher_date': 'DATE', 'voucher_type': 'VARCHAR',
                             'voucher_no': 'VARCHAR', 'line_no': 'INTEGER', 'summary': 'VARCHAR',
                             'account_code': 'VARCHAR', 'account_name': 'VARCHAR',
                             'debit': 'DECIMAL(18,2)', 'credit': 'DECIMAL(18,2)',
                             'counterparty': 'VARCHAR', 'dept': 'VARCHAR', 'project': 'VARCHAR',
                             'func_class': 'VARCHAR', 'econ_class': 'VARCHAR',
                             'fund_type': 'VARCHAR', 'decision_ref': 'VARCHAR',
                             'bill_no': 'VARCHAR', 'settle_type': 'VARCHAR', 'maker': 'VARCHAR',
                             'reviewer': 'VARCHAR', 'poster': 'VARCHAR', 'cashier': 'VARCHAR',
                             'posted': 'VARCHAR', 'void': 'VARCHAR'})
), t AS (
    SELECT trim(unit_code) AS unit,
           coalesce(fiscal_year, year(voucher_date))::SMALLINT AS fy,
           (CASE WHEN coalesce(period, 0) = 0 THEN month(voucher_date) ELSE period END)::TINYINT AS per,
           voucher_date AS d,
           (voucher_date - DATE '1970-01-01')::INTEGER AS dn,
           coalesce(nullif(trim(voucher_type), ''), '记') AS vtype,
           trim(voucher_no) AS vno,
           coalesce(line_no, 0) AS line,
           trim(account_code) AS acct,
           coalesce((debit * 100)::BIGINT, 0) AS dr,
           coalesce((credit * 100)::BIGINT, 0) AS cr,
           nullif(trim(counterparty), '') AS cpty,
           nullif(trim(decision_ref), '') AS decision,
           nullif(trim(bill_no), '') AS bill,
           nullif(trim(settle_type), '') AS settle,
           nullif(trim(maker), '') AS maker,
           nullif(trim(reviewer), '') AS reviewer,
           nullif(trim(poster), '') AS poster,
           nullif(trim(cashier), '') AS cashier,
           coalesce(lower(trim(void)) IN ('1', 'y', 'yes', 't', 'true', '是', '已记账', '记账',
                                          '已过账', '过账', '已作废', '作废', '√', '✓'),
                    false) AS voided
    FROM raw
), r AS (
    SELECT *,
           starts_with(unit, '9') AS ent,
           CASE WHEN length(acct) >= 4 THEN left(acct, 4) END AS a4,
           CASE WHEN regexp_full_match(vno, '[0-9]+')
                 AND length(ltrim(vno, '0')) <= 10
                 AND coalesce(nullif(ltrim(vno, '0'), ''), '0')::BIGINT <= 1000000009
                THEN coalesce(nullif(ltrim(vno, '0'), ''), '0')::INTEGER ELSE -1 END AS vnum
    FROM t
)
SELECT *,
       cr > 0 AND (CASE WHEN ent THEN a4 IN ('1001', '1002', '1012')
                        ELSE a4 IN ('1001', '1002', '1011', '1021') END) AS pay,
       CASE WHEN ent THEN a4 IN ('6401', '6402', '6403', '6601', '6602', '6603', '6701', '6711', '6801')
            ELSE a4 IN ('5001', '5101', '5201', '5301', '5401', '5501', '5801', '5901') END AS expense,
       CASE WHEN ent THEN a4 = '1221' ELSE a4 = '1218' END AS orcv
FROM r
;
-- Rows keep file order (preserve_insertion_order): rowid is the row's place in it.
CREATE TEMP VIEW lr AS SELECT rowid AS rid, * FROM l
;
-- Payments the rules consider: credit a cash or bank role account, not voided.
CREATE TEMP TABLE p AS
SELECT *, a4 = '1001' OR settle = '现金' AS cash FROM lr WHERE pay AND NOT voided
;
-- Vouchers: (unit, year, period, type, number); the first row in file order.
CREATE TEMP TABLE v AS
SELECT unit, fy, per, vtype, vno,
       min(rid) AS frid,
       arg_min(d, rid) AS fd,
       arg_min(line, rid) AS fline,
       any_value(vnum) AS vnum,
       sum(dr) FILTER (WHERE NOT voided) AS sd,
       sum(cr) FILTER (WHERE NOT voided) AS sc,
       min(d) AS dmin, max(d) AS dmax, count(DISTINCT d) AS ndates,
       bool_or(decision IS NOT NULL) AS has_decision,
       bool_or(maker = reviewer) AS mk_rv,
       bool_or(cashier = maker) AS cs_mk,
       bool_or(cashier = poster AND cashier IS DISTINCT FROM maker) AS cs_ps
FROM lr GROUP BY unit, fy, per, vtype, vno
;
CREATE TEMP TABLE hol AS
SELECT "date" AS d, lower(trim(kind)) AS kind
FROM read_csv('{{HOLIDAYS}}', header = true, auto_detect = false, dateformat = '%Y-%m-%d',
              columns = {'date': 'DATE', 'kind': 'VARCHAR', 'name': 'VARCHAR'})
;
-- The staff list as the engine reads it: unit code up to the first comma, the name up to
-- the next one, no quoting, no trimming.
CREATE TEMP TABLE staff AS
SELECT DISTINCT split_part(ln, ',', 1) AS unit, split_part(ln, ',', 2) AS name
FROM (SELECT rtrim(column0, chr(13)) AS ln
      FROM read_csv('{{STAFF}}', header = true, auto_detect = false, delim = chr(1), quote = '',
                    escape = '', columns = {'column0': 'VARCHAR'}))
WHERE contains(ln, ',') AND split_part(ln, ',', 2) <> ''
;
CREATE TEMP TABLE w (rule VARCHAR, unit VARCHAR, d VARCHAR, voucher VARCHAR, line VARCHAR,
                     extra VARCHAR, amount BIGINT)
;
-- ---- voucher rules ----------------------------------------------------------------------
INSERT INTO w
SELECT 'unbalanced_voucher', unit, strftime(fd, '%Y-%m-%d'), vtype || '-' || vno, fline::VARCHAR, '',
       abs(coalesce(sd, 0) - coalesce(sc, 0))
FROM v WHERE coalesce(sd, 0) <> coalesce(sc, 0)
;
INSERT INTO w
SELECT 'voucher_reuse', unit, strftime(dmin, '%Y-%m-%d'), vtype || '-' || vno, fline::VARCHAR,
       ndates::VARCHAR, 0
FROM v WHERE dmin < dmax
;
INSERT INTO w
SELECT 'same_maker_reviewer', unit, strftime(fd, '%Y-%m-%d'), vtype || '-' || vno, fline::VARCHAR,
       k.conflict, 0
FROM v, (VALUES ('maker=reviewer'), ('cashier=maker'), ('cashier=poster')) k(conflict)
WHERE (k.conflict = 'maker=reviewer' AND mk_rv) OR (k.conflict = 'cashier=maker' AND cs_mk)
   OR (k.conflict = 'cashier=poster' AND cs_ps)
;
INSERT INTO w
SELECT 'nonworking_day', unit, strftime(fd, '%Y-%m-%d'), vtype || '-' || vno, fline::VARCHAR, '', 0
FROM v LEFT JOIN hol ON hol.d = v.fd
WHERE hol.kind = 'holiday' OR (hol.kind IS NULL AND isodow(fd) >= 6)
;
-- Missing numbers from 1 to the highest of each year/period/type, the first 1,000 of
-- each sequence.
INSERT INTO w
WITH s AS (
    SELECT unit, fy, per, vtype, vnum,
           coalesce(lag(vnum) OVER (PARTITION BY unit, fy, per, vtype ORDER BY vnum, frid) + 1, 1) AS expect
    FROM v WHERE vnum >= 1
), gaps AS (
    SELECT unit, fy, per, vtype, unnest(range(expect, least(vnum, expect + 1000))) AS m
    FROM s WHERE vnum > expect
), capped AS (
    SELECT *, row_number() OVER (PARTITION BY unit, fy, per, vtype ORDER BY m) AS k FROM gaps
)
SELECT 'voucher_gap', unit, '', vtype || '-' || m::VARCHAR, '', fy::VARCHAR || '-' || per::VARCHAR, 0
FROM capped WHERE k <= 1000
;
-- ---- payment rules ----------------------------------------------------------------------
-- The later of two payments to one payee of one amount (>= min_amount) in different
-- vouchers, with the same bill number or within window_days; the look-back covers the
-- 1,000 previous payments of the (payee, amount) group, as in the engine.
INSERT INTO w
WITH q AS (
    SELECT rid, unit, cpty, cr, dn, d, bill, fy, per, vtype, vno, line,
           row_number() OVER (PARTITION BY unit, cpty, cr ORDER BY dn, rid) AS k
    FROM p WHERE cpty IS NOT NULL AND cr >= round({{dup_payment.min_amount}} * 100)::BIGINT
), hit AS (
    SELECT DISTINCT b.rid
    FROM q b JOIN q a ON a.unit = b.unit AND a.cpty = b.cpty AND a.cr = b.cr
    WHERE a.k < b.k AND b.k - a.k <= 1000
      AND (a.fy <> b.fy OR a.per <> b.per OR a.vtype <> b.vtype OR a.vno <> b.vno)
      AND (a.bill = b.bill OR b.dn - a.dn <= {{dup_payment.window_days}})
)
SELECT 'dup_payment', unit, strftime(d, '%Y-%m-%d'), vtype || '-' || vno, line::VARCHAR, '', cr
FROM q WHERE rid IN (SELECT rid FROM hit)
;
INSERT INTO w
WITH t AS (SELECT unnest({{near_threshold.tiers}}) AS yuan),
tiers AS (SELECT round(yuan * 100)::BIGINT AS tv,
                 ceil(round(yuan * 100)::DOUBLE * ({{near_threshold.band}})::DOUBLE - 1e-9)::BIGINT AS lo
          FROM t)
SELECT DISTINCT 'near_threshold', unit, strftime(d, '%Y-%m-%d'), vtype || '-' || vno, line::VARCHAR, '', cr
FROM p JOIN tiers ON p.cr >= tiers.lo AND p.cr < tiers.tv
;
-- Clusters: payments to one payee sorted by date, each below the threshold; from the
-- first one, the payments within window_days make a cluster when there are two or
-- more and they add up to the threshold; the scan then resumes after the cluster.
CREATE TEMP TABLE sp AS
WITH q AS (
    SELECT rid, unit, cpty, cr, dn,
           row_number() OVER (PARTITION BY unit, cpty ORDER BY dn, rid) AS pos
    FROM p
    WHERE cpty IS NOT NULL AND cr < round({{split_payment.threshold}} * 100)::BIGINT
), wnd AS (
    SELECT *,
           count(*) OVER f - count(*) OVER same_day_before AS cnt,
           sum(cr) OVER f - coalesce(sum(cr) OVER same_day_before, 0) AS total
    FROM q
    WINDOW f AS (PARTITION BY unit, cpty ORDER BY dn
                 RANGE BETWEEN CURRENT ROW AND {{split_payment.window_days}} FOLLOWING),
           same_day_before AS (PARTITION BY unit, cpty, dn ORDER BY pos
                               ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING)
)
SELECT rid, unit, cpty, pos, cnt, total FROM wnd
WHERE cnt >= 2 AND total >= round({{split_payment.threshold}} * 100)::BIGINT
;
CREATE TEMP TABLE sp_next AS
SELECT a.unit, a.cpty, a.pos, a.rid, a.total, b.pos AS nxt,
       a.pos = min(a.pos) OVER (PARTITION BY a.unit, a.cpty) AS first
FROM sp a ASOF LEFT JOIN sp b
  ON a.unit = b.unit AND a.cpty = b.cpty AND b.pos >= a.pos + a.cnt
;
INSERT INTO w
WITH RECURSIVE chain AS (
    SELECT unit, cpty, pos, rid, total, nxt FROM sp_next WHERE first
    UNION ALL
    SELECT s.unit, s.cpty, s.pos, s.rid, s.total, s.nxt
    FROM chain c JOIN sp_next s ON s.unit = c.unit AND s.cpty = c.cpty AND s.pos = c.nxt
)
SELECT 'split_payment', p.unit, strftime(p.d, '%Y-%m-%d'), p.vtype || '-' || p.vno, p.line::VARCHAR, '',
       chain.total
FROM chain JOIN p ON p.rid = chain.rid
;
INSERT INTO w
SELECT 'large_no_decision', p.unit, strftime(p.d, '%Y-%m-%d'), p.vtype || '-' || p.vno, p.line::VARCHAR, '', p.cr
FROM p JOIN v USING (unit, fy, per, vtype, vno)
WHERE p.cr >= round({{large_no_decision.min_amount}} * 100)::BIGINT AND NOT v.has_decision
;
INSERT INTO w
SELECT 'cash_over_limit', unit, strftime(d, '%Y-%m-%d'), vtype || '-' || vno, line::VARCHAR, '', cr
FROM p WHERE cash AND cr > round({{cash_over_limit.limit}} * 100)::BIGINT
;
INSERT INTO w
SELECT 'round_amount', unit, strftime(d, '%Y-%m-%d'), vtype || '-' || vno, line::VARCHAR, '', cr
FROM p WHERE cr >= round({{round_amount.min_amount}} * 100)::BIGINT
  AND cr % round({{round_amount.multiple}} * 100)::BIGINT = 0
;
INSERT INTO w
SELECT 'payee_is_staff', p.unit, strftime(p.d, '%Y-%m-%d'), p.vtype || '-' || p.vno, p.line::VARCHAR, '', p.cr
FROM p JOIN staff s ON s.unit = p.unit AND s.name = p.cpty
;
-- ---- unit-year rules --------------------------------------------------------------------
INSERT INTO w
SELECT 'yearend_spike', unit, fy::VARCHAR || '-12-31', '', '', '', dec
FROM (SELECT unit, fy, sum(dr) AS total, coalesce(sum(dr) FILTER (WHERE per = 12), 0) AS dec
      FROM l WHERE expense AND NOT voided AND dr > 0 GROUP BY unit, fy)
WHERE total > 0 AND dec::DOUBLE / total::DOUBLE > ({{yearend_spike.share}})::DOUBLE
;
-- First-two-digit test: the first two significant digits of the amount in fen (5 fen
-- reads as 50), MAD over the 90 bins against log10(1 + 1/d).
INSERT INTO w
WITH c AS (
    SELECT unit, fy,
           CASE WHEN cr >= 10 THEN left(cr::VARCHAR, 2)::INTEGER ELSE (cr * 10)::INTEGER END AS f2,
           count(*) AS n
    FROM p WHERE cr >= round({{benford_first2.min_amount}} * 100)::BIGINT AND cr > 0
    GROUP BY ALL
), tot AS (
    SELECT unit, fy, sum(n) AS n FROM c GROUP BY ALL HAVING sum(n) >= {{benford_first2.min_count}}
), bins AS (SELECT range AS f2 FROM range(10, 100)),
dev AS (
    SELECT tot.unit, tot.fy,
           abs(coalesce(c.n, 0)::DOUBLE / tot.n::DOUBLE - log10(1.0 + 1.0 / bins.f2::DOUBLE)) AS dev
    FROM tot CROSS JOIN bins
    LEFT JOIN c ON c.unit = tot.unit AND c.fy = tot.fy AND c.f2 = bins.f2
)
SELECT 'benford_first2', unit, fy::VARCHAR || '-12-31', '', '', '', 0
FROM dev GROUP BY unit, fy
HAVING sum(dev) / 90.0 > ({{benford_first2.mad_limit}})::DOUBLE
;
-- Other receivables, FIFO per counterparty: debits open items, credits settle the
-- oldest. With X the running signed sum, the open total is Q = X - min(0, min X) (a
-- credit beyond the open items is lost), the settled total S = (debits so far) - Q;
-- an item whose running debit total is D still has clamp(D - S, 0, amount) open.
CREATE TEMP TABLE rc AS
WITH e AS (
    SELECT rid, unit, cpty, d, dn, vtype, vno, line, dr - cr AS a FROM lr WHERE orcv AND NOT voided
), x AS (
    SELECT *,
           sum(a) OVER o AS xs,
           sum(greatest(a, 0)) OVER o AS dsum
    FROM e WINDOW o AS (PARTITION BY unit, cpty ORDER BY dn, rid ROWS UNBOUNDED PRECEDING)
)
SELECT *, dsum - (xs - least(0, min(xs) OVER (PARTITION BY unit, cpty ORDER BY dn, rid
                                               ROWS UNBOUNDED PRECEDING))) AS settled
FROM x
;
INSERT INTO w
WITH years AS (
    SELECT DISTINCT unit, fy, (make_date(fy, 12, 31) - DATE '1970-01-01')::INTEGER AS endn FROM l
), state AS (
    SELECT y.unit, rc.cpty, y.fy, y.endn, arg_max(rc.settled, rc.dn::BIGINT * 4294967296 + rc.rid) AS settled
    FROM years y JOIN rc ON rc.unit = y.unit AND rc.dn <= y.endn
    GROUP BY ALL
), items AS (
    SELECT s.fy, rc.*, least(rc.a, greatest(0, rc.dsum - s.settled)) AS open_amt,
           rc.dn::BIGINT * 4294967296 + rc.rid AS qk
    FROM state s JOIN rc ON rc.unit = s.unit AND rc.cpty IS NOT DISTINCT FROM s.cpty
                        AND rc.dn <= s.endn
    WHERE rc.a > 0 AND s.endn - rc.dn > {{receivable_aging.days}}
)
SELECT 'receivable_aging', unit, strftime(arg_min(d, qk), '%Y-%m-%d'),
       arg_min(vtype || '-' || vno, qk), arg_min(line, qk)::VARCHAR, fy::VARCHAR, sum(open_amt)
FROM items WHERE open_amt > 0
GROUP BY unit, cpty, fy
;
COPY (SELECT * FROM w ORDER BY ALL) TO '{{OUT}}' (FORMAT csv, DELIMITER '\t', HEADER false)
