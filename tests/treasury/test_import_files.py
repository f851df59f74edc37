"""The sample imports from XLSX and from CSV in every encoding a treasury system writes, to the same payments."""

import pytest

from tests.treasury.conftest import state
from tests.treasury.payment_files import HEADER, csv_bytes, row, sample_path, sample_rows, write, xlsx_bytes
from treasury.models import Payment

SAMPLE_ROWS = 237


def _payments():
    return sorted(Payment.objects.values_list("voucher", "paid_on", "county__name", "amount_fen", "payee", "use"))


def test_it_imports_the_sample_workbook_and_reports_the_counts(import_file):
    output = import_file(sample_path())

    assert f"读取 {SAMPLE_ROWS} 行，新增 {SAMPLE_ROWS} 行，已存在 0 行，拒绝 0 行" in output
    first = Payment.objects.get(voucher="ZF20230000001")
    assert (first.amount_fen, first.county.name, first.payee, first.use) == (60994325, "天山区", "陈某", "social_insurance")


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030"])
def test_it_reads_a_csv_in_each_encoding_to_the_same_payments_as_the_workbook(import_file, tmp_path, encoding):
    import_file(sample_path())
    from_workbook = _payments()
    Payment.objects.all().delete()

    output = import_file(write(tmp_path, "payments.csv", csv_bytes(sample_rows(), encoding)))

    assert f"新增 {SAMPLE_ROWS} 行" in output
    assert _payments() == from_workbook


def test_it_takes_the_encoding_from_the_option(import_file, tmp_path):
    path = write(tmp_path, "payments.csv", csv_bytes([row("ZF1")], "gb18030"))

    output = import_file(path, "--encoding", "gb18030")

    assert "CSV（gb18030）" in output
    assert Payment.objects.get(voucher="ZF1").payee == "王某"


def test_it_matches_headings_by_their_aliases(import_file, tmp_path):
    header = list(HEADER)
    header[header.index("支付金额（元）")] = "实付金额"
    header[header.index("地（州、市）")] = "地(州、市)"  # half-width brackets
    path = write(tmp_path, "payments.xlsx", xlsx_bytes([row("ZF1", amount=12.5)], header=header))

    import_file(path)

    assert Payment.objects.get(voucher="ZF1").amount_fen == 1250


def test_it_reads_full_width_digits_thousands_separators_and_refunds(import_file, tmp_path):
    rows = [row("ZF1", amount="１２３４．５６"), row("ZF2", amount="1,234,567.8"), row("ZF3", amount="-200.00")]

    import_file(write(tmp_path, "payments.csv", csv_bytes(rows)))

    amounts = dict(Payment.objects.values_list("voucher", "amount_fen"))
    assert amounts == {"ZF1": 123456, "ZF2": 123456780, "ZF3": -20000}


def test_it_reports_a_dry_run_and_writes_nothing(import_file):
    before = state()

    output = import_file(sample_path(), "--dry-run")

    assert f"新增 {SAMPLE_ROWS} 行" in output and "试运行" in output
    assert state() == before
