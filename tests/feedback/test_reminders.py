"""Reminders before the due date and the overdue list, with the day passed in instead of the clock."""

import io
from datetime import date

import pytest
from django.core import mail
from django.core.management import call_command
from django.core.management.base import CommandError

from allocations.models import Prefecture
from feedback import workflow
from feedback.reminders import due_reminders, first_received, overdue
from feedback.obligations import received_subtotals

JUNE = date(2023, 6, 1)
JULY = date(2023, 7, 1)
ALL = 14


def _prefecture(name):
    return Prefecture.objects.get(name=name)


def _submitted(officer, month=JULY):
    report = workflow.open_report(officer.prefecture, month)
    line = report.lines.get()
    # All of it spent: never lagging, whatever the month.
    workflow.save_lines(report, {line.pk: {"spent": line.amount, "uses": ["vocational_training"]}}, officer, report.version)
    return workflow.submit(report, officer)


def _names(items):
    return [(item.prefecture.name, f"{item.month:%Y-%m}") for item in items]


def _remind(*args):
    out = io.StringIO()
    call_command("send_feedback_reminders", *args, stdout=out)
    return out.getvalue()


def test_it_reminds_every_prefecture_without_a_submitted_report_within_the_days(officer_urumqi):
    _submitted(officer_urumqi)

    due = due_reminders(date(2023, 7, 28), days_before=3)

    assert len(due) == ALL - 1
    assert "乌鲁木齐市" not in {item.prefecture.name for item in due}
    assert {item.due_date for item in due} == {date(2023, 7, 31)}
    assert due_reminders(date(2023, 7, 27), days_before=3) == []  # four days before: not yet
    assert len(due_reminders(date(2023, 7, 31), days_before=0)) == ALL - 1  # the due day itself


def test_it_reminds_a_returned_report_and_a_draft_but_not_an_accepted_one(officer_urumqi, officer_kashgar, region_admin):
    workflow.return_report(_submitted(officer_urumqi), region_admin, "请补充资金支出方向")
    workflow.accept(_submitted(officer_kashgar), region_admin)
    workflow.open_report(_prefecture("和田地区"), JULY)

    due = {item.prefecture.name: item.status_label for item in due_reminders(date(2023, 7, 30), 3)}

    assert due["乌鲁木齐市"] == "已退回"
    assert due["和田地区"] == "草稿"
    assert due["伊犁州"] == "未填报"
    assert "喀什地区" not in due


def test_it_chases_no_month_before_the_money_arrived(reference_data):
    # 新财社〔2023〕74号 was issued on 2023-06-05: nothing was owed for May.
    assert due_reminders(date(2023, 5, 30), 3) == []
    assert overdue(date(2023, 6, 2)) == []
    assert len(due_reminders(date(2023, 6, 29), 3)) == ALL


def test_it_lists_the_overdue_reports_oldest_first(officer_urumqi):
    _submitted(officer_urumqi, JUNE)

    late = overdue(date(2023, 8, 2))

    assert len(late) == 2 * ALL - 1
    assert _names(late)[0] == ("伊犁州", "2023-06")
    assert ("乌鲁木齐市", "2023-07") in _names(late)
    assert ("乌鲁木齐市", "2023-06") not in _names(late)
    assert overdue(date(2023, 7, 31)) == overdue(date(2023, 7, 1))  # June's only, until July's due day has passed
    assert {item.month for item in overdue(date(2023, 7, 31))} == {JUNE}


def test_it_follows_a_due_rule_in_the_following_month(reference_data, settings):
    settings.FEEDBACK_DUE_RULE = "next_month:5"

    due = due_reminders(date(2023, 8, 3), 3)

    assert {(item.month, item.due_date) for item in due} == {(JULY, date(2023, 8, 5))}
    assert overdue(date(2023, 8, 3)) == overdue(date(2023, 7, 6))  # June was due on 7-05


def test_it_counts_received_money_as_the_workflow_prefills_it(reference_data):
    received = first_received()

    for prefecture in Prefecture.objects.all():
        for month in (date(2023, 5, 1), JUNE):
            expected = received_subtotals(prefecture, month).exists()
            assert (prefecture.pk in received and received[prefecture.pk].replace(day=1) <= month) == expected


def test_it_emails_the_officers_with_an_address_and_lists_the_others(officer_urumqi, officer_kashgar):
    officer_urumqi.email = "urumqi@example.cn"
    officer_urumqi.save()

    output = _remind("--today", "2023-07-29")

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["urumqi@example.cn"]
    assert message.subject == "【提醒】乌鲁木齐市 2023年7月 资金使用情况跟踪反馈表将于 2023-07-31 截止"
    assert "乌鲁木齐市财政局" in message.body and "2023年7月" in message.body and "2023-07-31（还有 2 天）" in message.body
    assert "乌鲁木齐市 2023-07（截止 2023-07-31，未填报）：已发送给 officer_urumqi <urumqi@example.cn>" in output
    assert "喀什地区 2023-07（截止 2023-07-31，未填报）：未发送（officer_kashgar 无邮箱）" in output
    assert "伊犁州 2023-07（截止 2023-07-31，未填报）：没有财务人员账号，未发送" in output
    assert "逾期未提交的反馈表 14 份" in output
    assert "  伊犁州 2023-06：截止 2023-06-30，已逾期 29 天，未填报" in output
    assert output.strip().endswith("合计：发送提醒邮件 1 封，发送失败 0 封，无邮箱 1 人，逾期未提交 14 份。")


def test_it_sends_nothing_outside_the_window_and_uses_the_configured_default(officer_urumqi, settings):
    officer_urumqi.email = "urumqi@example.cn"
    officer_urumqi.save()

    assert "3 天内到期、尚未提交的反馈表 0 份" in _remind("--today", "2023-07-20")
    assert mail.outbox == []
    assert "11 天内到期、尚未提交的反馈表 14 份" in _remind("--today", "2023-07-20", "--days-before", "11")
    assert len(mail.outbox) == 1


def test_it_sends_no_reminder_for_a_submitted_report(officer_urumqi):
    officer_urumqi.email = "urumqi@example.cn"
    officer_urumqi.save()
    _submitted(officer_urumqi)

    output = _remind("--today", "2023-07-30")

    assert mail.outbox == []
    assert "乌鲁木齐市 2023-07" not in output


@pytest.mark.parametrize(
    "args, message",
    [(["--today", "2023/07/29"], "不是 YYYY-MM-DD 格式的日期"), (["--days-before", "-1"], "不能为负数")],
)
def test_it_refuses_bad_options(reference_data, args, message):
    with pytest.raises(CommandError, match=message):
        _remind(*args)
