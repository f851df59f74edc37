from collections import Counter

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from allocations import reference as allocation_reference
from core.refusals import ImportRefused
from targets import reference as target_reference

OUTCOMES = {"created": "已载入", "unchanged": "无变化", "replaced": "已更新（草稿）", "kept": "已不是草稿，与 fixtures 不同，未更改"}


class Command(BaseCommand):
    help = "载入通知（新财社〔2023〕74号）的地州市、县市区、资金、分配表、绩效指标目录和15张绩效目标表。可重复运行，第二次不做任何更改。"

    def handle(self, *args, **options):
        try:
            with transaction.atomic():
                allocations = allocation_reference.load_all()
                targets = target_reference.load_all()
        except ImportRefused as refused:
            raise CommandError("参考数据有误：\n" + "\n".join(refused.errors)) from None
        self.stdout.write(f"地州市与县市区：{allocations['regions']} 条新增或更新")
        self.stdout.write(f"资金：{allocations['funds']} 条新增或更新")
        for number, outcome in allocations["documents"]:
            self.stdout.write(f"{number}：{OUTCOMES[outcome]}")
        self.stdout.write(f"绩效指标目录：{targets['indicators']} 条新增或更新")
        for number, outcomes in targets["tables"]:
            counts = "，".join(f"{OUTCOMES[o]} {n} 张" for o, n in Counter(outcomes).items())
            self.stdout.write(f"{number} 绩效目标表：{counts}")
