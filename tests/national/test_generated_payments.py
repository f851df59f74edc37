"""generate_national_data's treasury payments: millions at default size, consistent with the allocations."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.db.models import Count, F, Q, Sum

from allocations.models import AllocationLine
from national.payment_rows import DIRECT_MARK, FEN_PER_CENT, expected_payments
from national.plan import make_plan
from tests.national.test_generate_national_data import KNOBS, generate, generated_documents
from treasury.models import Payment, PaymentCode, PaymentException, PaymentSummary
from treasury.summary import document_summary


def test_it_plans_at_least_three_million_payments_at_default_size():
    assert expected_payments(make_plan()) >= 3_000_000


@pytest.fixture
def generated(reference_data):
    generate()
    return make_plan(**{key: value for key, value in KNOBS.items()})


def test_it_writes_the_planned_payments_for_every_allocation_line(generated):
    assert Payment.objects.count() == expected_payments(generated)
    lines = AllocationLine.objects.filter(document__in=generated_documents())
    per_line = Payment.objects.values("root_document", "county").annotate(n=Count("pk")).order_by()
    assert {row["n"] for row in per_line} == {5, 6}
    assert len(per_line) == lines.count()


def test_it_never_pays_a_county_more_than_its_allocation(generated):
    allocated = {
        (document, county): amount
        for document, county, amount in AllocationLine.objects.filter(document__in=generated_documents())
        .values_list("document", "county", "amount")
    }
    paid = Payment.objects.values_list("root_document", "county").annotate(total=Sum("amount_fen")).order_by()
    for document, county, total in paid:
        assert 0 < total <= allocated[(document, county)] * 100 * FEN_PER_CENT, (document, county)  # 万元 → cents → 分


def test_it_cites_the_document_its_prefecture_and_county_received_with_a_mapped_code(generated):
    codes = set(PaymentCode.objects.values_list("code", flat=True))
    odd = Payment.objects.exclude(
        Q(direct_mark=DIRECT_MARK) & Q(function_code__in=codes) & Q(document_id=F("root_document_id"))
    )
    assert not odd.exists()
    for payment in Payment.objects.select_related("document", "county")[:200]:
        assert payment.document_number == payment.document.number
        assert payment.county.prefecture_id == payment.prefecture_id
        assert payment.document.issued_on <= payment.paid_on <= payment.document.issued_on.replace(month=12, day=31)
        assert payment.use
    assert not PaymentException.objects.exists()


def test_it_keeps_the_summary_equal_to_the_payments(generated):
    assert PaymentSummary.objects.aggregate(total=Sum("paid_fen"), n=Sum("payments")) == Payment.objects.aggregate(
        total=Sum("amount_fen"), n=Count("pk")
    )
    document = generated_documents().order_by("number").first()
    rows = document_summary(document, document.issued_on.replace(month=12, day=1))
    total = rows[-1]
    paid = Payment.objects.filter(root_document=document).aggregate(total=Sum("amount_fen"))["total"]
    assert total.paid_fen == paid and 0 < total.progress <= 100


def test_it_replaces_its_own_payments_and_leaves_others(generated, import_sample):
    before = Payment.objects.exclude(voucher__startswith="GM").count()
    generate(replace=True)

    assert Payment.objects.filter(voucher__startswith="GM").count() == expected_payments(generated)
    assert Payment.objects.exclude(voucher__startswith="GM").count() == before > 0


@pytest.fixture
def import_sample(reference_data):
    from tests.treasury.payment_files import sample_path

    call_command("import_payments", str(sample_path()), stdout=StringIO())
