"""Anomalies are stored and flagged, not refused: each kind, and the payment_exceptions command."""

import csv
import io
from datetime import date
from decimal import Decimal

from allocations.models import County, Prefecture
from allocations.reallocation import ProposedLine, create_reallocation
from tests.treasury.conftest import run
from tests.treasury.payment_files import csv_bytes, row, write
from treasury.models import Payment, PaymentException


def _import(import_file, tmp_path, rows):
    import_file(write(tmp_path, "payments.csv", csv_bytes(rows)))
    return {(e.payment_id, e.kind): e.detail for e in PaymentException.objects.all()}


def test_it_flags_a_document_the_prefecture_never_received(import_file, tmp_path, notice_document):
    urumqi = Prefecture.objects.get(name="乌鲁木齐市")
    create_reallocation(
        notice_document, urumqi, "乌财社〔2023〕12号", "转下达", [ProposedLine(County.objects.get(prefecture=urumqi, name="天山区"), Decimal("1200"))], date(2023, 6, 20)
    )
    rows = [
        row("ZF1", document="新财社〔2023〕999号"),
        row("ZF2", prefecture="喀什地区", county="疏附县", document="乌财社〔2023〕12号"),  # another prefecture's 转下达
        row("ZF3"),
    ]

    flags = _import(import_file, tmp_path, rows)

    assert "既不是下达给乌鲁木齐市的自治区文件" in flags[("ZF1", "unknown_document")]
    assert ("ZF2", "unknown_document") in flags
    assert not [key for key in flags if key[0] == "ZF3"]
    assert Payment.objects.get(voucher="ZF1").root_document_id is None


def test_it_flags_a_code_outside_20807(import_file, tmp_path):
    flags = _import(import_file, tmp_path, [row("ZF1", function="2080899"), row("ZF2", function="2080799")])

    assert flags[("ZF1", "not_employment_subsidy")] == "功能分类科目 2080899 不在 20807 就业补助之下"
    assert ("ZF2", "not_employment_subsidy") not in flags


def test_it_flags_a_payment_without_the_direct_funds_mark(import_file, tmp_path):
    rows = [row("ZF1", mark=""), row("ZF2", mark="02 其他资金"), row("ZF3", mark="01中央直达资金")]

    flags = _import(import_file, tmp_path, rows)

    assert flags[("ZF1", "missing_direct_mark")] == "直达资金标识为空，应为“01 中央直达资金”"
    assert flags[("ZF2", "missing_direct_mark")] == "直达资金标识为“02 其他资金”，应为“01 中央直达资金”"
    assert ("ZF3", "missing_direct_mark") not in flags  # the mark without its space is the mark


def test_it_flags_a_county_that_received_nothing_under_the_document(import_file, tmp_path, notice_document):
    notice_document.lines.filter(county__name="达坂城区").delete()

    flags = _import(import_file, tmp_path, [row("ZF1", county="达坂城区"), row("ZF2", county="")])

    assert flags[("ZF1", "county_not_in_document")] == "达坂城区 在 新财社〔2023〕74号 中没有分配"
    assert ("ZF2", "county_not_in_document") not in flags  # the prefecture's own units


def test_it_flags_the_payment_at_which_the_county_overspends(import_file, tmp_path):
    # 达坂城区 has 50 万元 under the notice: 500,000.00 元.
    rows = [
        row("ZF1", county="达坂城区", paid_on="2023-06-01", amount="300000.00"),
        row("ZF2", county="达坂城区", paid_on="2023-06-20", amount="200000.01"),
        row("ZF3", county="达坂城区", paid_on="2023-07-01", amount="10.00"),
    ]

    flags = _import(import_file, tmp_path, rows)

    assert flags == {("ZF2", "over_allocation"): "累计支付 500000.01 元，超过分配金额 500000.00 元"}


def test_it_moves_the_flag_when_a_later_file_brings_an_earlier_payment(import_file, tmp_path):
    _import(import_file, tmp_path, [row("ZF2", county="达坂城区", paid_on="2023-06-20", amount="500000.01")])

    flags = _import(import_file, tmp_path, [row("ZF1", county="达坂城区", paid_on="2023-06-01", amount="500000.01")])

    assert list(flags) == [("ZF1", "over_allocation")]


def test_it_writes_voucher_kind_detail_from_the_command(import_file, tmp_path):
    _import(import_file, tmp_path, [row("ZF1", mark="", function="2010101")])

    written = list(csv.reader(io.StringIO(run("payment_exceptions", "--format", "csv"))))

    assert written[0] == ["voucher", "kind", "detail"]
    assert [line[:2] for line in written[1:]] == [["ZF1", "missing_direct_mark"], ["ZF1", "not_employment_subsidy"]]
