"""The import page offers a blank 附件1 (issue 14.10): the official layout, headers only."""

import io

import openpyxl
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from allocations.models import AllocationDocument
from allocations.workbook.export import HEADER
from tests.allocations.pages import page, visible_text

TEMPLATE_URL = reverse("allocations:import_template")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def test_it_links_the_blank_template_from_the_import_page(region_admin, client_for):
    html = page(client_for(region_admin).get(reverse("allocations:import_upload")))

    assert f'href="{TEMPLATE_URL}"' in html
    assert "下载空白附件1模板（.xlsx）" in visible_text(html)


def test_it_downloads_the_official_layout_with_headers_only(region_admin, client_for):
    response = client_for(region_admin).get(TEMPLATE_URL)

    assert response.status_code == 200
    assert response["Content-Type"] == XLSX
    assert "attachment" in response["Content-Disposition"]
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = [[value for value in row if value is not None] for row in sheet.iter_rows(values_only=True)]
    assert rows == [
        ["附件1"],
        ["____年就业补助资金分配表"],
        ["直达资金标识：01 中央直达资金", "单位：万元"],
        list(HEADER),
    ]


def test_it_reads_the_blank_template_back_as_empty_with_one_clear_message(region_admin, client_for):
    client = client_for(region_admin)
    blank = client.get(TEMPLATE_URL).content

    response = client.post(
        reverse("allocations:import_upload"),
        {"file": SimpleUploadedFile("附件1_分配表模板.xlsx", blank), "number": "新财社〔2023〕99号"},
    )

    assert response.status_code == 200
    assert response.context["errors"] == ["表中只有表头，没有数据：请在表头下填写合计行、各县（市、区）分配行和各地小计行后再上传。"]
    assert not AllocationDocument.objects.filter(number="新财社〔2023〕99号").exists()


def test_it_offers_the_template_only_to_who_may_import(officer_urumqi, auditor, client_for):
    for user in (officer_urumqi, auditor):
        assert client_for(user).get(TEMPLATE_URL).status_code == 403
