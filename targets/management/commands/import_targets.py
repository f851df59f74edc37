from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from core.refusals import ImportRefused
from core.workbook import WorkbookError
from core import progress as progress_bar
from targets.importing import check_targets, save_targets
from targets.workbook.reader import read_workbook
from targets.workbook.scope import ScopeError, find_document, find_prefecture, other_scope_in_title


class _DryRun(Exception):
    pass


def read_and_check(handle, scope_name, progress=None):
    """A file in, CheckedTargets out; what cannot be read becomes errors."""
    try:
        result = read_workbook(handle, progress)
    except WorkbookError as error:
        raise ImportRefused([str(error)]) from None
    checked = check_targets(result.header, result.rows)
    checked.errors[:0] = result.errors
    other = other_scope_in_title(checked.header["title"], scope_name)
    if other:
        checked.errors.insert(0, f"表头：表名“{checked.header['title']}”是{other}的表，与 --scope {scope_name} 不符")
    return checked


class Command(BaseCommand):
    help = "导入附件2格式的绩效目标表工作簿（.xlsx）。全部成功才写入；任何错误都不写入。"

    def add_arguments(self, parser):
        parser.add_argument("file", help="附件2格式的 .xlsx 文件")
        parser.add_argument("--document", required=True, help="文号，例如 新财社〔2023〕74号")
        parser.add_argument("--scope", required=True, help="自治区，或地（州、市）名称")
        parser.add_argument("--replace", action="store_true", help="覆盖已存在且未审核通过的绩效目标表")
        parser.add_argument("--dry-run", action="store_true", help="只校验并报告，不写入")
        progress_bar.add_argument(parser)

    def handle(self, *args, **options):
        try:
            document = find_document(options["document"])
            prefecture = find_prefecture(options["scope"])
        except ScopeError as error:
            raise CommandError(str(error)) from None
        scope_name = prefecture.name if prefecture else options["scope"].strip()
        try:
            with open(options["file"], "rb") as handle:
                progress = progress_bar.for_command(self, options)
                try:
                    checked = read_and_check(handle, scope_name, progress)
                finally:
                    progress.finish()
            with transaction.atomic():
                table = save_targets(checked, document, prefecture, replace=options["replace"])
                if options["dry_run"]:
                    # The whole write runs, so a dry run meets what a real run
                    # would (an existing or locked table included), then rolls back.
                    raise _DryRun
        except OSError as error:
            raise CommandError(f"无法打开文件 {options['file']}：{error.strerror}") from None
        except ImportRefused as refused:
            raise refused.command_error() from None
        except _DryRun:
            self.stdout.write(f"校验通过（未写入）：{document.number} {scope_name}，{self._summary(checked)}")
            return
        self.stdout.write(f"已导入 {table} 的绩效目标表：{self._summary(checked)}")

    def _summary(self, checked):
        text = f"{len(checked.targets)} 项指标"
        if checked.unmapped:
            text += f"，其中 {len(checked.unmapped)} 项未对应指标目录（{'、'.join(checked.unmapped)}），请在“未匹配指标”页面映射"
        return text
