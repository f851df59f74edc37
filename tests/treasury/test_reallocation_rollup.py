"""Payments citing a prefecture's 转下达 roll up to the parent regional document."""

import pytest
from django.core.management import CommandError

from tests.treasury.conftest import REALLOCATION, run, summary_csv
from tests.treasury.payment_files import csv_bytes, row, write
from treasury.models import Payment, PaymentException


def test_it_rolls_a_reallocations_payments_up_to_the_regional_document(urumqi_reallocation, import_file, tmp_path):
    rows = [row("ZF1", document=REALLOCATION, amount="1000000.00"), row("ZF2", amount="500000.00")]

    import_file(write(tmp_path, "payments.csv", csv_bytes(rows)))

    payment = Payment.objects.get(voucher="ZF1")
    assert payment.document == urumqi_reallocation and payment.root_document_id == urumqi_reallocation.parent_id
    tianshan = next(r for r in summary_csv() if r["county"] == "天山区")
    assert tianshan["paid"] == "150.00"
    assert not PaymentException.objects.exists()


def test_it_flags_a_county_the_reallocation_does_not_name(urumqi_reallocation, import_file, tmp_path):
    import_file(write(tmp_path, "payments.csv", csv_bytes([row("ZF1", document=REALLOCATION, county="米东区")])))

    assert PaymentException.objects.get().kind == "county_not_in_document"


def test_it_points_the_summary_of_a_reallocation_to_its_parent(urumqi_reallocation):
    with pytest.raises(CommandError, match="其支付汇总在上级文件 新财社〔2023〕74号 之下"):
        run("payments_summary", REALLOCATION, "--month", "2023-07")
