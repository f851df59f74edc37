from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from allocations.models import AllocationDocument
from oversight.dashboard import demo
from core import clock

NOTICE = "新财社〔2023〕74号"


class Command(BaseCommand):
    help = (
        "【演示数据，仅供演示】为通知（新财社〔2023〕74号）生成其下达当年（2023年6月至12月中已结束的月份）的资金使用反馈表"
        "（已审核通过、已提交、已退回、未填报各有）、年终未支出完毕资金的清算记录和6月（年中）绩效目标实际完成值，使首页图表有数可看。"
        "需先运行 load_reference_data 和 create_demo_users。可重复运行，第二次不做任何更改。不要在正式环境运行。"
    )

    def handle(self, *args, **options):
        document = AllocationDocument.objects.filter(number=NOTICE).first()
        if document is None:
            raise CommandError(f"找不到 {NOTICE}：请先运行 python manage.py load_reference_data。")
        try:
            reports, actuals = demo.load(clock.today(), document)
        except demo.DemoUsersMissing:
            raise CommandError("找不到自治区管理员或人社审核员账号：请先运行 python manage.py create_demo_users。") from None
        except ValidationError as refused:
            raise CommandError("；".join(refused.messages)) from None
        months = demo.demo_months(clock.today(), document)
        if months:
            self.stdout.write(f"【演示数据】月份：{months[0]:%Y}年{months[0].month}月至{months[-1].month}月")
        self.stdout.write(f"【演示数据】新写入资金使用反馈表 {reports} 份，绩效目标实际完成值 {actuals} 条。")
