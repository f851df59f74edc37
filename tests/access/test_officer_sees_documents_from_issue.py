"""An officer sees a regional document from its issue onward, never while the region is still drafting it."""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from allocations.models import AllocationDocument, AllocationLine, County, DocumentStatus, Prefecture, PrefectureSubtotal
from allocations.reallocation import ProposedLine, create_reallocation
from targets.models import TargetTable
from tests.allocations.pages import visible_text

DRAFT_NUMBER = "新财社〔2024〕5号"
# A 小计 no other page carries: seeing it anywhere is seeing the draft.
DRAFT_SUBTOTAL = Decimal("4321.77")


@pytest.fixture
def region_draft(notice_document):
    urumqi = Prefecture.objects.get(name="乌鲁木齐市")
    document = AllocationDocument.objects.create(
        number=DRAFT_NUMBER, title="第三批（拟）", year=2024, fund=notice_document.fund, declared_total=DRAFT_SUBTOTAL
    )
    PrefectureSubtotal.objects.create(document=document, prefecture=urumqi, declared_amount=DRAFT_SUBTOTAL)
    county = County.objects.filter(prefecture=urumqi).order_by("position").first()
    AllocationLine.objects.create(document=document, county=county, amount=DRAFT_SUBTOTAL)
    return document


def _pages(client, document):
    urumqi = Prefecture.objects.get(name="乌鲁木齐市")
    return {
        url: client.get(url)
        for url in (
            reverse("allocations:document_list"),
            reverse("allocations:prefecture_list"),
            reverse("allocations:prefecture_detail", args=[urumqi.pk]),
        )
    }


def test_it_hides_a_region_draft_from_the_officer_it_gives_money_to(officer_urumqi, region_draft, client_for):
    client = client_for(officer_urumqi)

    assert client.get(reverse("allocations:document_detail", args=[region_draft.pk])).status_code == 404
    assert client.get(reverse("allocations:document_export", args=[region_draft.pk])).status_code == 404
    for url, response in _pages(client, region_draft).items():
        assert response.status_code == 200, url
        text = visible_text(response.content.decode())
        assert DRAFT_NUMBER not in text, url
        assert "4,321.77" not in text, url
    assert not AllocationDocument.objects.visible_to(officer_urumqi).filter(pk=region_draft.pk).exists()
    assert not AllocationLine.objects.visible_to(officer_urumqi).filter(document=region_draft).exists()


def test_it_shows_the_document_to_the_officer_once_issued(officer_urumqi, region_draft, client_for):
    region_draft.status = DocumentStatus.ISSUED
    region_draft.save(update_fields=["status"])
    client = client_for(officer_urumqi)

    response = client.get(reverse("allocations:document_detail", args=[region_draft.pk]))

    assert response.status_code == 200
    assert "4,321.77" in visible_text(response.content.decode())
    pages = _pages(client, region_draft)
    assert DRAFT_NUMBER in visible_text(pages[reverse("allocations:document_list")].content.decode())


def test_it_still_shows_the_region_its_own_draft(region_admin, region_draft, client_for):
    response = client_for(region_admin).get(reverse("allocations:document_detail", args=[region_draft.pk]))

    assert response.status_code == 200
    assert "4,321.77" in visible_text(response.content.decode())


def test_it_shows_an_officer_its_own_reallocation_draft(officer_urumqi, notice_document, client_for):
    urumqi = officer_urumqi.prefecture
    county = County.objects.filter(prefecture=urumqi).order_by("position").first()
    # The notice's own amount for that county: a 转下达 copies it.
    amount = notice_document.lines.get(county=county).amount
    draft = create_reallocation(
        notice_document, urumqi, "乌财社〔2023〕9号", "转下达", [ProposedLine(county, amount)], date(2023, 6, 20)
    )
    assert draft.status == DocumentStatus.DRAFT

    response = client_for(officer_urumqi).get(reverse("allocations:document_detail", args=[draft.pk]))

    assert response.status_code == 200


def test_it_hides_the_target_tables_of_a_draft_batch(officer_urumqi, region_draft):
    urumqi = officer_urumqi.prefecture
    table = TargetTable.objects.create(document=region_draft, prefecture=urumqi)

    assert not TargetTable.objects.visible_to(officer_urumqi).filter(pk=table.pk).exists()
    region_draft.status = DocumentStatus.ISSUED
    region_draft.save(update_fields=["status"])
    assert TargetTable.objects.visible_to(officer_urumqi).filter(pk=table.pk).exists()
