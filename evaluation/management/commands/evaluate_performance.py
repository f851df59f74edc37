import io

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from allocations.models import AllocationDocument
from evaluation.report import COLUMNS, NothingToEvaluate, evaluate_document, summary_row, write_csv

FORMATS = ("text", "csv")


class Command(BaseCommand):
    help = "年度绩效自评：按12月实际完成值与年末预算执行率为各地（州、市）评分、定级。"

    def add_arguments(self, parser):
        parser.add_argument("document", help="文号，例如 新财社〔2023〕74号")
        # Checked in handle() rather than by argparse, whose refusal would be in English.
        parser.add_argument("--year", default=None, help="评价年度，默认为文件的年度")
        parser.add_argument("--format", default="text", help="输出格式：text（默认）或 csv")

    def handle(self, *args, **options):
        if options["format"] not in FORMATS:
            raise CommandError(f"不支持的输出格式“{options['format']}”，只能是 text 或 csv。")
        document = AllocationDocument.objects.filter(number=options["document"]).first()
        if document is None:
            raise CommandError(f"找不到文号为 {options['document']} 的分配文件。")
        year = options["year"]
        if year is None:
            year = document.year
        elif not str(year).isdigit() or not 2000 <= int(year) <= 2100:
            raise CommandError(f"年度“{year}”不是2000到2100之间的整数。")
        try:
            evaluations = evaluate_document(document, int(year))
        except NothingToEvaluate as refused:
            raise CommandError(str(refused)) from None
        except ValidationError as refused:
            raise CommandError("；".join(refused.messages)) from None
        if options["format"] == "csv":
            buffer = io.StringIO()
            write_csv(evaluations, buffer)
            self.stdout.write(buffer.getvalue(), ending="")
            return
        self.stdout.write(f"{document.number} {year}年度绩效自评")
        self.stdout.write("  ".join(COLUMNS))
        for evaluation in evaluations:
            row = summary_row(evaluation)
            self.stdout.write("  ".join(row[column] or "—" for column in COLUMNS))
