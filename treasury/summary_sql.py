"""payments_summary's table written by PostgreSQL: the same rows as treasury.summary, as text.

A national document has thousands of counties. Building their figures in
Python and rounding each to 万元 cost three times the SQL that read them
(bench/bench_flow.py); here the database joins, adds up, rounds and writes
the rows, and Python only prints them. treasury.summary stays the one
reading of a document's progress (SQLite, the flow page, the API);
tests/treasury/test_summary_sql.py checks on PostgreSQL that both give the
same rows, refunds, the prefecture's own units and restated counties
included.

The rounding is treasury.money's: 万元 from the exact 分, and progress from
the exact ratio, each rounded once to 2 places half away from zero (numeric
round() does that, as ROUND_HALF_UP does), the sign written in front as
wan_text and Decimal write it (-0.00 for a refund that rounds to nothing).
Names are ordered by code point (COLLATE "C"), as Python orders them.
"""

from django.db import connection

from allocations.models import DocumentStatus
from treasury.money import FEN_PER_WAN as _WAN
from treasury.summary import OWN_UNITS, SUBTOTAL, TOTAL

_SQL = f"""
WITH alloc AS (
    -- 附件1's line, or an issued 转下达's where one restates the county (the latest such line).
    SELECT DISTINCT ON (county_id) county_id, amount
    FROM (
        SELECT l.county_id, l.amount, 0 AS restated, l.id
        FROM allocations_allocationline l WHERE l.document_id = %(document)s
        UNION ALL
        SELECT l.county_id, l.amount, 1, l.id
        FROM allocations_allocationline l JOIN allocations_allocationdocument d ON d.id = l.document_id
        WHERE d.parent_id = %(document)s AND d.status = %(issued)s
    ) lines
    ORDER BY county_id, restated DESC, id DESC
), paid AS (
    SELECT prefecture_id, county_id, SUM(paid_fen) AS fen
    FROM treasury_paymentsummary
    WHERE document_id = %(document)s AND month <= %(month)s
    GROUP BY prefecture_id, county_id
), declared AS (
    SELECT prefecture_id, (declared_amount * {_WAN})::bigint AS fen
    FROM allocations_prefecturesubtotal WHERE document_id = %(document)s
), shown AS (
    SELECT prefecture_id FROM declared UNION SELECT prefecture_id FROM paid
), counties AS (
    SELECT COALESCE(c.prefecture_id, p.prefecture_id) AS prefecture_id, COALESCE(a.county_id, p.county_id) AS county_id,
           COALESCE((a.amount * {_WAN})::bigint, 0) AS allocated, COALESCE(p.fen, 0) AS paid
    FROM (alloc a JOIN allocations_county c ON c.id = a.county_id)
    FULL JOIN paid p ON p.county_id = a.county_id AND p.prefecture_id = c.prefecture_id
), paid_by_prefecture AS (
    SELECT prefecture_id, SUM(paid) AS paid FROM counties GROUP BY prefecture_id
), subtotals AS (
    SELECT s.prefecture_id, COALESCE(d.fen, 0) AS allocated, COALESCE(q.paid, 0) AS paid
    FROM shown s LEFT JOIN declared d ON d.prefecture_id = s.prefecture_id
    LEFT JOIN paid_by_prefecture q ON q.prefecture_id = s.prefecture_id
), body AS (
    -- rank: 0 a county, 1 the prefecture's own units, 2 its 小计, then 3 the 合计 after every prefecture.
    SELECT k.prefecture_id, CASE WHEN k.county_id IS NULL THEN 1 ELSE 0 END AS rank, c.position, c.name,
           k.allocated, k.paid
    FROM counties k LEFT JOIN allocations_county c ON c.id = k.county_id
    WHERE k.prefecture_id IN (SELECT prefecture_id FROM shown)
    UNION ALL
    SELECT prefecture_id, 2, NULL, NULL, allocated, paid FROM subtotals
), rows AS (
    SELECT p.position AS p_position, p.name AS p_name, p.id AS p_id, b.rank, b.position, b.name, b.allocated, b.paid
    FROM body b JOIN allocations_prefecture p ON p.id = b.prefecture_id
    UNION ALL
    SELECT NULL, NULL, NULL, 3, NULL, NULL, SUM(allocated), SUM(paid) FROM subtotals
)
SELECT
    CASE rank WHEN 3 THEN %(total)s ELSE p_name END,
    CASE rank WHEN 0 THEN name WHEN 1 THEN %(own_units)s WHEN 2 THEN %(subtotal)s ELSE '' END,
    {{allocated}}, {{paid}}, {{unspent}},
    CASE WHEN COALESCE(allocated, 0) = 0 THEN ''
         ELSE CASE WHEN paid < 0 THEN '-' ELSE '' END || round(abs(paid)::numeric * 100 / allocated, 2)::text END
FROM rows
ORDER BY rank = 3, p_position, p_name COLLATE "C", p_id, rank, position, name COLLATE "C"
"""


def _wan(expression):
    """A 分 expression as 万元 text, as treasury.money.wan_text(fen, grouped=False) writes it."""
    fen = f"COALESCE({expression}, 0)"
    return f"(CASE WHEN {fen} < 0 THEN '-' ELSE '' END || round(abs({fen})::numeric / {_WAN}, 2)::text)"


SQL = _SQL.format(allocated=_wan("allocated"), paid=_wan("paid"), unspent=_wan("allocated - paid"))


def summary_text_rows(document, month):
    """[(prefecture, county, allocated, paid, unspent, progress)] as payments_summary writes them, every county."""
    parameters = {
        "document": document.pk,
        "month": month.replace(day=1),
        "issued": DocumentStatus.ISSUED.value,
        "total": TOTAL,
        "own_units": OWN_UNITS,
        "subtotal": SUBTOTAL,
    }
    with connection.cursor() as cursor:
        cursor.execute(SQL, parameters)
        return cursor.fetchall()
