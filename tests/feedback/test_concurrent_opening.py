"""Two openings of the same report at once add a newly issued document's line once, without an error."""

import threading
from datetime import date

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
