from django.core.management.base import BaseCommand, CommandError

from allocations.importing import ImportRefused
from allocations.reference import load_all

OUTCOMES = {"created": "已载入", "unchanged": "无变化", "replaced": "已更新（草稿）", "kept": "已下达，与 fixtures 不同，未更改"}


class Command(BaseCommand):
    help = "载入通知（新财社〔2023〕74号）的地州市、县市区、资金和分配表。可重复运行，第二次不做任何更改。"

    def handle(self, *args, **options):
        try:
            report = load_all()
        except ImportRefused as refused:
            raise CommandError("参考数据有误：\n" + "\n".join(refused.errors)) from None
        self.stdout.write(f"地州市与县市区：{report['regions']} 条新增或更新")
        self.stdout.write(f"资金：{report['funds']} 条新增或更新")
        for number, outcome in report["documents"]:
            self.stdout.write(f"{number}：{OUTCOMES[outcome]}")
