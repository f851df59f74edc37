"""Each 项级 code under 20807 maps to one use or to 其他, from a table region admins edit; an unknown code is never guessed."""

import json

from tests.treasury.payment_files import csv_bytes, row, write
from treasury.models import Payment, PaymentCode
from treasury.setup import fixture_path


def test_it_seeds_the_code_table_from_its_fixture(db):
    expected = {item["code"]: item["use"] for item in json.loads(fixture_path().read_text("utf-8"))["codes"]}

    assert dict(PaymentCode.objects.values_list("code", "use")) == expected
    assert expected["2080701"] == "employment_services"
    assert expected["2080712"] == "high_skill_talent"
    assert expected["2080799"] == "other"


def test_it_holds_the_funds_item_codes(db):
    # fixtures/funds.json lists 20807's item codes as the 2023 classification has them.
    funds = json.loads((fixture_path().parent / "funds.json").read_text("utf-8"))
    items = {item["code"]: item["name"] for item in funds["funds"][0]["expenditure_items"]}

    assert dict(PaymentCode.objects.values_list("code", "name")) == items


def test_it_leaves_the_use_of_an_unknown_code_unknown(import_file, tmp_path):
    rows = [row("ZF1", function="2080702"), row("ZF2", function="2080710"), row("ZF3", function="2080702 职业培训补贴")]

    import_file(write(tmp_path, "payments.csv", csv_bytes(rows)))

    assert dict(Payment.objects.values_list("voucher", "use")) == {
        "ZF1": "vocational_training", "ZF2": "", "ZF3": "vocational_training",
    }


def test_it_applies_an_edit_of_the_table_to_the_next_import(import_file, tmp_path):
    PaymentCode.objects.create(code="2080710", name="测试科目", use="job_seeking")

    import_file(write(tmp_path, "payments.csv", csv_bytes([row("ZF1", function="2080710")])))

    assert Payment.objects.get().use == "job_seeking"


def test_it_lets_a_region_admin_edit_the_table_in_the_admin(client_for, region_admin, auditor):
    code = PaymentCode.objects.get(code="2080799")
    url = f"/admin/treasury/paymentcode/{code.pk}/change/"

    refused = client_for(auditor).post(url, {"code": "2080799", "name": code.name, "use": "job_seeking"})
    assert refused.status_code == 403
    client_for(region_admin).post(url, {"code": "2080799", "name": code.name, "use": "job_seeking"})

    code.refresh_from_db()
    assert code.use == "job_seeking"
