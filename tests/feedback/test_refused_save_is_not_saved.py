"""A refused save says 未保存 and links each problem to its field; a save lists what submission will ask for;
each line shows 上月累计 and 本月变动; lagging lines are marked; after submission the page says what comes next."""

from datetime import date
from decimal import Decimal

import pytest

from allocations.models import Prefecture
from feedback import workflow
from feedback.models import ReportStatus
from tests.allocations.pages import page, visible_text
from tests.feedback.test_report_pages import LINE, cards, detail_url, post_data, snapshot

JULY = date(2023, 7, 1)
AUGUST = date(2023, 8, 1)


@pytest.fixture
def urumqi(reference_data):
    return Prefecture.objects.get(name="乌鲁木齐市")


@pytest.fixture
def july(urumqi, notice_document):
    return workflow.open_report(urumqi, JULY)


def _accepted(report, officer, reviewer, spent):
    line = report.lines.get()
    workflow.save_lines(report, {line.pk: {"spent": Decimal(spent), "uses": ["internship"]}}, officer, report.version)
    workflow.submit(report, officer)
    return workflow.accept(report, reviewer)


def test_it_says_unsaved_and_links_each_problem_to_its_field(officer_urumqi, july, client_for):
    before = snapshot(july)
    line = july.lines.get()
    response = client_for(officer_urumqi).post(detail_url(july), post_data(july, spent="9000", measure_deadline="明年"))

    html = page(response)
    assert response.status_code == 200
    assert '<section class="unsaved-banner" role="alert" id="unsaved">' in html
    assert html.index('id="unsaved"') < html.index('id="feedback-form"')  # at the top, before the figures
    assert f'<a href="#id_spent_{line.pk}">{LINE}：实际支出金额 9,000.00 超过资金金额 8,294.00</a>' in html
    assert f'<a href="#id_measure_deadline_{line.pk}">{LINE}：整改时间不是有效日期' in html
    assert f'id="id_spent_{line.pk}"' in html
    assert snapshot(july) == before


def test_it_links_a_refusal_of_the_rules_to_its_field(officer_urumqi, region_admin, urumqi, july, client_for):
    _accepted(july, officer_urumqi, region_admin, "5000")
    august = workflow.open_report(urumqi, AUGUST)
    line = august.lines.get()
    before = snapshot(august)

    html = page(client_for(officer_urumqi).post(detail_url(august), post_data(august, spent="4000")))

    assert "未保存" in visible_text(html)
    assert (
        f'<a href="#id_decrease_explanation_{line.pk}">{LINE}：累计实际支出 4,000.00 低于上月已审核的 5,000.00，请填写支出减少说明</a>'
        in html
    )
    assert snapshot(august) == before


def test_it_lists_at_save_what_submission_will_ask_for(officer_urumqi, july, client_for):
    client = client_for(officer_urumqi)
    response = client.post(detail_url(july), post_data(july, spent="1000"), follow=True)

    html = page(response)
    text = visible_text(html)
    line = july.lines.get()
    assert line.spent == Decimal("1000")  # saved: these are warnings, not errors
    assert "未保存" not in text
    assert "提交前还需处理" in text
    assert f'<a href="#id_reason_{line.pk}">{LINE}：支出进度 12.06% 低于时间进度 58.33%，须填写未按计划支出的原因</a>' in html
    assert f"{LINE}：支出进度 12.06% 低于时间进度 58.33%，须填写整改措施" in text
    assert f"{LINE}：支出进度 12.06% 低于时间进度 58.33%，须填写整改时间" in text
    assert f"{LINE}：已有支出，请选择资金支出方向" in text


def test_it_says_nothing_more_is_needed_when_the_draft_is_complete(officer_urumqi, july, client_for):
    response = client_for(officer_urumqi).post(detail_url(july), post_data(july, spent="8294", uses=["internship"]), follow=True)
    assert "提交前还需处理" not in visible_text(page(response))


def test_it_shows_last_months_accepted_figure_and_this_months_change(officer_urumqi, region_admin, urumqi, july, client_for):
    _accepted(july, officer_urumqi, region_admin, "5000")
    august = workflow.open_report(urumqi, AUGUST)
    client = client_for(officer_urumqi)
    client.post(detail_url(august), post_data(august, spent="6000.5"))

    html = page(client.get(detail_url(august)))
    _total, line = cards(html)
    assert (line["previous"], line["change"]) == ("5,000.00", "+1,000.50")
    assert "2023年7月已审核" in visible_text(html)
    assert 'data-previous="5000.00"' in html  # for the script, which recomputes the change while typing


def test_it_shows_a_submitted_figure_beside_the_accepted_one_when_they_differ(
    officer_urumqi, region_admin, urumqi, july, client_for
):
    _accepted(july, officer_urumqi, region_admin, "5000")
    august = workflow.open_report(urumqi, AUGUST)
    line = august.lines.get()
    workflow.save_lines(august, {line.pk: {"spent": Decimal("7243.15"), "uses": ["internship"]}}, officer_urumqi, august.version)
    workflow.submit(august, officer_urumqi)
    september = workflow.open_report(urumqi, date(2023, 9, 1))

    html = page(client_for(officer_urumqi).get(detail_url(september)))
    _total, card = cards(html)
    assert card["previous"] == "5,000.00"
    assert "2023年8月已提交 7,243.15（待审核）" in visible_text(html)


def test_it_shows_no_previous_figure_for_a_first_month(officer_urumqi, july, client_for):
    _total, card = cards(page(client_for(officer_urumqi).get(detail_url(july))))
    assert (card["previous"], card["change"]) == ("—", "—")


def test_it_marks_a_lagging_line_with_words_not_only_colour(officer_urumqi, july, client_for):
    client = client_for(officer_urumqi)
    client.post(detail_url(july), post_data(july, spent="1000"))

    html = page(client.get(detail_url(july)))
    _total, card = cards(html)
    assert "lagging" in card["classes"]
    assert '<span class="badge lag" data-role="lag">▼ 滞后' in html  # shown, not hidden
    assert "（低于时间进度 58.33%）" in visible_text(html)


def test_it_says_what_comes_next_after_submission(officer_urumqi, july, client_for):
    client = client_for(officer_urumqi)
    client.post(detail_url(july), post_data(july, "submit", spent="8294", uses=["internship"]))

    html = page(client.get(detail_url(july)))
    assert snapshot(july)[0] == ReportStatus.SUBMITTED
    assert 'name="action"' not in html
    assert "已提交，等待自治区财政厅审核" in visible_text(html[html.index('id="next-step"'):])
