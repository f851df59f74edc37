"""In the browser: an officer follows the notice to its flow of funds, picks a month, and downloads the table."""

from django.core.management import call_command

from tests.treasury.payment_files import sample_path


def test_it_follows_the_document_to_its_flow_county_by_county(visit, officer_urumqi, with_password, notice_document):
    call_command("import_payments", str(sample_path()), stdout=open("/dev/null", "w"))
    with_password(officer_urumqi)
    page = visit.page
    page.set_viewport_size({"width": 1366, "height": 900})
    visit.log_in(officer_urumqi)

    visit.goto("/allocations/")
    with page.expect_navigation():
        page.click(f"a:has-text('{notice_document.number}')")
    with page.expect_navigation():
        page.click("a.button:has-text('资金流向')")
    assert f"/treasury/flow/{notice_document.pk}/" in page.url

    page.fill("#flow-month", "2023-07")
    with page.expect_navigation():
        page.click("form.flow-month button[type=submit]")
    table = page.locator("table.flow")
    subtotal = table.locator("tr.flow-subtotal")
    assert subtotal.count() == 1  # an officer: their own prefecture, no 合计 of others
    cells = subtotal.locator("td")
    assert "5,000.00" in subtotal.inner_text() and "60.28%" in subtotal.inner_text()
    assert "喀什地区" not in visit.text()
    assert cells.count() >= 6  # 分配, at least one use, 累计支付, 结余, 进度, mark
    # Slow counties carry a sign, not only a colour.
    slow = table.locator("tr.flow-slow")
    assert slow.count() == table.locator("tr.flow-county .flow-mark:has-text('▲')").count()
    # The chart above the table, its bars drawn in the charts' colours (not the browser's default black),
    # and at 1366 px the page does not scroll sideways.
    chart = page.locator(".flow-chart svg").bounding_box()
    tablebox = page.locator(".flow-table").bounding_box()
    assert chart is not None and chart["y"] + chart["height"] <= tablebox["y"]
    fill = page.locator(".flow-chart rect.chart-bar").first.evaluate("bar => getComputedStyle(bar).fill")
    assert fill not in ("rgb(0, 0, 0)", "")
    assert page.evaluate("document.documentElement.scrollWidth") <= 1366
    visit.shot("flow-urumqi-july")

    with page.expect_download() as download:
        page.click(".flow-table a:has-text('导出 CSV')")
    text = open(download.value.path(), encoding="utf-8-sig").read()
    assert "乌鲁木齐市,小计,8294.00" in text and "喀什地区" not in text
