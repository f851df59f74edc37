"""The tables of the allocation pages, and the grouping of lines into 附件1's shape."""

from decimal import Decimal

import django_tables2 as tables
from django.urls import reverse
from django.utils.html import format_html, format_html_join

from allocations.models import AllocationDocument, AllocationLine, Prefecture
from core import formats
from core.columns import DayColumn, MoneyColumn
from django.utils.translation import gettext_lazy as _

LINE, SUBTOTAL, TOTAL = "line", "subtotal", "total"
NUM = {"th": {"class": "num"}, "td": {"class": "num"}}
WRAP = {"td": {"class": "wrap"}}


def sheet_rows(lines, subtotals, total=None, show_total=True, direct_mark=""):
    """Rows as the notice prints them: each prefecture's lines, its 小计, then 合计.

    lines: objects with prefecture, county, amount, note, position (stored
    AllocationLines or an import's CheckedLines); subtotals: [(Prefecture,
    declared)] in table order. A 小计 or 合计 that differs from the sum of its
    lines carries the sum, so the page can show both.
    """
    groups = {}
    for prefecture, declared in subtotals:
        groups[prefecture.pk] = [prefecture, declared, []]
    for line in lines:
        groups.setdefault(line.prefecture.pk, [line.prefecture, None, []])[2].append(line)

    rows = []
    grand = Decimal("0")
    for prefecture, declared, group in groups.values():
        computed = sum((line.amount for line in group), Decimal("0"))
        grand += computed
        for i, line in enumerate(group):
            rows.append(
                {
                    "kind": LINE,
                    "position": line.position,
                    "prefecture": prefecture,
                    "prefecture_label": prefecture.name if i == 0 else "",
                    "county": line.county.name,
                    "amount": line.amount,
                    "note": line.note,
                    "direct_mark": direct_mark,
                }
            )
        rows.append(_sum_row(SUBTOTAL, prefecture, "", _("小计"), declared, computed))
    if show_total:
        rows.append(_sum_row(TOTAL, None, _("合计"), _("全区"), total, grand))
    return rows


def _sum_row(kind, prefecture, prefecture_label, county, declared, computed):
    return {
        "kind": kind,
        "position": "",
        "prefecture": prefecture,
        "prefecture_label": prefecture_label,
        "county": county,
        "amount": declared,
        "computed": computed,
        "mismatch": declared is None or declared != computed,
        "note": "",
        "direct_mark": "",
    }


# Pages write 72,988.00; exports get the Decimal itself, so a spreadsheet can add it up.
AmountColumn = MoneyColumn


class SheetTable(tables.Table):
    """A document's lines (or an import preview) grouped by prefecture."""

    # Blank cells stay blank, as on the printed table.
    position = tables.Column(_("序号"), orderable=False, default="")
    prefecture_label = tables.Column(_("地（州、市）"), orderable=False, default="")
    county = tables.Column(_("县（市、区）"), orderable=False, default="")
    amount = tables.Column(_("拨付金额（万元）"), orderable=False, empty_values=(), attrs=NUM)
    note = tables.Column(_("备注"), orderable=False, default="", attrs=WRAP)
    direct_mark = tables.Column(_("直达资金标识"), orderable=False, default="")

    class Meta:
        attrs = {"class": "data sheet"}
        row_attrs = {
            "class": lambda record: f"row-{record['kind']}" + (" mismatch" if record.get("mismatch") else ""),
            "data-prefecture": lambda record: record["prefecture"].name if record["prefecture"] else "",
        }

    def render_amount(self, value, record):
        if record["kind"] == LINE:
            return formats.money(value)
        if value is None:
            return format_html(_('<span class="flag">缺少（各行合计 {}）</span>'), formats.money(record["computed"]))
        if record["mismatch"]:
            return format_html(
                _('{} <span class="flag">≠ 各行合计 {}</span>'), formats.money(value), formats.money(record["computed"])
            )
        return formats.money(value)


def _source(record):
    if record.parent_id:
        return format_html(
            '<a href="{}">{}</a> / {}',
            reverse("allocations:document_detail", args=[record.parent_id]),
            record.parent.number,
            record.issuer.name,
        )
    return _("自治区")


class DocumentTable(tables.Table):
    number = tables.Column(_("文号"), linkify=("allocations:document_detail", {"pk": tables.A("pk")}))
    title = tables.Column(_("标题"), attrs=WRAP)
    year = tables.Column(_("年度"))
    batch = tables.Column(_("批次"))
    issued_on = DayColumn(_("发文日期"))
    shown_total = AmountColumn(_("合计（万元）"))
    direct_mark = tables.Column(_("直达资金标识"))
    status = tables.Column(_("状态"))
    source = tables.Column(_("上级文件/发文地（州、市）"), accessor="parent_id", order_by=("parent__number",), empty_values=())

    class Meta:
        model = AllocationDocument
        fields = ()
        attrs = {"class": "data"}
        empty_text = _("没有符合条件的分配文件。")

    def __init__(self, *args, total_label=None, **kwargs):
        super().__init__(*args, **kwargs)
        if total_label:
            self.columns["shown_total"].column.verbose_name = total_label

    def render_source(self, record):
        return _source(record)


class PassedOnTable(tables.Table):
    """A regional document's share per prefecture and how much has gone on to counties."""

    prefecture = tables.Column(_("地（州、市）"), accessor="prefecture__name", orderable=False)
    share = AmountColumn(_("小计（万元）"), orderable=False)
    passed_on = AmountColumn(_("已转下达（万元）"), orderable=False)
    remaining = AmountColumn(_("未转下达（万元）"), orderable=False)
    documents = tables.Column(_("转下达文件"), orderable=False, empty_values=(), attrs=WRAP)
    action = tables.Column("", orderable=False, empty_values=())

    class Meta:
        attrs = {"class": "data"}
        empty_text = _("没有可显示的地（州、市）。")

    def render_documents(self, value):
        if not value:
            return "—"
        return format_html_join(
            "、",
            '<a href="{}">{}</a>（{}）',
            (
                (reverse("allocations:document_detail", args=[d.pk]), d.number, d.get_status_display())
                for d in value
            ),
        )

    def render_action(self, value):
        return format_html(_('<a class="button small" href="{}">转下达</a>'), value) if value else ""


class PrefectureTable(tables.Table):
    name = tables.Column(_("地（州、市）"), linkify=("allocations:prefecture_detail", {"pk": tables.A("pk")}))
    county_count = tables.Column(_("县（市、区）数"), attrs=NUM)
    document_count = tables.Column(_("涉及文件数"), attrs=NUM)
    regional_total = AmountColumn(_("自治区已下达（万元）"))
    passed_on_total = AmountColumn(_("已转下达（万元）"))

    class Meta:
        model = Prefecture
        fields = ()
        attrs = {"class": "data"}


class PrefectureLineTable(tables.Table):
    document = tables.Column(
        _("文号"),
        accessor="document__number",
        linkify=("allocations:document_detail", {"pk": tables.A("document_id")}),
    )
    year = tables.Column(_("年度"), accessor="document__year")
    county = tables.Column(_("县（市、区）"), accessor="county__name", order_by=("county__position", "county__name"))
    amount = AmountColumn(_("拨付金额（万元）"))
    note = tables.Column(_("备注"), attrs=WRAP)
    status = tables.Column(_("状态"), accessor="document__status")
    direct_mark = tables.Column(_("直达资金标识"), accessor="document__direct_mark")

    class Meta:
        model = AllocationLine
        fields = ()
        attrs = {"class": "data"}
        empty_text = _("该地（州、市）还没有分配明细。")

    def render_status(self, record):
        return record.document.get_status_display()


class PrefectureDocumentTable(tables.Table):
    """One row per document: what it gives this prefecture."""

    number = tables.Column(_("文号"), linkify=("allocations:document_detail", {"pk": tables.A("pk")}))
    title = tables.Column(_("标题"), attrs=WRAP)
    year = tables.Column(_("年度"))
    status = tables.Column(_("状态"))
    line_count = tables.Column(_("行数"), attrs=NUM)
    declared = AmountColumn(_("小计（万元）"))
    prefecture_total = AmountColumn(_("各行合计（万元）"))
    source = tables.Column(_("上级文件/发文地（州、市）"), accessor="parent_id", order_by=("parent__number",), empty_values=())

    class Meta:
        model = AllocationDocument
        fields = ()
        attrs = {"class": "data"}

    def render_source(self, record):
        return _source(record)


class ReallocationOverdueTable(tables.Table):
    """Rows are allocations.timeliness.Timeliness: a 小计 not all passed on by its due date."""

    prefecture = tables.Column(_("地（州、市）"), accessor="prefecture__name", order_by=("prefecture__position",))
    document = tables.Column(
        _("上级文件"),
        accessor="document__number",
        linkify=("allocations:document_detail", {"pk": tables.A("document__pk")}),
    )
    issued_on = DayColumn(_("上级发文日期"), accessor="document__issued_on")
    due_date = DayColumn(_("转下达期限"))
    share = AmountColumn(_("小计（万元）"))
    in_time = AmountColumn(_("按期转下达（万元）"))
    in_time_percent = tables.Column(_("按期转下达比例（%）"), attrs=NUM)
    remaining = AmountColumn(_("尚未转下达（万元）"))
    days_late = tables.Column(_("逾期天数"), attrs=NUM, default="—")

    class Meta:
        attrs = {"class": "data"}
        empty_text = _("没有逾期未转下达的资金。")
        row_attrs = {"data-prefecture": lambda record: record.prefecture.name}

    def render_in_time_percent(self, value):
        return f"{formats.number(value)}%"

    def value_in_time_percent(self, value):
        # Exports get the number itself (60.28), as the header names the unit.
        return value
