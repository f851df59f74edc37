"""The tables of the feedback pages: report history, review queue, overdue list, carried-over balances."""

import django_tables2 as tables
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from allocations.tables import NUM, WRAP, AmountColumn
from core import formats
from core.columns import DayColumn, MomentColumn, MonthColumn
from feedback.carryover import CarryoverStatus, years_later
from feedback.progress import percent
from feedback.workflow import fund_label
from django.utils.translation import gettext_lazy as _


def _on_time_label(value):
    if value is None:
        return "—"
    return _("按时") if value else mark_safe(_('<span class="flag">逾期</span>'))


class ReportTable(tables.Table):
    prefecture = tables.Column(_("地（州、市）"), accessor="prefecture__name", order_by=("prefecture__position",))
    # core.formats: 2023年7月 / 2023年7月31日 in Chinese, Jul 2023 / 2023-07-31 in English.
    month = MonthColumn(_("月份"), linkify=("feedback:report_detail", {"pk": tables.A("pk")}))
    status = tables.Column(_("状态"))
    due_date = DayColumn(_("截止日期"))
    submitted_at = MomentColumn(_("提交时间"), default="—")
    submitted_by = tables.Column(_("提交人"), accessor="submitted_by__username", default="—")
    on_time = tables.Column(_("按时提交"), empty_values=())
    total_amount = AmountColumn(_("资金金额（万元）"))
    total_spent = AmountColumn(_("实际支出金额（万元）"))
    progress = tables.Column(_("实际支出进度"), empty_values=(), orderable=False, attrs=NUM)
    # 说明2: a report whose figures are not the treasury's is flagged for the reviewer (annotated by with_totals).
    differs_from_treasury = tables.Column(_("与国库支付"), empty_values=(), orderable=False)

    class Meta:
        attrs = {"class": "data"}
        empty_text = _("没有符合条件的资金使用反馈表。")
        row_attrs = {"data-prefecture": lambda record: record.prefecture.name}

    def render_status(self, record):
        return format_html('<span class="status status-{}">{}</span>', record.status, record.get_status_display())

    def render_on_time(self, value):
        return _on_time_label(value)

    def render_total_spent(self, value):
        return formats.money(value)

    def render_differs_from_treasury(self, value):
        return mark_safe(format_html('<span class="flag" data-role="treasury-flag">{}</span>', _("不一致"))) if value else "—"

    def render_progress(self, record):
        # The 合计 rule of feedback.progress over the SQL sums: an empty 实际支出金额 counts as 0.
        value = percent(record.total_spent or 0, record.total_amount)
        return "—" if value is None else f"{value}%"


class OverdueTable(tables.Table):
    """Rows are dicts built by the overdue view from completeness.overdue(), most recent month first.

    Sorting by prefecture groups its months together (most recent first within it); the count column says how many
    months each prefecture owes, whatever the sort.
    """

    prefecture = tables.Column(
        _("地（州、市）"), accessor="prefecture__name", order_by=("prefecture_order", "-month")
    )
    month = MonthColumn(_("月份"), order_by=("month", "prefecture_order"))
    label = tables.Column(_("状态"), orderable=False)
    due_date = DayColumn(_("截止日期"), orderable=False)
    days_overdue = tables.Column(_("逾期天数"), attrs=NUM, order_by=("days_overdue", "prefecture_order"))
    prefecture_count = tables.Column(_("本地区逾期份数"), attrs=NUM, order_by=("prefecture_count", "prefecture_order", "-month"))
    link = tables.Column("", accessor="url", orderable=False, empty_values=())

    class Meta:
        attrs = {"class": "data"}
        empty_text = _("没有逾期未提交的反馈表。")
        row_attrs = {"data-prefecture": lambda record: record["prefecture"].name}

    def render_label(self, record):
        return format_html('<span class="cell cell-{}">{}</span>', record["status"], record["label"])

    def render_link(self, record):
        if record["url"]:
            return format_html('<a href="{}">{}</a>', record["url"], _("查看") if record["report"] else _("去填报"))
        return ""


class CarryoverTable(tables.Table):
    """Rows are feedback.carryover.balances(): a prefecture's share of an earlier year's document."""

    prefecture = tables.Column(_("地（州、市）"), accessor="prefecture__name", order_by=("prefecture__position", "prefecture__name"))
    number = tables.Column(
        _("文号"),
        accessor="document__number",
        linkify=("allocations:document_detail", {"pk": tables.A("document_id")}),
    )
    fund = tables.Column(_("资金名称"), accessor="document__table_title", orderable=False, attrs=WRAP)
    year = tables.Column(_("年度"), accessor="document__year")
    issued_on = DayColumn(_("发文日期"), accessor="document__issued_on")
    declared_amount = AmountColumn(_("资金金额（万元）"))
    spent = AmountColumn(_("已审核累计支出（万元）"), default="—")
    spent_month = MonthColumn(_("截至月份"), default="—")
    balance = AmountColumn(_("结转余额（万元）"))
    recovery_on = tables.Column(_("应收回日期"), accessor="document__issued_on", empty_values=(), orderable=False)
    status = tables.Column(_("状态"))

    class Meta:
        attrs = {"class": "data"}
        empty_text = _("没有以前年度下达的资金。")
        row_attrs = {"data-prefecture": lambda record: record.prefecture.name, "data-status": lambda record: record.status}

    def render_fund(self, record):
        return fund_label(record.document)

    def render_declared_amount(self, value):
        return formats.money(value)

    def render_spent(self, value):
        return formats.money(value)

    def render_balance(self, value):
        return formats.money(value)

    def render_recovery_on(self, record):
        issued = record.document.issued_on
        return "—" if issued is None else formats.day(years_later(issued))

    def render_status(self, value):
        label = CarryoverStatus(value).label
        if value == CarryoverStatus.RECOVERY:
            return format_html('<span class="flag">{}</span>', label)
        return label
