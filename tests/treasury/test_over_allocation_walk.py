"""Over-allocation walks the payments from the first month the county could have overspent in, never later.

The summary's months say where to start: a month's refunds (退回) are kept
apart, because within a month the running sum may rise above the allocation
and fall back before the month ends.
"""

import importlib
from datetime import date

from django.apps import apps

from tests.treasury.payment_files import csv_bytes, row, write
from treasury.anomalies import walk_from
from treasury.models import PaymentException, PaymentSummary

JUNE, JULY, AUGUST = date(2023, 6, 1), date(2023, 7, 1), date(2023, 8, 1)


def _flags(import_file, tmp_path, rows, name="payments.csv"):
    import_file(write(tmp_path, name, csv_bytes(rows)))
    return {e.payment_id: e.detail for e in PaymentException.objects.filter(kind="over_allocation")}


def test_it_does_not_walk_a_county_whose_total_is_within_its_allocation():
    assert walk_from([(JUNE, 300, -100), (JULY, 200, 0)], limit=500) is None


def test_it_starts_at_the_month_whose_end_first_exceeds_when_there_are_no_refunds():
    assert walk_from([(JUNE, 300, 0), (JULY, 100, 0), (AUGUST, 200, 0)], limit=500) == (AUGUST, 400)


def test_it_starts_at_an_earlier_month_whose_refunds_may_hide_a_crossing():
    # June: +600 then -200 ends at 400, within 500, but ran up to 600 on the way.
    assert walk_from([(JUNE, 400, -200), (JULY, 200, 0)], limit=500) == (JUNE, 0)


def test_it_skips_a_month_whose_payments_without_refunds_stay_within():
    assert walk_from([(JUNE, 100, -50), (JULY, 450, 0)], limit=500) == (JULY, 100)


def test_it_flags_a_crossing_that_a_later_refund_in_the_same_month_took_back(import_file, tmp_path):
    # 达坂城区 has 50 万元 under the notice: 500,000.00 元.
    rows = [
        row("ZF1", county="达坂城区", paid_on="2023-06-05", amount="600000.00"),
        row("ZF2", county="达坂城区", paid_on="2023-06-25", amount="-200000.00"),
        row("ZF3", county="达坂城区", paid_on="2023-07-10", amount="150000.00"),
    ]

    flags = _flags(import_file, tmp_path, rows)

    assert flags == {"ZF1": "累计支付 600000.00 元，超过分配金额 500000.00 元"}
    june = PaymentSummary.objects.get(county__name="达坂城区", month=JUNE)
    assert (june.paid_fen, june.refunds_fen, june.payments) == (40_000_000, -20_000_000, 2)


def test_it_counts_the_months_before_the_walk_in_the_cumulative_it_reports(import_file, tmp_path):
    _flags(import_file, tmp_path, [row("ZF1", county="达坂城区", paid_on="2023-06-05", amount="450000.00")])

    flags = _flags(
        import_file, tmp_path,
        [row("ZF2", county="达坂城区", paid_on="2023-07-03", amount="30000.00"),
         row("ZF3", county="达坂城区", paid_on="2023-07-09", amount="30000.00")],
        name="july.csv",
    )

    assert flags == {"ZF3": "累计支付 510000.00 元，超过分配金额 500000.00 元"}


def test_it_gives_refunds_already_imported_their_summary_share_when_migrating(import_file, tmp_path):
    _flags(import_file, tmp_path, [
        row("ZF1", county="达坂城区", paid_on="2023-06-05", amount="600.00"),
        row("ZF2", county="达坂城区", paid_on="2023-06-25", amount="-200.00"),
        row("ZF3", county="达坂城区", paid_on="2023-06-26", amount="-0.50"),
        row("ZF4", county="达坂城区", paid_on="2023-07-10", amount="150.00"),
    ])
    PaymentSummary.objects.update(refunds_fen=0)

    migration = importlib.import_module("treasury.migrations.0005_summary_refunds")
    migration.fill_refunds(apps, None)

    refunds = dict(PaymentSummary.objects.filter(county__name="达坂城区").values_list("month", "refunds_fen"))
    assert refunds == {JUNE: -20_050, JULY: 0}
