"""The admin flat import's confirm step imports only the file this session uploaded, checked again."""

import os
import time
from decimal import Decimal

import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

import core.flat_import_confirm as confirm
from allocations.models import AllocationDocument, AllocationLine
from core.flat_import_confirm import remove_stale, tmp_folder
from tests.allocations.pages import visible_text

DRAFT = "测试〔2023〕1号"
HEADER = "文号,地州市,县市区,拨付金额,备注\n"
IMPORT = reverse("admin:allocations_allocationline_import")
PROCESS = reverse("admin:allocations_allocationline_process_import")
CSV_FORMAT = "1"
REFUSED = "导入确认已失效，或文件不是本次会话上传的，请重新上传文件。"


@pytest.fixture(autouse=True)
def own_tmp_folder(settings, tmp_path):
    # These tests plant, age and sweep files: never in a folder a running server or another test run uses.
    settings.FLAT_IMPORT_TMP_DIR = str(tmp_path / "flat-import")


@pytest.fixture
def draft(notice_document):
    return AllocationDocument.objects.create(
        number=DRAFT, title="测试文件", year=2023, fund=notice_document.fund, declared_total=Decimal("450")
    )


def _preview(client, rows=f"{DRAFT},昌吉州,高新区,50,\n"):
    upload = SimpleUploadedFile("lines.csv", (HEADER + rows).encode("utf-8"), content_type="text/csv")
    response = client.post(IMPORT, {"import_file": upload, "format": CSV_FORMAT, "resource": "0"})
    assert response.status_code == 200
    return response.context["confirm_form"].initial


def _many_rows(count):
    return HEADER + "".join(f"{DRAFT},昌吉州,高新区,{n},\n" for n in range(1, count + 1))


def _refused(response, client):
    assert response.status_code == 302
    return visible_text(client.get(response["Location"]).content.decode())


def test_it_confirms_the_file_this_session_uploaded(region_admin, draft, client_for):
    client = client_for(region_admin)
    form = _preview(client)

    confirmed = client.post(PROCESS, form)

    assert confirmed.status_code == 302
    assert draft.lines.get().amount == Decimal("50")
    # Confirmed once: the same name is not accepted again.
    assert REFUSED in _refused(client.post(PROCESS, form), client)
    assert draft.lines.get().amount == Decimal("50")


def test_it_refuses_a_file_in_the_temporary_folder_this_session_did_not_upload(region_admin, draft, client_for):
    tmp_folder().mkdir(parents=True, exist_ok=True)
    planted = tmp_folder() / ("a" * 32)
    planted.write_text(_many_rows(6000), encoding="utf-8")
    client = client_for(region_admin)
    form = _preview(client)

    response = client.post(PROCESS, form | {"import_file_name": planted.name})

    assert REFUSED in _refused(response, client)
    assert not draft.lines.exists()
    assert planted.exists()  # not deleted either
    planted.unlink()


@pytest.mark.parametrize("name", ["", "../../etc/passwd", "/etc/hostname", "0" * 31 + "g"])
def test_it_refuses_a_missing_or_forged_name_without_a_500(name, region_admin, draft, client_for):
    client = client_for(region_admin)
    form = _preview(client)
    form["import_file_name"] = name

    response = client.post(PROCESS, form)

    assert REFUSED in _refused(response, client)
    assert not draft.lines.exists()


def test_it_refuses_another_sessions_upload(region_admin, draft, client_for):
    other = Client()
    other.force_login(region_admin)
    theirs = _preview(other)
    client = client_for(region_admin)
    _preview(client)

    response = client.post(PROCESS, theirs)

    assert REFUSED in _refused(response, client)
    assert not draft.lines.exists()


def test_it_checks_the_stored_file_again_at_the_confirm_step(region_admin, draft, client_for):
    client = client_for(region_admin)
    form = _preview(client)
    (tmp_folder() / form["import_file_name"]).write_text(_many_rows(6000), encoding="utf-8")

    response = client.post(PROCESS, form)

    assert "文件超过 5000 行的上限，请拆分后再导入。" in _refused(response, client)
    assert not AllocationLine.objects.filter(document=draft).exists()


def test_it_removes_uploads_never_confirmed(region_admin, draft, client_for, settings):
    client = client_for(region_admin)
    stale = tmp_folder() / _preview(client)["import_file_name"]
    old = time.time() - settings.FLAT_IMPORT_TMP_MAX_AGE - 60
    os.utime(stale, (old, old))
    fresh = tmp_folder() / _preview(client)["import_file_name"]  # an upload sweeps the folder

    assert not stale.exists()
    assert fresh.exists()
    assert remove_stale(now=time.time() + settings.FLAT_IMPORT_TMP_MAX_AGE + 60) >= 1
    assert not fresh.exists()


def test_it_imports_a_double_clicked_confirm_once_and_answers_both_clicks(region_admin, draft, client_for, monkeypatch):
    client = client_for(region_admin)
    form = _preview(client)
    checked, second = confirm.refusal, []

    def second_click_while_the_first_is_checked(*args):
        # The first request has passed the session check; the second arrives with the same session.
        if not second:
            second.append(None)
            second.append(client.post(PROCESS, form))
        return checked(*args)

    monkeypatch.setattr(confirm, "refusal", second_click_while_the_first_is_checked)
    first = client.post(PROCESS, form)

    assert first.status_code == 302
    # Read from the request itself: the first request, finishing last, writes the message storage over it.
    assert second[1]["Location"] == IMPORT
    assert [str(message) for message in get_messages(second[1].wsgi_request)] == [REFUSED]
    assert draft.lines.get().amount == Decimal("50")
    assert not any(tmp_folder().iterdir())


def test_it_refuses_an_upload_older_than_the_limit_even_before_a_sweep(region_admin, draft, client_for, settings):
    client = client_for(region_admin)
    form = _preview(client)
    old = time.time() - settings.FLAT_IMPORT_TMP_MAX_AGE - 60
    os.utime(tmp_folder() / form["import_file_name"], (old, old))

    response = client.post(PROCESS, form)

    assert REFUSED in _refused(response, client)
    assert not draft.lines.exists()
