"""说明1: the officer adds a line for a fund received outside this system, marked 自行添加, checked like any line."""

from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from core import clock
from feedback import workflow
from feedback.models import FeedbackLine, FeedbackReport, ReportStatus
from feedback.progress import totals
from feedback.views.reports import report_open_url, with_totals
from tests.allocations.pages import page, visible_text
from tests.feedback.test_report_pages import cards

JULY = date(2023, 7, 1)
AUGUST = date(2023, 8, 1)
OWN_FUND = {"fund_name": "2023年自治区就业补助资金", "document_number": "新财社〔2023〕12号", "amount": Decimal("500")}
SUBMITTED_AT = datetime(2023, 7, 28, 9, tzinfo=ZoneInfo("Asia/Shanghai"))


@pytest.fixture
def july(officer_urumqi):
    return workflow.open_report(officer_urumqi.prefecture, JULY)


def _add(report, user, **values):
    report.refresh_from_db()
    return workflow.save_lines(report, {}, user, report.version, added=[{**OWN_FUND, **values}])


def _added(report):
    return report.lines.get(document__isnull=True)


def _post(report, action="save", lines=None, **extra):
    """What the browser sends: every line's stored values, plus extra (new_* fields, remove_line…)."""
    report.refresh_from_db()
    data = {"version": report.version, "action": action}
    for line in lines or report.lines.all():
        data.update({
            f"spent_{line.pk}": "" if line.spent is None else str(line.spent),
            f"uses_{line.pk}": list(line.uses),
            f"reason_{line.pk}": line.reason,
            f"measure_{line.pk}": line.measure,
            f"measure_deadline_{line.pk}": line.measure_deadline.isoformat() if line.measure_deadline else "",
        })
    data.update(extra)
    return data


def _detail(report):
    return reverse("feedback:report_detail", args=[report.pk])


def _snapshot(report):
    report = FeedbackReport.objects.get(pk=report.pk)
    lines = list(report.lines.order_by("position").values_list("document_number", "amount", "spent", "position"))
    return report.version, lines, FeedbackLine.history.count()


def test_it_adds_a_line_after_the_systems_marked_as_added(july, officer_urumqi):
    _add(july, officer_urumqi)

    line = _added(july)
    assert (line.position, line.fund_name, line.document_number, line.amount) == (
        2, "2023年自治区就业补助资金", "新财社〔2023〕12号", Decimal("500"),
    )
    assert line.direct_mark == "01 中央直达资金"  # the default mark
    assert line.is_added and not july.lines.get(position=1).is_added
    assert str(line) == "乌鲁木齐市 2023-07 新财社〔2023〕12号（自行添加）"
    assert line.history.count() == 1


def test_it_keeps_a_fund_that_is_not_a_direct_fund_unmarked(july, officer_urumqi):
    _add(july, officer_urumqi, direct_mark="")

    assert _added(july).direct_mark == ""


@pytest.mark.parametrize(
    "values, message",
    [
        ({"fund_name": " "}, "第2行 新财社〔2023〕12号：自行添加的资金须填写收到的财政专项资金名称"),
        ({"document_number": ""}, "第2行 ：自行添加的资金须填写文号"),
        ({"amount": None}, "第2行 新财社〔2023〕12号：自行添加的资金须填写资金金额"),
        ({"amount": Decimal("0")}, "第2行 新财社〔2023〕12号：资金金额须大于0（现为 0.00）"),
        ({"direct_mark": "02 其他"}, "第2行 新财社〔2023〕12号：直达资金标识只能是“01 中央直达资金”或不填（非直达资金）"),
    ],
)
def test_it_refuses_an_added_line_without_what_it_must_carry_naming_it(july, officer_urumqi, values, message):
    before = _snapshot(july)

    with pytest.raises(ValidationError) as refused:
        _add(july, officer_urumqi, **values)

    assert message in refused.value.messages
    assert _snapshot(july) == before


def test_it_applies_the_same_spending_rules_naming_the_added_line(july, officer_urumqi):
    _add(july, officer_urumqi)
    line = _added(july)
    july.refresh_from_db()

    with pytest.raises(ValidationError) as refused:
        workflow.save_lines(july, {line.pk: {"spent": Decimal("600")}}, officer_urumqi, july.version)

    assert refused.value.messages == ["第2行 新财社〔2023〕12号：实际支出金额 600.00 超过资金金额 500.00"]
    assert _added(july).spent is None


def test_it_asks_for_a_reason_when_an_added_line_lags_at_submission(july, officer_urumqi):
    system = july.lines.get(position=1)
    workflow.save_lines(july, {system.pk: {"spent": Decimal("8294"), "uses": ["vocational_training"]}}, officer_urumqi, july.version)
    _add(july, officer_urumqi, spent=Decimal("50"), uses=["vocational_training"])
    july.refresh_from_db()

    with pytest.raises(ValidationError) as refused:
        workflow.submit(july, officer_urumqi, at=SUBMITTED_AT)

    # July's calendar schedule is 58.33%: 10% lags.
    assert "第2行 新财社〔2023〕12号：支出进度 10.00% 低于时间进度 58.33%，须填写未按计划支出的原因" in refused.value.messages
    assert FeedbackReport.objects.get(pk=july.pk).status == ReportStatus.DRAFT


def test_it_refuses_a_number_that_is_a_system_line_pointing_to_it(july, officer_urumqi):
    with pytest.raises(ValidationError) as refused:
        _add(july, officer_urumqi, document_number="新财社〔2023〕 74号")

    assert refused.value.messages == [
        "第2行 新财社〔2023〕 74号：文号 新财社〔2023〕 74号 是本系统下达的分配文件，已在本表第1行列出，请在第1行填写，不能自行添加"
    ]
    assert july.lines.count() == 1


def test_it_refuses_a_system_document_of_the_prefecture_that_the_month_does_not_list(officer_urumqi, notice_document):
    # Settled in June (清算): July lists no line for it, and it still cannot come back as an added line.
    from feedback.models import Settlement

    Settlement.objects.create(document=notice_document, prefecture=officer_urumqi.prefecture, closed_on=date(2023, 6, 30), reason="清算")
    report = workflow.open_report(officer_urumqi.prefecture, JULY)
    assert report.lines.count() == 0

    with pytest.raises(ValidationError) as refused:
        _add(report, officer_urumqi, document_number="新财社〔2023〕74号")

    assert refused.value.messages == [
        "第1行 新财社〔2023〕74号：文号 新财社〔2023〕74号 是本系统已下达给乌鲁木齐市的分配文件，不能自行添加（该资金已清算、已支出完毕或已过使用期限时不再列入反馈表）"
    ]


def test_it_refuses_the_same_number_added_twice(july, officer_urumqi):
    _add(july, officer_urumqi)

    with pytest.raises(ValidationError) as refused:
        _add(july, officer_urumqi, fund_name="另一笔")

    assert refused.value.messages == ["第3行 新财社〔2023〕12号：文号 新财社〔2023〕12号 已在本表第2行（自行添加），同一文号只能添加一行"]


def test_it_removes_an_added_line_and_numbers_the_rest_again(july, officer_urumqi):
    _add(july, officer_urumqi)
    _add(july, officer_urumqi, document_number="新财社〔2023〕13号")
    first = july.lines.get(document_number="新财社〔2023〕12号")
    july.refresh_from_db()

    workflow.save_lines(july, {}, officer_urumqi, july.version, removed=[first.pk])

    assert list(july.lines.order_by("position").values_list("position", "document_number")) == [
        (1, "新财社〔2023〕74号"), (2, "新财社〔2023〕13号"),
    ]
    assert first.history.filter(history_type="-").exists()


def test_it_refuses_to_remove_a_system_line(july, officer_urumqi):
    with pytest.raises(ValidationError, match="第1行 新财社〔2023〕74号 是本系统下达的资金，不能删除"):
        workflow.save_lines(july, {}, officer_urumqi, july.version, removed=[july.lines.get().pk])

    assert july.lines.count() == 1


def test_it_adds_nothing_to_a_submitted_report(july, officer_urumqi):
    line = july.lines.get()
    workflow.save_lines(july, {line.pk: {"spent": Decimal("8294"), "uses": ["vocational_training"]}}, officer_urumqi, july.version)
    workflow.submit(july, officer_urumqi, at=SUBMITTED_AT)

    with pytest.raises(ValidationError, match="已提交，等待审核，不能修改"):
        _add(july, officer_urumqi)

    assert july.lines.count() == 1


def test_it_refuses_in_the_database_an_added_line_without_its_fund(july):
    with pytest.raises(IntegrityError), transaction.atomic():
        FeedbackLine.objects.create(report=july, document=None, fund_name="", document_number="X〔2023〕1号", amount=1, position=2)
    with pytest.raises(IntegrityError), transaction.atomic():
        FeedbackLine.objects.create(report=july, document=None, fund_name="X", document_number="X〔2023〕1号", amount=0, position=2)


def test_it_refuses_in_the_database_one_number_added_twice(july):
    FeedbackLine.objects.create(report=july, document=None, fund_name="X", document_number="X〔2023〕1号", amount=1, position=2)

    with pytest.raises(IntegrityError), transaction.atomic():
        FeedbackLine.objects.create(report=july, document=None, fund_name="Y", document_number="X〔2023〕1号", amount=2, position=3)


def test_it_says_the_database_rules_in_clean_first(july):
    line = FeedbackLine(report=july, document=None, fund_name="", document_number="X〔2023〕1号", amount=Decimal("1"), position=2)

    with pytest.raises(ValidationError) as refused:
        line.full_clean()

    assert refused.value.message_dict["fund_name"] == ["自行添加的资金须填写收到的财政专项资金名称"]


def test_it_counts_added_lines_in_the_totals(july, officer_urumqi):
    _add(july, officer_urumqi, spent=Decimal("100"))

    figures = totals(july.lines.all())
    assert (figures.amount, figures.spent, figures.unspent) == (Decimal("8794"), Decimal("100"), Decimal("8694"))
    listed = with_totals(FeedbackReport.objects.filter(pk=july.pk)).get()
    assert (listed.total_amount, listed.total_spent) == (Decimal("8794"), Decimal("100"))


def test_it_follows_an_added_line_to_the_next_month_by_its_number(july, officer_urumqi, region_admin):
    system = july.lines.get()
    workflow.save_lines(july, {system.pk: {"spent": Decimal("8294"), "uses": ["vocational_training"]}}, officer_urumqi, july.version)
    _add(july, officer_urumqi, spent=Decimal("400"), uses=["vocational_training"], reason="慢", measure="加快", measure_deadline=date(2023, 9, 30))
    july.refresh_from_db()
    workflow.submit(july, officer_urumqi, at=SUBMITTED_AT)
    workflow.accept(july, region_admin)
    # The system line was spent out in July: August lists none, and the fund added again is line 1.
    august = workflow.open_report(officer_urumqi.prefecture, AUGUST)

    # Less than July's accepted 400 under the same 文号: the decrease rule applies, as to any line.
    with pytest.raises(ValidationError, match="第1行 新财社〔2023〕12号：累计实际支出 300.00 低于上月已审核的 400.00"):
        _add(august, officer_urumqi, spent=Decimal("300"))
    _add(august, officer_urumqi, spent=Decimal("300"), decrease_explanation="退回100万元")
    assert _added(august).spent == Decimal("300")


# -- the officer's form --------------------------------------------------------------------------


def test_it_adds_a_line_from_the_form_and_marks_it(july, officer_urumqi, client_for):
    client = client_for(officer_urumqi)
    data = _post(july, "add_line", new_fund_name="自治区就业资金", new_document_number="新财社〔2023〕12号", new_amount="500")

    response = client.post(_detail(july), data, follow=True)

    line = _added(july)
    assert (line.fund_name, line.amount, line.direct_mark) == ("自治区就业资金", Decimal("500"), "01 中央直达资金")
    html = page(response)
    text = visible_text(html)
    assert "已添加资金 新财社〔2023〕12号（自行添加），请填写其实际支出金额。" in text
    added = [card for card in cards(html) if "added-line" in card["classes"]]
    assert [card["added"] for card in added] == ["自行添加"]
    assert f'name="remove_line" value="{line.pk}"' in html


def test_it_adds_a_line_that_is_not_a_direct_fund(july, officer_urumqi, client_for):
    data = _post(july, "add_line", new_fund_name="地方资金", new_document_number="乌财社〔2023〕5号", new_amount="20", new_direct_mark="none")

    client_for(officer_urumqi).post(_detail(july), data)

    assert _added(july).direct_mark == ""


def test_it_saves_the_typed_figures_with_the_added_line_in_one_save(july, officer_urumqi, client_for):
    system = july.lines.get()
    data = _post(july, "add_line", new_fund_name="自治区就业资金", new_document_number="新财社〔2023〕12号", new_amount="500")
    data[f"spent_{system.pk}"] = "8000"
    data[f"uses_{system.pk}"] = ["vocational_training"]

    client_for(officer_urumqi).post(_detail(july), data)

    assert july.lines.get(pk=system.pk).spent == Decimal("8000")
    assert _added(july).amount == Decimal("500")


def test_it_asks_for_the_new_lines_fields_and_writes_nothing(july, officer_urumqi, client_for):
    before = _snapshot(july)

    response = client_for(officer_urumqi).post(_detail(july), _post(july, "add_line", new_amount="五百"))

    text = visible_text(page(response))
    assert "未保存" in text
    assert "添加资金：请填写收到的财政专项资金名称" in text
    assert "添加资金：请填写文号" in text
    assert "添加资金：资金金额“五百”不是数字" in text
    assert _snapshot(july) == before


def test_it_shows_a_refused_number_on_the_page_linked_to_its_input(july, officer_urumqi, client_for):
    before = _snapshot(july)
    data = _post(july, "add_line", new_fund_name="重复", new_document_number="新财社〔2023〕74号", new_amount="1")

    html = page(client_for(officer_urumqi).post(_detail(july), data))

    assert 'href="#id_new_document_number"' in html
    assert "请在第1行填写，不能自行添加" in visible_text(html)
    assert _snapshot(july) == before


def test_it_refuses_an_add_from_a_stale_page(july, officer_urumqi, client_for):
    data = _post(july, "add_line", new_fund_name="自治区就业资金", new_document_number="新财社〔2023〕12号", new_amount="500")
    _add(july, officer_urumqi, document_number="新财社〔2023〕13号")
    before = _snapshot(july)

    response = client_for(officer_urumqi).post(_detail(july), data)

    assert "该反馈表已被他人修改" in visible_text(page(response))
    assert _snapshot(july) == before


def test_it_removes_an_added_line_from_the_form(july, officer_urumqi, client_for):
    _add(july, officer_urumqi)
    line = _added(july)

    response = client_for(officer_urumqi).post(_detail(july), _post(july, remove_line=str(line.pk)), follow=True)

    assert "已删除自行添加的资金 第2行 新财社〔2023〕12号。" in visible_text(page(response))
    assert list(july.lines.values_list("document_number", flat=True)) == ["新财社〔2023〕74号"]


def test_it_ignores_a_remove_of_a_system_line_posted_by_hand(july, officer_urumqi, client_for):
    system = july.lines.get()

    client_for(officer_urumqi).post(_detail(july), _post(july, remove_line=str(system.pk)))

    assert july.lines.count() == 1


def test_it_adds_a_line_at_the_months_first_save(officer_urumqi, monkeypatch, client_for):
    monkeypatch.setattr(clock, "today", lambda: date(2023, 7, 12))
    prefecture = officer_urumqi.prefecture
    _report, (line,) = workflow.unsaved_report(prefecture, JULY)
    data = {"version": "1", "action": "add_line", f"spent_d{line.document_id}": "", f"reason_d{line.document_id}": ""}
    data.update(new_fund_name="自治区就业资金", new_document_number="新财社〔2023〕12号", new_amount="500")

    response = client_for(officer_urumqi).post(report_open_url(prefecture, JULY), data)

    assert response.status_code == 302
    report = FeedbackReport.objects.get(prefecture=officer_urumqi.prefecture, month=JULY)
    assert list(report.lines.order_by("position").values_list("document_number", "document")) == [
        ("新财社〔2023〕74号", report.lines.get(position=1).document_id), ("新财社〔2023〕12号", None),
    ]


def test_it_writes_nothing_when_a_report_with_an_added_line_is_viewed(july, officer_urumqi, region_admin, client_for):
    _add(july, officer_urumqi)
    before = _snapshot(july)

    for user in (officer_urumqi, region_admin):
        client = client_for(user)
        assert client.get(_detail(july)).status_code == 200
        assert client.get(reverse("feedback:report_print", args=[july.pk])).status_code == 200

    assert _snapshot(july) == before


def test_it_shows_the_mark_to_the_reviewer(july, officer_urumqi, region_admin, client_for):
    system = july.lines.get()
    workflow.save_lines(july, {system.pk: {"spent": Decimal("8294"), "uses": ["vocational_training"]}}, officer_urumqi, july.version)
    _add(july, officer_urumqi, spent=Decimal("500"), uses=["vocational_training"])
    july.refresh_from_db()
    workflow.submit(july, officer_urumqi, at=SUBMITTED_AT)

    html = page(client_for(region_admin).get(_detail(july)))

    added = [card for card in cards(html) if "added-line" in card["classes"]]
    assert [(card["added"], card["treasury"]) for card in added] == [("自行添加", "系统外资金，无国库支付对照")]
    assert "remove_line" not in html
    assert "添加资金（说明1）" not in visible_text(html)
    # 合计 counts it: 8,294 + 500.
    assert cards(html)[0]["amount"] == "8,794.00"

    workflow.accept(july, region_admin)
    assert FeedbackReport.objects.get(pk=july.pk).status == ReportStatus.ACCEPTED


def test_it_marks_the_line_on_the_print_view_and_in_the_change_history(july, officer_urumqi, client_for):
    _add(july, officer_urumqi)
    client = client_for(officer_urumqi)

    printed = visible_text(page(client.get(reverse("feedback:report_print", args=[july.pk]))))
    history = visible_text(page(client.get(reverse("oversight:object_history", args=["feedback", "feedbackreport", july.pk]))))

    assert "2023年自治区就业补助资金（自行添加）" in printed
    assert "新财社〔2023〕12号（自行添加）" in history
