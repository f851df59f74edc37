"""payments_summary: per county, a 小计 per prefecture and a 合计, in 万元 from the exact sum, rounded once, half up."""

import pytest
from django.core.management import CommandError

from tests.treasury.conftest import run, summary_csv
from tests.treasury.payment_files import csv_bytes, row, write
from treasury.models import PaymentSummary


def _row(rows, prefecture, county):
    return next(r for r in rows if r["prefecture"] == prefecture and r["county"] == county)


def test_it_shows_urumqis_july_as_the_issue_says(sample_imported):
    rows = summary_csv(month="2023-07")

    subtotal = _row(rows, "乌鲁木齐市", "小计")
    assert (subtotal["allocated"], subtotal["paid"], subtotal["unspent"], subtotal["progress"]) == (
        "8294.00", "5000.00", "3294.00", "60.28",
    )
    assert list(rows[0]) == ["prefecture", "county", "allocated", "paid", "unspent", "progress"]
    assert _row(rows, "乌鲁木齐市", "天山区")["allocated"] == "1200.00"


def test_it_counts_to_the_months_end_only(sample_imported):
    assert _row(summary_csv(month="2023-06"), "乌鲁木齐市", "小计")["paid"] == "2000.00"
    assert _row(summary_csv(month="2023-05"), "乌鲁木齐市", "小计")["paid"] == "0.00"


def test_it_ends_with_the_total_over_every_prefecture(sample_imported):
    rows = summary_csv()

    total = rows[-1]
    assert (total["prefecture"], total["county"]) == ("合计", "")
    subtotals = [r for r in rows if r["county"] == "小计"]
    assert len(subtotals) == 14
    assert _row(rows, "喀什地区", "小计")["paid"] == "6671.00"
    assert total["paid"] == "11671.00"  # 乌鲁木齐市 5000 and 喀什地区 6671, the sample's only prefectures
    assert (total["allocated"], total["progress"]) == ("72988.00", "15.99")


def test_it_rounds_the_exact_sum_once_half_up(import_file, tmp_path):
    # Three payments of 0.005 万元 each (50.00 元): rounded one by one they would be 0.01 + 0.01 + 0.01.
    rows = [row(f"ZF{n}", county="达坂城区", amount="50.00") for n in range(3)]
    rows.append(row("ZF9", county="乌鲁木齐县", amount="50.00"))
    import_file(write(tmp_path, "payments.csv", csv_bytes(rows)))

    result = summary_csv()

    assert _row(result, "乌鲁木齐市", "达坂城区")["paid"] == "0.02"  # 0.015 half up
    assert _row(result, "乌鲁木齐市", "乌鲁木齐县")["paid"] == "0.01"  # 0.005 half up
    assert _row(result, "乌鲁木齐市", "小计")["paid"] == "0.02"  # 0.020 exact, not 0.02 + 0.01


def test_it_keeps_refunds_and_the_prefectures_own_units(import_file, tmp_path):
    rows = [row("ZF1", amount="30000.00"), row("ZF2", amount="-10000.00"), row("ZF3", county="", amount="5000.00")]
    import_file(write(tmp_path, "payments.csv", csv_bytes(rows)))

    result = summary_csv()

    assert _row(result, "乌鲁木齐市", "天山区")["paid"] == "2.00"
    assert _row(result, "乌鲁木齐市", "本级单位")["paid"] == "0.50"
    assert _row(result, "乌鲁木齐市", "小计")["paid"] == "2.50"


def test_it_keeps_one_summary_row_per_document_prefecture_county_use_and_month(sample_imported):
    keys = list(PaymentSummary.objects.values_list("document", "prefecture", "county", "use", "month"))

    assert len(keys) == len(set(keys))
    assert sum(PaymentSummary.objects.values_list("paid_fen", flat=True)) == 11671 * 1_000_000


def test_it_writes_a_readable_table_without_format(sample_imported):
    text = run("payments_summary", "新财社〔2023〕74号", "--month", "2023-07")

    assert "乌鲁木齐市\t小计\t8294.00\t5000.00\t3294.00\t60.28" in text


@pytest.mark.parametrize(
    "args, message",
    [
        (("新财社〔2023〕1号", "--month", "2023-07"), "没有文号为 新财社〔2023〕1号 的文件"),
        (("新财社〔2023〕74号", "--month", "2023/07"), "月份“2023/07”应写成 YYYY-MM"),
    ],
)
def test_it_refuses_an_unknown_document_or_a_bad_month(reference_data, args, message):
    with pytest.raises(CommandError, match=message):
        run("payments_summary", *args)


def test_it_gives_a_prefectures_paid_amounts_per_document_and_use_for_the_form(sample_imported, notice_document):
    from datetime import date

    from allocations.models import Prefecture
    from treasury.summary import paid_by_document

    urumqi = Prefecture.objects.get(name="乌鲁木齐市")

    july = paid_by_document(urumqi.pk, date(2023, 7, 1))

    assert list(july) == [notice_document.pk]
    assert sum(july[notice_document.pk].values()) == 5000 * 1_000_000
    assert "" not in july[notice_document.pk]  # every code of the sample maps to a use
