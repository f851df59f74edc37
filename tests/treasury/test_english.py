"""The treasury's pages read in English for an English user; payees, units, documents and the stored details are data."""

import pytest

from tests.core.test_language import data_strings, untranslated, visible_parts
from tests.treasury.payment_files import csv_bytes, row, write
from treasury.models import Payment, PaymentException


@pytest.mark.parametrize("url", ["/treasury/exceptions/", "/treasury/upload/"])
def test_it_shows_no_chinese_interface_text_to_an_english_region_admin(import_file, tmp_path, region_admin, client_for, url):
    import_file(write(tmp_path, "payments.csv", csv_bytes([row("ZF1", mark="")])))
    region_admin.language = "en"
    region_admin.save(update_fields=["language"])
    data = data_strings()
    data += [value for row in Payment.objects.values_list("payee", "budget_unit") for value in row]
    data += list(PaymentException.objects.values_list("detail", flat=True))

    html = client_for(region_admin).get(url).content.decode()

    assert '<html lang="en"' in html
    assert untranslated(visible_parts(html), sorted(data, key=len, reverse=True)) == []
