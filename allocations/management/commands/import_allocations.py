from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from allocations.importing import ImportRefused, read_and_check, save_checked
from core import progress as progress_bar


class _DryRun(Exception):
    pass


def _parse_date(text):
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise CommandError(f"--date “{text}” 不是 YYYY-MM-DD 格式的日期。") from None


class Command(BaseCommand):
    help = "导入附件1格式的分配表工作簿（.xlsx）。全部成功才写入；任何错误都不写入。"

    def add_arguments(self, parser):
        parser.add_argument("file", help="附件1格式的 .xlsx 文件")
        parser.add_argument("--document", required=True, help="文号，例如 新财社〔2023〕74号")
        parser.add_argument("--title", help="文件标题")
        parser.add_argument("--date", help="发文日期 YYYY-MM-DD")
        parser.add_argument("--replace", action="store_true", help="覆盖同文号的草稿")
        parser.add_argument("--dry-run", action="store_true", help="只校验并报告，不写入")
        progress_bar.add_argument(parser)

    def handle(self, *args, **options):
        issued_on = _parse_date(options["date"]) if options["date"] else None
        progress = progress_bar.for_command(self, options)
        try:
            with open(options["file"], "rb") as handle:
                # No bar wanted: no call a row either.
                table = read_and_check(handle, progress=progress if progress.enabled else None)
        except OSError as error:
            raise CommandError(f"无法打开文件 {options['file']}：{error.strerror}") from None
        finally:
            progress.finish()
        try:
            with transaction.atomic():
                document = save_checked(
                    table,
                    number=options["document"],
                    title=options["title"],
                    issued_on=issued_on,
                    replace=options["replace"],
                )
                if options["dry_run"]:
                    # The whole write runs, so a dry run finds what a real
                    # run would (an existing 文号 included), then rolls back.
                    raise _DryRun
        except _DryRun:
            self.stdout.write(f"校验通过（未写入）：{options['document']}，{table.summary()}")
            return
        except ImportRefused as refused:
            raise refused.command_error() from None
        self.stdout.write(f"已导入 {document.number}：{table.summary()}")
