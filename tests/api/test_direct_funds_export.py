"""Issue 17 done-when: export_direct_funds of the notice has its 100 county rows, summing to 72,988, each marked."""

import json
from datetime import date
from decimal import Decimal

from django.core.management import call_command
from openpyxl import load_workbook

from allocations.issuing import issue
from allocations.models import AllocationLine, County, Prefecture
from allocations.reallocation import ProposedLine, create_reallocation
from tests.conftest import NOTICE

MARK = "01 中央直达资金"


def test_it_exports_one_marked_row_per_county_summing_to_the_notice_as_json(notice_document, tmp_path):
    out = tmp_path / "direct.json"
    call_command("export_direct_funds", NOTICE, "--format", "json", "-o", str(out), stdout=open(tmp_path / "log", "w"))
    rows = json.loads(out.read_text(encoding="utf-8"))["rows"]
    assert len(rows) == 100
    assert sum(Decimal(row["allocated"]) for row in rows) == Decimal("72988")
    assert {row["direct_mark"] for row in rows} == {MARK}
    assert {row["number"] for row in rows} == {NOTICE}
    assert all(Decimal(row["unpaid"]) == Decimal(row["allocated"]) for row in rows)  # nothing paid yet
    assert len({(row["prefecture"], row["county"]) for row in rows}) == 100


def test_it_writes_the_same_rows_as_a_workbook(notice_document, tmp_path):
    out = tmp_path / "direct.xlsx"
    call_command("export_direct_funds", NOTICE, "--format", "xlsx", "-o", str(out), stdout=open(tmp_path / "log", "w"))
    sheet = load_workbook(out, read_only=True).worksheets[0]
    header, *rows = list(sheet.values)
    assert header[:4] == ("资金名称", "文号", "上级文号", "直达资金标识")
    assert len(rows) == 100
    allocated = header.index("分配金额（万元）")
    assert sum(Decimal(str(row[allocated])) for row in rows) == sum(
        AllocationLine.objects.filter(document=notice_document).values_list("amount", flat=True)
    )
    assert {row[3] for row in rows} == {MARK}


def test_it_includes_an_issued_reallocation_with_its_parent_number_and_shows_an_officer_only_their_own(
    notice_document, region_admin, urumqi_api, tmp_path
):
    urumqi = Prefecture.objects.get(name="乌鲁木齐市")
    county = County.objects.get(prefecture=urumqi, name="天山区")
    reallocation = create_reallocation(
        notice_document, urumqi, "乌财社〔2023〕12号", "关于转下达就业补助资金的通知",
        [ProposedLine(county, Decimal("1200"))], date(2023, 6, 20),
    )
    issue(reallocation)
    answer = urumqi_api.get(f"/api/v1/documents/{notice_document.pk}/direct-funds/")
    assert answer.status_code == 200, answer.content
    rows = answer.json()["rows"]
    assert {row["prefecture"] for row in rows} == {"乌鲁木齐市"}
    passed_on = [row for row in rows if row["number"] == "乌财社〔2023〕12号"]
    assert passed_on and all(row["parent_number"] == NOTICE and row["direct_mark"] == MARK for row in passed_on)
