"""Payments through the API: 收款人 masked by treasury.masking for the role, as on the pages; scoped like the pages."""

import io

from treasury.importing import import_payments
from tests.treasury.payment_files import csv_bytes, row


def _payees(client):
    answer = client.get("/api/v1/payments/")
    assert answer.status_code == 200
    return {item["voucher"]: item["payee"] for item in answer.json()["results"]}


def test_it_masks_the_payee_for_officers_and_hr_and_shows_it_to_auditors_and_admins(
    notice_document, api_for, urumqi_api, kashgar_api
):
    import_payments(io.BytesIO(csv_bytes([
        row("API-PAYEE-1", payee="王某某"),
        row("API-PAYEE-2", prefecture="喀什地区", county="莎车县", payee="李四"),
    ])), "payments.csv")
    assert _payees(urumqi_api) == {"API-PAYEE-1": "王**"}
    assert _payees(kashgar_api) == {"API-PAYEE-2": "李*"}
    assert _payees(api_for("hr_reviewer")) == {"API-PAYEE-1": "王**", "API-PAYEE-2": "李*"}
    assert _payees(api_for("auditor")) == {"API-PAYEE-1": "王某某", "API-PAYEE-2": "李四"}
    assert _payees(api_for("region_admin")) == {"API-PAYEE-1": "王某某", "API-PAYEE-2": "李四"}


def test_it_shows_an_officer_the_flow_of_their_own_prefecture_only(notice_document, urumqi_api, api_for):
    import_payments(io.BytesIO(csv_bytes([row("API-FLOW-1", amount="10000.00")])), "payments.csv")
    url = f"/api/v1/documents/{notice_document.pk}/flow/?month=2023-07"
    mine = urumqi_api.get(url).json()
    assert {r["prefecture"] for r in mine["rows"] if r["kind"] != "total"} == {"乌鲁木齐市"}
    tianshan = next(r for r in mine["rows"] if r["county"] == "天山区")
    assert tianshan["paid"] == "1.00"  # 10,000 元 = 1 万元
    everyone = api_for("auditor").get(url).json()
    assert len({r["prefecture"] for r in everyone["rows"] if r["kind"] == "subtotal"}) == 14
