"""The reviewer's queue and the review actions on the report page."""

import re
from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from allocations.models import Prefecture
from feedback import workflow
from feedback.models import FeedbackLine, FeedbackReport, ReportStatus
from feedback.workflow import STALE_MESSAGE
from tests.allocations.pages import hidden_fields, page, table_rows, visible_text
from tests.feedback.test_report_pages import REQUEST, cards, detail_url

SHANGHAI = ZoneInfo("Asia/Shanghai")


@pytest.fixture
def urumqi(reference_data):
    return Prefecture.objects.get(name="乌鲁木齐市")


@pytest.fixture
def july(urumqi, notice_document):
    return workflow.open_report(urumqi, date(2023, 7, 1))


@pytest.fixture
def submitted(july, officer_urumqi):
    line = july.lines.get()
    line.spent = Decimal("8294")
    line.uses = ["internship"]
    line.save()
    return workflow.submit(july, officer_urumqi, at=datetime(2023, 7, 28, 9, tzinfo=SHANGHAI))


def _url(name, report):
    return reverse(f"feedback:{name}", args=[report.pk])


def _state(report):
    report.refresh_from_db()
    return report.status, report.version, report.return_reason, report.reopen_reason


# The queue


def test_it_queues_submitted_reports_for_the_region_admin(region_admin, submitted, client_for):
    html = page(client_for(region_admin).get(reverse("feedback:review_queue")))
    rows = table_rows(html)
    assert [row.prefecture for row in rows] == ["乌鲁木齐市"]
    assert rows[0].cells[1] == "2023年7月"
    assert "2023年7月28日 09:00" in rows[0].cells
    assert "在页面下方审核通过或退回" in visible_text(html)


@pytest.mark.parametrize("role", ["auditor", "hr_reviewer"])
def test_it_shows_readers_the_queue(role, request, submitted, client_for):
    client = client_for(request.getfixturevalue(role))
    html = page(client.get(reverse("feedback:review_queue")))
    assert [row.prefecture for row in table_rows(html)] == ["乌鲁木齐市"]
    assert "您只能查看" in visible_text(html)
    # The report page offers them no review action.
    report_page = page(client.get(detail_url(submitted)))
    assert _url("review_accept", submitted) not in report_page


@pytest.mark.parametrize("role", ["officer_urumqi", "officer_kashgar"])
def test_it_has_no_queue_for_officers(role, request, submitted, client_for):
    assert client_for(request.getfixturevalue(role)).get(reverse("feedback:review_queue")).status_code == 403


def test_it_leaves_drafts_and_accepted_reports_out_of_the_queue(region_admin, submitted, client_for):
    kashgar = Prefecture.objects.get(name="喀什地区")
    workflow.open_report(kashgar, date(2023, 7, 1))
    response = client_for(region_admin).get(reverse("feedback:review_queue"))
    assert response.context["table"].paginator.count == 1
    workflow.accept(submitted, region_admin)
    response = client_for(region_admin).get(reverse("feedback:review_queue"))
    assert response.context["table"].paginator.count == 0


@pytest.mark.parametrize("rows", [3, 120])
def test_it_lists_the_queue_in_constant_queries(
    rows, region_admin, notice_document, client_for, django_assert_num_queries
):
    prefectures = list(Prefecture.objects.all())
    pairs = [(p, date(2023 - i // 12, 12 - i % 12, 1)) for i in range(9) for p in prefectures][:rows]
    reports = FeedbackReport.objects.bulk_create(
        FeedbackReport(
            prefecture=p,
            month=m,
            due_date=m + timedelta(days=27),
            status=ReportStatus.SUBMITTED,
            submitted_at=datetime(2024, 1, 1, tzinfo=SHANGHAI),
            submitted_by=region_admin,
            on_time=False,
        )
        for p, m in pairs
    )
    FeedbackLine.objects.bulk_create(
        FeedbackLine(
            report=report,
            document=notice_document,
            fund_name="测试资金",
            document_number=notice_document.number,
            amount=Decimal("10"),
            spent=Decimal("10"),
            # Every other report differs from the treasury: the flag is read in the page's own query.
            treasury_spent=Decimal("9") if n % 2 else None,
            direct_mark=notice_document.direct_mark,
            position=1,
        )
        for n, report in enumerate(reports)
    )
    queries = REQUEST + [
        "the count, capped at the export limit + 1 (core.listing)",
        "prefectures for the filter",
        "years for the filter",
        "the page of submitted reports with their sums and whether a line differs from the treasury",
    ]
    client = client_for(region_admin)

    with django_assert_num_queries(len(queries)):
        response = client.get(reverse("feedback:review_queue"))

    assert response.context["table"].paginator.count == rows
    differing = set(FeedbackLine.objects.filter(treasury_spent__isnull=False).values_list("report_id", flat=True))
    shown = [row.record.pk for row in response.context["table"].page.object_list]
    assert page(response).count('data-role="treasury-flag"') == len(differing.intersection(shown)) > 0


# The actions


def test_it_lets_the_region_admin_accept(region_admin, submitted, client_for):
    client = client_for(region_admin)
    html = page(client.get(detail_url(submitted)))
    fields = hidden_fields(html, _url("review_accept", submitted))

    response = client.post(_url("review_accept", submitted), fields, follow=True)

    submitted.refresh_from_db()
    assert submitted.status == ReportStatus.ACCEPTED
    assert submitted.reviewed_by == region_admin
    text = visible_text(page(response))
    assert "已审核通过" in text
    assert "重新打开原因" in text  # the reopen form is offered on a locked report


def test_it_returns_only_with_a_reason(region_admin, officer_urumqi, submitted, client_for):
    client = client_for(region_admin)
    fields = hidden_fields(page(client.get(detail_url(submitted))), _url("review_return", submitted))
    before = _state(submitted)

    response = client.post(_url("review_return", submitted), {**fields, "reason": "  "}, follow=True)
    assert "退回必须填写原因" in visible_text(page(response))
    assert _state(submitted) == before

    client.post(_url("review_return", submitted), {**fields, "reason": "实际支出与国库数据不符"})
    submitted.refresh_from_db()
    assert (submitted.status, submitted.return_reason) == (ReportStatus.RETURNED, "实际支出与国库数据不符")
    # The officer sees why, and can correct the report again.
    officer_page = page(client_for(officer_urumqi).get(detail_url(submitted)))
    assert "实际支出与国库数据不符" in visible_text(officer_page)
    assert 'name="spent_' in officer_page


def test_it_reopens_an_accepted_report_only_with_a_reason(region_admin, submitted, client_for):
    workflow.accept(submitted, region_admin)
    client = client_for(region_admin)
    fields = hidden_fields(page(client.get(detail_url(submitted))), _url("review_reopen", submitted))
    before = _state(submitted)

    response = client.post(_url("review_reopen", submitted), {**fields, "reason": ""}, follow=True)
    assert "重新打开必须填写原因" in visible_text(page(response))
    assert _state(submitted) == before

    response = client.post(_url("review_reopen", submitted), {**fields, "reason": "国库数据更正"}, follow=True)
    submitted.refresh_from_db()
    assert (submitted.status, submitted.reopen_reason) == (ReportStatus.DRAFT, "国库数据更正")
    assert "国库数据更正" in visible_text(page(response))


def test_it_refuses_a_review_from_a_stale_page(region_admin, submitted, client_for):
    client = client_for(region_admin)
    fields = hidden_fields(page(client.get(detail_url(submitted))), _url("review_accept", submitted))
    workflow.return_report(submitted, region_admin, "先退回")
    workflow.submit(FeedbackReport.objects.get(pk=submitted.pk), submitted.submitted_by)
    before = _state(submitted)

    response = client.post(_url("review_accept", submitted), fields, follow=True)

    assert STALE_MESSAGE in visible_text(page(response))
    assert _state(submitted) == before


def test_it_says_what_is_wrong_with_a_review_in_the_wrong_state(region_admin, july, client_for):
    response = client_for(region_admin).post(_url("review_accept", july), {"version": july.version}, follow=True)
    assert "只有已提交的反馈表才能审核通过" in visible_text(page(response))
    assert _state(july)[0] == ReportStatus.DRAFT


def test_it_asks_for_the_version(region_admin, submitted, client_for):
    before = _state(submitted)
    response = client_for(region_admin).post(_url("review_accept", submitted), {"version": "abc"}, follow=True)
    assert "页面版本号无效" in visible_text(page(response))
    assert _state(submitted) == before


@pytest.mark.parametrize("name", ["review_accept", "review_return", "review_reopen"])
@pytest.mark.parametrize(
    "role, status", [("auditor", 403), ("hr_reviewer", 403), ("officer_urumqi", 403), ("officer_kashgar", 404)]
)
def test_it_forbids_review_to_everyone_but_the_region_admin(name, role, status, request, submitted, client_for):
    before = _state(submitted)
    response = client_for(request.getfixturevalue(role)).post(
        _url(name, submitted), {"version": submitted.version, "reason": "试试"}
    )
    assert response.status_code == status
    assert _state(submitted) == before


@pytest.mark.parametrize("name", ["review_accept", "review_return", "review_reopen"])
def test_it_answers_a_get_with_405(name, region_admin, submitted, client_for):
    before = _state(submitted)
    assert client_for(region_admin).get(_url(name, submitted)).status_code == 405
    assert _state(submitted) == before


# Reviewing with context (issue 14.8)


def _submitted(prefecture_name, month, officer, at, spent="8294"):
    report = workflow.open_report(Prefecture.objects.get(name=prefecture_name), month)
    line = report.lines.get()
    workflow.save_lines(report, {line.pk: {"spent": Decimal(spent), "uses": ["internship"]}}, officer, report.version)
    return workflow.submit(report, officer, at=at)


def test_it_links_the_next_report_in_the_queue_order(region_admin, officer_urumqi, officer_kashgar, notice_document, client_for):
    at = datetime(2023, 7, 28, 9, tzinfo=SHANGHAI)
    # Same moment: the queue breaks the tie by pk, and so does 下一份.
    first = _submitted("乌鲁木齐市", date(2023, 7, 1), officer_urumqi, at)
    second = _submitted("喀什地区", date(2023, 7, 1), officer_kashgar, at)
    third = _submitted("乌鲁木齐市", date(2023, 6, 1), officer_urumqi, at + timedelta(hours=1))
    client = client_for(region_admin)
    queue = [row.prefecture for row in table_rows(page(client.get(reverse("feedback:review_queue"))))]
    assert queue == ["乌鲁木齐市", "喀什地区", "乌鲁木齐市"]

    def next_of(report):
        html = page(client.get(detail_url(report)))
        found = re.search(r'<a href="([^"]+)" id="next-report">', html)
        return found and found.group(1)

    assert next_of(first) == detail_url(second)
    assert next_of(second) == detail_url(third)
    # The last one leads back to the first still waiting.
    assert next_of(third) == detail_url(first)
    workflow.accept(first, region_admin)
    workflow.accept(FeedbackReport.objects.get(pk=second.pk), region_admin)
    workflow.accept(FeedbackReport.objects.get(pk=third.pk), region_admin)
    assert next_of(third) is None  # the queue is empty


def test_it_gives_officers_no_next_link(officer_urumqi, submitted, client_for):
    assert 'id="next-report"' not in page(client_for(officer_urumqi).get(detail_url(submitted)))


def test_it_asks_before_accepting_and_locking(region_admin, submitted, client_for):
    html = page(client_for(region_admin).get(detail_url(submitted)))
    form = html[html.index(f'action="{_url("review_accept", submitted)}"'):]
    form = form[: form.index("</form>")]
    assert 'data-confirm="审核通过后反馈表将被锁定' in form
    assert "审核通过并锁定" in form


def test_it_shows_the_reviewer_the_previous_figure_and_the_change(region_admin, officer_urumqi, urumqi, notice_document, client_for):
    july = _submitted("乌鲁木齐市", date(2023, 7, 1), officer_urumqi, datetime(2023, 7, 28, 9, tzinfo=SHANGHAI), spent="5000")
    workflow.accept(july, region_admin)
    august = workflow.open_report(urumqi, date(2023, 8, 1))
    line = august.lines.get()
    values = {
        "spent": Decimal("4000"),
        "uses": ["internship"],
        "decrease_explanation": "7月误报" * 40,
        "reason": "国库数据更正",
        "measure": "加快拨付",
        "measure_deadline": date(2023, 9, 30),
    }
    workflow.save_lines(august, {line.pk: values}, officer_urumqi, august.version)
    workflow.submit(august, officer_urumqi)

    html = page(client_for(region_admin).get(detail_url(august)))
    _total, card = cards(html)
    assert (card["previous"], card["change"]) == ("5,000.00", "-1,000.00")
    # Long explanations wrap in full inside the card: nothing is cut off.
    assert '<span class="val text">' + "7月误报" * 40 + "</span>" in html
