"""The completeness grid and the overdue list, as each role sees them."""

import re
from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from core import clock
from allocations.models import Prefecture, PrefectureSubtotal
from feedback import workflow
from feedback.models import FeedbackReport
from tests.allocations.pages import page, table_rows, visible_text
from tests.feedback.test_report_pages import OFFICER, REQUEST, detail_url

SHANGHAI = ZoneInfo("Asia/Shanghai")
TODAY = date(2023, 9, 15)
# feedback.obligations: the shares that run to their fund's end (grouped), then the settled or spent-out ones.
OBLIGATIONS = ["shares running to their fund's end, grouped", "settled or spent-out shares"]


@pytest.fixture
def urumqi(reference_data):
    return Prefecture.objects.get(name="乌鲁木齐市")


@pytest.fixture
def july(urumqi, notice_document):
    return workflow.open_report(urumqi, date(2023, 7, 1))


@pytest.fixture(autouse=True)
def frozen_today(monkeypatch):
    monkeypatch.setattr(clock, "today", lambda: TODAY)


def _cells(html, prefecture):
    """{YYYY-MM: (status, link)} of one prefecture's row of the grid."""
    row = re.search(rf'<tr data-prefecture="{prefecture}">(.*?)</tr>', html, re.S).group(1)
    cells = {}
    cell = r'<td class="cell[^"]*" data-month="([^"]+)" data-status="([^"]+)">(.*?)</td>'
    for month, status, body in re.findall(cell, row, re.S):
        link = re.search(r'href="([^"]+)"', body)
        cells[month] = (status, link.group(1) if link else "")
    return cells


def _submitted(report, user, at):
    line = report.lines.get()
    line.spent = Decimal("8294")
    line.uses = ["internship"]
    line.save()
    return workflow.submit(report, user, at=at)


def test_it_shows_the_region_admin_every_prefecture_with_links(region_admin, officer_urumqi, july, urumqi, client_for):
    _submitted(july, officer_urumqi, datetime(2023, 7, 20, tzinfo=SHANGHAI))
    html = page(client_for(region_admin).get(reverse("feedback:completeness"), {"year": 2023}))

    assert len(re.findall(r'<tr data-prefecture="', html)) == 14
    cells = _cells(html, "乌鲁木齐市")
    assert cells["2023-05"] == ("not_required", "")
    assert cells["2023-06"] == ("missing", reverse("feedback:report_open", args=[urumqi.pk, 2023, "06"]))
    assert cells["2023-07"] == ("submitted_on_time", detail_url(july))
    assert cells["2023-09"] == ("not_due", reverse("feedback:report_open", args=[urumqi.pk, 2023, "09"]))
    assert cells["2023-10"] == ("not_due", "")  # a future month cannot be opened yet
    assert "按时提交" in visible_text(html)


def test_it_shows_an_officer_only_their_own_row(officer_kashgar, client_for):
    html = page(client_for(officer_kashgar).get(reverse("feedback:completeness"), {"year": 2023}))
    assert re.findall(r'<tr data-prefecture="([^"]+)"', html) == ["喀什地区"]
    kashgar = Prefecture.objects.get(name="喀什地区")
    open_url = reverse("feedback:report_open", args=[kashgar.pk, 2023, "08"])
    assert _cells(html, "喀什地区")["2023-08"] == ("missing", open_url)


@pytest.mark.parametrize("role", ["auditor", "hr_reviewer"])
def test_it_gives_readers_links_only_to_existing_reports(role, request, july, client_for):
    html = page(client_for(request.getfixturevalue(role)).get(reverse("feedback:completeness"), {"year": 2023}))
    cells = _cells(html, "乌鲁木齐市")
    assert cells["2023-07"] == ("draft", detail_url(july))
    assert cells["2023-06"] == ("missing", "")


def test_it_shows_this_year_by_default_and_says_when_a_year_is_wrong(region_admin, client_for):
    client = client_for(region_admin)
    assert "2023年资金使用反馈填报情况" in visible_text(page(client.get(reverse("feedback:completeness"))))
    response = client.get(reverse("feedback:completeness"), {"year": "二〇二三"})
    assert response.status_code == 200
    assert "年份“二〇二三”无效，已显示2023年" in visible_text(page(response))


def _many_prefectures(count, notice_document):
    prefectures = Prefecture.objects.bulk_create(Prefecture(name=f"测试地区{i}", position=100 + i) for i in range(count))
    PrefectureSubtotal.objects.bulk_create(
        PrefectureSubtotal(document=notice_document, prefecture=p, declared_amount=Decimal("1")) for p in prefectures
    )
    FeedbackReport.objects.bulk_create(
        FeedbackReport(prefecture=p, month=date(2023, m, 1), due_date=date(2023, m, 28))
        for p in prefectures
        for m in (6, 7)
    )


@pytest.mark.parametrize("extra", [0, 60])
@pytest.mark.parametrize(
    "role, queries",
    [
        ("region_admin", REQUEST + [*OBLIGATIONS, "the prefectures", "the year's reports"]),
        ("officer_urumqi", REQUEST + [*OFFICER, *OBLIGATIONS, "their prefecture", "the year's reports"]),
        ("auditor", REQUEST + [*OBLIGATIONS, "the prefectures", "the year's reports"]),
    ],
)
def test_it_draws_the_grid_in_constant_queries(
    extra, role, queries, request, notice_document, client_for, django_assert_num_queries
):
    _many_prefectures(extra, notice_document)
    client = client_for(request.getfixturevalue(role))

    with django_assert_num_queries(len(queries)):
        response = client.get(reverse("feedback:completeness"), {"year": 2023})

    assert response.status_code == 200
    assert len(response.context["grid"]) == (14 + extra if role != "officer_urumqi" else 1)


# The overdue list


def test_it_lists_overdue_months_most_recent_first_with_each_prefectures_count(region_admin, officer_urumqi, july, client_for):
    # per_page: all 42 rows on one page (25 by default).
    html = page(client_for(region_admin).get(reverse("feedback:overdue"), {"per_page": 100}))
    rows = table_rows(html)
    urumqi_rows = [row.cells for row in rows if row.prefecture == "乌鲁木齐市"]
    assert urumqi_rows == [
        ["乌鲁木齐市", "2023年8月", "未填报", "2023年8月31日", "15", "3", "去填报"],
        ["乌鲁木齐市", "2023年7月", "草稿未提交", "2023年7月31日", "46", "3", "查看"],
        ["乌鲁木齐市", "2023年6月", "未填报", "2023年6月30日", "77", "3", "去填报"],
    ]
    assert len(rows) == 14 * 3
    # August for every prefecture, in their order, then July, then June.
    assert [row.cells[1] for row in rows] == ["2023年8月"] * 14 + ["2023年7月"] * 14 + ["2023年6月"] * 14
    assert [row.prefecture for row in rows[:2]] == ["乌鲁木齐市", "伊犁州"]
    assert detail_url(july) in html


def test_it_groups_the_overdue_list_by_prefecture_when_sorted_by_it(region_admin, client_for):
    rows = table_rows(page(client_for(region_admin).get(reverse("feedback:overdue"), {"per_page": 100, "sort": "prefecture"})))
    assert [(row.prefecture, row.cells[1]) for row in rows[:4]] == [
        ("乌鲁木齐市", "2023年8月"),
        ("乌鲁木齐市", "2023年7月"),
        ("乌鲁木齐市", "2023年6月"),
        ("伊犁州", "2023年8月"),
    ]
    oldest_first = table_rows(page(client_for(region_admin).get(reverse("feedback:overdue"), {"per_page": 100, "sort": "month"})))
    assert oldest_first[0].cells[1] == "2023年6月"


def test_it_filters_the_overdue_list_by_year(region_admin, client_for, monkeypatch):
    monkeypatch.setattr(clock, "today", lambda: date(2024, 3, 15))
    client = client_for(region_admin)

    all_years = table_rows(page(client.get(reverse("feedback:overdue"), {"per_page": 100, "prefecture": _urumqi_pk()})))
    only_2023 = table_rows(page(client.get(reverse("feedback:overdue"), {"per_page": 100, "prefecture": _urumqi_pk(), "year": 2023})))
    only_2024 = table_rows(page(client.get(reverse("feedback:overdue"), {"per_page": 100, "prefecture": _urumqi_pk(), "year": 2024})))

    assert [row.cells[1] for row in all_years] == ["2024年2月", "2024年1月", "2023年12月", "2023年11月", "2023年10月",
                                                   "2023年9月", "2023年8月", "2023年7月", "2023年6月"]
    assert [row.cells[1] for row in only_2023] == [row.cells[1] for row in all_years[2:]]
    assert [row.cells[1] for row in only_2024] == ["2024年2月", "2024年1月"]
    # The count column counts what the filter shows.
    assert {row.cells[5] for row in only_2024} == {"2"}


def _urumqi_pk():
    return Prefecture.objects.get(name="乌鲁木齐市").pk


def test_it_lists_an_officer_only_their_own_overdue_months(officer_kashgar, client_for):
    rows = table_rows(page(client_for(officer_kashgar).get(reverse("feedback:overdue"))))
    assert {row.prefecture for row in rows} == {"喀什地区"}
    assert len(rows) == 3


def test_it_takes_submitted_months_off_the_overdue_list(region_admin, officer_urumqi, july, client_for):
    _submitted(july, officer_urumqi, datetime(2023, 8, 3, tzinfo=SHANGHAI))
    rows = table_rows(page(client_for(region_admin).get(reverse("feedback:overdue"), {"per_page": 100})))
    assert [row.cells[1] for row in rows if row.prefecture == "乌鲁木齐市"] == ["2023年8月", "2023年6月"]


@pytest.mark.parametrize("extra", [0, 60])
@pytest.mark.parametrize(
    "role, queries",
    [
        (
            "region_admin",
            REQUEST
            + [
                *OBLIGATIONS,
                "the prefectures",
                "their reports in the owed months",
                "prefectures for the filter",
                "the first year a fund was received, for the year filter",
            ],
        ),
        (
            "officer_urumqi",
            REQUEST
            + [
                *OFFICER,
                *OBLIGATIONS,
                "their prefecture",
                "its reports in the owed months",
                "the first year a fund was received, for the year filter",
            ],
        ),
    ],
)
def test_it_lists_overdue_months_in_constant_queries(
    extra, role, queries, request, notice_document, client_for, django_assert_num_queries
):
    _many_prefectures(extra, notice_document)
    client = client_for(request.getfixturevalue(role))

    with django_assert_num_queries(len(queries)):
        response = client.get(reverse("feedback:overdue"))

    assert response.status_code == 200
    assert response.context["table"].paginator.count == (3 * (14 + extra) if role == "region_admin" else 3)
