from django.core.management.base import BaseCommand, CommandError

from targets.workbook.export import write_workbook
from targets.workbook.scope import ScopeError, find_table


class Command(BaseCommand):
    help = "按附件2格式导出一张绩效目标表（表头、一级/二级指标合并单元格、三级指标与指标值原文）。"

    def add_arguments(self, parser):
        parser.add_argument("document", help="文号，例如 新财社〔2023〕74号")
        parser.add_argument("--scope", required=True, help="自治区，或地（州、市）名称，例如 乌鲁木齐市")
        parser.add_argument("-o", "--output", required=True, help="输出的 .xlsx 文件")

    def handle(self, *args, **options):
        try:
            table = find_table(options["document"], options["scope"])
        except ScopeError as error:
            raise CommandError(str(error)) from None
        targets = list(table.targets.select_related("indicator"))
        try:
            write_workbook(table, options["output"], targets)
        except OSError as error:
            raise CommandError(f"无法写入 {options['output']}：{error.strerror}") from None
        self.stdout.write(f"已导出 {table} 的绩效目标表到 {options['output']}：{len(targets)} 项指标")
