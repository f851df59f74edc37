"""In the browser (说明1): the officer adds a fund received outside this system on the July form, fills in its
figure, saves, and sees the line marked 自行添加 with the 合计 counting it; then removes it."""

from datetime import date
from decimal import Decimal

import pytest

from feedback.models import FeedbackLine
from feedback.views.reports import report_open_url

JULY = date(2023, 7, 1)


@pytest.fixture
def officer(officer_urumqi, with_password, notice_document):
    return with_password(officer_urumqi)


def test_it_adds_a_line_on_the_form_saves_it_and_shows_it_marked(visit, officer):
    page = visit.page
    page.set_viewport_size({"width": 1366, "height": 768})
    visit.log_in(officer)
    visit.goto(report_open_url(officer.prefecture, JULY))

    page.locator("#add-line summary").click()
    page.fill("#id_new_fund_name", "2023年自治区就业补助资金")
    page.fill("#id_new_document_number", "新财社〔2023〕12号")
    page.fill("#id_new_amount", "500")
    visit.shot("adding")
    with page.expect_navigation():
        page.click("#add-line-button")
    assert "已添加资金 新财社〔2023〕12号（自行添加）" in page.locator("body").inner_text()
    added = page.locator("#feedback-form .row-line.added-line")
    assert added.count() == 1
    assert added.locator("[data-role=added]").inner_text() == "自行添加"
    assert "新财社〔2023〕12号" in added.inner_text()
    assert "8,794.00" in page.locator("[data-role=total] [data-role=amount]").inner_text()

    # Its figure is typed like any line's: the computed columns follow, and a save keeps it.
    added.locator("input.amount").fill("100")
    assert added.locator("[data-role=unspent]").inner_text() == "400.00"
    assert added.locator("[data-role=progress]").inner_text() == "20.00%"
    with page.expect_navigation():
        page.click('button[name="action"][value="save"]')
    assert "已保存" in page.locator("body").inner_text()
    line = FeedbackLine.objects.get(report__prefecture=officer.prefecture, report__month=JULY, document__isnull=True)
    assert (line.fund_name, line.amount, line.spent) == ("2023年自治区就业补助资金", Decimal("500"), Decimal("100"))
    assert page.locator("#feedback-form .row-line.added-line [data-role=added]").inner_text() == "自行添加"
    visit.shot("saved-marked")

    with page.expect_navigation():
        page.locator("#feedback-form .row-line.added-line [data-role=remove-line]").click()
    assert page.locator("#feedback-form .row-line.added-line").count() == 0
    assert not FeedbackLine.objects.filter(document__isnull=True).exists()
    visit.shot("removed")
