"""Every listing: filters narrow the rows, columns sort, pages keep the filters,
and ?_export= writes the filtered, sorted rows of every page with formulas neutralised."""

import csv
import io
import re
from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from core import clock
from allocations.models import AllocationDocument, AllocationLine, County, DocumentStatus, Prefecture, PrefectureSubtotal
from feedback import workflow
from feedback.models import FeedbackReport, ReportStatus
from targets.models import TargetTable

FORMULA = "=1+2"


def csv_rows(response):
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def xlsx_rows(response):
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    return list(sheet.iter_rows())


def column(rows, header):
    index = rows[0].index(header)
    return [row[index] for row in rows[1:]]


@pytest.fixture
def urumqi(reference_data):
    return Prefecture.objects.get(name="乌鲁木齐市")


@pytest.fixture
def kashgar(reference_data):
    return Prefecture.objects.get(name="喀什地区")


@pytest.fixture
def many_documents(notice_document, urumqi, kashgar):
    """30 issued 2024 documents: the even ones for 乌鲁木齐市, the odd ones for 喀什地区; one title is a formula."""
    documents = AllocationDocument.objects.bulk_create(
        AllocationDocument(
            number=f"测试〔2024〕{i:02d}号",
            title=FORMULA if i == 7 else f"测试文件{i}",
            year=2024,
            fund=notice_document.fund,
            direct_mark=notice_document.fund.direct_mark,
            declared_total=Decimal("1234.5"),
            status=DocumentStatus.ISSUED,
        )
        for i in range(30)
    )
    for i, document in enumerate(documents):
        prefecture = urumqi if i % 2 == 0 else kashgar
        county = County.objects.filter(prefecture=prefecture).first()
        AllocationLine.objects.create(document=document, county=county, amount=Decimal("1234.5"), position=1)
        PrefectureSubtotal.objects.create(document=document, prefecture=prefecture, declared_amount=Decimal("1234.5"))
    return documents


def _url(name):
    return reverse(name)


# Allocation documents


def test_it_exports_every_page_of_the_filtered_sorted_documents_as_csv(many_documents, region_admin, client_for):
    client = client_for(region_admin)
    rows = csv_rows(client.get(_url("allocations:document_list"), {"year": 2024, "sort": "-number", "_export": "csv"}))

    numbers = column(rows, "文号")
    assert len(numbers) == 30  # more than one page of 25
    assert numbers == sorted(numbers, reverse=True)
    assert "'" + FORMULA in column(rows, "标题")
    assert set(column(rows, "年度")) == {"2024"}


def test_it_writes_money_as_numbers_and_formulas_as_text_in_xlsx(many_documents, region_admin, client_for):
    rows = xlsx_rows(client_for(region_admin).get(_url("allocations:document_list"), {"year": 2024, "_export": "xlsx"}))

    headers = [cell.value for cell in rows[0]]
    amounts = [row[headers.index("合计（万元）")].value for row in rows[1:]]
    assert len(amounts) == 30
    assert all(isinstance(amount, (int, float)) and amount == 1234.5 for amount in amounts)
    title = next(row[headers.index("标题")] for row in rows[1:] if row[headers.index("标题")].value == FORMULA)
    assert title.data_type == "s"


def test_it_narrows_documents_to_a_prefecture(many_documents, region_admin, urumqi, client_for):
    client = client_for(region_admin)
    rows = csv_rows(client.get(_url("allocations:document_list"), {"year": 2024, "prefecture": urumqi.pk, "_export": "csv"}))
    numbers = column(rows, "文号")
    assert len(numbers) == 15
    assert all(int(re.search(r"〕(\d+)号", n).group(1)) % 2 == 0 for n in numbers)


def test_it_paginates_documents_and_keeps_sort_and_filters_in_the_links(many_documents, region_admin, client_for):
    client = client_for(region_admin)
    response = client.get(_url("allocations:document_list"), {"year": 2024, "sort": "number"})
    table = response.context["table"]
    assert table.paginator.count == 30
    assert len(table.page.object_list) == 25
    html = response.content.decode()
    assert re.search(r'href="\?[^"]*page=2[^"]*"', html)
    page_link = re.search(r'href="(\?[^"]*page=2[^"]*)"', html).group(1)
    assert "year=2024" in page_link and "sort=number" in page_link
    export_link = re.search(r'href="(\?[^"]*_export=csv[^"]*)"', html).group(1)
    assert "year=2024" in export_link and "sort=number" in export_link and "page=" not in export_link
    assert "共 30 条" in html

    second = client.get(_url("allocations:document_list"), {"year": 2024, "sort": "number", "page": 2})
    numbers = [row.record.number for row in second.context["table"].page.object_list]
    assert numbers == sorted(numbers) and len(numbers) == 5


def test_it_exports_an_officer_only_their_own_documents(many_documents, officer_urumqi, kashgar, client_for):
    client = client_for(officer_urumqi)
    # The prefecture filter is not offered to an officer; asking for another prefecture changes nothing.
    response = client.get(_url("allocations:document_list"))
    assert "prefecture" not in response.context["filter"].form.fields
    rows = csv_rows(client.get(_url("allocations:document_list"), {"year": 2024, "prefecture": kashgar.pk, "_export": "csv"}))
    numbers = column(rows, "文号")
    assert len(numbers) == 15
    assert all(int(re.search(r"〕(\d+)号", n).group(1)) % 2 == 0 for n in numbers)


def test_it_refuses_an_unknown_export_format(region_admin, client_for):
    response = client_for(region_admin).get(_url("allocations:document_list"), {"_export": "pdf"})
    assert response.status_code == 400
    assert "只能导出 CSV 或 XLSX" in response.content.decode()


def test_it_bounds_the_export_by_the_setting(many_documents, region_admin, client_for, settings):
    settings.LISTING_EXPORT_LIMIT = 4
    client = client_for(region_admin)
    rows = csv_rows(client.get(_url("allocations:document_list"), {"year": 2024, "sort": "number", "_export": "csv"}))
    assert column(rows, "文号") == [f"测试〔2024〕{i:02d}号" for i in range(4)]
    assert "最多 4 行" in client.get(_url("allocations:document_list")).content.decode()


# Prefectures


def test_it_filters_sorts_and_exports_prefectures(region_admin, urumqi, client_for):
    client = client_for(region_admin)
    assert column(csv_rows(client.get(_url("allocations:prefecture_list"), {"prefecture": urumqi.pk, "_export": "csv"})), "地（州、市）") == [
        "乌鲁木齐市"
    ]
    response = client.get(_url("allocations:prefecture_list"), {"sort": "-county_count", "_export": "csv"})
    counts = [int(n) for n in column(csv_rows(response), "县（市、区）数")]
    assert len(counts) == Prefecture.objects.count()
    assert counts == sorted(counts, reverse=True) and counts != sorted(counts)


def test_it_exports_an_officer_only_their_prefecture(officer_kashgar, urumqi, client_for):
    rows = csv_rows(client_for(officer_kashgar).get(_url("allocations:prefecture_list"), {"prefecture": urumqi.pk, "_export": "csv"}))
    assert column(rows, "地（州、市）") == ["喀什地区"]


# Target tables and their review queue


@pytest.mark.parametrize("name", ["targets:table_list", "targets:review_queue"])
def test_it_filters_and_exports_target_tables(name, hr_reviewer, region_admin, urumqi, client_for):
    table = TargetTable.objects.get(prefecture=urumqi)
    TargetTable.objects.filter(pk=table.pk).update(title=FORMULA)
    client = client_for(region_admin if name == "targets:table_list" else hr_reviewer)

    everything = csv_rows(client.get(_url(name), {"_export": "csv"}))
    assert len(everything) - 1 == TargetTable.objects.count() == 15
    narrowed = csv_rows(client.get(_url(name), {"scope": urumqi.pk, "_export": "csv"}))
    assert column(narrowed, "范围") == ["乌鲁木齐市"]
    assert column(narrowed, "表名") == ["'" + FORMULA]
    sheet = xlsx_rows(client.get(_url(name), {"scope": urumqi.pk, "_export": "xlsx"}))
    assert [cell.value for cell in sheet[1]][2] == FORMULA and sheet[1][2].data_type == "s"


@pytest.mark.parametrize("name", ["targets:table_list", "targets:review_queue"])
def test_it_exports_an_officer_only_their_own_target_tables(name, officer_urumqi, kashgar, client_for):
    client = client_for(officer_urumqi)
    rows = csv_rows(client.get(_url(name), {"scope": kashgar.pk, "_export": "csv"}))
    assert column(rows, "范围") == ["乌鲁木齐市"]


def test_it_sorts_target_tables(region_admin, client_for):
    rows = csv_rows(client_for(region_admin).get(_url("targets:table_list"), {"sort": "-target_count", "_export": "csv"}))
    counts = [int(n) for n in column(rows, "指标数")]
    assert counts == sorted(counts, reverse=True)


# Feedback reports, the review queue and the overdue list


@pytest.fixture
def reports(notice_document, urumqi, kashgar):
    opened = []
    for prefecture in (urumqi, kashgar):
        for month in (7, 8, 9):
            opened.append(workflow.open_report(prefecture, date(2023, month, 1)))
    FeedbackReport.objects.filter(month__month=9).update(status=ReportStatus.SUBMITTED)
    return opened


def test_it_filters_and_exports_feedback_reports(reports, region_admin, urumqi, client_for):
    client = client_for(region_admin)
    rows = csv_rows(client.get(_url("feedback:report_list"), {"prefecture": urumqi.pk, "month_number": 8, "_export": "csv"}))
    # Dates are exported as dates (ISO in CSV, date cells in XLSX), not as display text.
    assert [row[:2] for row in rows[1:]] == [["乌鲁木齐市", "2023-08-01"]]
    sheet = xlsx_rows(client.get(_url("feedback:report_list"), {"prefecture": urumqi.pk, "_export": "xlsx"}))
    headers = [cell.value for cell in sheet[0]]
    assert len(sheet) - 1 == 3
    assert all(isinstance(row[headers.index("资金金额（万元）")].value, (int, float)) for row in sheet[1:])
    statuses = column(csv_rows(client.get(_url("feedback:report_list"), {"status": ReportStatus.SUBMITTED, "_export": "csv"})), "状态")
    assert statuses == [str(ReportStatus.SUBMITTED.label)] * 2


def test_it_exports_an_officer_only_their_own_reports(reports, officer_urumqi, kashgar, client_for):
    client = client_for(officer_urumqi)
    assert column(csv_rows(client.get(_url("feedback:report_list"), {"_export": "csv"})), "地（州、市）") == ["乌鲁木齐市"] * 3
    # Another prefecture is not a choice: the filter refuses it and nothing is exported.
    assert csv_rows(client.get(_url("feedback:report_list"), {"prefecture": kashgar.pk, "_export": "csv"}))[1:] == []


def test_it_filters_and_exports_the_feedback_review_queue(reports, region_admin, kashgar, client_for):
    client = client_for(region_admin)
    assert len(csv_rows(client.get(_url("feedback:review_queue"), {"_export": "csv"}))) - 1 == 2
    rows = csv_rows(client.get(_url("feedback:review_queue"), {"prefecture": kashgar.pk, "_export": "csv"}))
    assert column(rows, "地（州、市）") == ["喀什地区"]


def test_it_filters_and_exports_the_overdue_list(reports, region_admin, officer_urumqi, kashgar, client_for, monkeypatch):
    monkeypatch.setattr(clock, "today", lambda: date(2023, 10, 20))
    client = client_for(region_admin)
    everything = csv_rows(client.get(_url("feedback:overdue"), {"_export": "csv"}))
    assert len({row[0] for row in everything[1:]}) > 2  # every prefecture with overdue months
    rows = csv_rows(client.get(_url("feedback:overdue"), {"prefecture": kashgar.pk, "_export": "csv"}))
    assert rows[1:] and {row[0] for row in rows[1:]} == {"喀什地区"}
    assert "" not in rows[0]  # the link column is not exported

    officer = client_for(officer_urumqi)
    rows = csv_rows(officer.get(_url("feedback:overdue"), {"prefecture": kashgar.pk, "_export": "csv"}))
    assert {row[0] for row in rows[1:]} == {"乌鲁木齐市"}


# The change log answers the listings' parameter too


def test_it_exports_the_change_log_with_the_listing_parameter(many_documents, auditor, client_for):
    rows = csv_rows(client_for(auditor).get(_url("oversight:changelog"), {"_export": "csv"}))
    assert rows[0][0] == "时间（北京时间）"


def test_it_shows_the_region_for_region_wide_users_and_the_prefecture_for_officers(region_admin, officer_urumqi, client_for):
    html = client_for(region_admin).get(_url("allocations:document_list")).content.decode()
    assert re.search(r'class="user-role">自治区 · ', html)
    html = client_for(officer_urumqi).get(_url("allocations:document_list")).content.decode()
    assert re.search(r'class="user-role">乌鲁木齐市 · ', html)
