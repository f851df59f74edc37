from django.core.management.base import BaseCommand, CommandError

from allocations.models import AllocationDocument
from allocations.workbook.export import write_workbook


class Command(BaseCommand):
    help = "按附件1格式导出分配表（含合计、小计、合并单元格和直达资金标识）。"

    def add_arguments(self, parser):
        parser.add_argument("document", help="文号")
        parser.add_argument("-o", "--output", required=True, help="输出的 .xlsx 文件")

    def handle(self, *args, **options):
        document = AllocationDocument.objects.select_related("fund").filter(number=options["document"]).first()
        if document is None:
            raise CommandError(f"找不到文号为 {options['document']} 的分配文件。")
        try:
            write_workbook(document, options["output"])
        except OSError as error:
            raise CommandError(f"无法写入 {options['output']}：{error.strerror}") from None
        self.stdout.write(
            f"已导出 {document.number} 到 {options['output']}：{document.lines.count()} 行，合计 {document.declared_total.normalize():f} 万元"
        )
