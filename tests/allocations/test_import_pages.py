"""Uploading an official 附件1 workbook through the web page: check, preview, confirm."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from allocations.models import AllocationDocument, AllocationLine, DocumentStatus
from tests.allocations.pages import hidden_fields, page, sheet, visible_text

NEW_NUMBER = "新财社〔2023〕99号"
UPLOAD = reverse("allocations:import_upload")
CONFIRM = reverse("allocations:import_confirm")


def _upload(client, content, name="分配表.xlsx", number=NEW_NUMBER, **extra):
    data = {"file": SimpleUploadedFile(name, content), "number": number, **extra}
    return client.post(UPLOAD, data)


def _sample(path):
    return path.read_bytes()


def _nothing_written():
    assert list(AllocationDocument.objects.values_list("number", flat=True)) == ["新财社〔2023〕74号"]
    assert AllocationLine.objects.count() == 100


def test_it_previews_the_sample_then_imports_it_on_confirmation(region_admin, sample_workbook_path, client_for):
    client = client_for(region_admin)

    preview = _upload(
        client, _sample(sample_workbook_path), title="关于拨付2023年中央财政就业补助资金（第二批）预算的通知", issued_on="2023-06-05"
    )

    assert preview.status_code == 200
    html = page(preview)
    assert preview.context["errors"] == []
    assert "72,988" in visible_text(html)
    assert len(sheet(html, "line")) == 100
    assert [row.cells[3] for row in sheet(html, "total")] == ["72,988.00"]
    _nothing_written()  # a preview writes nothing

    confirmed = client.post(CONFIRM, hidden_fields(html, CONFIRM))

    document = AllocationDocument.objects.get(number=NEW_NUMBER)
    assert confirmed.status_code == 302
    assert confirmed["Location"] == reverse("allocations:document_detail", args=[document.pk])
    assert document.lines.count() == 100
    assert document.subtotals.count() == 14
    assert document.status == DocumentStatus.DRAFT
    assert document.title == "关于拨付2023年中央财政就业补助资金（第二批）预算的通知"
    assert str(document.issued_on) == "2023-06-05"
    assert document.direct_mark == "01 中央直达资金"
    assert document.reconciliation() == []
    assert f"已导入 {NEW_NUMBER}" in visible_text(page(client.get(confirmed["Location"])))


def test_it_shows_a_clear_error_for_a_file_that_is_not_a_workbook(region_admin, client_for):
    response = _upload(client_for(region_admin), b"not a workbook")

    assert response.status_code == 200
    assert response.context["errors"]
    assert "确认导入" not in page(response)
    assert response.context["errors"][0] in visible_text(page(response))
    _nothing_written()


def test_it_refuses_a_file_that_is_not_xlsx_in_the_form(region_admin, client_for):
    response = _upload(client_for(region_admin), b"a,b\n", name="分配表.csv")

    assert response.status_code == 200
    assert "只能上传 .xlsx 格式的 Excel 文件" in visible_text(page(response))
    _nothing_written()


def test_it_refuses_a_file_over_the_size_limit_in_the_form(region_admin, sample_workbook_path, client_for, settings):
    settings.ALLOCATION_UPLOAD_MAX_BYTES = 1024

    response = _upload(client_for(region_admin), _sample(sample_workbook_path))

    assert response.status_code == 200
    assert "文件过大" in visible_text(page(response)) and "上传上限为 1 KB" in visible_text(page(response))
    _nothing_written()


def test_it_requires_a_document_number(region_admin, sample_workbook_path, client_for):
    response = _upload(client_for(region_admin), _sample(sample_workbook_path), number="")

    assert response.status_code == 200
    assert response.context["form"].errors.keys() == {"number"}
    _nothing_written()


def test_it_refuses_on_confirmation_a_number_that_already_exists(region_admin, sample_workbook_path, client_for):
    client = client_for(region_admin)
    html = page(_upload(client, _sample(sample_workbook_path), number="新财社〔2023〕74号"))
    assert "已存在" in visible_text(html)  # warned in the preview already

    response = client.post(CONFIRM, hidden_fields(html, CONFIRM))

    assert response.status_code == 200
    assert "文号 新财社〔2023〕74号 已存在" in visible_text(page(response))
    _nothing_written()


def test_it_refuses_a_tampered_preview(region_admin, sample_workbook_path, client_for):
    client = client_for(region_admin)
    fields = hidden_fields(page(_upload(client, _sample(sample_workbook_path))), CONFIRM)
    fields["payload"] = fields["payload"][:-3] + "xyz"

    response = client.post(CONFIRM, fields)

    assert response.status_code == 200
    assert "预览数据无效" in visible_text(page(response))
    _nothing_written()


@pytest.mark.parametrize("role", ["officer_urumqi", "hr_reviewer", "auditor"])
def test_it_refuses_the_import_pages_to_everyone_but_the_region_admin(
    role, request, sample_workbook_path, client_for
):
    client = client_for(request.getfixturevalue(role))

    assert client.get(UPLOAD).status_code == 403
    assert _upload(client, _sample(sample_workbook_path)).status_code == 403
    assert client.post(CONFIRM, {"payload": "x", "number": NEW_NUMBER}).status_code == 403
    assert "导入分配表" not in page(client.get(reverse("allocations:document_list")))
    _nothing_written()
