from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from import_export.admin import ImportExportModelAdmin

from allocations.models import (
    AllocationDocument,
    AllocationLine,
    County,
    ExpenditureItem,
    Fund,
    Prefecture,
    PrefectureSubtotal,
    Province,
)
from allocations.money import grouped
from allocations.resources import AllocationLineResource
from core.admin import HistoryAdmin
from core.flat_import import CheckedImportForm


@admin.register(Province)
class ProvinceAdmin(HistoryAdmin):
    list_display = ("name", "code", "position")
    search_fields = ("name", "code")
    ordering = ("position", "name")


@admin.register(Prefecture)
class PrefectureAdmin(HistoryAdmin):
    list_display = ("name", "province", "position")
    list_select_related = ("province",)
    list_filter = ("province",)
    search_fields = ("name",)
    autocomplete_fields = ("province",)
    ordering = ("position", "name")


@admin.register(County)
class CountyAdmin(HistoryAdmin):
    list_display = ("name", "prefecture", "kind", "position")
    list_select_related = ("prefecture",)
    list_filter = ("prefecture", "kind")
    search_fields = ("name", "prefecture__name")
    autocomplete_fields = ("prefecture",)


class ExpenditureItemInline(admin.TabularInline):
    model = ExpenditureItem
    extra = 0


@admin.register(Fund)
class FundAdmin(HistoryAdmin):
    list_display = ("name", "income_code", "expenditure_code", "economic_code", "direct_mark")
    search_fields = ("name",)
    # 通知第三条: the mark stays "01 中央直达资金" at every level; nobody edits it.
    readonly_fields = ("direct_mark",)
    inlines = (ExpenditureItemInline,)


@admin.register(ExpenditureItem)
class ExpenditureItemAdmin(HistoryAdmin):
    list_display = ("code", "name", "fund")
    list_select_related = ("fund",)
    list_filter = ("fund",)
    search_fields = ("code", "name")


class PrefectureSubtotalInline(admin.TabularInline):
    model = PrefectureSubtotal
    extra = 0
    autocomplete_fields = ("prefecture",)


@admin.register(AllocationDocument)
class AllocationDocumentAdmin(HistoryAdmin):
    list_display = (
        "number", "title", "year", "batch", "issued_on", "total", "direct_mark", "status", "parent", "issuer",
    )
    list_select_related = ("fund", "parent", "issuer")
    list_filter = ("year", "status", ("parent", admin.EmptyFieldListFilter))
    search_fields = ("number", "title")
    autocomplete_fields = ("fund", "parent", "issuer")
    readonly_fields = ("direct_mark", "created_at", "updated_at")
    inlines = (PrefectureSubtotalInline,)
    # Skips the second COUNT(*) over the whole table on every changelist.
    show_full_result_count = False
    # Adds the "导入分配表（官方格式）" link to the web import page.
    change_list_template = "admin/allocations/allocationdocument/change_list.html"

    @admin.display(description=_("合计（万元）"), ordering="declared_total")
    def total(self, document):
        return grouped(document.declared_total)


@admin.register(PrefectureSubtotal)
class PrefectureSubtotalAdmin(HistoryAdmin):
    list_display = ("document", "prefecture", "amount")
    list_select_related = ("document", "prefecture")
    list_filter = ("prefecture",)
    search_fields = ("document__number", "prefecture__name")
    autocomplete_fields = ("document", "prefecture")
    show_full_result_count = False
    # Not the model's prefecture__position: sorting every subtotal through a join costs 60 ms at 66k rows.
    ordering = ("-document_id", "prefecture_id")

    @admin.display(description=_("小计（万元）"), ordering="declared_amount")
    def amount(self, subtotal):
        return grouped(subtotal.declared_amount)


@admin.register(AllocationLine)
class AllocationLineAdmin(ImportExportModelAdmin, HistoryAdmin):
    resource_classes = [AllocationLineResource]
    import_form_class = CheckedImportForm
    list_display = ("document", "prefecture", "county_name", "amount_display", "note", "direct_mark")
    list_select_related = ("document", "county__prefecture")
    list_filter = ("document__year", "document__status", "county__prefecture")
    search_fields = ("document__number", "county__name", "county__prefecture__name")
    autocomplete_fields = ("document", "county")
    readonly_fields = ("direct_mark",)
    show_full_result_count = False
    # Not the model's document ordering: sorting 500k lines through the document join took 300 ms a page.
    ordering = ("-document_id", "position")

    @admin.display(description=_("地（州、市）"), ordering="county__prefecture__position")
    def prefecture(self, line):
        return line.county.prefecture.name

    @admin.display(description=_("县（市、区）"), ordering="county__name")
    def county_name(self, line):
        return line.county.name

    @admin.display(description=_("拨付金额（万元）"), ordering="amount")
    def amount_display(self, line):
        return grouped(line.amount)

    @admin.display(description=_("直达资金标识"))
    def direct_mark(self, line):
        return line.direct_mark
