"""The region admin's upload page and the admin's import: the same importer, the result on the page."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.treasury.conftest import state
from tests.treasury.payment_files import csv_bytes, row, sample_path
from treasury.models import Payment

URL = "/treasury/upload/"


def _sample():
    return SimpleUploadedFile("payments_2023_06_07.xlsx", sample_path().read_bytes())


@pytest.mark.parametrize("role", ["officer_urumqi", "hr_reviewer", "auditor"])
def test_it_refuses_everyone_but_the_region_admin(client_for, request, role):
    client = client_for(request.getfixturevalue(role))

    assert client.get(URL).status_code == 403
    assert client.post(URL, {"file": _sample()}).status_code == 403
    assert not Payment.objects.exists()


def test_it_imports_the_sample_and_says_what_it_did(client_for, region_admin):
    response = client_for(region_admin).post(URL, {"file": _sample()})

    assert "读取 237 行，新增 237 行，已存在 0 行，拒绝 0 行" in response.content.decode()
    assert Payment.objects.count() == 237


def test_it_shows_the_refusal_and_writes_nothing(client_for, region_admin):
    before = state()
    bad = SimpleUploadedFile("payments.csv", csv_bytes([row("ZF1"), row("ZF2", amount="1.005")], "gb18030"))

    page = client_for(region_admin).post(URL, {"file": bad}).content.decode()

    assert "未能导入，未写入任何数据" in page
    assert "第3行（ZF2）：支付金额（元）最多保留2位小数（1.005）" in page
    assert state() == before


def test_it_imports_through_the_admin_too(client_for, region_admin, auditor):
    assert client_for(auditor).get("/admin/treasury/payment/import/").status_code == 403

    response = client_for(region_admin).post("/admin/treasury/payment/import/", {"file": _sample()})

    assert "新增 237 行" in response.content.decode()
    assert Payment.objects.count() == 237
