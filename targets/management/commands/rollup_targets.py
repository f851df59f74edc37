import io
import unicodedata

from django.core.management.base import BaseCommand, CommandError

from allocations.models import AllocationDocument
from targets.rollup import NoRegionalTable, RollupVerdict, rollup, write_csv

FORMATS = ("text", "csv")
HEADINGS = ["序号", "结论", "各地合计", "单位", "自治区目标", "三级指标"]
# A column wider than this (a long text target) overflows on its own row
# rather than pushing every other row to the right.
MAX_COLUMN = 20


def _width(text):
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text, width):
    return text + " " * max(width - _width(text), 0)


def _details(line):
    details = []
    if line.shortfall is not None:
        details.append(f"缺口：{line.shortfall_text} {line.unit}")
    if line.weaker:
        details.append("弱于全区：" + "、".join(f"{item.prefecture}（{item.raw_value}）" for item in line.weaker))
    if line.missing_in:
        details.append("缺少此指标：" + "、".join(line.missing_in))
    if line.note:
        details.append(f"说明：{line.note}")
    return details


def render_text(result):
    rows = [
        [str(i), line.verdict_label, line.prefecture_sum_text or "—", line.unit or "—", line.region_target, line.indicator.name]
        for i, line in enumerate(result.lines, start=1)
    ]
    widths = [min(max(_width(row[c]) for row in rows + [HEADINGS]), MAX_COLUMN) for c in range(len(HEADINGS) - 1)]
    indent = " " * (sum(widths) + 2 * len(widths))

    def joined(cells):
        return "  ".join(_pad(cell, widths[c]) for c, cell in enumerate(cells[:-1])) + "  " + cells[-1]

    counts = {verdict: 0 for verdict in RollupVerdict}
    for line in result.lines:
        counts[RollupVerdict(line.verdict)] += 1
    out = [
        f"{result.document.number} 绩效目标汇总核对（自治区目标表与各地（州、市）目标表）",
        "　".join(f"{verdict.label} {count} 项" for verdict, count in counts.items()),
        "",
        joined(HEADINGS),
    ]
    for line, row in zip(result.lines, rows):
        out.append(joined(row))
        out.extend(indent + detail for detail in _details(line))
    if result.without_table:
        out += ["", "没有绩效目标表的地（州、市）：" + "、".join(result.without_table)]
    if result.not_in_region:
        out += ["", "自治区目标表中没有、但地（州、市）填报的指标："]
        out += [f"  {name}：{'、'.join(scopes)}" for name, scopes in result.not_in_region]
    if result.unmapped:
        out += ["", "未对应到指标目录的写法（不参与核对，请在后台对应指标）："]
        out += [f"  {item.scope}：{item.wording}＝{item.raw_value}" for item in result.unmapped]
    return "\n".join(out) + "\n"


class Command(BaseCommand):
    help = "核对各地（州、市）绩效目标与自治区绩效目标是否一致（求和或逐地不弱于全区）。"

    def add_arguments(self, parser):
        parser.add_argument("document", help="文号，例如 新财社〔2023〕74号")
        # Checked in handle() rather than by argparse, whose refusal would be in English.
        parser.add_argument("--format", default="text", help="输出格式：text（默认，表格）或 csv")

    def handle(self, *args, **options):
        if options["format"] not in FORMATS:
            raise CommandError(f"不支持的输出格式“{options['format']}”，只能是 text 或 csv。")
        document = AllocationDocument.objects.filter(number=options["document"]).first()
        if document is None:
            raise CommandError(f"找不到文号为 {options['document']} 的分配文件。")
        try:
            result = rollup(document)
        except NoRegionalTable as refused:
            raise CommandError(str(refused)) from None
        if options["format"] == "csv":
            buffer = io.StringIO()
            write_csv(result, buffer)
            self.stdout.write(buffer.getvalue(), ending="")
        else:
            self.stdout.write(render_text(result), ending="")
