from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.db import transaction

from allocations.models import AllocationLine


def test_it_records_who_changed_a_line_and_how(notice_document, region_admin):
    line = AllocationLine.objects.get(document=notice_document, county__name="天山区")
    line.amount = Decimal("1100")
    line._history_user = region_admin
    line._change_reason = "更正"
    line.save()

    newest, previous = line.history.all()[:2]
    assert (newest.amount, newest.history_user, newest.history_change_reason, newest.history_type) == (
        Decimal("1100"),
        region_admin,
        "更正",
        "~",
    )
    assert previous.amount == Decimal("1200")


def test_it_keeps_the_load_of_the_notice_in_history(notice_document):
    assert AllocationLine.history.filter(document_id=notice_document.pk, history_type="+").count() == 100


def test_it_refuses_to_edit_or_delete_a_history_row(notice_document):
    record = AllocationLine.history.filter(document_id=notice_document.pk).first()
    record.amount = Decimal("1")
    with pytest.raises(PermissionDenied):
        record.save()
    with pytest.raises(PermissionDenied), transaction.atomic():
        record.delete()
    assert AllocationLine.history.filter(pk=record.pk, amount=Decimal("1")).count() == 0
