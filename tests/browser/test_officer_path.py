"""The finance officer's month: log in, open this month's form from the dashboard, fill it in, submit."""

import re
from datetime import date
from decimal import Decimal

from core import clock
from feedback.models import FeedbackReport, ReportStatus

# A month inside the notice's funds' life: later months owe no report (feedback.obligations), so no lines.
IN_JULY_2023 = date(2023, 7, 12)


def _first_line_row(page):
    return page.locator("#feedback-form .row-line").first


def test_it_fills_in_and_submits_this_months_report(visit, officer_urumqi, with_password, monkeypatch):
    monkeypatch.setattr(clock, "today", lambda: IN_JULY_2023)
    with_password(officer_urumqi)
    page = visit.page

    visit.log_in(officer_urumqi)
    assert "乌鲁木齐市" in visit.text()
    assert page.locator("#open-current-report").inner_text().strip() == "填报本月资金使用情况"
    visit.shot("dashboard")

    with page.expect_navigation():
        page.click("#open-current-report")
    # Looking writes nothing: the month's form is shown unsaved, and the first save creates the report.
    assert re.search(r"/feedback/\d+/\d{4}-\d{2}/$", page.url)
    assert not FeedbackReport.objects.exists()
    assert page.locator(".status").first.inner_text() == "尚未填写"
    rows = page.locator("#feedback-form .row-line")
    assert rows.count() > 0
    visit.shot("form-opened")

    row = _first_line_row(page)
    amount = Decimal(row.get_attribute("data-amount"))
    unspent = row.locator('[data-role="unspent"]')
    progress = row.locator('[data-role="progress"]')
    before = (unspent.inner_text(), progress.inner_text())
    # Half the amount: the page computes 未支出 and 进度 while typing.
    half = (amount / 2).quantize(Decimal("0.01"))
    row.locator("input.amount").fill(str(half))
    assert unspent.inner_text() == _grouped(amount - half)
    assert progress.inner_text() == f"{(half / amount * 100).quantize(Decimal('0.01'))}%"
    assert (unspent.inner_text(), progress.inner_text()) != before
    visit.shot("half-typed")

    # Then every line fully spent, with a use: nothing lags, so the report can be submitted.
    for index in range(rows.count()):
        line = rows.nth(index)
        line.locator("input.amount").fill(line.get_attribute("data-amount"))
        line.locator('input[type="checkbox"]').first.check()
    assert progress.inner_text() == "100.00%"
    assert unspent.inner_text() == "0.00"
    total = page.locator('[data-role="total"]')
    assert total.locator('[data-role="progress"]').inner_text() == "100.00%"
    assert total.locator('[data-role="unspent"]').inner_text() == "0.00"
    visit.shot("all-typed")

    with page.expect_navigation():
        page.click('button[name="action"][value="submit"]')
    assert re.search(r"/feedback/reports/\d+/$", page.url)
    assert page.locator(".status").first.inner_text() == "已提交"
    assert "已提交，等待自治区财政厅审核" in page.locator(".messages").inner_text()
    # Where the buttons were, the page says what comes next.
    assert "已提交，等待自治区财政厅审核" in page.locator("#next-step").inner_text()
    assert page.locator("input.amount").count() == 0  # no longer editable
    visit.shot("submitted")

    report = FeedbackReport.objects.get(prefecture=officer_urumqi.prefecture)
    assert report.status == ReportStatus.SUBMITTED
    assert report.submitted_by == officer_urumqi
    assert all(line.spent == line.amount and line.uses for line in report.lines.all())


def _grouped(value):
    # As the page writes amounts (core.formats.money): thousands separated, two decimals.
    return f"{value:,.2f}"
