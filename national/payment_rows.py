"""国库集中支付 at national scale: a few payments per allocation line, and the summary the pages read.

Consistent with the allocations: each payment cites its document's 文号 (a
regional document the prefecture received, 01 中央直达资金), is made in one of
that document's counties between its issue and the end of its year, carries a
20807 item code mapped to a use, and a county's payments never exceed its
allocation (a share of it is paid: less for late top-ups). So the generated
data raises no payment anomaly. The summary rows are the payments grouped in
the database (one INSERT … SELECT), so they agree with the payments exactly.
"""

from datetime import timedelta

from django.db import connection
from django.db.models import Count, Sum, Value
from django.db.models.functions import Least, TruncMonth

from core import bulk_insert
from national.allocation_rows import at
from national.plan import line_amounts, rng_for
from treasury.models import OTHER_USE, Payment, PaymentCode, PaymentSummary

DIRECT_MARK = "01 中央直达资金"
FEN_PER_CENT = 10_000  # a cent of 万元 (0.01 万元 = 100 元) in 分
VOUCHER_PREFIX = "GM"  # generated vouchers: GM + document index + line + payment
ECONOMIC = ("30305", "30309", "50901", "51301")


def payments_for_line(line):
    # 5 or 6 by turns: 5.5 per line, 3.19 million on the default 580,000 lines.
    return 5 + line % 2


def expected_payments(plan):
    lines = plan.county_count
    return len(plan.documents) * sum(payments_for_line(line) for line in range(1, lines + 1))


def payment_codes():
    """[(code, use)] of the 20807 items that map to a use; refused without them (migrate seeds the table)."""
    codes = list(PaymentCode.objects.exclude(use=OTHER_USE).order_by("code").values_list("code", "use"))
    if not codes:
        raise ValueError("功能科目与支出方向表为空：请先运行 python manage.py migrate（会写入 fixtures/payment_codes.json）。")
    return codes


def _payments(plan, prefecture_ids, county_ids, document_ids, codes):
    for document, document_id in zip(plan.documents, document_ids):
        rng = rng_for(plan.seed, f"payments:{document.index}")
        amounts = line_amounts(plan, document)
        year_end = document.issued_on.replace(month=12, day=31)
        days = (year_end - document.issued_on).days
        # The first batches are mostly spent by December; top-ups issued late much less so.
        paid_share = max(20, 95 - document.batch * 2)
        line = 0
        for prefecture, prefecture_id, per_prefecture_ids, per_prefecture in zip(
            plan.prefectures, prefecture_ids, county_ids, amounts
        ):
            for county, county_id, cents in zip(prefecture.counties, per_prefecture_ids, per_prefecture):
                line += 1
                count = payments_for_line(line)
                budget = cents * FEN_PER_CENT * rng.randint(paid_share - 15, paid_share) // 100
                parts = [rng.randint(1, 9) for _ in range(count)]
                whole = sum(parts)
                shares = [budget * part // whole for part in parts]
                unit = f"{county.name}人力资源和社会保障局"
                for number, fen in enumerate(shares):
                    code, use = codes[rng.randrange(len(codes))]
                    paid_on = document.issued_on + timedelta(days=rng.randint(0, days))
                    yield (
                        f"{VOUCHER_PREFIX}{document.index:04d}{line:06d}{number}", paid_on, prefecture_id, county_id,
                        unit, document.number, document_id, document_id, code, ECONOMIC[number % 4], DIRECT_MARK, fen,
                        f"模拟收款人{line % 997:03d}", use, at(paid_on, 10),
                    )


FIELDS = (
    "voucher", "paid_on", "prefecture", "county", "budget_unit", "document_number", "document", "root_document",
    "function_code", "economic_code", "direct_mark", "amount_fen", "payee", "use", "imported_at",
)


def write_payments(plan, prefecture_ids, county_ids, document_ids):
    """Payments by COPY, then their summary grouped by the database. Returns (payments, summary rows)."""
    codes = payment_codes()
    written = bulk_insert.insert(Payment, FIELDS, _payments(plan, prefecture_ids, county_ids, document_ids, codes))
    return written, _summarise(document_ids)


def _summarise(document_ids):
    grouped = (
        Payment.objects.filter(root_document_id__in=document_ids)
        .annotate(summary_month=TruncMonth("paid_on"))
        .values("root_document_id", "prefecture_id", "county_id", "use", "summary_month")
        .annotate(paid=Sum("amount_fen"), number=Count("pk"), refunds=Sum(Least("amount_fen", Value(0))))
        .values_list("root_document_id", "prefecture_id", "county_id", "use", "summary_month", "paid", "number", "refunds")
        .order_by()
    )
    select, params = grouped.query.sql_with_params()
    table = connection.ops.quote_name(PaymentSummary._meta.db_table)
    columns = ", ".join(
        connection.ops.quote_name(PaymentSummary._meta.get_field(name).column)
        for name in ("document", "prefecture", "county", "use", "month", "paid_fen", "payments", "refunds_fen")
    )
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {table} ({columns}) {select}", params)
        return cursor.rowcount
