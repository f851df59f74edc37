"""Each dashboard chart as a table of numbers, and the chart drawn from it.

The table is the source: the page shows it under the chart and the export
view writes it, so the three can never disagree. Rows keep raw values
(Decimal, int, text); formatting for the page happens in display_rows.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from allocations.money import grouped
from core.formats import month_of_year
from oversight.dashboard.queries import attainment_rate
from feedback import completeness
from feedback.progress import percent
from feedback.schedule import is_lagging

MONEY, PERCENT, COUNT, TEXT = "money", "percent", "count", "text"


def percent_label(value):
    return "" if value is None else f"{value:.2f}%"


# The locale's own formats: 2023年7月5日 / 2023年7月 in Chinese, Jul. 5, 2023 / July 2023 in English.
def cn_date(day):
    return date_format(day, "DATE_FORMAT")


def cn_month(day):
    return date_format(day, "YEAR_MONTH_FORMAT")


def month_labels():
    # 1月 … 12月 in Chinese, Jan … Dec in English (not "Month 1").
    return [month_of_year(number) for number in range(1, 13)]


FORMATTERS = {MONEY: grouped, PERCENT: percent_label, COUNT: lambda v: "" if v is None else str(v), TEXT: str}


@dataclass
class Table:
    slug: str
    caption: str
    headers: list
    rows: list
    kinds: list  # one of MONEY, PERCENT, COUNT, TEXT per column
    total: list = field(default_factory=list)  # a 合计 row, shown in <tfoot>
    flagged: set = field(default_factory=set)  # (row, column) of figures behind the time schedule, highlighted
    row_kinds: dict = field(default_factory=dict)  # row index -> kinds, for a row unlike the others (a count "k/n")

    def _display(self, row, kinds, flags=()):
        return [
            ("" if value is None else FORMATTERS[kind](value), kind, column in flags)
            for column, (value, kind) in enumerate(zip(row, kinds))
        ]

    def display_rows(self):
        return [
            self._display(row, self.row_kinds.get(index, self.kinds), {c for r, c in self.flagged if r == index})
            for index, row in enumerate(self.rows)
        ]

    def display_total(self):
        return self._display(self.total, self.kinds) if self.total else []

    def export_rows(self):
        # Numbers stay numbers in the XLSX; a percentage column is the number of percent.
        return [["" if value is None else value for value in row] for row in self.rows + ([self.total] if self.total else [])]


def allocation(prefectures, document):
    rows = [[p.name, p.allocated] for p in prefectures]
    total = sum((p.allocated for p in prefectures), Decimal("0"))
    caption = _("各地（州、市）资金分配（%(number)s，万元）") % {"number": document.number if document else "—"}
    return Table(
        "allocation",
        caption,
        [_("地（州、市）"), _("分配金额（万元）")],
        rows,
        [TEXT, MONEY],
        total=[_("合计"), total] if len(prefectures) > 1 else [],
    )


def spend_progress(progress, prefectures, scope_label):
    """The schedule, the scope's figure (months every obliged prefecture reported), and for a region the partial
    figures, how many prefectures each month includes, and each prefecture's row (cells behind the schedule flagged)."""
    headers = [_("项目")] + month_labels()
    rows = [[_("时间进度")] + progress.schedule, [scope_label] + progress.region]
    row_kinds = {}
    table = Table("spend-progress", "", headers, rows, [TEXT] + [PERCENT] * 12)
    table.partial_row = table.coverage_row = None
    if len(prefectures) > 1:
        table.partial_row = len(rows)
        rows.append([_("%(scope)s（部分已报）") % {"scope": scope_label}] + progress.partial)
        table.coverage_row = len(rows)
        rows.append([_("已报地（州、市）")] + [f"{k}/{n}" if n else "" for k, n in zip(progress.reported, progress.obliged)])
        row_kinds[table.coverage_row] = [TEXT] * 13
        for prefecture in prefectures:
            values = progress.by_prefecture[prefecture.pk]
            table.flagged |= {
                (len(rows), index + 1)
                for index, value in enumerate(values)
                if is_lagging(value, progress.months[index])
            }
            rows.append([prefecture.name] + values)
    table.row_kinds = row_kinds
    table.coverage_labels = [
        progress.coverage_label(index) if progress.partial and progress.partial[index] is not None else ""
        for index in range(12)
    ]
    table.caption = _("%(year)s年累计支出进度与时间进度（%%）") % {"year": progress.months[0].year}
    # The figures are the prefectures' own reports, not the treasury's (issue 15.7): the chart says so.
    table.source = _("数据来源：各地（州、市）报送的资金使用反馈表")
    return table


def completeness_grid(rows, year):
    headers = [_("地（州、市）")] + month_labels()
    table_rows = [[prefecture.name] + [_(cell.label) for cell in cells] for prefecture, cells in rows]
    caption = _("%(year)s年反馈表填报情况") % {"year": year}
    table = Table("completeness", caption, headers, table_rows, [TEXT] * 13)
    table.statuses = [[cell.status for cell in cells] for _prefecture, cells in rows]
    return table


def legend():
    return [(key, _(completeness.LABELS[key]), f"dash-status-{key}") for key in completeness.LEGEND]


def attainment(prefectures, counts, checkpoint_label):
    rows = []
    for prefecture in prefectures:
        met, not_met, recorded = counts.get(prefecture.pk, (0, 0, 0))
        rows.append([prefecture.name, met, not_met, recorded, attainment_rate(met, not_met)])
    caption = _("各地（州、市）绩效目标完成率（%(checkpoint)s）") % {"checkpoint": checkpoint_label}
    headers = [_("地（州、市）"), _("已完成"), _("未完成"), _("已填报"), _("完成率")]
    return Table("attainment", caption, headers, rows, [TEXT, COUNT, COUNT, COUNT, PERCENT])


def fund_lines(lines, expected):
    """expected: each line's own time schedule (feedback.schedule), in the lines' order; lagging rows flagged."""
    rows, flagged = [], set()
    for index, (line, schedule) in enumerate(zip(lines, expected)):
        spent = line.spent or Decimal("0")
        progress = percent(spent, line.amount)
        lagging = is_lagging(progress, line.report.month, line.document)
        if lagging:
            flagged |= {(index, 4), (index, 6)}
        rows.append([
            line.fund_name, line.document_number, line.amount, line.spent, progress, schedule, _("滞后") if lagging else ""
        ])
    if lines and len(set(expected)) == 1:
        caption = _("各项资金支出进度（%(month)s反馈表，时间进度%(expected)s）") % {
            "month": cn_month(lines[0].report.month),
            "expected": percent_label(expected[0]),
        }
    elif lines:
        # Lines on different schedules (carried-over money at 100%): each row says its own.
        caption = _("各项资金支出进度（%(month)s反馈表）") % {"month": cn_month(lines[0].report.month)}
    else:
        caption = _("各项资金支出进度")
    headers = [
        _("资金名称"), _("文号"), _("资金金额（万元）"), _("实际支出金额（万元）"), _("支出进度"), _("时间进度"), _("与时间进度相比"),
    ]
    return Table("fund-lines", caption, headers, rows, [TEXT, TEXT, MONEY, MONEY, PERCENT, PERCENT, TEXT], flagged=flagged)
