"""In the browser: after the treasury's sample is imported, the officer's July form opens with 实际支出金额 and
资金支出方向 pre-filled from the payments, the treasury figure beside the input, fitting a 1366 px desk; saving keeps them."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.management import call_command

from feedback.models import FeedbackLine
from feedback.views.reports import report_open_url
from tests.treasury.payment_files import sample_path

JULY = date(2023, 7, 1)
NO_SIDEWAYS_SCROLL = "() => [document.scrollingElement.scrollWidth, window.innerWidth]"
RIGHT_EDGES = """() => [...document.querySelectorAll(
  '#feedback-form .row-line input, #feedback-form .row-line [data-role=treasury], #feedback-form .row-line [data-role=treasury-uses]'
)].map(e => e.getBoundingClientRect().right)"""


@pytest.fixture
def officer(officer_urumqi, with_password, notice_document):
    call_command("import_payments", str(sample_path()), verbosity=0)
    return with_password(officer_urumqi)


def test_it_opens_the_month_pre_filled_from_the_treasury_and_saves_it(visit, officer):
    page = visit.page
    page.set_viewport_size({"width": 1366, "height": 768})
    visit.log_in(officer)
    visit.goto(report_open_url(officer.prefecture, JULY))

    card = page.locator("#feedback-form .row-line").first
    assert card.locator("input.amount").input_value() == "5000"
    assert "国库支付 5,000.00" in card.locator("[data-role=treasury]").inner_text()
    assert "职业培训补贴 1,042.60" in card.locator("[data-role=treasury-uses]").inner_text()
    assert card.locator('input[value="vocational_training"]').is_checked()
    assert not card.locator('input[value="skill_assessment"]').is_checked()
    assert max(page.evaluate(RIGHT_EDGES)) <= 1366
    scroll_width, inner_width = page.evaluate(NO_SIDEWAYS_SCROLL)
    assert scroll_width <= inner_width
    visit.shot("pre-filled")

    with page.expect_navigation():
        page.click('button[name="action"][value="save"]')
    assert "已保存" in page.locator("body").inner_text()
    line = FeedbackLine.objects.get(report__prefecture=officer.prefecture, report__month=JULY)
    assert line.spent == Decimal("5000.00")
    assert "vocational_training" in line.uses
    visit.shot("saved")


def test_it_asks_for_a_difference_explanation_when_the_officer_changes_the_figure(visit, officer):
    page = visit.page
    page.set_viewport_size({"width": 1366, "height": 768})
    visit.log_in(officer)
    visit.goto(report_open_url(officer.prefecture, JULY))

    card = page.locator("#feedback-form .row-line").first
    card.locator("input.amount").fill("4900")
    with page.expect_navigation():
        page.click('button[name="action"][value="save"]')
    banner = page.locator("#unsaved").inner_text()
    assert "第1行 新财社〔2023〕74号：实际支出金额 4,900.00 与国库集中支付数 5,000.00 不一致，请填写差异说明" in banner
    assert not FeedbackLine.objects.filter(report__prefecture=officer.prefecture).exists()
    visit.shot("refused-without-explanation")

    # The banner's link leads to the 差异说明 field; filled in, the changed figure saves.
    page.locator("#unsaved a").first.click()
    page.locator("textarea[name^=difference_explanation]").fill("100万元已退回，国库尚未更正")
    with page.expect_navigation():
        page.click('button[name="action"][value="save"]')
    line = FeedbackLine.objects.get(report__prefecture=officer.prefecture, report__month=JULY)
    assert (line.spent, line.treasury_spent) == (Decimal("4900.00"), Decimal("5000.00"))
    assert "与国库差额 -100.00" in page.locator("#feedback-form .row-line").first.inner_text()
    visit.shot("saved-with-explanation")
