"""The payments' county filter: that county's payments only (it narrows by the county's prefecture too)."""

import io

from allocations.models import County
from tests.treasury.payment_files import csv_bytes, row
from treasury.importing import import_payments


def _vouchers(client, query):
    answer = client.get(f"/api/v1/payments/?{query}")
    assert answer.status_code == 200
    return sorted(item["voucher"] for item in answer.json()["results"])


def test_it_lists_the_payments_of_one_county(notice_document, api_for):
    import_payments(io.BytesIO(csv_bytes([
        row("API-COUNTY-1", county="天山区"),
        row("API-COUNTY-2", county="沙依巴克区"),
        row("API-COUNTY-3", county="", amount="5.00"),  # the prefecture's own units
        row("API-COUNTY-4", prefecture="喀什地区", county="莎车县"),
    ])), "payments.csv")
    auditor = api_for("auditor")
    tianshan = County.objects.get(name="天山区")
    shache = County.objects.get(name="莎车县")

    assert _vouchers(auditor, f"county={tianshan.pk}") == ["API-COUNTY-1"]
    assert _vouchers(auditor, f"county={shache.pk}") == ["API-COUNTY-4"]
    assert _vouchers(auditor, f"county={tianshan.pk}&prefecture={shache.prefecture_id}") == []
    assert _vouchers(auditor, "county=999999") == []
