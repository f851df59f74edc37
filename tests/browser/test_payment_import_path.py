"""In the browser: the region admin imports the sample, then a file with anomalies, and follows them to the exceptions page."""

from tests.treasury.payment_files import csv_bytes, row, sample_path, write
from treasury.models import Payment


def test_it_imports_payments_and_follows_the_anomalies_to_their_page(visit, region_admin, with_password, tmp_path):
    with_password(region_admin)
    page = visit.page
    visit.log_in(region_admin)

    visit.goto("/treasury/upload/")
    page.set_input_files("#id_file", str(sample_path()))
    with page.expect_navigation():
        page.click("form[data-upload-progress] button[type=submit]")
    assert "读取 237 行，新增 237 行，已存在 0 行，拒绝 0 行" in page.locator(".ok-box").inner_text()
    visit.shot("sample-imported")

    odd = write(tmp_path, "odd.csv", csv_bytes([row("ZF-B1", mark="", payee="王某某"), row("ZF-B2", function="2010101")], "gb18030"))
    page.set_input_files("#id_file", str(odd))
    with page.expect_navigation():
        page.click("form[data-upload-progress] button[type=submit]")
    assert "新增 2 行" in page.locator(".ok-box").inner_text()
    assert Payment.objects.count() == 239
    visit.shot("anomalies-imported")

    with page.expect_navigation():
        page.click(".warn-box a")
    assert "/treasury/exceptions/" in page.url
    page.select_option("#id_kind", "missing_direct_mark")
    with page.expect_navigation():
        page.click("form.filters button[type=submit]")
    table = visit.text("table")
    assert "ZF-B1" in table and "ZF-B2" not in table
    assert "王某某" in table  # a region admin reads the payee in full
    visit.shot("exceptions-filtered")
