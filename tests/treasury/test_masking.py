"""收款人 is read whole by region admins and auditors only; everyone else sees 王某 as 王*, on pages, exports and in the admin."""

import pytest

from tests.treasury.payment_files import csv_bytes, row, write
from treasury.masking import mask_payee, masked_payee_sql
from treasury.models import Payment

NAMES = ["王某", "欧阳某某", "张", "新疆某某职业技能培训学校", ""]


@pytest.mark.parametrize(
    "name, shown", [("王某", "王*"), ("欧阳某某", "欧***"), ("张", "*"), ("新疆某某职业技能培训学校", "新***"), ("", "")]
)
def test_it_masks_all_but_the_first_character(name, shown):
    assert mask_payee(name) == shown


def test_it_masks_the_same_in_the_database(import_file, tmp_path):
    rows = [row(f"ZF{n}", payee=name, mark="") for n, name in enumerate(NAMES)]
    import_file(write(tmp_path, "payments.csv", csv_bytes(rows)))

    masked = Payment.objects.annotate(shown=masked_payee_sql()).values_list("payee", "shown")

    assert {payee: shown for payee, shown in masked} == {name: mask_payee(name) for name in NAMES}


@pytest.fixture
def flagged_payment(import_file, tmp_path):
    # No direct-funds mark: the payment is on the exceptions page.
    import_file(write(tmp_path, "payments.csv", csv_bytes([row("ZF1", payee="王某某", mark="")])))


@pytest.mark.parametrize("role, full", [("region_admin", True), ("auditor", True)])
def test_it_shows_the_payee_whole_on_the_exceptions_page_and_its_export(flagged_payment, client_for, request, role, full):
    client = client_for(request.getfixturevalue(role))

    page = client.get("/treasury/exceptions/").content.decode()
    export = client.get("/treasury/exceptions/?_export=csv").content.decode("utf-8-sig")

    assert "王某某" in page and "王某某" in export


@pytest.mark.parametrize("role", ["region_admin", "auditor", "hr_reviewer"])
def test_it_masks_the_payee_in_the_admin_for_whoever_may_not_read_it(flagged_payment, client_for, request, role):
    client = client_for(request.getfixturevalue(role))
    payment = Payment.objects.get()

    listing = client.get("/admin/treasury/payment/").content.decode()
    detail = client.get(f"/admin/treasury/payment/{payment.pk}/change/").content.decode()

    if role == "hr_reviewer":
        assert "王**" in listing and "王**" in detail
        assert "王某某" not in listing and "王某某" not in detail
    else:
        assert "王某某" in listing and "王某某" in detail


def test_it_masks_the_payee_on_every_page_the_table_renders_for_another_role(flagged_payment):
    from django.contrib.auth.models import AnonymousUser

    from treasury.models import PaymentException
    from treasury.tables import ExceptionTable

    table = ExceptionTable(PaymentException.objects.all(), user=AnonymousUser())

    assert [cells[-1] for cells in list(table.as_values())[1:]] == ["王**"]
