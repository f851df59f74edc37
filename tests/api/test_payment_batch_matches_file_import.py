"""Issue 17 done-when: the treasury's batch POST of the sample gives the file import's payments_summary; again, nothing changes."""

import datetime
from pathlib import Path

from django.conf import settings
from django.db import transaction

from treasury.importing import import_payments
from treasury.models import Payment, PaymentException, PaymentSummary
from treasury.reader import read_rows
from treasury.summary import document_summary

SAMPLE = Path(settings.BASE_DIR) / "fixtures" / "samples" / "payments_2023_06_07.xlsx"
MONTHS = (datetime.date(2023, 6, 1), datetime.date(2023, 7, 1))


class _Undo(Exception):
    pass


def sample_as_json():
    """The sample workbook's rows as the treasury would post them (dates ISO, amounts as text)."""
    _kind, rows = read_rows(SAMPLE, SAMPLE.name)
    payments = []
    for _number, cells in rows:
        row = {}
        for key, value in cells.items():
            if isinstance(value, datetime.datetime):
                value = value.date().isoformat()
            elif isinstance(value, datetime.date):
                value = value.isoformat()
            elif isinstance(value, float):
                value = repr(value)
            row[key] = value
        payments.append(row)
    return payments


def summaries(document):
    return [
        [(f.prefecture, f.county, f.allocated_fen, f.paid_fen, dict(f.by_use)) for f in document_summary(document, month)]
        for month in MONTHS
    ]


def state():
    return (
        sorted(Payment.objects.values_list("voucher", "amount_fen", "county_id", "use", "root_document_id")),
        sorted(PaymentSummary.objects.values_list("document_id", "county_id", "use", "month", "paid_fen", "payments")),
        sorted(PaymentException.objects.values_list("payment_id", "kind")),
    )


def test_it_gives_the_same_summary_as_the_file_and_a_second_post_changes_nothing(treasury_api, notice_document):
    try:
        with transaction.atomic():
            import_payments(SAMPLE, SAMPLE.name)
            from_file = summaries(notice_document), state()
            raise _Undo
    except _Undo:
        pass
    assert Payment.objects.count() == 0
    assert from_file[0][1][-1][3] > 0, "the sample pays something under the notice"

    payments = sample_as_json()
    first = treasury_api.post("/api/v1/payments/", {"payments": payments}, format="json")
    assert first.status_code == 201, first.content
    assert first.json()["new"] == len(payments)
    assert (summaries(notice_document), state()) == from_file

    before = state()
    again = treasury_api.post("/api/v1/payments/", {"payments": payments}, format="json")
    assert again.status_code == 200, again.content
    assert again.json()["new"] == 0 and again.json()["present"] == len(payments)
    assert state() == before
    summary = treasury_api.get(f"/api/v1/documents/{notice_document.pk}/payments-summary/?month=2023-07").json()
    assert summary["rows"][-1]["prefecture"] == "合计"
    assert summary["rows"][-1]["paid"] == str(document_summary(notice_document, MONTHS[1])[-1].paid)
