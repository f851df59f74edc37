"""plan_allocation: the next batch by factors (因素法), printed per prefecture and saved as a draft 附件1."""

from decimal import Decimal

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from core import clock
from core.refusals import ImportRefused
from planning import explanation
from planning.saving import default_title, save_plan
from planning.service import run


_SHARE = Decimal("0.000001")  # the share as printed; the amounts come from the exact one


class _DryRun(Exception):
    pass


def _open(path):
    try:
        return open(path, "rb")
    except OSError as error:
        raise CommandError(f"无法打开文件 {path}：{error.strerror}") from None


class Command(BaseCommand):
    help = "按因素法测算分配：读入因素表，按评价等次、预算执行和审计扣减调整，取整到万元，生成草稿分配文件。"

    def add_arguments(self, parser):
        parser.add_argument("--total", required=True, help="分配总额（整数万元）")
        parser.add_argument("--factors", required=True, help="因素表 .xlsx")
        parser.add_argument("--evaluation-year", type=int, help="按该年度绩效评价等次和年末结余调整")
        parser.add_argument("--deductions", help="审计扣减表 .xlsx（地（州、市）、扣减金额（万元）、扣减原因、来源文号）")
        parser.add_argument("--document", required=True, help="生成的草稿文件的文号")
        parser.add_argument("--title", help="文件标题（默认：<年度>年就业补助资金分配表（因素法测算））")
        parser.add_argument("--explanation", help="测算说明工作簿的输出路径 .xlsx")
        parser.add_argument("--dry-run", action="store_true", help="只测算并打印，不写入")

    def handle(self, *args, **options):
        number = (options["document"] or "").strip()
        if not number:
            raise CommandError("--document 文号不能为空。")
        factors = _open(options["factors"])
        deductions = _open(options["deductions"]) if options["deductions"] else None
        try:
            result = run(options["total"], factors, deductions, evaluation_year=options["evaluation_year"])
            year = options["evaluation_year"] + 1 if options["evaluation_year"] else clock.today().year
            title = options["title"] or default_title(year, result.previous)
            with transaction.atomic():
                save_plan(result.plan, number, title)
                if options["dry_run"]:
                    # The whole save runs (an existing 文号 is found as a real run would), then rolls back.
                    raise _DryRun
        except _DryRun:
            pass
        except ImportRefused as refused:
            raise CommandError(
                f"测算失败，共 {len(refused.errors)} 处错误，未写入任何数据：\n"
                + "\n".join(f"  - {error}" for error in refused.errors)
            ) from None
        finally:
            factors.close()
            if deductions is not None:
                deductions.close()

        for note in result.notes:
            self.stdout.write(f"注：{note}")
        for prefecture in result.plan.prefectures:
            self.stdout.write(f"{prefecture.name}\t{prefecture.share.share.quantize(_SHARE)}\t{prefecture.amount}")
        self.stdout.write(f"合计\t1\t{result.plan.total}")
        if options["explanation"]:
            explanation.build(result.plan, number, title).save(options["explanation"])
            self.stdout.write(f"测算说明已写入 {options['explanation']}")
        if options["dry_run"]:
            self.stdout.write(f"测算完成（未写入）：{number}")
        else:
            self.stdout.write(f"已生成草稿 {number}：{len(result.plan.prefectures)} 个地（州、市），合计 {result.plan.total} 万元")

