"""三 流向明确: where a regional document's money went, county by county, against the time schedule.

The figures are treasury.summary.document_summary's (allocation from 附件1 or
the prefecture's 转下达, paid to the month's end from the summary table); the
schedule is feedback.schedule.expected_progress, the one home of that rule.
Both meet here, on the top floor, because treasury sits below feedback.

A county is slow (结余消化慢) when something was allocated to it and its
progress is below the schedule; a 小计 is slow on the same terms.

The drawn page and the export files are kept under the data version
(oversight.versioned_cache): a national flow is thousands of rows, and the
data changes only when someone saves or imports.
"""

from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, gettext as _

from allocations.models import AllocationDocument, AllocationLine, County, Prefecture, PrefectureSubtotal
from core.safe_export import safe_table_content
from feedback.schedule import behind, expected_progress
from oversight import versioned_cache
from oversight.charts.bar import bar_chart
from treasury.models import OTHER_USE, USE_CHOICES, Payment, PaymentCode, PaymentSummary
from treasury.money import wan_from_fen, wan_text
from treasury.summary import OWN_UNITS, SUBTOTAL, TOTAL, document_summary

UNKNOWN_USE = ""
# What a flow is drawn from: the allocation (附件1, 转下达, 小计, places) and the
# treasury's payments (every import that changes the summary adds payments).
SOURCES = (AllocationDocument, AllocationLine, PrefectureSubtotal, Prefecture, County, PaymentCode, Payment, PaymentSummary)


@dataclass
class FlowRow:
    figures: object
    kind: str  # "county", "subtotal" or "total"
    slow: bool
    progress: object = None  # the figures' progress, computed once
    by_use_fen: tuple = ()  # the use columns' figures in 分, in the columns' order

    def __getattr__(self, name):
        return getattr(self.figures, name)


def use_columns(rows):
    """(use, label) for every use paid under the document, in the notice's order; 其他 and unknown last, when present."""
    paid = {use for row in rows for use in row.by_use}
    # Labels as text in the request's language: lazy ones would be kept in the cache as lazy objects, and
    # unpickling each builds a class (a tenth of a warm page).
    columns = [(value, str(label)) for value, label in USE_CHOICES if value in paid and value != OTHER_USE]
    if OTHER_USE in paid:
        columns.append((OTHER_USE, str(dict(USE_CHOICES)[OTHER_USE])))
    if UNKNOWN_USE in paid:
        columns.append((UNKNOWN_USE, _("支出方向不明")))
    return columns


def _kind(figures):
    if figures.prefecture == TOTAL:
        return "total"
    return "subtotal" if figures.county == SUBTOTAL else "county"


def flow(document, month, prefecture_ids=None):
    """(rows, schedule, uses): the document's flow to the month's end, each row marked slow or not.

    Scoped to some prefectures (an officer's own), the rows carry no 合计: a
    prefecture's 小计 is all its officer may add up.
    """
    schedule = expected_progress(month, document)
    rows = []
    for figures in document_summary(document, month, prefecture_ids):
        kind = _kind(figures)
        if kind == "total" and prefecture_ids is not None:
            continue
        shown = figures.progress
        rows.append(FlowRow(figures, kind, behind(shown, schedule), shown))
    uses = use_columns(rows)
    for row in rows:
        by_use = row.by_use
        row.by_use_fen = tuple(by_use.get(use, 0) for use, _label in uses)
    return rows, schedule, uses


def headers(uses):
    return [
        _("地（州、市）"), _("县（市、区）"), _("分配金额（万元）"), *[f"{label}（{_('万元')}）" for _use, label in uses],
        _("累计支付（万元）"), _("结余（万元）"), _("支出进度（%）"), _("时间进度（%）"), _("结余消化慢"),
    ]


def export_rows(rows, schedule):
    """The table as plain values, the same figures as the page (万元 rounded once from the exact 分)."""
    yes = _("是")
    for row in rows:
        yield [
            row.prefecture, row.county, row.allocated,
            *(wan_from_fen(fen) for fen in row.by_use_fen),
            row.paid, row.unspent, row.progress, schedule, yes if row.slow else "",
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



def table_body(rows):
    """The table's rows as HTML, written here rather than in the template.

    A national document names thousands of counties, a dozen cells each; the
    template engine spends a fifth of a millisecond on a cell, which made the
    page ten times its SQL. Names are escaped; figures are formatted numbers.
    """
    total, subtotal, own_units = escape(_("合计")), escape(_("小计")), escape(_("本级单位"))
    slow_mark = '<span class="dash-lagging" title="%s">▲ %s</span>' % (escape(_("支出进度低于时间进度")), escape(_("慢")))
    out = []
    for row in rows:
        kind = row.kind
        if kind == "total":
            head = f'<th scope="row" colspan="2">{total}</th>'
        elif kind == "subtotal":
            head = f'<th scope="row">{escape(row.prefecture)}</th><th scope="row">{subtotal}</th>'
        else:
            county = own_units if row.county == OWN_UNITS else escape(row.county)
            head = f'<td>{escape(row.prefecture)}</td><th scope="row">{county}</th>'
        uses = "".join(f'<td class="num">{wan_text(fen)}</td>' for fen in row.by_use_fen)
        shown = row.progress
        progress_cell = "—" if shown is None else f"{shown}%"
        slow = " flow-slow" if row.slow else ""
        out.append(
            f'<tr class="flow-{kind}{slow}">{head}<td class="num">{wan_text(row.allocated_fen)}</td>{uses}'
            f'<td class="num">{wan_text(row.paid_fen)}</td><td class="num">{wan_text(row.unspent_fen)}</td>'
            f'<td class="num">{progress_cell}</td><td class="flow-mark">{slow_mark if row.slow else ""}</td></tr>'
        )
    return mark_safe("\n".join(out))


def _key(kind, document, month, prefecture_ids):
    scope = "all" if prefecture_ids is None else ",".join(map(str, sorted(prefecture_ids)))
    return f"flow-{kind}:{document.pk}:{month:%Y-%m}:{scope}:{get_language()}"


def export_content(document, month, file_format, prefecture_ids=None):
    """(content, content type) of the table as CSV or XLSX, kept under the data version as the page is."""

    def build():
        rows, schedule, uses = flow(document, month, prefecture_ids)
        return safe_table_content(headers(uses), export_rows(rows, schedule), file_format, sheet_title=_("资金流向"))

    return versioned_cache.cached(_key(f"export-{file_format}", document, month, prefecture_ids), SOURCES, build)


def page_parts(document, month, prefecture_ids=None):
    """The flow page's drawn parts, kept under the data version: a national flow is 3,000 rows and 344 bars."""
    key = _key("page", document, month, prefecture_ids)

    def build():
        rows, schedule, uses = flow(document, month, prefecture_ids)
        return {
            "schedule": schedule,
            "uses": uses,
            "has_rows": bool(rows),
            "table_body": table_body(rows),
            "slow_count": slow_count(rows),
            "chart": progress_chart(rows, schedule),
        }

    return versioned_cache.cached(key, SOURCES, build)
