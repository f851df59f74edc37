from datetime import date, datetime
from decimal import Decimal as D
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from allocations.models import Prefecture
from feedback import workflow
from feedback.models import FeedbackReport, ReportStatus

SHANGHAI = ZoneInfo("Asia/Shanghai")


def _fill(report, user, **values):
    line = report.lines.get()
    return workflow.save_lines(report, {line.pk: values}, user, report.version)


def _state(report):
    report = FeedbackReport.objects.get(pk=report.pk)
    return (report.status, report.version, list(report.lines.values_list("spent", "uses", "reason")))


def test_it_prefills_one_line_per_document_that_gave_money(urumqi_july):
    line = urumqi_july.lines.get()
    assert (line.fund_name, line.document_number, line.amount, line.direct_mark) == (
        "2023年中央财政就业补助资金（第二批）",
        "新财社〔2023〕74号",
        D("8294"),
        "01 中央直达资金",
    )
    assert urumqi_july.due_date == date(2023, 7, 31)


def test_it_lists_no_document_issued_after_the_month(reference_data):
    report = workflow.open_report(Prefecture.objects.get(name="乌鲁木齐市"), date(2023, 5, 1))
    assert report.lines.count() == 0


def test_it_opens_the_same_report_twice_without_duplicating_lines(urumqi_july):
    again = workflow.open_report(urumqi_july.prefecture, date(2023, 7, 15))
    assert again.pk == urumqi_july.pk
    assert again.lines.count() == 1


def test_it_saves_and_submits_on_time(urumqi_july, officer_urumqi):
    report = _fill(urumqi_july, officer_urumqi, spent=D("5000"), uses=["vocational_training"])
    report = workflow.submit(report, officer_urumqi, at=datetime(2023, 7, 31, 23, 0, tzinfo=SHANGHAI))
    assert (report.status, report.on_time, report.submitted_by) == (ReportStatus.SUBMITTED, True, officer_urumqi)


def test_it_marks_a_submission_after_the_due_date_late(urumqi_july, officer_urumqi):
    report = _fill(urumqi_july, officer_urumqi, spent=D("5000"), uses=["vocational_training"])
    report = workflow.submit(report, officer_urumqi, at=datetime(2023, 8, 1, 0, 30, tzinfo=SHANGHAI))
    assert report.on_time is False


def test_it_submits_only_once(urumqi_july, officer_urumqi):
    report = _fill(urumqi_july, officer_urumqi, spent=D("5000"), uses=["vocational_training"])
    first = workflow.submit(report, officer_urumqi, at=datetime(2023, 7, 20, tzinfo=SHANGHAI))
    second = workflow.submit(first, officer_urumqi, at=datetime(2023, 7, 25, tzinfo=SHANGHAI))
    assert (second.submitted_at, second.version) == (first.submitted_at, first.version)


def test_it_refuses_a_stale_save_and_keeps_the_first(urumqi_july, officer_urumqi, region_admin):
    stale_version = urumqi_july.version
    line = urumqi_july.lines.get()
    workflow.save_lines(urumqi_july, {line.pk: {"spent": D("5000")}}, officer_urumqi, stale_version)
    before = _state(urumqi_july)

    with pytest.raises(ValidationError) as error:
        workflow.save_lines(urumqi_july, {line.pk: {"spent": D("6000")}}, region_admin, stale_version)

    assert error.value.code == "stale"
    assert _state(urumqi_july) == before
    assert before[2][0][0] == D("5000")


def test_it_refuses_a_lagging_line_without_a_reason_and_keeps_the_report(urumqi_july, officer_urumqi):
    report = _fill(urumqi_july, officer_urumqi, spent=D("1000"), uses=["vocational_training"])
    before = _state(report)
    with pytest.raises(ValidationError) as error:
        workflow.submit(report, officer_urumqi)
    assert "第1行 新财社〔2023〕74号：支出进度 12.06% 低于时间进度 58.33%，须填写未按计划支出的原因" in error.value.messages
    assert _state(report) == before


def test_it_refuses_an_officer_of_another_prefecture(urumqi_july, officer_kashgar):
    before = _state(urumqi_july)
    with pytest.raises(PermissionDenied):
        _fill(urumqi_july, officer_kashgar, spent=D("1"))
    assert _state(urumqi_july) == before


def test_it_locks_an_accepted_report_until_reopened_with_a_reason(urumqi_july, officer_urumqi, region_admin):
    report = _fill(urumqi_july, officer_urumqi, spent=D("5000"), uses=["vocational_training"])
    report = workflow.accept(workflow.submit(report, officer_urumqi), region_admin)
    assert report.is_locked

    with pytest.raises(ValidationError, match="已审核通过并锁定"):
        _fill(report, officer_urumqi, spent=D("6000"))
    with pytest.raises(ValidationError, match="重新打开必须填写原因"):
        workflow.reopen(report, region_admin, "  ")
    with pytest.raises(PermissionDenied):
        workflow.reopen(report, officer_urumqi, "想改")

    report = workflow.reopen(report, region_admin, "国库数据更正")
    assert report.status == ReportStatus.DRAFT
    assert report.history.first().history_change_reason == "国库数据更正"
    _fill(report, officer_urumqi, spent=D("6000"))


def test_it_needs_a_reason_to_return_and_lets_only_reviewers_decide(urumqi_july, officer_urumqi, region_admin, auditor):
    report = workflow.submit(_fill(urumqi_july, officer_urumqi, spent=D("5000"), uses=["internship"]), officer_urumqi)
    with pytest.raises(ValidationError, match="退回必须填写原因"):
        workflow.return_report(report, region_admin, "")
    with pytest.raises(PermissionDenied):
        workflow.accept(report, auditor)

    report = workflow.return_report(report, region_admin, "支出方向与国库数据不符")
    assert (report.status, report.return_reason) == (ReportStatus.RETURNED, "支出方向与国库数据不符")
    report = workflow.submit(_fill(report, officer_urumqi, uses=["social_insurance"]), officer_urumqi)
    assert report.status == ReportStatus.SUBMITTED and report.return_reason == ""


def test_it_compares_with_last_months_accepted_figure(urumqi_july, officer_urumqi, region_admin):
    report = workflow.submit(_fill(urumqi_july, officer_urumqi, spent=D("5000"), uses=["internship"]), officer_urumqi)
    workflow.accept(report, region_admin)
    august = workflow.open_report(urumqi_july.prefecture, date(2023, 8, 1))

    with pytest.raises(ValidationError) as error:
        _fill(august, officer_urumqi, spent=D("4000"))
    assert error.value.messages == ["第1行 新财社〔2023〕74号：累计实际支出 4,000.00 低于上月已审核的 5,000.00，请填写支出减少说明"]
    _fill(august, officer_urumqi, spent=D("4000"), decrease_explanation="7月多报1000，已更正")


def test_it_keeps_every_transition_in_history(urumqi_july, officer_urumqi, region_admin):
    report = workflow.submit(_fill(urumqi_july, officer_urumqi, spent=D("5000"), uses=["internship"]), officer_urumqi)
    workflow.accept(report, region_admin)
    statuses = list(report.history.order_by("history_date").values_list("status", flat=True))
    assert statuses[-2:] == ["submitted", "accepted"]
    line_history = report.lines.get().history.all()
    assert [h.spent for h in line_history][:1] == [D("5000")]
