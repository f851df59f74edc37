"""The feedback reports in the admin: for browsing and their history, not for editing.

Every change to a report goes through feedback.workflow (validation, the
version check against lost updates, submission times), so the admin shows
everything read-only to everyone and adds nothing; removing a report not
yet accepted is left to a superuser. An auditor browses every page and changes nothing.
"""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from allocations.money import grouped
from core.admin import HistoryAdmin
from feedback.models import FeedbackLine, FeedbackReport, Settlement
from feedback.progress import figures

LINE_FIELDS = (
    "position",
    "fund_name",
    "document_number",
    "amount",
    "direct_mark",
    "spent",
    "uses_display",
    "other_use_approval",
    "unspent",
    "progress",
    "reason",
    "measure",
    "measure_deadline",
    "decrease_explanation",
)


class ReadOnlyAdminMixin:
    def report_of(self, obj):
        return obj

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        # An accepted report is reopened (with a reason) on its page; not even a superuser removes it here.
        return request.user.is_superuser and not (obj is not None and self.report_of(obj).is_locked)


class ReadOnlyHistoryAdmin(ReadOnlyAdminMixin, HistoryAdmin):
    pass


class LineFiguresMixin:
    @admin.display(description=_("资金支出方向"))
    def uses_display(self, line):
        return "、".join(line.uses_labels)

    @admin.display(description=_("未支出金额（万元）"))
    def unspent(self, line):
        return grouped(figures(line.amount, line.spent).unspent)

    @admin.display(description=_("实际支出进度"))
    def progress(self, line):
        return figures(line.amount, line.spent).progress_label


class FeedbackLineInline(LineFiguresMixin, ReadOnlyAdminMixin, admin.TabularInline):
    model = FeedbackLine
    fields = LINE_FIELDS
    readonly_fields = LINE_FIELDS
    extra = 0
    can_delete = False
    show_change_link = True


@admin.register(FeedbackReport)
class FeedbackReportAdmin(ReadOnlyHistoryAdmin):
    list_display = (
        "prefecture", "month_display", "status", "due_date", "submitted_at", "submitted_by", "on_time", "version",
    )
    list_select_related = ("prefecture", "submitted_by")
    list_filter = ("status", "month", "prefecture")
    search_fields = ("prefecture__name",)
    date_hierarchy = "month"
    # Skips the second COUNT(*) over the whole table on every changelist.
    show_full_result_count = False
    readonly_fields = (
        "prefecture",
        "month",
        "status",
        "due_date",
        "submitted_at",
        "submitted_by",
        "on_time",
        "reviewed_at",
        "reviewed_by",
        "return_reason",
        "reopen_reason",
        "version",
        "created_at",
    )
    fields = readonly_fields
    inlines = (FeedbackLineInline,)

    @admin.display(description=_("月份"), ordering="month")
    def month_display(self, report):
        return report.month_label


@admin.register(FeedbackLine)
class FeedbackLineAdmin(LineFiguresMixin, ReadOnlyHistoryAdmin):
    list_display = ("report", "position", "document_number", "added", "amount", "spent", "progress", "direct_mark")
    list_select_related = ("report__prefecture",)
    list_filter = ("report__status", "report__month", "report__prefecture")
    search_fields = ("document_number", "fund_name", "report__prefecture__name")
    show_full_result_count = False
    # The model's ordering ("report" = the report's -month, prefecture) sorts every line through two joins
    # (0.5 s at a million lines); the report's id walks its index: newest reports first, then by 序号.
    ordering = ("-report_id", "position")
    readonly_fields = ("report", "document", *LINE_FIELDS)
    fields = readonly_fields

    def report_of(self, line):
        return line.report

    # 说明1: a line the officer added for a fund received outside this system.
    @admin.display(description=_("自行添加"), boolean=True)
    def added(self, line):
        return line.is_added


@admin.register(Settlement)
class SettlementAdmin(HistoryAdmin):
    """清算: a region admin closes a prefecture's share with a reason (feedback.obligations stops asking for its
    reports after closed_on's month); an auditor reads them and their history. Who closed it is the user saving."""

    list_display = ("document", "prefecture", "closed_on", "reason", "closed_by", "created_at")
    list_select_related = ("document", "prefecture", "closed_by")
    list_filter = ("closed_on", "prefecture")
    search_fields = ("document__number", "prefecture__name", "reason")
    autocomplete_fields = ("document", "prefecture")
    fields = ("document", "prefecture", "closed_on", "reason", "closed_by", "created_at")
    readonly_fields = ("closed_by", "created_at")

    def save_model(self, request, obj, form, change):
        obj.closed_by = request.user
        super().save_model(request, obj, form, change)
