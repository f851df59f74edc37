from datetime import date

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from feedback.reminders import due_reminders, overdue
from feedback.workbook.options import month_label

SUBJECT = "【提醒】{prefecture} {month} 资金使用情况跟踪反馈表将于 {due:%Y-%m-%d} 截止"
BODY = """{prefecture}财政局：

您单位 {month} 的自治区财政资金使用情况跟踪反馈表（附件3）尚未提交，当前状态：{status}。
截止日期为 {due:%Y-%m-%d}（还有 {days} 天）。

请登录就业补助资金管理系统，填写实际支出金额、资金支出方向，支出进度低于时间进度的，须填写原因、整改措施及整改时间，并按时提交。
{returned}
此邮件由系统自动发送，请勿回复。
"""


def _parse_today(text):
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise CommandError(f"--today “{text}” 不是 YYYY-MM-DD 格式的日期。") from None


def _message(item, today):
    returned = ""
    if item.report is not None and item.report.return_reason:
        returned = f"\n退回原因：{item.report.return_reason}\n"
    context = {
        "prefecture": item.prefecture.name,
        "month": month_label(item.month),
        "due": item.due_date,
        "days": item.days_left(today),
        "status": item.status_label,
        "returned": returned,
    }
    return EmailMessage(
        subject=SUBJECT.format(**context),
        body=BODY.format(**context),
        to=[officer.email for officer in item.recipients],
    )


class Command(BaseCommand):
    help = "给截止日期临近、尚未提交附件3反馈表的地州市财务人员发送提醒邮件，并列出逾期未提交的反馈表。"

    def add_arguments(self, parser):
        parser.add_argument(
            "--days-before",
            type=int,
            default=settings.FEEDBACK_REMINDER_DAYS_BEFORE,
            help=f"截止前几天内提醒（默认 {settings.FEEDBACK_REMINDER_DAYS_BEFORE}）",
        )
        parser.add_argument("--today", help="按这一天计算（YYYY-MM-DD，默认今天）")

    def handle(self, *args, **options):
        today = _parse_today(options["today"]) if options["today"] else timezone.localdate()
        days_before = options["days_before"]
        if days_before < 0:
            raise CommandError("--days-before 不能为负数。")

        sent = failed = 0
        no_email = []
        reminders = due_reminders(today, days_before)
        self.stdout.write(f"{today:%Y-%m-%d}：{days_before} 天内到期、尚未提交的反馈表 {len(reminders)} 份")
        connection = get_connection()
        for item in reminders:
            where = f"  {item.prefecture.name} {item.month:%Y-%m}（截止 {item.due_date:%Y-%m-%d}，{item.status_label}）"
            missing = "；".join(f"{officer.username} 无邮箱" for officer in item.without_email)
            no_email.extend(item.without_email)
            if not item.officers:
                self.stdout.write(f"{where}：没有财务人员账号，未发送")
                continue
            if not item.recipients:
                self.stdout.write(f"{where}：未发送（{missing}）")
                continue
            try:
                connection.send_messages([_message(item, today)])
            except Exception as error:  # any backend failure: report it and go on with the others
                failed += 1
                self.stdout.write(f"{where}：发送失败（{error}）")
                continue
            sent += 1
            names = "、".join(f"{officer.username} <{officer.email}>" for officer in item.recipients)
            self.stdout.write(f"{where}：已发送给 {names}" + (f"；{missing}" if missing else ""))

        late = overdue(today)
        self.stdout.write(f"逾期未提交的反馈表 {len(late)} 份")
        for item in late:
            self.stdout.write(
                f"  {item.prefecture.name} {item.month:%Y-%m}：截止 {item.due_date:%Y-%m-%d}，"
                f"已逾期 {-item.days_left(today)} 天，{item.status_label}"
            )
        self.stdout.write(
            f"合计：发送提醒邮件 {sent} 封，发送失败 {failed} 封，无邮箱 {len(no_email)} 人，逾期未提交 {len(late)} 份。"
        )
        if failed:
            raise CommandError(f"{failed} 封提醒邮件发送失败，见上方列表。")
