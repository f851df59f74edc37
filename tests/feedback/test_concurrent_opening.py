"""Two openings of the same report at once add a newly issued document's line once, without an error; two
first saves of a month at once create its report once, and the later one is refused, not a 500."""

import threading
from datetime import date
from decimal import Decimal

import pytest
from django.db import connection

from allocations.models import Prefecture
from feedback import workflow
from feedback.models import FeedbackReport

JULY = date(2023, 7, 1)
# Only PostgreSQL runs the two transactions side by side; SQLite's IMMEDIATE
# transactions (config/settings.py) already serialise them.
postgresql_only = pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite serialises writers itself")


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_it_adds_a_new_documents_line_once_when_two_people_open_the_report_together(reference_data, monkeypatch):
    urumqi = Prefecture.objects.get(name="乌鲁木齐市")
    # Opened before the notice's document reached it: the line is still to be added.
    FeedbackReport.objects.create(prefecture=urumqi, month=JULY, due_date=date(2023, 7, 31))

    both_reading = threading.Barrier(2)
    received = workflow.received_subtotals

    def read_then_wait_for_the_other(*args, **kwargs):
        subtotals = list(received(*args, **kwargs))
        try:
            # Without the row lock both openers get here and then both insert.
            both_reading.wait(timeout=2)
        except threading.BrokenBarrierError:
            pass  # the other opener is held at the report's row, as it should be
        return subtotals

    monkeypatch.setattr(workflow, "received_subtotals", read_then_wait_for_the_other)
    errors = []

    def open_it():
        try:
            workflow.open_report(urumqi, JULY)
        except Exception as error:  # noqa: BLE001 — the failure under test is any error at all
            errors.append(error)
        finally:
            connection.close()

    openers = [threading.Thread(target=open_it) for _ in range(2)]
    for opener in openers:
        opener.start()
    for opener in openers:
        opener.join()

    assert errors == []
    report = FeedbackReport.objects.get(prefecture=urumqi, month=JULY)
    assert list(report.lines.values_list("document_number", flat=True)) == ["新财社〔2023〕74号"]


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_it_lets_one_of_two_first_saves_at_once_through_and_refuses_the_other_cleanly(
    reference_data, notice_document, officer_urumqi, monkeypatch
):
    # Viewing writes nothing (issue 14): the month's first save creates the report. Two of them at once
    # (two tabs, two colleagues) must not both create it, break the unique month, or overwrite each other.
    from django.core.exceptions import ValidationError

    urumqi = Prefecture.objects.get(name="乌鲁木齐市")
    both_reading = threading.Barrier(2)
    received = workflow.received_subtotals

    def read_then_wait_for_the_other(*args, **kwargs):
        subtotals = list(received(*args, **kwargs))
        try:
            both_reading.wait(timeout=2)
        except threading.BrokenBarrierError:
            pass
        return subtotals

    monkeypatch.setattr(workflow, "received_subtotals", read_then_wait_for_the_other)
    document_id = notice_document.pk
    refused, errors = [], []

    def first_save(spent):
        try:
            workflow.create_and_save(urumqi, JULY, {document_id: {"spent": Decimal(spent)}}, officer_urumqi)
        except ValidationError as refusal:
            refused.append(refusal)
        except Exception as error:  # noqa: BLE001 — the failure under test is any other error at all
            errors.append(error)
        finally:
            connection.close()

    savers = [threading.Thread(target=first_save, args=(spent,)) for spent in ("1000", "2000")]
    for saver in savers:
        saver.start()
    for saver in savers:
        saver.join()

    assert errors == []
    assert len(refused) == 1
    report = FeedbackReport.objects.get(prefecture=urumqi, month=JULY)
    (line,) = report.lines.all()
    assert line.spent in (Decimal("1000"), Decimal("2000"))
    assert report.version == 2  # one save, not two
