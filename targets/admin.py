from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from import_export.admin import ImportExportModelAdmin

from core.admin import GuardedAdminMixin, HistoryAdmin
from core.flat_import import CheckedImportForm
from core.flat_import_confirm import ConfirmedImportMixin
from targets.models import Actual, Indicator, IndicatorAlias, Target, TargetTable
from targets.resources import TargetResource

TYPED = ("operator", "number", "unit", "base_number", "base_unit")


class IndicatorAliasInline(admin.TabularInline):
    model = IndicatorAlias
    extra = 0


@admin.register(Indicator)
class IndicatorAdmin(GuardedAdminMixin, admin.ModelAdmin):
    # Catalogue order is level order: 产出 (数量, 质量, 时效), 成本, 效益, 满意度.
    list_display = ("position", "name", "level1", "level2", "unit", "kind", "direction", "rollup", "code")
    list_display_links = ("name",)
    list_filter = ("level1", "level2", "kind", "rollup")
    search_fields = ("name", "code", "aliases__wording")
    ordering = ("position",)
    inlines = (IndicatorAliasInline,)


@admin.register(IndicatorAlias)
class IndicatorAliasAdmin(GuardedAdminMixin, admin.ModelAdmin):
    list_display = ("wording", "indicator")
    list_select_related = ("indicator",)
    search_fields = ("wording", "indicator__name")
    autocomplete_fields = ("indicator",)


class TargetInline(admin.TabularInline):
    model = Target
    extra = 0
    fields = ("position", "wording", "raw_value", "indicator", *TYPED)
    readonly_fields = TYPED
    autocomplete_fields = ("indicator",)
    ordering = ("position",)

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("indicator")

    # An approved table is locked: its rows are shown, never edited here.
    def has_add_permission(self, request, obj=None):
        return super().has_add_permission(request, obj) and not (obj and obj.is_locked)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and not (obj and obj.is_locked)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and not (obj and obj.is_locked)


@admin.register(TargetTable)
class TargetTableAdmin(HistoryAdmin):
    list_display = ("document", "scope", "title", "status", "version", "reviewed_at")
    list_select_related = ("document", "prefecture")
    list_filter = ("status", "document", ("prefecture", admin.EmptyFieldListFilter))
    search_fields = ("document__number", "prefecture__name", "title")
    autocomplete_fields = ("document", "prefecture")
    # The workflow fields move only through the review pages, with their checks.
    readonly_fields = (
        "status", "return_reason", "reopen_reason", "submitted_at", "reviewed_at", "reviewed_by", "version",
    )
    inlines = (TargetInline,)
    show_full_result_count = False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("document", "prefecture", "reviewed_by")

    @admin.display(description=_("范围"), ordering="prefecture__position")
    def scope(self, table):
        return table.scope_name

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and not (obj and obj.is_locked)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and not (obj and obj.is_locked)


class TargetAdminForm(forms.ModelForm):
    class Meta:
        model = Target
        fields = ("table", "indicator", "wording", "raw_value", "position")

    def clean(self):
        cleaned = super().clean()
        table, indicator, wording = cleaned.get("table"), cleaned.get("indicator"), cleaned.get("wording")
        if table is not None and table.is_locked:
            self.add_error("table", _("%(table)s 的绩效目标表已审核通过并锁定，不能增加或修改指标。") % {"table": table})
            return cleaned
        if indicator is None and wording:
            # As on import: a wording the catalogue knows is linked to it.
            indicator = cleaned["indicator"] = Indicator.objects.match(wording)
            self.instance.indicator = indicator
        if table is not None and indicator is not None:
            clash = Target.objects.filter(table=table, indicator=indicator).exclude(pk=self.instance.pk).first()
            if clash:
                self.add_error("indicator", _("%(table)s 已有指标“%(name)s”（原文：%(wording)s）。") % {
                    "table": table,
                    "name": indicator.name,
                    "wording": clash.wording,
                })
        return cleaned


@admin.register(Target)
class TargetAdmin(ConfirmedImportMixin, ImportExportModelAdmin, HistoryAdmin):
    resource_classes = [TargetResource]
    import_form_class = CheckedImportForm
    form = TargetAdminForm
    list_display = ("table", "position", "wording", "raw_value", "indicator", "operator", "base_number", "base_unit")
    list_display_links = ("wording",)
    list_select_related = ("table__document", "table__prefecture", "indicator")
    list_filter = ("table__status", "table__document", "table__prefecture", ("indicator", admin.EmptyFieldListFilter))
    search_fields = ("wording", "raw_value", "indicator__name", "table__prefecture__name", "table__document__number")
    autocomplete_fields = ("table", "indicator")
    readonly_fields = TYPED
    # Not ("table__document", …): that sorts every target through three joins (0.13 s at 43,000 targets).
    # The table's id walks its index: the newest tables first, each table's targets in 序号 order.
    ordering = ("-table_id", "position")
    show_full_result_count = False

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and not (obj and obj.table.is_locked)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and not (obj and obj.table.is_locked)


class ActualAdminForm(forms.ModelForm):
    def clean_target(self):
        target = self.cleaned_data.get("target")
        if target is not None and target.table.is_locked:
            raise forms.ValidationError(
                _("%(table)s 的绩效目标表已审核通过并锁定：实际完成值请在双监控页面填报。") % {"table": target.table},
                code="locked",
            )
        return target


@admin.register(Actual)
class ActualAdmin(HistoryAdmin):
    """双监控 figures: those of an approved table are entered on its 双监控 page, with its checks; here they are read-only."""

    form = ActualAdminForm
    list_display = ("target", "table", "checkpoint", "raw_value", "forecast", "verdict", "recorded_by", "recorded_at")
    list_select_related = ("target__table__document", "target__table__prefecture", "recorded_by")
    list_filter = ("checkpoint", "verdict", "target__table__document", "target__table__prefecture")
    search_fields = ("target__wording", "target__table__prefecture__name", "raw_value")
    autocomplete_fields = ("target", "recorded_by")
    readonly_fields = ("base_number", "verdict", "recorded_at")
    show_full_result_count = False
    # The model's ordering goes target → table → document through three joins (0.37 s at 86,000 actuals);
    # the target's id walks its index: the newest targets first, 6月 before 12月.
    ordering = ("-target_id", "checkpoint")

    @admin.display(description=_("绩效目标表"))
    def table(self, actual):
        return actual.target.table

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and not (obj and obj.target.table.is_locked)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and not (obj and obj.target.table.is_locked)
