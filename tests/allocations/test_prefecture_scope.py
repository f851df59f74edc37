"""An officer sees their own prefecture's figures and nothing of any other prefecture."""

from decimal import Decimal

import pytest
from django.urls import reverse

from allocations.models import AllocationDocument, AllocationLine, County, Prefecture
from allocations.reallocation import ProposedLine, create_reallocation
from tests.allocations.pages import KASHGAR_COUNTIES, NOTICE_SUBTOTALS, page, sheet, table_rows, visible_text
from tests.allocations.reallocation_helpers import IN_TIME

OTHER_SUBTOTALS = [amount for name, amount in NOTICE_SUBTOTALS if name != "乌鲁木齐市"]


@pytest.fixture
def kashgar_reallocation(notice_document):
    kashgar = Prefecture.objects.get(name="喀什地区")
    shache = County.objects.get(prefecture=kashgar, name="莎车县")
    return create_reallocation(
        notice_document, kashgar, "喀地财社〔2023〕5号", "关于转下达就业补助资金的通知", [ProposedLine(shache, Decimal("2169"))], IN_TIME
    )


@pytest.fixture
def urumqi_reallocation(notice_document):
    urumqi = Prefecture.objects.get(name="乌鲁木齐市")
    tianshan = County.objects.get(prefecture=urumqi, name="天山区")
    return create_reallocation(
        notice_document, urumqi, "乌财社〔2023〕12号", "关于转下达就业补助资金的通知", [ProposedLine(tianshan, Decimal("1200"))], IN_TIME
    )


def _text(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return visible_text(page(response))


def _assert_nothing_of_other_prefectures(text):
    assert "72,988" not in text and "72988" not in text
    for amount in OTHER_SUBTOTALS:
        assert amount not in text and amount.replace(",", "") not in text
    for county in KASHGAR_COUNTIES:
        assert county not in text
    assert "喀什地区" not in text and "伊犁州" not in text


def test_it_shows_an_officer_only_their_own_lines_of_the_notice(
    officer_urumqi, notice_document, kashgar_reallocation, client_for
):
    html = page(client_for(officer_urumqi).get(reverse("allocations:document_detail", args=[notice_document.pk])))

    assert len(sheet(html, "line")) == 8
    assert {row.prefecture for row in sheet(html, "line")} == {"乌鲁木齐市"}
    assert [(row.prefecture, row.cells[3]) for row in sheet(html, "subtotal")] == [("乌鲁木齐市", "8,294.00")]
    assert sheet(html, "total") == []
    text = visible_text(html)
    assert "8,294" in text
    # Kashgar has passed 2,169 on; that figure and that document stay out of sight too.
    assert "2,169" not in text and "喀地财社" not in text
    _assert_nothing_of_other_prefectures(text)


def test_it_shows_an_officer_their_own_subtotal_in_the_document_list(officer_urumqi, notice_document, client_for):
    text = _text(client_for(officer_urumqi), reverse("allocations:document_list"))

    assert "8,294" in text
    assert "本地区小计" in text
    _assert_nothing_of_other_prefectures(text)


def test_it_lists_only_the_officers_own_prefecture(officer_urumqi, kashgar_reallocation, client_for):
    html = page(client_for(officer_urumqi).get(reverse("allocations:prefecture_list")))

    assert [row.cells[0] for row in table_rows(html)] == ["乌鲁木齐市"]
    _assert_nothing_of_other_prefectures(visible_text(html))


def test_it_shows_an_officer_their_own_prefecture_page(officer_urumqi, client_for):
    urumqi = Prefecture.objects.get(name="乌鲁木齐市")

    text = _text(client_for(officer_urumqi), reverse("allocations:prefecture_detail", args=[urumqi.pk]))

    assert "8,294" in text and "天山区" in text
    _assert_nothing_of_other_prefectures(text)


def test_it_hides_other_prefectures_from_an_officer_with_404(
    officer_urumqi, notice_document, kashgar_reallocation, client_for
):
    client = client_for(officer_urumqi)
    kashgar = Prefecture.objects.get(name="喀什地区")

    for url in (
        reverse("allocations:prefecture_detail", args=[kashgar.pk]),
        reverse("allocations:document_detail", args=[kashgar_reallocation.pk]),
        reverse("allocations:document_export", args=[kashgar_reallocation.pk]),
        # The regional workbook holds every prefecture's lines.
        reverse("allocations:document_export", args=[notice_document.pk]),
    ):
        assert client.get(url).status_code == 404, url


def test_it_lets_an_officer_export_a_reallocation_of_their_own(officer_urumqi, urumqi_reallocation, client_for):
    response = client_for(officer_urumqi).get(reverse("allocations:document_export", args=[urumqi_reallocation.pk]))

    assert response.status_code == 200
    assert response.content[:2] == b"PK"


def test_it_shows_an_officers_own_reallocation_with_its_parent(officer_urumqi, urumqi_reallocation, client_for):
    text = _text(client_for(officer_urumqi), reverse("allocations:document_detail", args=[urumqi_reallocation.pk]))

    assert "新财社〔2023〕74号" in text and "乌鲁木齐市" in text
    assert "1,200" in text and "导出Excel" in text
    _assert_nothing_of_other_prefectures(text)


@pytest.mark.parametrize("role", ["auditor", "hr_reviewer"])
def test_it_shows_region_wide_roles_every_prefecture(role, request, notice_document, kashgar_reallocation, client_for):
    client = client_for(request.getfixturevalue(role))
    kashgar = Prefecture.objects.get(name="喀什地区")

    html = page(client.get(reverse("allocations:document_detail", args=[notice_document.pk])))
    assert len(sheet(html, "line")) == 100
    text = visible_text(html)
    assert "72,988" in text and "13,342" in text and "莎车县" in text
    assert "喀地财社〔2023〕5号" in text  # the 已转下达 section names Kashgar's document

    assert "2,169" in _text(client, reverse("allocations:document_detail", args=[kashgar_reallocation.pk]))
    assert "莎车县" in _text(client, reverse("allocations:prefecture_detail", args=[kashgar.pk]))
    assert len(table_rows(page(client.get(reverse("allocations:prefecture_list"))))) == 14


def test_it_offers_an_officer_only_the_years_of_their_own_documents(officer_urumqi, notice_document, client_for):
    kashgar_only = AllocationDocument.objects.create(
        number="新财社〔2024〕1号", title="喀什专项", year=2024, fund=notice_document.fund, declared_total=Decimal("5")
    )
    AllocationLine.objects.create(
        document=kashgar_only, county=County.objects.get(prefecture__name="喀什地区", name="莎车县"), amount=Decimal("5")
    )

    response = client_for(officer_urumqi).get(reverse("allocations:document_list"))

    assert [value for value, _ in response.context["filter"].form.fields["year"].choices] == ["", 2023]
    assert "新财社〔2024〕1号" not in page(response) and "喀什专项" not in page(response)
