"""The finance officer's board: this month's report, fund lines against the schedule, returned reports."""

import pytest
from django.urls import reverse

from feedback.models import FeedbackLine, FeedbackReport, ReportStatus
from feedback.progress import percent
from feedback.schedule import expected_progress
from tests.oversight.dashboard_helpers import allocated_by_prefecture, block, demo_activity, grouped, slugs  # noqa: F401 (demo_activity is a fixture)

pytestmark = pytest.mark.django_db


def test_it_links_the_officer_to_this_months_report_with_its_due_date(officer_urumqi, client_for):
    response = client_for(officer_urumqi).get("/")

    assert response.status_code == 200
    html = response.content.decode()
    link = f'id="open-current-report" href="{reverse("feedback:current")}">填报本月资金使用情况</a>'
    assert link in html
    month = response.context["board"].month
    from feedback.schedule import due_date

    due = due_date(month)
    assert f"{due.year}年{due.month}月{due.day}日" in html
    assert f">{grouped(allocated_by_prefecture()['乌鲁木齐市'])} 万元<" in html.replace("</dd>", "<")


def test_it_shows_the_officer_nothing_of_another_prefecture(officer_urumqi, client_for, demo_activity):
    response = client_for(officer_urumqi).get("/")

    html = response.content.decode()
    assert "喀什地区" not in html
    assert grouped(allocated_by_prefecture()["喀什地区"]) not in html
    assert slugs(response) == ["fund-lines", "spend-progress", "completeness"]
    assert [row[0] for row in block(response, "completeness")["table"].rows] == ["乌鲁木齐市"]


def test_it_lists_the_officers_returned_report_with_its_reason(officer_urumqi, officer_kashgar, client_for, demo_activity):
    returned = FeedbackReport.objects.get(prefecture__name="乌鲁木齐市", status=ReportStatus.RETURNED)

    html = client_for(officer_urumqi).get("/").content.decode()
    assert returned.return_reason in html
    assert reverse("feedback:report_detail", args=[returned.pk]) in html

    # The other officer has nothing returned, and never sees this one.
    assert returned.return_reason not in client_for(officer_kashgar).get("/").content.decode()


def test_it_shows_each_fund_lines_progress_against_the_time_schedule(officer_kashgar, client_for, demo_activity):
    latest = FeedbackReport.objects.filter(prefecture__name="喀什地区", status__in=["submitted", "accepted"]).order_by("-month").first()
    response = client_for(officer_kashgar).get("/")

    table = block(response, "fund-lines")["table"]
    lines = list(FeedbackLine.objects.filter(report=latest).select_related("document").order_by("position"))
    assert [row[1] for row in table.rows] == [line.document_number for line in lines]
    for row, line in zip(table.rows, lines):
        assert row[4] == percent(line.spent, line.amount)
        # Each line against its own schedule: the notice's 2023 money, carried into this year, at 100% (issue 13).
        assert row[5] == expected_progress(latest.month, line.document)
    assert f"{percent(lines[0].spent, lines[0].amount):.2f}%" in response.content.decode()


def test_it_keeps_the_officer_query_count_fixed(officer_urumqi, client_for, django_assert_num_queries, demo_activity):
    client = client_for(officer_urumqi)
    # session, user, the user's groups (role checks),
    # the current regional document, the officer's prefecture with its allocation,
    # its shares running to their fund's end and its settled or spent-out ones (feedback.obligations),
    # the prefecture and the year's reports (completeness grid),
    # this month's report (the demo's board shows 2023, the notice's year, so this month is read on its own),
    # the returned reports, the latest reported report's fund lines, the spend sums by month,
    # the user's prefecture for the page header (context processor),
    # the data version the charts are cached under (oversight.dashboard.cache).
    with django_assert_num_queries(15):
        assert client.get("/").status_code == 200


def test_it_tells_an_officer_without_a_prefecture_to_ask_for_one(reference_data, client_for):
    from django.contrib.auth.models import Group

    from core.models import Role, User

    officer = User.objects.create_user(username="floating", password="x-test-only-9")
    officer.groups.add(Group.objects.get(name=Role.FINANCE_OFFICER))
    response = client_for(officer).get("/")

    assert response.status_code == 200
    assert "尚未绑定地（州、市）" in response.content.decode()
    assert client_for(officer).get("/dashboard/spend-progress.csv").content.decode("utf-8-sig").count("\n") == 3
