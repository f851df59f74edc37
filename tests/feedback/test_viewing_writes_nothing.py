"""Looking at a month writes nothing; the first save creates the report, in the same transaction as the save."""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from allocations.models import Prefecture
from core import clock
from feedback import workflow
from feedback.completeness import MISSING, grid
from feedback.models import FeedbackLine, FeedbackReport, ReportStatus
from feedback.views.reports import report_open_url
from tests.allocations.pages import page, visible_text

JULY = date(2023, 7, 1)


@pytest.fixture
def urumqi(reference_data):
    return Prefecture.objects.get(name="乌鲁木齐市")


@pytest.fixture
def in_july(monkeypatch):
    monkeypatch.setattr(clock, "today", lambda: date(2023, 7, 12))


def _nothing_written():
    return (
        FeedbackReport.objects.count(),
        FeedbackLine.objects.count(),
        FeedbackReport.history.count(),
        FeedbackLine.history.count(),
    ) == (0, 0, 0, 0)


def _first_save(client, urumqi, action="save", **values):
    """What the unsaved form posts: its lines are named by their document until they exist."""
    _report, lines = workflow.unsaved_report(urumqi, JULY)
    (line,) = lines
    data = {"version": "1", "action": action}
    fields = {"spent": "", "uses": [], "reason": "", "measure": "", "measure_deadline": "", "decrease_explanation": ""}
    fields.update(values)
    data.update({f"{name}_d{line.document_id}": value for name, value in fields.items()})
    return client.post(report_open_url(urumqi, JULY), data)


def test_it_writes_nothing_when_an_officer_only_looks(officer_urumqi, urumqi, notice_document, in_july, client_for):
    client = client_for(officer_urumqi)
    response = client.get(reverse("feedback:current"), follow=True)

    assert response.status_code == 200
    html = page(response)
    assert 'name="spent_d' in html  # the pre-filled form, built in memory
    assert "8,294.00" in visible_text(html)
    assert _nothing_written()
    cells = dict(grid(2023, date(2023, 8, 15)))[urumqi]
    assert [cell.status for cell in cells if cell.month == JULY] == [MISSING]


def test_it_writes_nothing_when_the_grids_open_link_is_followed(region_admin, urumqi, notice_document, in_july, client_for):
    response = client_for(region_admin).get(report_open_url(urumqi, JULY))
    assert response.status_code == 200
    assert "尚未填写" in visible_text(page(response))
    assert _nothing_written()


def test_it_creates_the_report_with_its_first_save(officer_urumqi, urumqi, notice_document, in_july, client_for):
    response = _first_save(client_for(officer_urumqi), urumqi, spent="5000", uses=["internship"])

    report = FeedbackReport.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("feedback:report_detail", args=[report.pk])
    assert (report.prefecture, report.month, report.status) == (urumqi, JULY, ReportStatus.DRAFT)
    line = report.lines.get()
    assert (line.spent, line.uses, line.document_number) == (Decimal("5000"), ["internship"], "新财社〔2023〕74号")
    # The creation is the officer's save: recorded once, under their name.
    assert [entry.history_type for entry in FeedbackReport.history.order_by("history_date")][0] == "+"


def test_it_writes_nothing_when_the_first_save_is_refused(officer_urumqi, urumqi, notice_document, in_july, client_for):
    response = _first_save(client_for(officer_urumqi), urumqi, spent="9000")

    assert response.status_code == 200
    text = visible_text(page(response))
    assert "未保存" in text
    assert "实际支出金额 9,000.00 超过资金金额 8,294.00" in text
    assert 'value="9000"' in page(response)  # what was typed stays on the page
    assert _nothing_written()


def test_it_submits_on_the_first_save(officer_urumqi, urumqi, notice_document, in_july, client_for):
    _first_save(client_for(officer_urumqi), urumqi, "submit", spent="8294", uses=["internship"])
    report = FeedbackReport.objects.get()
    assert report.status == ReportStatus.SUBMITTED
    assert report.submitted_by == officer_urumqi


def test_it_refuses_a_first_save_when_someone_saved_the_month_meanwhile(
    officer_urumqi, urumqi, notice_document, in_july, client_for
):
    report = workflow.create_and_save(urumqi, JULY, {}, officer_urumqi)
    line = report.lines.get()
    workflow.save_lines(report, {line.pk: {"spent": Decimal("100")}}, officer_urumqi, report.version)

    response = _first_save(client_for(officer_urumqi), urumqi, spent="5000")

    assert response.status_code == 200
    assert "已由他人先行保存" in visible_text(page(response))
    assert report.lines.get().spent == Decimal("100")


def test_it_saves_into_a_report_the_workbook_export_opened(officer_urumqi, urumqi, notice_document, in_july, client_for):
    # The export opens the report without saving it (version 1): the page's first save goes into it.
    opened = workflow.open_report(urumqi, JULY)
    assert client_for(officer_urumqi).get(report_open_url(urumqi, JULY)).url == reverse("feedback:report_detail", args=[opened.pk])

    assert _first_save(client_for(officer_urumqi), urumqi, spent="5000").status_code == 302
    assert FeedbackReport.objects.get().lines.get().spent == Decimal("5000")


def test_it_refuses_the_first_save_to_a_reader(auditor, urumqi, notice_document, in_july, client_for):
    assert _first_save(client_for(auditor), urumqi, spent="5000").status_code == 403
    assert _nothing_written()


def test_it_shows_the_unsaved_month_and_its_refusal_in_english(officer_urumqi, urumqi, notice_document, in_july, client_for):
    from tests.core.test_language import data_strings, untranslated, visible_parts

    officer_urumqi.language = "en"
    officer_urumqi.save(update_fields=["language"])
    client = client_for(officer_urumqi)
    # The fund's name is data: the unsaved line carries it before any FeedbackLine holds it.
    data = sorted({*data_strings(), workflow.fund_label(notice_document)}, key=len, reverse=True)
    shown = page(client.get(report_open_url(urumqi, JULY)))
    refused = page(_first_save(client, urumqi, spent="100", measure_deadline="明年"))
    for html in (shown, refused):
        assert '<html lang="en">' in html
        assert untranslated(visible_parts(html), data) == []
    assert "Not saved" in visible_text(refused)
    assert _nothing_written()
