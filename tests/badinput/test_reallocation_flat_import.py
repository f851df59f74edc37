"""The admin's flat line import into a 转下达 draft: the parent still decides.

乌鲁木齐市 has 8,294 in 新财社〔2023〕74号, split among its eight counties; its draft
乌财社〔2023〕12号 already passes 天山区's 1,200 on. A row must copy the notice's amount
for its county. Where a parent gives 乌鲁木齐市 a 小计 only, the rows stay within it.
"""

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from allocations.models import County, Prefecture
from allocations.reallocation import ProposedLine, create_reallocation
from tests.allocations.reallocation_helpers import IN_TIME, lump_sum_document

NUMBER = "乌财社〔2023〕12号"
HEADER = "文号,地州市,县市区,拨付金额,备注\n"
IMPORT = reverse("admin:allocations_allocationline_import")
PROCESS = reverse("admin:allocations_allocationline_process_import")
CSV_FORMAT = "1"  # IMPORT_EXPORT_FORMATS = [XLSX, CSV]


def _draft(parent, amount):
    urumqi = Prefecture.objects.get(name="乌鲁木齐市")
    county = County.objects.get(prefecture=urumqi, name="天山区")
    return create_reallocation(parent, urumqi, NUMBER, "关于转下达就业补助资金的通知", [ProposedLine(county, Decimal(amount))], IN_TIME)


@pytest.fixture
def draft(notice_document):
    return _draft(notice_document, "1200")


@pytest.fixture
def lump_sum_draft(notice_document):
    """A draft under a parent that gives 乌鲁木齐市 8,294 as a whole: 1,200 of it to 天山区 so far."""
    parent = lump_sum_document(notice_document.fund, Prefecture.objects.get(name="乌鲁木齐市"), "8294")
    return _draft(parent, "1200")


def _import(client, *rows):
    text = HEADER + "".join(f"{NUMBER},乌鲁木齐市,{county},{amount},\n" for county, amount in rows)
    upload = SimpleUploadedFile("lines.csv", text.encode("utf-8"), content_type="text/csv")
    return client.post(IMPORT, {"import_file": upload, "format": CSV_FORMAT, "resource": "0"})


def _errors(result):
    return {row.number: [str(m) for ms in row.error_dict.values() for m in ms] for row in result.invalid_rows}


def _lines(draft):
    return {line.county.name: line.amount for line in draft.lines.select_related("county")}


def test_it_refuses_a_row_other_than_the_notices_amount_and_takes_one_that_copies_it(region_admin, draft, client_for):
    client = client_for(region_admin)

    page = _import(client, ("米东区", "99999"))
    refused = page.context["result"]
    preview = _import(client, ("米东区", "1500"), ("沙依巴克区", "1834"))
    assert not preview.context["result"].has_validation_errors()
    confirmed = client.post(PROCESS, preview.context["confirm_form"].initial)

    assert _errors(refused)[1][0] == "第1行：米东区：上级文件分配 1500 万元，转下达 99999 万元。"
    assert "第1行：米东区：上级文件分配 1500 万元，转下达 99999 万元。" in page.content.decode()
    assert confirmed.status_code == 302
    assert _lines(draft) == {"天山区": Decimal("1200"), "米东区": Decimal("1500"), "沙依巴克区": Decimal("1834")}


def test_it_refuses_a_county_line_of_zero_and_a_county_moved_into_another(region_admin, draft, client_for):
    result = _import(client_for(region_admin), ("天山区", "8000"), ("米东区", "0")).context["result"]

    errors = _errors(result)
    assert errors[1][0] == "第1行：天山区：上级文件分配 1200 万元，转下达 8000 万元。"
    assert errors[2][0] == "第2行：米东区：上级文件分配 1500 万元，转下达 0 万元。"
    assert _lines(draft) == {"天山区": Decimal("1200")}


def test_it_refuses_a_county_passed_on_in_another_reallocation(region_admin, draft, notice_document, client_for):
    urumqi = Prefecture.objects.get(name="乌鲁木齐市")
    create_reallocation(
        notice_document, urumqi, "乌财社〔2023〕13号", "转下达", [ProposedLine(County.objects.get(name="米东区"), Decimal("1500"))], IN_TIME
    )

    result = _import(client_for(region_admin), ("米东区", "1500")).context["result"]

    assert _errors(result)[1][0] == "第1行：米东区：已在 乌财社〔2023〕13号 中转下达，每个县（市、区）只能转下达一次。"


def test_it_refuses_a_row_over_a_lump_sum_share_and_takes_one_within_it(region_admin, lump_sum_draft, client_for):
    client = client_for(region_admin)

    page = _import(client, ("米东区", "99999"))
    refused = page.context["result"]
    # 天山区 goes from 1,200 to 8,000: with 米东区's 294 the share exactly; the old 1,200 is not counted again.
    preview = _import(client, ("天山区", "8000"), ("米东区", "294"))
    assert not preview.context["result"].has_validation_errors()
    confirmed = client.post(PROCESS, preview.context["confirm_form"].initial)

    assert _errors(refused) == {
        1: ["第1行：乌鲁木齐市 转下达合计 101199 超过 测试〔2023〕50号 中的小计 8294。"],
    }
    assert "第1行：乌鲁木齐市 转下达合计 101199 超过" in page.content.decode()
    assert confirmed.status_code == 302
    assert _lines(lump_sum_draft) == {"天山区": Decimal("8000"), "米东区": Decimal("294")}


def test_it_counts_the_earlier_rows_of_the_same_file(region_admin, lump_sum_draft, client_for):
    result = _import(client_for(region_admin), ("米东区", "5000"), ("沙依巴克区", "2000"), ("水磨沟区", "95")).context["result"]

    # 1,200 + 5,000 + 2,000 = 8,200 fits; the third row's 95 does not.
    assert _errors(result) == {
        3: ["第3行：乌鲁木齐市 转下达合计 8295 超过 测试〔2023〕50号 中的小计 8294。"],
    }
    assert _lines(lump_sum_draft) == {"天山区": Decimal("1200")}
