"""The admin's flat line import into a 转下达 draft: the prefecture's share in the parent still holds.

乌鲁木齐市 has 8,294 in 新财社〔2023〕74号; its draft 乌财社〔2023〕12号 already passes 1,200 of it to 天山区.
"""

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from allocations.models import County, Prefecture
from allocations.reallocation import ProposedLine, create_reallocation

NUMBER = "乌财社〔2023〕12号"
HEADER = "文号,地州市,县市区,拨付金额,备注\n"
IMPORT = reverse("admin:allocations_allocationline_import")
PROCESS = reverse("admin:allocations_allocationline_process_import")
CSV_FORMAT = "1"  # IMPORT_EXPORT_FORMATS = [XLSX, CSV]


@pytest.fixture
def draft(notice_document):
    urumqi = Prefecture.objects.get(name="乌鲁木齐市")
    county = County.objects.get(prefecture=urumqi, name="天山区")
    return create_reallocation(notice_document, urumqi, NUMBER, "关于转下达就业补助资金的通知", [ProposedLine(county, Decimal("1200"))])


def _import(client, *rows):
    text = HEADER + "".join(f"{NUMBER},乌鲁木齐市,{county},{amount},\n" for county, amount in rows)
    upload = SimpleUploadedFile("lines.csv", text.encode("utf-8"), content_type="text/csv")
    return client.post(IMPORT, {"import_file": upload, "format": CSV_FORMAT, "resource": "0"})


def _errors(result):
    return {row.number: [str(m) for ms in row.error_dict.values() for m in ms] for row in result.invalid_rows}


def _lines(draft):
    return {line.county.name: line.amount for line in draft.lines.select_related("county")}


def test_it_refuses_a_row_over_the_prefectures_share_and_takes_one_within_it(region_admin, draft, client_for):
    client = client_for(region_admin)

    page = _import(client, ("米东区", "99999"))
    refused = page.context["result"]
    # 天山区 goes from 1,200 to 8,000: with 米东区's 294 the share exactly; the old 1,200 is not counted again.
    preview = _import(client, ("天山区", "8000"), ("米东区", "294"))
    assert not preview.context["result"].has_validation_errors()
    confirmed = client.post(PROCESS, preview.context["confirm_form"].initial)

    assert _errors(refused) == {
        1: ["第1行：乌鲁木齐市 转下达合计 101199 超过 新财社〔2023〕74号 中的小计 8294。"],
    }
    assert "第1行：乌鲁木齐市 转下达合计 101199 超过" in page.content.decode()
    assert confirmed.status_code == 302
    assert _lines(draft) == {"天山区": Decimal("8000"), "米东区": Decimal("294")}


def test_it_counts_the_earlier_rows_of_the_same_file(region_admin, draft, client_for):
    result = _import(client_for(region_admin), ("米东区", "5000"), ("沙依巴克区", "2000"), ("水磨沟区", "95")).context["result"]

    # 1,200 + 5,000 + 2,000 = 8,200 fits; the third row's 95 does not.
    assert _errors(result) == {
        3: ["第3行：乌鲁木齐市 转下达合计 8295 超过 新财社〔2023〕74号 中的小计 8294。"],
    }
    assert _lines(draft) == {"天山区": Decimal("1200")}

