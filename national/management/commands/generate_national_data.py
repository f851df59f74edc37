import time

from django.core.management.base import BaseCommand, CommandError

from national import plan as national
from national.load import Refused, generate

LABELS = (
    ("provinces", "省（自治区）"),
    ("prefectures", "地州市"),
    ("counties", "县市区"),
    ("documents", "分配文件"),
    ("subtotals", "小计"),
    ("allocation_lines", "分配明细"),
    ("reports", "资金使用反馈表"),
    ("feedback_lines", "反馈明细"),
    ("target_tables", "绩效目标表"),
    ("targets", "绩效目标"),
    ("payments", "国库支付"),
    ("payment_summaries", "支付汇总"),
)


def positive(text):
    value = int(text)
    if value < 1:
        raise ValueError(text)
    return value


class Command(BaseCommand):
    help = (
        "【模拟数据】生成全国规模的合成数据：31个省（自治区）、约330个地州市、约2,900个县市区，"
        "逐年几十份中央直达资金分配文件（文号“国模〔年〕N号”，已下达，小计与合计相符）、各地州市逐月资金使用反馈表"
        "、每年的绩效目标表和国库集中支付明细（每条分配明细5—6笔，不超过分配金额）。同一 --seed 生成的数据完全相同。需先运行 load_reference_data；通知（新财社〔2023〕74号）的数据不受影响。"
    )

    def add_arguments(self, parser):
        parser.add_argument("--provinces", type=positive, default=national.DEFAULT_PROVINCES, help="省（自治区）数，默认 31")
        parser.add_argument("--years", type=positive, default=national.DEFAULT_YEARS, help="年数，默认 5")
        parser.add_argument(
            "--first-year", type=int, default=national.DEFAULT_FIRST_YEAR,
            help=f"第一年，默认 {national.DEFAULT_FIRST_YEAR}（5年止于2022年，通知所在的2023年不受影响）",
        )
        parser.add_argument("--seed", type=int, default=national.DEFAULT_SEED, help=f"随机种子，默认 {national.DEFAULT_SEED}")
        parser.add_argument("--documents-per-year", type=positive, default=national.DEFAULT_DOCUMENTS_PER_YEAR,
                            help="每年分配文件数，默认 40")
        parser.add_argument("--prefectures-per-province", type=positive, help="每省地州市数（默认各省不同，共约330个）")
        parser.add_argument("--counties-per-prefecture", type=positive, help="每个地州市的县市区数（默认各不相同，共约2,900个）")
        parser.add_argument("--replace", action="store_true", help="先删除以前生成的数据（只删生成的数据）")

    def handle(self, *args, **options):
        if not 2000 <= options["first_year"] <= 2090 or options["documents_per_year"] > 99 or options["provinces"] > 150:
            raise CommandError("--first-year 须在2000至2090之间，--documents-per-year 不超过99，--provinces 不超过150。")
        if options["counties_per_prefecture"] and options["counties_per_prefecture"] > 500:
            raise CommandError("--counties-per-prefecture 不超过500。")
        started = time.monotonic()
        try:
            plan = national.make_plan(
                seed=options["seed"],
                provinces=options["provinces"],
                years=options["years"],
                first_year=options["first_year"],
                documents_per_year=options["documents_per_year"],
                prefectures_per_province=options["prefectures_per_province"],
                counties_per_prefecture=options["counties_per_prefecture"],
            )
            counts = generate(plan, replace=options["replace"])
        except (Refused, ValueError) as refused:
            raise CommandError(str(refused)) from None
        seconds = time.monotonic() - started
        deleted = counts.get("deleted")
        if deleted:
            self.stdout.write(f"已删除以前生成的数据：{sum(deleted.values()):,} 行")
        self.stdout.write(f"【模拟数据】{plan.first_year}—{plan.last_year}年，种子 {plan.seed}：")
        for key, label in LABELS:
            self.stdout.write(f"  {label}：{counts[key]:,}")
        self.stdout.write(f"用时 {seconds:.1f} 秒")
