"""The admin's one-line form holds a 转下达 draft to 附件1 too: a new line is checked against its own county."""

from decimal import Decimal

from allocations.admin import LineForm
from allocations.models import AllocationDocument, AllocationLine, County, DocumentStatus, Prefecture
from tests.allocations.reallocation_helpers import IN_TIME


def _draft(notice_document, urumqi):
    return AllocationDocument.objects.create(
        number="乌财社〔2023〕9号", title="转下达", year=2023, fund=notice_document.fund, declared_total=Decimal("0"),
        status=DocumentStatus.DRAFT, issued_on=IN_TIME, parent=notice_document, issuer=urumqi,
    )


def _form(document, county, amount):
    class Form(LineForm):
        class Meta:
            model = AllocationLine
            fields = ["document", "county", "amount", "note", "position"]

    return Form(data={"document": document.pk, "county": county.pk, "amount": amount, "note": "", "position": 1})


def test_it_refuses_a_new_line_that_gives_its_county_another_amount(notice_document):
    urumqi = Prefecture.objects.get(name="乌鲁木齐市")
    tianshan = County.objects.get(prefecture=urumqi, name="天山区")
    form = _form(_draft(notice_document, urumqi), tianshan, "8000")
    assert not form.is_valid()
    assert "天山区" in str(form.errors["amount"]) and "8000" in str(form.errors["amount"])


def test_it_accepts_a_new_line_that_copies_the_parent(notice_document):
    urumqi = Prefecture.objects.get(name="乌鲁木齐市")
    tianshan = County.objects.get(prefecture=urumqi, name="天山区")
    given = AllocationLine.objects.get(document=notice_document, county=tianshan).amount
    form = _form(_draft(notice_document, urumqi), tianshan, str(given))
    assert form.is_valid(), form.errors
