"""三 流向明确: where a regional document's money went, county by county, against the time schedule.

The figures are treasury.summary.document_summary's (allocation from 附件1 or
the prefecture's 转下达, paid to the month's end from the summary table); the
schedule is feedback.schedule.expected_progress, the one home of that rule.
Both meet here, on the top floor, because treasury sits below feedback.

A county is slow (结余消化慢) when something was allocated to it and its
progress is below the schedule; a 小计 is slow on the same terms.
"""

from dataclasses import dataclass

from django.utils.translation import gettext as _

from feedback.schedule import expected_progress
from oversight.charts.bar import bar_chart
from treasury.models import OTHER_USE, USE_CHOICES
from treasury.money import wan_from_fen
from treasury.summary import SUBTOTAL, TOTAL, document_summary

UNKNOWN_USE = ""


@dataclass
class FlowRow:
    figures: object
    kind: str  # "county", "subtotal" or "total"
    slow: bool
    by_use_wan: tuple = ()  # the use columns' figures in 万元, in the columns' order

    def __getattr__(self, name):
        return getattr(self.figures, name)


def use_columns(rows):
    """(use, label) for every use paid under the document, in the notice's order; 其他 and unknown last, when present."""
    paid = {use for row in rows for use in row.by_use}
    columns = [(value, label) for value, label in USE_CHOICES if value in paid and value != OTHER_USE]
    if OTHER_USE in paid:
        columns.append((OTHER_USE, dict(USE_CHOICES)[OTHER_USE]))
    if UNKNOWN_USE in paid:
        columns.append((UNKNOWN_USE, _("支出方向不明")))
    return columns


def _kind(figures):
    if figures.prefecture == TOTAL:
        return "total"
    return "subtotal" if figures.county == SUBTOTAL else "county"


def flow(document, month, prefecture_ids=None):
    """(rows, schedule, uses): the document's flow to the month's end, each row marked slow or not."""
    schedule = expected_progress(month, document)
    rows = []
    for figures in document_summary(document, month, prefecture_ids):
        slow = figures.progress is not None and figures.progress < schedule
        rows.append(FlowRow(figures, _kind(figures), slow))
    uses = use_columns(rows)
    for row in rows:
        row.by_use_wan = tuple(wan_from_fen(row.by_use.get(use, 0)) for use, _label in uses)
    return rows, schedule, uses


def headers(uses):
    return [
        _("地（州、市）"), _("县（市、区）"), _("分配金额（万元）"), *[f"{label}（{_('万元')}）" for _use, label in uses],
        _("累计支付（万元）"), _("结余（万元）"), _("支出进度（%）"), _("时间进度（%）"), _("结余消化慢"),
    ]


def export_rows(rows, schedule):
    """The table as plain values, the same figures as the page (万元 rounded once from the exact 分)."""
    for row in rows:
        yield [
            row.prefecture, row.county, row.allocated,
            *row.by_use_wan,
            row.paid, row.unspent, row.progress, schedule, _("是") if row.slow else "",
        ]


def progress_chart(rows, schedule):
    """Progress by prefecture (小计) when several are shown, else by county; the schedule as each bar's marker."""
    subtotals = [row for row in rows if row.kind == "subtotal"]
    if len(subtotals) > 1:
        chosen, label = subtotals, (lambda row: row.prefecture)
    else:
        chosen, label = [row for row in rows if row.kind == "county" and row.allocated_fen], (lambda row: row.county)
    items = [(label(row), row.progress) for row in chosen]
    return bar_chart(
        items,
        title=_("支出进度与时间进度"),
        unit="%",
        highlight=[label(row) for row in chosen if row.slow],
        max_value=100,
        markers=[schedule] * len(items),
        marker_label=_("时间进度"),
    )


def slow_count(rows):
    return sum(1 for row in rows if row.kind == "county" and row.slow)

