"""The size and row limits: refused before reading, exact at the boundary, and written down in the README."""

import re

import pytest
from django.conf import settings as django_settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from allocations.importing import read_and_check
from allocations.workbook.reader import WorkbookError, read_workbook
from core import flat_import
from feedback.workbook import reader as feedback_reader
from targets.workbook import reader as targets_reader
from tests.allocations.workbooks import Table, write
from tests.badinput.entries import NEW_DOCUMENT
from tests.badinput.files import oversized

pytestmark = pytest.mark.django_db
MEGABYTE = 1024 * 1024


def _never_read(*args, **kwargs):
    pytest.fail("an upload over the size limit was read")


def _allocation_upload(client, content, request):
    return client.post(reverse("allocations:import_upload"), {"file": SimpleUploadedFile("a.xlsx", content), "number": NEW_DOCUMENT})


def _feedback_upload(client, content, request):
    report = request.getfixturevalue("urumqi_july")
    return client.post(reverse("feedback:report_upload", args=[report.pk]), {"file": SimpleUploadedFile("a.xlsx", content)})


def _admin_import(client, content, request):
    upload = SimpleUploadedFile("a.xlsx", content)
    return client.post(reverse("admin:allocations_allocationline_import"), {"import_file": upload, "format": "0", "resource": "0"})


@pytest.mark.parametrize(
    "post, user, reader",
    [
        (_allocation_upload, "region_admin", "allocations.views.imports.read_and_check"),
        (_feedback_upload, "officer_urumqi", "feedback.views.workbooks.import_workbook"),
        (_admin_import, "region_admin", "core.flat_import._xlsx_rows"),
    ],
    ids=["allocation upload", "feedback upload", "admin import"],
)
def test_it_refuses_a_20MB_upload_by_its_size_before_reading_it(post, user, reader, request, client_for, monkeypatch):
    client = client_for(request.getfixturevalue(user))
    monkeypatch.setattr(reader, _never_read)

    response = post(client, oversized(20), request)

    assert response.status_code == 200
    assert "文件过大（20.0 MB），上传上限为 10.0 MB。" in response.content.decode()


def test_it_reads_a_sheet_of_exactly_the_row_limit_and_refuses_one_row_more(reference_data, settings):
    notice = write(Table())
    rows = load_workbook(notice).active.max_row

    settings.ALLOCATION_IMPORT_MAX_ROWS = rows
    assert read_and_check(notice).ok

    settings.ALLOCATION_IMPORT_MAX_ROWS = rows - 1
    # Refused by the streamed scan, before any reader builds the sheet: it names the sheet and the row.
    [error] = read_and_check(notice).errors
    assert error.startswith("工作表“") and f"第 {rows} 行" in error
    assert error.endswith(f"工作表超过 {rows - 1} 行的上限，请拆分后再导入。")


def test_it_stops_reading_200000_rows_at_the_real_limit(large_files, tmp_path):
    path = tmp_path / "many.xlsx"
    path.write_bytes(large_files.many_rows("附件1"))

    with pytest.raises(WorkbookError) as refused:
        read_workbook(path)

    limit = django_settings.ALLOCATION_IMPORT_MAX_ROWS
    # The used range (<dimension>) already says how far the sheet reaches: refused before any row is read.
    assert "工作表“附件”的单元格 E200001 超出范围" in str(refused.value)
    assert str(refused.value).endswith(f"工作表超过 {limit} 行的上限，请拆分后再导入。")


def _readme():
    return (django_settings.BASE_DIR / "README.md").read_text(encoding="utf-8")


def _settings_row(name):
    found = re.search(rf"^\| `{name}` \| ([^|]+) \|", _readme(), re.M)
    assert found, f"{name} is not in the README's settings table"
    return found.group(1).strip()


def test_it_documents_every_upload_limit_in_the_readme():
    assert _settings_row("ALLOCATION_UPLOAD_MAX_BYTES") == f"{django_settings.ALLOCATION_UPLOAD_MAX_BYTES // MEGABYTE} MB"
    assert (
        _settings_row("ALLOCATION_UPLOAD_MAX_UNCOMPRESSED_BYTES")
        == f"{django_settings.ALLOCATION_UPLOAD_MAX_UNCOMPRESSED_BYTES // MEGABYTE} MB"
    )
    assert _settings_row("ALLOCATION_IMPORT_MAX_ROWS") == f"{django_settings.ALLOCATION_IMPORT_MAX_ROWS:,}"
    text = " ".join(_readme().split())
    assert f"附件2 sheet is read to at most {targets_reader.MAX_ROWS:,} filled rows" in text
    assert f"附件3 sheet to {feedback_reader.MAX_ROWS:,} rows" in text
    assert f"takes at most {flat_import.MAX_ROWS:,} data rows" in text
