"""The tables of the feedback pages: report history, review queue, overdue list."""

import django_tables2 as tables
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from allocations.money import grouped
from allocations.tables import NUM, AmountColumn
from feedback.progress import percent
from django.utils.translation import gettext_lazy as _


def _on_time_label(value):
    if value is None:
        return "—"
    return _("按时") if value else mark_safe(_('<span class="flag">逾期</span>'))


class ReportTable(tables.Table):
    prefecture = tables.Column(_("地（州、市）"), accessor="prefecture__name", order_by=("prefecture__position",))
    # Named locale formats: zh-hans gives 2023年7月5日 as before, English Jul. 5, 2023.
    month = tables.DateColumn(
        format="YEAR_MONTH_FORMAT", verbose_name=_("月份"), linkify=("feedback:report_detail", {"pk": tables.A("pk")})
    )
    status = tables.Column(_("状态"))
    due_date = tables.DateColumn(format="DATE_FORMAT", verbose_name=_("截止日期"))
    submitted_at = tables.Column(_("提交时间"), default="—")
    submitted_by = tables.Column(_("提交人"), accessor="submitted_by__username", default="—")
    on_time = tables.Column(_("按时提交"), empty_values=())
    total_amount = AmountColumn(_("资金金额（万元）"))
    total_spent = AmountColumn(_("实际支出金额（万元）"))
    progress = tables.Column(_("实际支出进度"), empty_values=(), orderable=False, attrs=NUM)

    class Meta:
        attrs = {"class": "data"}
        empty_text = _("没有符合条件的资金使用反馈表。")
        row_attrs = {"data-prefecture": lambda record: record.prefecture.name}

    def render_status(self, record):
        return format_html('<span class="status status-{}">{}</span>', record.status, record.get_status_display())

    def render_submitted_at(self, value):
        return date_format(timezone.localtime(value), "DATETIME_FORMAT")

    def render_on_time(self, value):
        return _on_time_label(value)

    def render_total_spent(self, value):
        return grouped(value)

    def render_progress(self, record):
        # The 合计 rule of feedback.progress over the SQL sums: an empty 实际支出金额 counts as 0.
        value = percent(record.total_spent or 0, record.total_amount)
        return "—" if value is None else f"{value}%"


class OverdueTable(tables.Table):
    """Rows are dicts built by the overdue view from completeness.overdue()."""

    prefecture = tables.Column(_("地（州、市）"), accessor="prefecture__name", orderable=False)
    month = tables.DateColumn(format="YEAR_MONTH_FORMAT", verbose_name=_("月份"), orderable=False)
    label = tables.Column(_("状态"), orderable=False)
    due_date = tables.DateColumn(format="DATE_FORMAT", verbose_name=_("截止日期"), orderable=False)
    days_overdue = tables.Column(_("逾期天数"), orderable=False, attrs=NUM)
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
