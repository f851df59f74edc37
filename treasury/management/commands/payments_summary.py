import csv
import datetime

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from allocations.models import AllocationDocument
from treasury.money import wan_text
from treasury.summary import document_summary
from treasury.summary_sql import summary_text_rows

COLUMNS = ("prefecture", "county", "allocated", "paid", "unspent", "progress")


def _month(text):
    try:
        return datetime.datetime.strptime(text, "%Y-%m").date()
    except ValueError:
        raise CommandError(f"月份“{text}”应写成 YYYY-MM，如 2023-07。") from None


def _cells(figures):
    shown = figures.progress
    return (
        figures.prefecture,
        figures.county,
        wan_text(figures.allocated_fen, grouped=False),
        wan_text(figures.paid_fen, grouped=False),
        wan_text(figures.unspent_fen, grouped=False),
        "" if shown is None else format(shown, "f"),
    )


def table(document, month):
    # PostgreSQL writes a national document's thousands of rows itself (treasury.summary_sql says why).
    if connection.vendor == "postgresql":
        return summary_text_rows(document, month)
    return [_cells(figures) for figures in document_summary(document, month, by_use=False)]


class Command(BaseCommand):
    help = "按县（市、区）汇总一个自治区文件到某月末的国库支付：分配、已支付、未支出（万元）和支出进度（%）。"

    def add_arguments(self, parser):
        parser.add_argument("number", help="自治区文件文号")
        parser.add_argument("--month", required=True, help="YYYY-MM：累计到该月月末")
        parser.add_argument("--format", choices=("text", "csv"), default="text")

    def handle(self, *args, **options):
        month = _month(options["month"])
        document = AllocationDocument.objects.filter(number=options["number"]).first()
        if document is None:
            raise CommandError(f"没有文号为 {options['number']} 的文件。")
        if document.parent_id is not None:
            raise CommandError(
                f"{document.number} 是转下达文件，其支付汇总在上级文件 {document.parent.number} 之下，请用该文号查询。"
            )
        rows = table(document, month)
        if options["format"] == "csv":
            writer = csv.writer(self.stdout, lineterminator="\n")
            writer.writerow(COLUMNS)
            writer.writerows(rows)
            return
        for row in [COLUMNS, *rows]:
            self.stdout.write("\t".join(row))
