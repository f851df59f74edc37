from django.core.management.base import BaseCommand, CommandError

from allocations.money import plain
from feedback.progress import totals
from feedback.workbook.export import month_sheets, sheet_for, write_workbook
from feedback.workbook.options import OptionError, check_not_future, find_prefecture, parse_month


class Command(BaseCommand):
    help = "按附件3格式导出资金使用情况跟踪反馈表（预填收到的资金）。不指定地州市则导出全区 14 个地州市，每个一张工作表。"

    def add_arguments(self, parser):
        parser.add_argument("--prefecture", help="地（州、市）名称，例如 乌鲁木齐市")
        parser.add_argument("--all", action="store_true", help="导出全区所有地州市（默认）")
        parser.add_argument("--month", required=True, help="月份 YYYY-MM，例如 2023-07")
        parser.add_argument("-o", "--output", required=True, help="输出的 .xlsx 文件")

    def handle(self, *args, **options):
        if options["prefecture"] and options["all"]:
            raise CommandError("--prefecture 与 --all 只能选一个。")
        try:
            month = check_not_future(parse_month(options["month"]))
            prefecture = find_prefecture(options["prefecture"]) if options["prefecture"] else None
        except OptionError as error:
            raise CommandError(str(error)) from None
        # Exporting opens the reports, as the officers' first visit would.
        sheets = [sheet_for(prefecture, month)] if prefecture else month_sheets(month)
        try:
            write_workbook(sheets, options["output"])
        except OSError as error:
            raise CommandError(f"无法写入 {options['output']}：{error.strerror}") from None
        for sheet in sheets:
            figures = totals(sheet.lines)
            self.stdout.write(
                f"{sheet.prefecture.name} {month:%Y-%m}：{len(sheet.lines)} 行，资金金额 {plain(figures.amount)} 万元，"
                f"实际支出 {plain(figures.spent)} 万元，进度 {figures.progress_label or '—'}"
            )
        self.stdout.write(f"已导出到 {options['output']}（{len(sheets)} 张工作表）")
