"""A voucher twice in one file refuses the file, naming the row, in one batch or across batches."""

import pytest
from django.core.management import CommandError

from tests.treasury.conftest import state
from tests.treasury.payment_files import csv_bytes, row, write


@pytest.fixture
def small_batches(monkeypatch):
    # Two rows a batch: the file's rows are written a batch at a time, so a repeat meets its first in the database.
    monkeypatch.setattr("treasury.importing.BATCH", 2)


def _refusal(import_file, tmp_path, rows, name="payments.csv"):
    with pytest.raises(CommandError) as refused:
        import_file(write(tmp_path, name, csv_bytes(rows)))
    return str(refused.value)


def test_it_names_both_rows_of_a_repeat_within_a_batch(import_file, tmp_path):
    message = _refusal(import_file, tmp_path, [row("ZF1"), row("ZF1")])

    assert "第3行：支付凭证号 ZF1 与第2行重复" in message


@pytest.mark.parametrize("amount", ["1000.00", "2000.00"])
def test_it_refuses_a_repeat_in_a_later_batch_identical_or_not(small_batches, import_file, tmp_path, amount):
    before = state()
    rows = [row("ZF1"), row("ZF2"), row("ZF3"), row("ZF1", amount=amount)]

    message = _refusal(import_file, tmp_path, rows)

    assert "第5行：支付凭证号 ZF1 在本文件前面已出现过" in message
    assert "已导入过" not in message
    assert state() == before


def test_it_refuses_a_repeat_of_a_voucher_already_imported(small_batches, import_file, tmp_path):
    import_file(write(tmp_path, "earlier.csv", csv_bytes([row("ZF1")])))
    before = state()

    message = _refusal(import_file, tmp_path, [row("ZF1"), row("ZF2"), row("ZF1")], name="again.csv")

    assert "第4行：支付凭证号 ZF1 在本文件前面已出现过" in message
    assert state() == before


def test_it_refuses_a_repeat_after_an_error_has_stopped_the_writing(small_batches, import_file, tmp_path):
    message = _refusal(import_file, tmp_path, [row("ZF1", amount="x"), row("ZF2"), row("ZF3"), row("ZF2")])

    assert "第2行（ZF1）：支付金额（元）“x”不是数字" in message
    assert "第5行：支付凭证号 ZF2 在本文件前面已出现过" in message
