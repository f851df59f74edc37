import json

from django.core.management.base import BaseCommand, CommandError
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell

from allocations.models import AllocationDocument
from api.direct_funds import COLUMNS, as_json, rows
from core.safe_export import set_text_cell

SHEET = "直达资金"


def _xlsx(found, path):
    book = Workbook(write_only=True)
    sheet = book.create_sheet(SHEET)
    sheet.append([label for _key, label in COLUMNS])
    for row in found:
        # Amounts stay numbers (exact decimals); text that looks like a formula is neutralised.
        sheet.append([set_text_cell(WriteOnlyCell(sheet), value) if isinstance(value, str) else value for value in row.values()])
    book.save(path)


class Command(BaseCommand):
    help = "导出直达资金监控数据：一个文件（及其转下达）每个（文件、地州市、县市区）一行。"

    def add_arguments(self, parser):
        parser.add_argument("number", help="文号")
        parser.add_argument("--format", choices=("xlsx", "json"), default="xlsx")
        parser.add_argument("-o", "--output", required=True, help="输出文件")

    def handle(self, *args, **options):
        document = AllocationDocument.objects.select_related("fund", "parent").filter(number=options["number"]).first()
        if document is None:
            raise CommandError(f"没有文号为 {options['number']} 的文件。")
        found = rows(document)
        try:
            if options["format"] == "json":
                with open(options["output"], "w", encoding="utf-8") as handle:
                    json.dump(as_json(document, found), handle, ensure_ascii=False, indent=1)
            else:
                _xlsx(found, options["output"])
        except OSError as problem:
            raise CommandError(f"无法写入 {options['output']}：{problem.strerror}") from None
        self.stdout.write(f"{document.number}：{len(found)} 行，写入 {options['output']}")
