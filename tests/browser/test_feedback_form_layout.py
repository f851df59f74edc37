"""The 附件3 form at a 1366 px desk and a 390 px phone: every field of a line on screen, no sideways scrolling;
a refused save says 未保存 and links to its field; leaving with unsaved edits asks first."""

from datetime import date

import pytest

from core import clock
from feedback.models import FeedbackReport
from feedback.views.reports import report_open_url

IN_JULY_2023 = date(2023, 7, 12)
JULY = date(2023, 7, 1)
SIZES = [(1366, 768), (390, 844)]

FIELDS_OF_LINES = """() => [...document.querySelectorAll(
    '#feedback-form .row-line input, #feedback-form .row-line select, #feedback-form .row-line textarea')]
  .map(e => { const r = e.getBoundingClientRect(); return [e.name, r.left, r.right]; })"""
NO_SIDEWAYS_SCROLL = "() => [document.scrollingElement.scrollWidth, window.innerWidth]"


@pytest.fixture
def officer(officer_urumqi, with_password, notice_document, monkeypatch):
    monkeypatch.setattr(clock, "today", lambda: IN_JULY_2023)
    return with_password(officer_urumqi)


def _assert_fits(page, width):
    fields = page.evaluate(FIELDS_OF_LINES)
    assert fields, "the form shows no fields"
    outside = [(name, left, right) for name, left, right in fields if left < 0 or right > width]
    assert outside == [], f"fields outside the {width} px viewport: {outside}"
    scroll_width, inner_width = page.evaluate(NO_SIDEWAYS_SCROLL)
    assert scroll_width <= inner_width, f"the page scrolls sideways: {scroll_width} > {inner_width}"


@pytest.mark.parametrize("width, height", SIZES)
def test_it_shows_every_field_of_a_line_without_sideways_scrolling(visit, officer, width, height):
    page = visit.page
    page.set_viewport_size({"width": width, "height": height})
    visit.log_in(officer)
    visit.goto(report_open_url(officer.prefecture, JULY))
    names = {name for name, _left, _right in page.evaluate(FIELDS_OF_LINES)}
    # Every editable column of 附件3, on screen.
    for stem in ("spent_", "uses_", "other_use_approval_", "reason_", "measure_", "measure_deadline_", "decrease_explanation_"):
        assert any(name.startswith(stem) for name in names), stem
    _assert_fits(page, width)
    visit.shot(f"form-{width}")

    # A refused save comes back with the 未保存 banner, its problems and the typed figures: still fitting.
    page.locator("#feedback-form .row-line input.amount").first.fill("9000")
    with page.expect_navigation():
        page.click('button[name="action"][value="save"]')
    banner = page.locator("#unsaved")
    assert "未保存" in banner.inner_text()
    assert "9,000.00 超过资金金额 8,294.00" in banner.inner_text()
    _assert_fits(page, width)
    visit.shot(f"refused-{width}")


def test_it_links_a_refused_saves_problem_to_its_field_and_stores_nothing(visit, officer):
    page = visit.page
    visit.log_in(officer)
    visit.goto(report_open_url(officer.prefecture, JULY))
    page.locator("#feedback-form .row-line input.amount").first.fill("9000")
    with page.expect_navigation():
        page.click('button[name="action"][value="save"]')

    link = page.locator("#unsaved a").first
    target = link.get_attribute("href")
    assert target.startswith("#id_spent_")
    link.click()
    assert page.evaluate("() => document.activeElement.id || location.hash") in (target[1:], target)
    assert page.locator(target).input_value() == "9000"
    assert not FeedbackReport.objects.exists()
    visit.shot("linked")


def test_it_asks_before_leaving_with_unsaved_edits(visit, officer):
    page = visit.page
    visit.log_in(officer)
    form_url = visit.url(report_open_url(officer.prefecture, JULY))
    visit.goto(report_open_url(officer.prefecture, JULY))
    asked = []

    def stay(dialog):
        asked.append(dialog.type)
        dialog.dismiss()

    page.on("dialog", stay)
    page.locator("#feedback-form .row-line input.amount").first.fill("100")
    page.locator(".breadcrumbs a").first.click()
    page.wait_for_timeout(500)
    assert asked == ["beforeunload"]
    assert page.url == form_url

    # Saving leaves without asking.
    with page.expect_navigation():
        page.click('button[name="action"][value="save"]')
    assert asked == ["beforeunload"]
    assert FeedbackReport.objects.get().lines.get().spent == 100
