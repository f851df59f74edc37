from django.core.management.base import BaseCommand, CommandError

from core import progress as progress_bar
from core.models import Role, User
from core.refusals import ImportRefused
from feedback.workbook.importing import import_workbook
from feedback.workbook.options import OptionError, check_not_future, find_prefecture, parse_month


def _acting_user(username, prefecture):
    if username:
        user = User.objects.filter(username=username, is_active=True).first()
        if user is None:
            raise CommandError(f"找不到用户“{username}”（或该用户已停用）。")
        return user
    # The report is the prefecture's own: by default its officer imports it.
    user = (
        User.objects.filter(prefecture=prefecture, groups__name=Role.FINANCE_OFFICER, is_active=True)
        .order_by("pk")
        .first()
    )
    if user is None:
        raise CommandError(f"{prefecture.name} 没有财务人员账号，请用 --user 指定以谁的身份导入。")
    return user


class Command(BaseCommand):
    help = "导入填好的附件3反馈表（.xlsx）。全部通过才写入；任何错误都不写入。--submit 同时提交审核。"

    def add_arguments(self, parser):
        parser.add_argument("file", help="附件3格式的 .xlsx 文件")
        parser.add_argument("--prefecture", required=True, help="地（州、市）名称，例如 乌鲁木齐市")
        parser.add_argument("--month", required=True, help="月份 YYYY-MM，例如 2023-07")
        parser.add_argument("--submit", action="store_true", help="导入后提交审核（以导入时间为提交时间）")
        parser.add_argument("--dry-run", action="store_true", help="只校验并报告，不写入")
        parser.add_argument("--user", help="以该用户身份导入（默认：该地州市的第一个财务人员）")
        progress_bar.add_argument(parser)

    def handle(self, *args, **options):
        try:
            month = check_not_future(parse_month(options["month"]))
            prefecture = find_prefecture(options["prefecture"])
        except OptionError as error:
            raise CommandError(str(error)) from None
        user = _acting_user(options["user"], prefecture)
        progress = progress_bar.for_command(self, options)
        try:
            with open(options["file"], "rb") as handle:
                outcome = import_workbook(
                    handle, prefecture, month, user, submit=options["submit"], dry_run=options["dry_run"], progress=progress
                )
        except OSError as error:
            raise CommandError(f"无法打开文件 {options['file']}：{error.strerror}") from None
        except ImportRefused as refused:
            raise refused.command_error() from None
        finally:
            progress.finish()
        for line in outcome.missing:
            self.stdout.write(f"提示：文件中没有 第{line.position}行 {line.document_number}，该行保持不变。")
        prefix = "校验通过（未写入）" if outcome.dry_run else "已导入"
        self.stdout.write(f"{prefix} {prefecture.name} {month:%Y-%m}（操作人 {user.username}）：{outcome.summary_text}")
