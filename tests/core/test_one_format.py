"""One number and date format everywhere (issue 14.7): core.formats, its filters, and the admin."""

from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.template import Context, Template
from django.urls import reverse
from django.utils import translation

from allocations.models import AllocationDocument, PrefectureSubtotal
from allocations.money import grouped
from core import formats
from tests.allocations.pages import page, visible_text

SHANGHAI = ZoneInfo("Asia/Shanghai")


@pytest.mark.parametrize(
    "value, shown",
    [(Decimal("72988"), "72,988.00"), (Decimal("8294.5"), "8,294.50"), (Decimal("-0.456"), "-0.46"), (0, "0.00"), (None, "")],
)
def test_it_writes_money_in_wan_yuan_with_separators_and_two_decimals(value, shown):
    assert formats.money(value) == shown
    assert grouped(value) == shown  # allocations' old name is the same formatter


@pytest.mark.parametrize(
    "value, shown", [(Decimal("1500000.0000"), "1,500,000"), (Decimal("12.3000"), "12.3"), (3000, "3,000"), ("≥95%", "≥95%")]
)
def test_it_writes_counts_and_quantities_with_separators_and_only_their_decimals(value, shown):
    assert formats.number(value) == shown


def test_it_writes_a_quantity_in_wan_yuan_as_money_and_any_other_unit_as_a_number():
    assert formats.quantity(Decimal("1500"), "万元") == "1,500.00"
    assert formats.quantity(Decimal("1500"), "人次") == "1,500"


@pytest.mark.parametrize(
    "language, day, month, moment",
    [
        ("zh-hans", "2023年6月5日", "2023年6月", "2023年6月5日 14:30"),
        ("en", "2023-06-05", "Jun 2023", "2023-06-05 14:30"),
    ],
)
def test_it_writes_dates_and_months_in_the_readers_language(language, day, month, moment):
    with translation.override(language):
        assert formats.day(date(2023, 6, 5)) == day
        assert formats.month(date(2023, 6, 1)) == month
        # A stored timestamp is UTC; it is read in local (Urumqi office, Asia/Shanghai) time.
        assert formats.moment(datetime(2023, 6, 5, 6, 30, tzinfo=ZoneInfo("UTC"))) == moment


def test_it_names_every_month_in_english():
    with translation.override("en"):
        assert [formats.month(date(2023, m, 1)) for m in (1, 12)] == ["Jan 2023", "Dec 2023"]
        assert [formats.month_of_year(m) for m in (1, 6, 12)] == ["Jan", "Jun", "Dec"]
    with translation.override("zh-hans"):
        assert [formats.month_of_year(m) for m in (1, 6, 12)] == ["1月", "6月", "12月"]


def test_it_gives_templates_the_same_formats_as_filters():
    template = Template("{% load formats %}{{ a|money }}|{{ n|number }}|{{ d|day }}|{{ m|month }}|{{ q|quantity:'人' }}")
    context = Context({"a": Decimal("72988"), "n": 12345, "d": date(2023, 6, 5), "m": date(2023, 6, 1), "q": Decimal("380000")})
    with translation.override("zh-hans"):
        assert template.render(context) == "72,988.00|12,345|2023年6月5日|2023年6月|380,000"
    with translation.override("en"):
        assert template.render(context) == "72,988.00|12,345|2023-06-05|Jun 2023|380,000"


def test_it_shows_amounts_in_the_admins_changelists_with_separators(region_admin, notice_document, client_for):
    client = client_for(region_admin)

    documents = visible_text(page(client.get(reverse("admin:allocations_allocationdocument_changelist"))))
    subtotals = visible_text(page(client.get(reverse("admin:allocations_prefecturesubtotal_changelist"))))

    assert "72,988.00" in documents and "72988.00" not in documents
    assert "2023年6月5日" in documents  # 发文日期
    assert "13,342.00" in subtotals


def test_it_shows_read_only_amounts_and_dates_in_the_admin_formatted(auditor, notice_document, client_for):
    subtotal = PrefectureSubtotal.objects.get(document=notice_document, prefecture__name="喀什地区")

    document_page = visible_text(page(client_for(auditor).get(
        reverse("admin:allocations_allocationdocument_change", args=[notice_document.pk]))))
    subtotal_page = visible_text(page(client_for(auditor).get(
        reverse("admin:allocations_prefecturesubtotal_change", args=[subtotal.pk]))))

    assert "72,988.00" in document_page and "72988.00" not in document_page
    assert "2023年6月5日" in document_page
    assert "13,342.00" in subtotal_page


def test_it_writes_a_documents_issue_date_in_iso_on_the_english_page(region_admin, notice_document, client_for):
    region_admin.language = "en"
    region_admin.save(update_fields=["language"])

    text = visible_text(page(client_for(region_admin).get(reverse("allocations:document_list"))))

    assert "2023-06-05" in text and "72,988.00" in text
    assert AllocationDocument.objects.get(pk=notice_document.pk).issued_on == date(2023, 6, 5)
