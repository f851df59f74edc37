"""The auditors' change log: one list over every history table, filtered, paged and exported."""

import csv
import io
from datetime import datetime, timedelta, timezone
from decimal import Decimal

import pytest
from django.contrib import admin
from django.urls import reverse
from openpyxl import load_workbook
from simple_history.models import HistoricalChanges

from allocations.models import AllocationDocument, AllocationLine, Prefecture
from oversight.changelog import historied_models
from feedback.workflow import open_report
from targets.models import Target, TargetTable
from tests.allocations.pages import table_rows, visible_text
from tests.core.changes import change, delete

URL = reverse("oversight:changelog")
# Changes made by the tests happen in 2024; the notice's data is loaded "now".
YEAR = {"date_from": "2024-01-01", "date_to": "2024-12-31"}
NOON = datetime(2024, 3, 1, 4, 0, tzinfo=timezone.utc)  # 12:00 in Beijing


def line(notice_document, county):
    return AllocationLine.objects.select_related("county__prefecture").get(document=notice_document, county__name=county)


def log_rows(client, **query):
    response = client.get(URL, query)
    assert response.status_code == 200
    # time, user, model, object, action, changes, reason
    return [row.cells for row in table_rows(response.content.decode()) if len(row.cells) == 7]


@pytest.mark.parametrize("role", ["auditor", "region_admin", "hr_reviewer"])
def test_it_opens_the_log_to_region_wide_roles(role, request, client_for):
    response = client_for(request.getfixturevalue(role)).get(URL)

    assert response.status_code == 200
    assert "变更记录" in response.content.decode()


@pytest.mark.parametrize("role", ["officer_urumqi", "officer_kashgar"])
def test_it_refuses_the_log_to_finance_officers(role, request, client_for):
    client = client_for(request.getfixturevalue(role))

    assert client.get(URL).status_code == 403
    assert client.get(URL, {"format": "csv"}).status_code == 403
    assert "变更记录" not in client.get(reverse("allocations:document_list")).content.decode()


def test_it_sends_an_anonymous_visitor_to_the_login_page(client, reference_data):
    response = client.get(URL)

    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_it_shows_who_changed_what_when_and_why(notice_document, region_admin, auditor, client_for):
    region_admin.first_name = "王管理"
    region_admin.save()
    change(line(notice_document, "天山区"), region_admin, "更正金额", NOON, amount=Decimal("1100"), note="补录")

    rows = log_rows(client_for(auditor), **YEAR)

    assert len(rows) == 1
    when, who, model, obj, action, changes, reason = rows[0]
    assert when == "2024-03-01 12:00:00"  # Beijing time
    assert (who, model, action, reason) == ("王管理", "分配明细", "修改", "更正金额")
    assert obj.startswith("新财社〔2023〕74号 乌鲁木齐市 天山区")
    assert "拨付金额（万元）：1,200.00 → 1,100.00" in changes
    assert "备注：— → 补录" in changes


def test_it_merges_every_model_newest_first(notice_document, region_admin, auditor, client_for):
    change(line(notice_document, "天山区"), region_admin, amount=Decimal("1100"), when=NOON)
    table = TargetTable.objects.get(document=notice_document, prefecture__name="乌鲁木齐市")
    change(table, region_admin, when=NOON + timedelta(hours=1), title="改过的表名")
    report = open_report(Prefecture.objects.get(name="乌鲁木齐市"), datetime(2023, 7, 1).date())
    feedback_line = report.lines.order_by("position").first()
    change(feedback_line, region_admin, when=NOON + timedelta(hours=2), spent=Decimal("10"))
    change(feedback_line, region_admin, when=NOON + timedelta(hours=3), spent=Decimal("20"))

    rows = log_rows(client_for(auditor), **YEAR)

    assert [(row[0][11:16], row[2]) for row in rows] == [
        ("15:00", "反馈明细"),
        ("14:00", "反馈明细"),
        ("13:00", "绩效目标表"),
        ("12:00", "分配明细"),
    ]
    # Each row is diffed against the object's own previous version.
    assert "实际支出金额（万元）：10.00 → 20.00" in rows[0][5]
    assert "实际支出金额（万元）：— → 10.00" in rows[1][5]


def test_it_covers_every_domain_model_with_history(db):
    labels = {model._meta.label for model in historied_models()}

    assert {
        "allocations.AllocationDocument", "allocations.AllocationLine", "allocations.PrefectureSubtotal",
        "allocations.Prefecture", "allocations.County", "allocations.Fund", "allocations.ExpenditureItem",
        "targets.TargetTable", "targets.Target", "targets.Actual", "feedback.FeedbackReport", "feedback.FeedbackLine",
    } <= labels  # fmt: skip


def test_it_filters_by_user_model_and_date(notice_document, region_admin, hr_reviewer, auditor, client_for):
    change(line(notice_document, "天山区"), region_admin, amount=Decimal("1100"), when=NOON)
    change(line(notice_document, "喀什市"), hr_reviewer, note="核对", when=NOON + timedelta(days=10))
    change(notice_document, region_admin, title="新标题", when=NOON + timedelta(days=20))
    client = client_for(auditor)

    assert [row[1] for row in log_rows(client, user=hr_reviewer.pk, **YEAR)] == ["hr_reviewer"]
    assert [row[2] for row in log_rows(client, model="allocations.allocationdocument", **YEAR)] == ["分配文件"]
    assert len(log_rows(client, model="allocations.allocationline", **YEAR)) == 2
    # Dates are Beijing dates: 2024-03-11 12:00 falls on the 11th.
    dated = log_rows(client, date_from="2024-03-11", date_to="2024-03-11")
    assert [row[0][:10] for row in dated] == ["2024-03-11"]


def test_it_filters_by_prefecture_through_history_even_after_a_delete(
    notice_document, region_admin, auditor, client_for
):
    delete(line(notice_document, "天山区"), region_admin, when=NOON)
    change(line(notice_document, "喀什市"), region_admin, note="核对", when=NOON + timedelta(days=1))
    change(notice_document, region_admin, title="新标题", when=NOON + timedelta(days=2))
    urumqi, kashgar = Prefecture.objects.get(name="乌鲁木齐市"), Prefecture.objects.get(name="喀什地区")
    client = client_for(auditor)

    urumqi_rows = log_rows(client, prefecture=urumqi.pk, **YEAR)
    kashgar_rows = log_rows(client, prefecture=kashgar.pk, **YEAR)

    # The regional document belongs to every prefecture it gives money to;
    # the deleted line still belongs to its prefecture.
    assert [(row[2], row[4]) for row in urumqi_rows] == [("分配文件", "修改"), ("分配明细", "删除")]
    assert [(row[2], row[4]) for row in kashgar_rows] == [("分配文件", "修改"), ("分配明细", "修改")]
    assert "天山区" in urumqi_rows[1][3]


@pytest.mark.parametrize(
    "query, message",
    [
        ({"date_from": "2024-13-01"}, "起始日期：请按 YYYY-MM-DD 填写"),
        ({"date_to": "昨天"}, "截止日期：请按 YYYY-MM-DD 填写"),
        ({"date_from": "2024-05-01", "date_to": "2024-04-01"}, "起始日期不能晚于截止日期"),
        ({"user": "abc"}, "用户：所选用户不存在"),
        ({"prefecture": "999999"}, "地（州、市）：所选地（州、市）不存在"),
        ({"model": "auth.user"}, "对象类型：没有这种对象"),
        ({"format": "pdf"}, "只能导出 CSV 或 XLSX"),
        ({"format": "csv", "date_from": "x"}, "起始日期：请按 YYYY-MM-DD 填写"),
    ],
)
def test_it_names_a_bad_filter_in_chinese(query, message, auditor, client_for):
    response = client_for(auditor).get(URL, query)

    assert response.status_code == 400
    assert message in visible_text(response.content.decode())


def test_it_pages_the_log_and_survives_a_bad_page_number(notice_document, region_admin, auditor, client_for):
    client = client_for(auditor)
    total = log_rows(client)  # the notice's data alone fills many pages

    assert len(total) == 50
    assert len(log_rows(client, page="999999")) > 0
    assert len(log_rows(client, page="abc")) == 50


def _changes_on_three_models(notice_document, user, count):
    lines = AllocationLine.objects.filter(document=notice_document).select_related("county")[:count]
    targets = Target.objects.filter(table__document=notice_document)[:count]
    for i, (allocation_line, target) in enumerate(zip(lines, targets)):
        change(allocation_line, user, "批量更正", when=NOON + timedelta(minutes=i), amount=allocation_line.amount + 1)
        change(target, user, when=NOON + timedelta(minutes=i, seconds=1), raw_value=f"{target.raw_value} ")
    tables = TargetTable.objects.filter(document=notice_document)[: max(1, count // 5)]
    for i, table in enumerate(tables):
        change(table, user, when=NOON + timedelta(minutes=i, seconds=2), title=f"{table.title}（改）")


# A page of the log, spelled out query by query: the same at 7 rows and at a full page of 50.
PAGE_QUERIES = [
    "session", "user", "user's role groups",
    "count of the merged log", "the page's rows: one UNION over every history table",
    *[f"{what} of the {model} on the page" for model in ("lines", "targets", "tables") for what in ("rows", "previous versions")],
    "users for the filter", "prefectures for the filter",
]  # fmt: skip


@pytest.mark.parametrize("count, shown", [(3, 7), (30, 50)])
def test_it_reads_a_page_in_the_same_number_of_queries_at_any_size(
    count, shown, notice_document, region_admin, auditor, client_for, django_assert_num_queries
):
    client = client_for(auditor)
    _changes_on_three_models(notice_document, region_admin, count)

    with django_assert_num_queries(len(PAGE_QUERIES)):
        assert len(log_rows(client, **YEAR)) == shown


def test_it_exports_the_filtered_log_as_csv_and_xlsx(notice_document, region_admin, auditor, client_for):
    change(line(notice_document, "天山区"), region_admin, "更正", NOON, amount=Decimal("1100"))
    change(notice_document, region_admin, title="新标题", when=NOON + timedelta(hours=1))
    client = client_for(auditor)

    response = client.get(URL, {"format": "csv", "model": "allocations.allocationline", **YEAR})
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:2] == ["时间（北京时间）", "用户"]
    assert [(row[0], row[1], row[2], row[5], row[7]) for row in rows[1:]] == [
        ("2024-03-01 12:00:00", "region_admin", "分配明细", "修改", "更正")
    ]
    assert "拨付金额（万元）：1,200.00 → 1,100.00" in rows[1][6]

    workbook = load_workbook(io.BytesIO(client.get(URL, {"format": "xlsx", **YEAR}).content))
    sheet = workbook["变更记录"]
    assert [row[2] for row in sheet.iter_rows(min_row=2, values_only=True)] == ["分配文件", "分配明细"]


def test_it_caps_the_export_at_the_newest_rows(notice_document, region_admin, auditor, client_for, monkeypatch):
    monkeypatch.setattr("oversight.views.changelog.EXPORT_LIMIT", 2)
    for hours, county in enumerate(["天山区", "沙依巴克区", "高新区（新市区）"]):
        change(line(notice_document, county), region_admin, note="核对", when=NOON + timedelta(hours=hours))

    response = client_for(auditor).get(URL, {"format": "csv", **YEAR})

    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))[1:]
    assert [row[0][11:16] for row in rows] == ["14:00", "13:00"]
    page = client_for(auditor).get(URL, YEAR).content.decode()
    assert "最多 2 行" in visible_text(page) and "超出部分不会导出" in visible_text(page)


def test_it_keeps_a_long_return_reason_without_failing(notice_document, drafted_tables, region_admin, hr_reviewer):
    from targets import review

    table = TargetTable.objects.get(document=notice_document, prefecture__name="乌鲁木齐市")
    review.submit(table, region_admin)
    reason = "指标值与分配金额不匹配，" * 20  # 240 characters; the history column holds 100

    review.return_table(table, hr_reviewer, reason)

    record = table.history.first()
    assert record.history_change_reason.endswith("…") and len(record.history_change_reason) == 100
    assert record.return_reason == reason.strip()


def test_it_registers_no_history_model_as_an_admin_page():
    registered = [model for model in admin.site._registry if issubclass(model, HistoricalChanges)]

    assert registered == []


@pytest.mark.parametrize("superuser", [False, True])
def test_it_refuses_a_revert_posted_to_the_admin_history_page(superuser, notice_document, region_admin, client_for):
    region_admin.is_superuser = superuser
    region_admin.save()
    draft = AllocationDocument.objects.create(
        number="测试〔2024〕1号", title="草稿", year=2024, fund=notice_document.fund, declared_total=Decimal("10")
    )
    change(draft, region_admin, title="改过")
    version = draft.history.earliest("history_date")
    url = reverse("admin:allocations_allocationdocument_simple_history", args=[draft.pk, version.history_id])
    data = {"number": draft.number, "title": "草稿", "year": 2024, "fund": draft.fund_id, "declared_total": "10", "status": "draft"}

    response = client_for(region_admin).post(url, data)

    assert response.status_code == 403
    draft.refresh_from_db()
    assert draft.title == "改过" and draft.history.count() == 2
