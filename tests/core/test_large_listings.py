"""Large listings stay fast: no listing counts all its rows, a page has at most 100 rows,
and the admin's changelists of the big tables neither count them twice nor sort them through joins."""

import re
from datetime import date
from decimal import Decimal

import pytest
from django.contrib import admin
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from allocations.models import AllocationDocument, AllocationLine, DocumentStatus, Prefecture, PrefectureSubtotal
from core.admin import EstimatedCountPaginator
from feedback.models import FeedbackLine, FeedbackReport, ReportStatus
from targets.models import Actual, Target, TargetTable

LISTINGS = [
    ("allocations:document_list", "region_admin"),
    ("allocations:document_list", "officer_urumqi"),
    ("allocations:prefecture_list", "region_admin"),
    ("targets:table_list", "region_admin"),
    ("targets:review_queue", "hr_reviewer"),
    ("feedback:report_list", "region_admin"),
    ("feedback:report_list", "officer_urumqi"),
    ("feedback:review_queue", "region_admin"),
]
BIG_ADMINS = [AllocationDocument, AllocationLine, PrefectureSubtotal, FeedbackReport, FeedbackLine, TargetTable, Target, Actual]
postgresql_only = pytest.mark.skipif(connection.vendor != "postgresql", reason="the planner's estimate is PostgreSQL's")


@pytest.fixture
def documents(notice_document):
    """Seven issued documents for 乌鲁木齐市's 天山区, besides the notice: eight in all."""
    county = notice_document.lines.get(county__name="天山区").county
    made = AllocationDocument.objects.bulk_create(
        AllocationDocument(
            number=f"规模〔2024〕{i}号",
            title="规模测试",
            year=2024,
            fund=notice_document.fund,
            direct_mark=notice_document.fund.direct_mark,
            declared_total=Decimal("1"),
            status=DocumentStatus.ISSUED,
        )
        for i in range(7)
    )
    AllocationLine.objects.bulk_create(AllocationLine(document=d, county=county, amount=Decimal("1"), position=1) for d in made)
    return made


def _counts(queries):
    return [q["sql"] for q in queries if q["sql"].lstrip().upper().startswith("SELECT COUNT(")]


@pytest.mark.parametrize("name, role", LISTINGS)
def test_it_never_counts_a_whole_listing(name, role, request, notice_document, client_for):
    client = client_for(request.getfixturevalue(role))

    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse(name))

    assert response.status_code == 200
    counts = _counts(captured.captured_queries)
    assert len(counts) == 1
    # COUNT(*) over at most LISTING_EXPORT_LIMIT + 1 rows, whatever the size of the table.
    assert re.search(r"LIMIT 10001\b", counts[0]), counts[0]


def test_it_counts_exactly_up_to_the_export_limit(documents, region_admin, client_for, settings):
    settings.LISTING_EXPORT_LIMIT = 8
    settings.LISTING_PER_PAGE = 3

    response = client_for(region_admin).get(reverse("allocations:document_list"))

    html = response.content.decode()
    assert "共 8 条" in html and "超过" not in html
    assert response.context["table"].paginator.num_pages == 3
    assert 'href="?page=3"' in html


def test_it_says_more_than_the_export_limit_instead_of_counting_on(documents, region_admin, client_for, settings):
    settings.LISTING_EXPORT_LIMIT = 5
    settings.LISTING_PER_PAGE = 3
    client = client_for(region_admin)

    first = client.get(reverse("allocations:document_list"), {"sort": "number"})

    html = first.content.decode()
    assert "超过 5 条" in html and "共 8 条" not in html
    assert "当前结果超过导出上限，超出部分不会导出，请缩小筛选范围。" in html
    assert first.context["table"].paginator.count is None
    # The next page is known from one row read ahead, not from a count.
    assert 'href="?sort=number&amp;page=2"' in html
    last = client.get(reverse("allocations:document_list"), {"sort": "number", "page": 3})
    assert [row.record.number for row in last.context["table"].page.object_list] == ["规模〔2024〕5号", "规模〔2024〕6号"]
    assert not last.context["table"].page.has_next()


def test_it_exports_the_first_rows_up_to_the_limit_when_there_are_more(documents, region_admin, client_for, settings):
    settings.LISTING_EXPORT_LIMIT = 5

    response = client_for(region_admin).get(reverse("allocations:document_list"), {"sort": "number", "_export": "csv"})

    lines = response.content.decode("utf-8-sig").strip().splitlines()
    assert len(lines) == 1 + 5


def test_it_keeps_a_page_to_a_hundred_rows_whatever_the_address_asks(documents, region_admin, client_for):
    response = client_for(region_admin).get(reverse("allocations:document_list"), {"per_page": 1_000_000})

    assert response.context["table"].paginator.per_page == 100


def test_it_reads_the_year_choices_once_when_the_list_is_filtered_by_year(notice_document, region_admin, client_for):
    with CaptureQueriesContext(connection) as captured:
        response = client_for(region_admin).get(reverse("feedback:report_list"), {"year": 2023})

    assert response.status_code == 200
    assert len([q for q in captured.captured_queries if '"datefield"' in q["sql"]]) == 1


@pytest.mark.parametrize("model", BIG_ADMINS, ids=lambda model: model._meta.label)
def test_it_leaves_out_the_unfiltered_count_on_the_big_admins(model):
    model_admin = admin.site._registry[model]

    assert model_admin.show_full_result_count is False
    assert model_admin.paginator is EstimatedCountPaginator


@pytest.mark.parametrize(
    "url, table",
    [
        ("admin:feedback_feedbackline_changelist", "feedback_feedbackline"),
        ("admin:targets_target_changelist", "targets_target"),
        ("admin:targets_actual_changelist", "targets_actual"),
    ],
)
def test_it_sorts_the_big_changelists_on_their_own_columns(url, table, region_admin, notice_document, client_for):
    with CaptureQueriesContext(connection) as captured:
        response = client_for(region_admin).get(reverse(url))

    assert response.status_code == 200
    page = next(q["sql"] for q in captured.captured_queries if f'FROM "{table}"' in q["sql"] and "ORDER BY" in q["sql"])
    order_by = page.rsplit("ORDER BY", 1)[1]
    # Only the table's own columns: an ordering through a join sorts every row before the page is cut.
    assert set(re.findall(r'"(\w+)"\."', order_by)) == {table}


def _reports(count):
    prefectures = Prefecture.objects.order_by("position")[:count]
    return FeedbackReport.objects.bulk_create(
        FeedbackReport(prefecture=p, month=date(2023, 7, 1), due_date=date(2023, 7, 31), status=ReportStatus.DRAFT)
        for p in prefectures
    )


def test_it_counts_a_filtered_changelist_exactly(region_admin, client_for, monkeypatch):
    monkeypatch.setattr("core.admin.ESTIMATE_ABOVE", 1)
    _reports(5)

    response = client_for(region_admin).get(reverse("admin:feedback_feedbackreport_changelist"), {"status__exact": "draft"})

    assert response.context["cl"].result_count == 5
    assert response.context["cl"].paginator.estimated is False
    assert "估计值" not in response.content.decode()


@postgresql_only
def test_it_takes_the_planner_estimate_for_a_big_unfiltered_changelist(region_admin, client_for, monkeypatch):
    monkeypatch.setattr("core.admin.ESTIMATE_ABOVE", 1)
    _reports(14)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE feedback_feedbackreport")

    with CaptureQueriesContext(connection) as captured:
        response = client_for(region_admin).get(reverse("admin:feedback_feedbackreport_changelist"))

    cl = response.context["cl"]
    assert cl.paginator.estimated is True
    assert cl.result_count > 0
    assert f"约 {cl.result_count} 资金使用反馈表（估计值，筛选后显示准确条数）" in response.content.decode()
    assert not [q for q in captured.captured_queries if '"__count"' in q["sql"]]


@postgresql_only
def test_it_counts_a_small_table_exactly_in_the_same_query(region_admin, client_for):
    _reports(3)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE feedback_feedbackreport")

    with CaptureQueriesContext(connection) as captured:
        response = client_for(region_admin).get(reverse("admin:feedback_feedbackreport_changelist"))

    assert response.context["cl"].result_count == 3
    assert response.context["cl"].paginator.estimated is False
    assert len([q for q in captured.captured_queries if "pg_class" in q["sql"] or "COUNT(" in q["sql"].upper()]) == 1


def test_it_sums_the_reports_lines_on_the_list(documents, region_admin, client_for):
    report = _reports(1)[0]
    FeedbackLine.objects.bulk_create(
        FeedbackLine(
            report=report, document=document, fund_name="资金", document_number=document.number, amount=Decimal("10"),
            spent=Decimal(i) if i else None, direct_mark=document.direct_mark, position=i,
        )
        for i, document in enumerate(documents[:4])
    )
    empty = FeedbackReport.objects.create(
        prefecture=Prefecture.objects.get(name="和田地区"), month=date(2023, 6, 1), due_date=date(2023, 6, 30)
    )

    rows = {row.record.pk: row.record for row in client_for(region_admin).get(reverse("feedback:report_list")).context["table"].page.object_list}

    # An empty 实际支出金额 adds nothing; a report without lines has no sums.
    assert (rows[report.pk].total_amount, rows[report.pk].total_spent) == (Decimal("40"), Decimal("6"))
    assert (rows[empty.pk].total_amount, rows[empty.pk].total_spent) == (None, None)
