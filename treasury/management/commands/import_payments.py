from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from treasury.importing import PaymentsRefused, import_payments


class Command(BaseCommand):
    help = "导入国库集中支付明细（XLSX 或 CSV，CSV 可为 UTF-8 或 GB18030）。按支付凭证号去重：全部成功才写入。"

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--dry-run", action="store_true", help="只检查并报告，不写入")
        parser.add_argument("--encoding", help="CSV 的编码（默认自动识别 UTF-8 / GB18030）")

    def handle(self, *args, **options):
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"找不到文件：{path}")
        try:
            outcome = import_payments(path, path.name, encoding=options["encoding"], dry_run=options["dry_run"])
        except PaymentsRefused as refused:
            counts = refused.outcome
            message = refused.command_error().args[0]
            raise CommandError(
                f"{message}\n读取 {counts.read} 行，新增 0 行，已存在 {counts.present} 行，拒绝 {counts.refused} 行"
            ) from None
        for line in outcome.lines():
            self.stdout.write(line)
