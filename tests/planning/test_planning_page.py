"""The planning page: region admins upload → preview → confirm a draft; auditors read; others are refused."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from allocations.models import AllocationDocument, AllocationLine
from tests.planning.sheets import deductions_file, factor_sheet, notice_subtotals, subtotal_sheet

pytestmark = pytest.mark.django_db
NEW = "新财社〔2024〕1号"


def upload(client, sheet=None, total="80000", number=NEW, **extra):
    data = {"factors": SimpleUploadedFile("factors.xlsx", sheet or subtotal_sheet()), "total": total, "number": number, **extra}
    return client.post(reverse("planning:plan"), data)


def test_it_previews_the_plan_with_a_chart_against_the_last_batch_and_writes_nothing(region_admin, client_for):
    response = upload(client_for(region_admin))

    assert response.status_code == 200
    html = response.content.decode()
    assert "<svg" in html and "上批（新财社〔2023〕74号）" in html
    assert "确认生成草稿" in html
    assert len(response.context["rows"]) == 14
    assert sum(row["plan"].amount for row in response.context["rows"]) == 80000
    assert not AllocationDocument.objects.filter(number=NEW).exists()


def test_it_saves_the_previewed_plan_as_a_draft_on_confirmation(region_admin, client_for):
    client = client_for(region_admin)
    preview = upload(client)
    payload = preview.context["confirm_form"].initial["payload"]

    response = client.post(reverse("planning:confirm"), {"payload": payload})

    document = AllocationDocument.objects.get(number=NEW)
    assert response.status_code == 302 and response.url == reverse("allocations:document_detail", args=[document.pk])
    assert document.is_draft
    amounts = {row["plan"].name: row["plan"].amount for row in preview.context["rows"]}
    assert dict(document.subtotals.values_list("prefecture__name", "declared_amount")) == amounts
    assert AllocationLine.objects.filter(document=document).count() == 100


def test_it_refuses_a_tampered_payload_and_writes_nothing(region_admin, client_for):
    client = client_for(region_admin)
    payload = upload(client).context["confirm_form"].initial["payload"]

    response = client.post(reverse("planning:confirm"), {"payload": payload[:-2] + "xx"})

    assert response.status_code == 200
    assert "预览数据无效" in response.content.decode()
    assert not AllocationDocument.objects.filter(number=NEW).exists()


def test_it_shows_a_deduction_and_its_reason_in_the_preview(region_admin, client_for):
    deductions = deductions_file([["喀什地区", 500, "违规发放补贴", "新审〔2024〕3号"]])
    response = upload(client_for(region_admin), deductions=SimpleUploadedFile("d.xlsx", deductions))

    html = response.content.decode()
    assert "违规发放补贴（新审〔2024〕3号）" in html
    kashgar = next(row for row in response.context["rows"] if row["plan"].name == "喀什地区")
    exact = 80000 * 13342 / 72988
    assert kashgar["plan"].amount < exact - 400


def test_it_offers_the_explanation_workbook_of_the_previewed_plan(region_admin, client_for):
    client = client_for(region_admin)
    payload = upload(client).context["confirm_form"].initial["payload"]

    response = client.post(reverse("planning:explanation"), {"payload": payload})

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert not AllocationDocument.objects.filter(number=NEW).exists()


def test_it_lets_the_auditor_read_the_rules_but_not_upload(auditor, client_for):
    client = client_for(auditor)

    page = client.get(reverse("planning:plan"))
    assert page.status_code == 200
    assert "审计员只读" in page.content.decode()
    assert 'type="file"' not in page.content.decode()
    assert upload(client).status_code == 403


@pytest.mark.parametrize("actor", ["officer_urumqi", "hr_reviewer"])
def test_it_refuses_everyone_else(actor, request, client_for):
    client = client_for(request.getfixturevalue(actor))

    assert client.get(reverse("planning:plan")).status_code == 403


def test_it_refuses_a_total_that_is_not_whole_naming_it(region_admin, client_for):
    response = upload(client_for(region_admin), total="80000.5")

    assert "总额 80000.5 万元不是整数" in response.content.decode()
    assert "确认生成草稿" not in response.content.decode()


def test_it_names_the_row_and_column_of_a_negative_factor(region_admin, client_for):
    rows = [(name, amount) for name, amount in notice_subtotals()]
    rows[2] = (rows[2][0], -5)
    response = upload(client_for(region_admin), sheet=factor_sheet(["上批分配额（1）"], rows))

    assert "第4行 塔城地区 B4（上批分配额）：数值 -5 为负数" in response.content.decode()


@pytest.mark.parametrize("actor", ["region_admin", "auditor"])
def test_it_speaks_english_to_an_english_user_but_for_the_data(actor, request, client_for):
    from tests.core.test_language import data_strings, untranslated, visible_parts

    user = request.getfixturevalue(actor)
    user.language = "en"
    user.save(update_fields=["language"])
    client = client_for(user)

    html = client.get(reverse("planning:plan")).content.decode()
    assert '<html lang="en">' in html
    assert untranslated(visible_parts(html), data_strings()) == []
