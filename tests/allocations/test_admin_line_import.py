"""Importing allocation lines in the admin: natural keys, the county by its prefecture, drafts only."""

from decimal import Decimal

import pytest
import tablib
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from allocations.models import AllocationDocument, AllocationLine, County
from allocations.resources import AllocationLineResource

DRAFT = "测试〔2023〕1号"
HEADER = "文号,地州市,县市区,拨付金额,备注\n"
IMPORT = reverse("admin:allocations_allocationline_import")
PROCESS = reverse("admin:allocations_allocationline_process_import")
CSV_FORMAT = "1"  # IMPORT_EXPORT_FORMATS = [XLSX, CSV]


@pytest.fixture
def draft(notice_document):
    return AllocationDocument.objects.create(
        number=DRAFT, title="测试文件", year=2023, fund=notice_document.fund, declared_total=Decimal("450")
    )


def _dry_run(client, rows):
    upload = SimpleUploadedFile("lines.csv", (HEADER + rows).encode("utf-8"), content_type="text/csv")
    return client.post(IMPORT, {"import_file": upload, "format": CSV_FORMAT, "resource": "0"})


def _row_errors(result):
    return [str(error) for row in result.invalid_rows for error in row.error_dict.values()]


def test_it_imports_lines_in_the_admin_finding_each_county_by_its_prefecture(region_admin, draft, client_for):
    client = client_for(region_admin)
    rows = f"{DRAFT},昌吉州,高新区,50,\n{DRAFT},乌鲁木齐市,高新区（新市区）,400,园区\n"

    preview = _dry_run(client, rows)
    assert preview.status_code == 200
    assert not preview.context["result"].has_errors()
    assert not preview.context["result"].has_validation_errors()
    assert draft.lines.count() == 0  # the preview is a dry run
    confirmed = client.post(PROCESS, preview.context["confirm_form"].initial)

    assert confirmed.status_code == 302
    lines = {(line.county.prefecture.name, line.county.name): (line.amount, line.note) for line in draft.lines.all()}
    assert lines == {("昌吉州", "高新区"): (Decimal("50"), ""), ("乌鲁木齐市", "高新区（新市区）"): (Decimal("400"), "园区")}


def test_it_refuses_lines_for_an_issued_document(region_admin, notice_document, client_for):
    rows = "新财社〔2023〕74号,昌吉州,高新区,999,\n"

    result = _dry_run(client_for(region_admin), rows).context["result"]

    assert result.has_validation_errors()
    assert any("新财社〔2023〕74号 已下达" in message for message in _row_errors(result))
    assert AllocationLine.objects.get(document=notice_document, county__name="高新区").amount == Decimal("50")


def test_it_names_an_unknown_county_document_or_amount(draft, db):
    dataset = tablib.Dataset(headers=["文号", "地州市", "县市区", "拨付金额", "备注"])
    dataset.append([DRAFT, "乌鲁木齐市", "经开区", "10", ""])  # 经开区 is 喀什地区's
    dataset.append(["无此文号", "昌吉州", "高新区", "10", ""])
    dataset.append([DRAFT, "昌吉州", "高新区", "十", ""])
    dataset.append([DRAFT, "昌吉州", "昌吉市", "-1", ""])
    dataset.append([DRAFT, "昌吉州", "阜康市", "1.234", ""])

    result = AllocationLineResource().import_data(dataset, dry_run=True)

    messages = _row_errors(result)
    assert len(result.invalid_rows) == 5 and not result.has_errors()
    assert any("乌鲁木齐市 没有名为“经开区”的县（市、区）" in m for m in messages)
    assert any("未知的文号：无此文号" in m for m in messages)
    assert any("拨付金额“十”不是数字" in m for m in messages)
    assert any("拨付金额不能为负数" in m for m in messages)
    assert any("拨付金额最多保留2位小数（1.234）" in m for m in messages)  # not rounded away in silence
    assert draft.lines.count() == 0


def test_it_exports_lines_with_their_natural_keys_and_the_direct_mark(notice_document):
    dataset = AllocationLineResource().export(AllocationLine.objects.filter(county__name="高新区"))

    assert dataset.headers == ["文号", "地州市", "县市区", "拨付金额", "备注", "直达资金标识"]
    assert dataset[0][:4] == ("新财社〔2023〕74号", "昌吉州", "高新区", Decimal("50"))
    assert dataset[0][5] == "01 中央直达资金"


def test_it_updates_the_line_named_by_its_natural_keys(draft, db):
    county = County.objects.get(prefecture__name="昌吉州", name="高新区")
    AllocationLine.objects.create(document=draft, county=county, amount=Decimal("50"))
    dataset = tablib.Dataset(headers=["文号", "地州市", "县市区", "拨付金额", "备注"])
    dataset.append([DRAFT, "昌吉州", "高新区", "80", "调整"])

    result = AllocationLineResource().import_data(dataset, dry_run=False)

    assert not result.has_errors() and not result.has_validation_errors()
    assert [row.import_type for row in result.rows] == ["update"]
    assert [(line.county, line.amount, line.note) for line in draft.lines.all()] == [(county, Decimal("80"), "调整")]
