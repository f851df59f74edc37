"""A voucher sent again with different content refuses the whole file, naming the voucher and both values."""

import pytest
from django.core.management import CommandError

from tests.treasury.conftest import state
from tests.treasury.payment_files import csv_bytes, row, write


def test_it_refuses_the_whole_file_naming_the_voucher_and_both_values(import_file, tmp_path):
    import_file(write(tmp_path, "first.csv", csv_bytes([row("ZF1", amount="1000.00")])))
    before = state()
    second = csv_bytes([row("ZF2"), row("ZF1", amount="1000.01")])

    with pytest.raises(CommandError) as refused:
        import_file(write(tmp_path, "second.csv", second))

    message = str(refused.value)
    assert "第3行：支付凭证号 ZF1 已导入过，内容不同（支付金额（元） 已导入为 1000.00，本文件为 1000.01）" in message
    assert "未写入任何数据" in message
    assert state() == before  # ZF2, although new and correct, was not written


def test_it_names_each_field_that_differs(import_file, tmp_path):
    import_file(write(tmp_path, "first.csv", csv_bytes([row("ZF1")])))

    with pytest.raises(CommandError) as refused:
        import_file(write(tmp_path, "second.csv", csv_bytes([row("ZF1", county="沙依巴克区", payee="李某")])))

    assert "县（市、区） 已导入为 天山区，本文件为 沙依巴克区" in str(refused.value)
    assert "收款人 已导入为 王某，本文件为 李某" in str(refused.value)
