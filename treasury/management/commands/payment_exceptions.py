import csv

from django.core.management.base import BaseCommand

from treasury.models import PaymentException

COLUMNS = ("voucher", "kind", "detail")


class Command(BaseCommand):
    help = "列出国库支付的异常（voucher,kind,detail）。"

    def add_arguments(self, parser):
        parser.add_argument("--format", choices=("text", "csv"), default="text")
        parser.add_argument("--kind", help="只列出这一类")

    def handle(self, *args, **options):
        rows = PaymentException.objects.order_by("payment_id", "kind")
        if options["kind"]:
            rows = rows.filter(kind=options["kind"])
        values = rows.values_list("payment_id", "kind", "detail").iterator(chunk_size=2000)
        if options["format"] == "csv":
            writer = csv.writer(self.stdout, lineterminator="\n")
            writer.writerow(COLUMNS)
            writer.writerows(values)
            return
        for voucher, kind, detail in values:
            self.stdout.write(f"{voucher}\t{kind}\t{detail}")
