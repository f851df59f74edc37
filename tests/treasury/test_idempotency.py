"""Idempotent by 支付凭证号: the same file again, or the same payments as GB18030 CSV, change nothing; an overlap adds only the new."""

from tests.treasury.conftest import state, summary_csv
from tests.treasury.payment_files import csv_bytes, sample_path, sample_rows, write, xlsx_bytes
from treasury.models import Payment


def test_it_changes_nothing_when_the_same_file_comes_again(sample_imported, import_file):
    before, figures = state(), summary_csv()

    output = import_file(sample_path())

    assert "新增 0 行，已存在 237 行" in output
    assert state() == before
    assert summary_csv() == figures


def test_it_changes_no_figure_when_the_same_payments_come_as_gb18030_csv(sample_imported, import_file, tmp_path):
    before, figures = state(), summary_csv()

    output = import_file(write(tmp_path, "payments.csv", csv_bytes(sample_rows(), "gb18030")))

    assert "已存在 237 行" in output
    assert state() == before and summary_csv() == figures


def test_it_adds_only_the_new_vouchers_of_an_overlapping_file(import_file, tmp_path):
    rows = sample_rows()
    import_file(write(tmp_path, "june.xlsx", xlsx_bytes(rows[:150])))

    output = import_file(write(tmp_path, "all.xlsx", xlsx_bytes(rows[100:])))

    assert "读取 137 行，新增 87 行，已存在 50 行" in output
    assert Payment.objects.count() == 237
    urumqi = next(r for r in summary_csv() if r["prefecture"] == "乌鲁木齐市" and r["county"] == "小计")
    assert urumqi["paid"] == "5000.00"
