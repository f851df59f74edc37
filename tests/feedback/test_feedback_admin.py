"""The feedback admin: everyone browses (the auditor included), nobody edits; changes go through the workflow."""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from allocations.models import Prefecture
from feedback import workflow
from feedback.models import FeedbackLine, FeedbackReport
from tests.allocations.pages import page, visible_text
from tests.feedback.workbook_files import JULY, snapshot

SIZES = [1, 14]
# The session and the user; the user's own and their groups' permissions
# (the admin checks them once per request); the prefecture filter's choices;
# the page count (show_full_result_count=False leaves out the unfiltered
# one; on PostgreSQL core.admin's paginator asks pg_class and counts only
# below 100,000 rows, in that same one query); the page of reports with their prefecture and submitter
# (list_select_related); the user's role groups for the header
# (core.permissions); the month drill-down (date_hierarchy): its range, then
# its dates.
CHANGELIST_QUERIES = [
    "session",
    "user",
    "user permissions",
    "group permissions",
    "prefecture filter",
    "count",
    "reports page",
    "role groups",
    "date range",
    "dates",
]


@pytest.fixture
def july(officer_urumqi):
    report = workflow.open_report(officer_urumqi.prefecture, JULY)
    line = report.lines.get()
    workflow.save_lines(
        report, {line.pk: {"spent": Decimal("5000"), "uses": ["vocational_training"]}}, officer_urumqi, report.version
    )
    return workflow.submit(report, officer_urumqi)


def _pages(report):
    line = report.lines.get()
    pages = []
    for model, obj in ((FeedbackReport, report), (FeedbackLine, line)):
        name = f"admin:feedback_{model._meta.model_name}"
        history_id = obj.history.order_by("history_id").first().history_id
        pages.append(
            {
                "changelist": reverse(f"{name}_changelist"),
                "change": reverse(f"{name}_change", args=[obj.pk]),
                "history": reverse(f"{name}_history", args=[obj.pk]),
                "history_form": reverse(f"{name}_simple_history", args=[obj.pk, history_id]),
                "add": reverse(f"{name}_add"),
                "delete": reverse(f"{name}_delete", args=[obj.pk]),
            }
        )
    return pages


def test_it_lets_the_auditor_browse_every_feedback_page(auditor, july, client_for):
    client = client_for(auditor)

    for urls in _pages(july):
        for key in ("changelist", "change", "history", "history_form"):
            assert client.get(urls[key]).status_code == 200, urls[key]


def test_it_refuses_every_write_by_the_auditor(auditor, july, client_for):
    client = client_for(auditor)
    before = snapshot(july)

    for urls in _pages(july):
        assert client.post(urls["change"], {}).status_code == 403
        assert client.get(urls["add"]).status_code == 403
        assert client.post(urls["add"], {}).status_code == 403
        assert client.post(urls["delete"], {"post": "yes"}).status_code == 403
        # simple_history would revert to the old version on this POST with only the view permission.
        assert client.post(urls["history_form"], {}).status_code == 403

    assert snapshot(july) == before
    assert FeedbackReport.objects.count() == 1 and FeedbackLine.objects.count() == 1


def test_it_keeps_the_region_admin_to_the_workflow_too(region_admin, july, client_for):
    client = client_for(region_admin)
    before = snapshot(july)
    report_urls, line_urls = _pages(july)

    response = client.get(report_urls["change"])
    assert response.status_code == 200
    assert response.context["adminform"].form.fields == {}  # everything read-only
    text = visible_text(page(response))
    assert "新财社〔2023〕74号" in text and "3,294" in text and "60.28%" in text and "职业培训补贴" in text
    assert client.post(report_urls["change"], {"status": "draft"}).status_code == 403
    assert client.post(line_urls["history_form"], {}).status_code == 403
    assert snapshot(july) == before


def test_it_filters_the_reports_by_status_month_and_prefecture(region_admin, july, client_for):
    response = client_for(region_admin).get(reverse("admin:feedback_feedbackreport_changelist"), {"status": "submitted"})

    assert response.status_code == 200
    assert list(response.context["cl"].queryset) == [july]
    filters = [spec.title for spec in response.context["cl"].filter_specs]
    assert filters == ["状态", "月份", "地（州、市）"]


@pytest.mark.parametrize("size", SIZES)
def test_it_lists_the_reports_in_the_same_queries_at_any_size(auditor, client_for, django_assert_num_queries, size):
    for prefecture in Prefecture.objects.order_by("position")[:size]:
        workflow.open_report(prefecture, date(2023, 7, 1))
    client = client_for(auditor)
    url = reverse("admin:feedback_feedbackreport_changelist")

    with django_assert_num_queries(len(CHANGELIST_QUERIES)):
        response = client.get(url)

    assert response.status_code == 200
    assert response.context["cl"].result_count == size
