"""The tables of the target-table list and the review queue."""

import django_tables2 as tables
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _, gettext_lazy

from core.columns import MomentColumn
from targets.models import TableStatus, TargetTable

NUM = {"th": {"class": "num"}, "td": {"class": "num"}}


class TargetTableTable(tables.Table):
    document = tables.Column(gettext_lazy("文号"), accessor="document__number", order_by=("-document__year", "document__number"))
    scope = tables.Column(gettext_lazy("范围"), accessor="prefecture__name", default=gettext_lazy("自治区"), order_by=("scope_order",))
    title = tables.Column(gettext_lazy("表名"), linkify=("targets:table_detail", {"pk": tables.A("pk")}), attrs={"td": {"class": "wrap"}})
    status = tables.Column(gettext_lazy("状态"))
    target_count = tables.Column(gettext_lazy("指标数"), attrs=NUM)
    unmapped_count = tables.Column(gettext_lazy("未匹配"), attrs=NUM)
    version = tables.Column(gettext_lazy("版本"), attrs=NUM)

    class Meta:
        model = TargetTable
        fields = ()
        attrs = {"class": "data"}
        empty_text = gettext_lazy("没有符合条件的绩效目标表。")

    def render_unmapped_count(self, value):
        return value or "—"


class ReviewQueueTable(tables.Table):
    document = tables.Column(gettext_lazy("分配文件"), accessor="document__number")
    scope = tables.Column(gettext_lazy("范围"), accessor="prefecture__position", empty_values=())
    title = tables.Column(gettext_lazy("表名"), attrs={"td": {"class": "wrap"}})
    status = tables.Column(gettext_lazy("状态"), order_by=("status_rank",))
    submitted_at = MomentColumn(gettext_lazy("提交时间"))
    reviewed_at = MomentColumn(gettext_lazy("审核时间"))
    reviewed_by = tables.Column(gettext_lazy("审核人"), accessor="reviewed_by__username")
    version = tables.Column(gettext_lazy("版本"), attrs={"td": {"class": "num"}, "th": {"class": "num"}})
    action = tables.Column("", orderable=False, empty_values=())

    class Meta:
        attrs = {"class": "data"}
        empty_text = gettext_lazy("没有符合条件的绩效目标表。")
        row_attrs = {"data-status": lambda record: record.status}

    def render_scope(self, record):
        return record.scope_name

    def render_reviewed_by(self, record):
        return record.reviewed_by.get_full_name() or record.reviewed_by.username

    def render_action(self, record):
        label = _("审核") if record.status == TableStatus.SUBMITTED else _("查看")
        url = reverse("targets:review", args=[record.pk])
        return format_html('<a class="button small" href="{}">{}</a>', url, label)
