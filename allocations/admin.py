from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from import_export.admin import ImportExportModelAdmin

from allocations.models import (
    AllocationDocument,
    AllocationLine,
    County,
    DirectMark,
    ExpenditureItem,
    Fund,
    Prefecture,
    PrefectureSubtotal,
    Province,
)
from allocations.reallocation import check_line_within_parent_share
from allocations.resources import AllocationLineResource
from core import formats
from core.admin import HistoryAdmin
from core.amounts import AmountField
from core.flat_import import CheckedImportForm
from core.flat_import_confirm import ConfirmedImportMixin


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


def _issued(document):
    return document is not None and not document.is_draft


class IssuedLockMixin:
    """An issued document, its 小计 and its lines are read-only to everyone here.

    document_of(obj) names the document an object belongs to; for an inline,
    obj is the document page's own document. The change page of a locked
    object is shown read-only and its POST answers 403.
    """

    # Amounts typed here are read by the one parser, as in every other form and import.
    formfield_overrides = {models.DecimalField: {"form_class": AmountField}}

    def document_of(self, obj):
        return obj.document

    def _locked(self, obj):
        return obj is not None and _issued(self.document_of(obj))

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and not self._locked(obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and not self._locked(obj)


class DraftDocumentForm(forms.ModelForm):
    """A line or 小计 goes only into a draft: neither added to an issued document nor moved into one."""

    def clean_document(self):
        document = self.cleaned_data.get("document")
        if _issued(document):
            raise forms.ValidationError(
                _("%(number)s 已下达，不能在管理后台增加或修改其分配明细和小计。") % {"number": document.number},
                code="issued",
            )
        return document


class LineForm(DraftDocumentForm):
    def clean(self):
        cleaned = super().clean()
        document, amount = cleaned.get("document"), cleaned.get("amount")
        if document is not None and document.is_reallocation and amount is not None:
            # As the flat import: a 转下达 draft stays within the prefecture's 小计 in its parent.
            try:
                check_line_within_parent_share(
                    AllocationLine(pk=self.instance.pk, document=document, amount=amount, county=cleaned.get("county"))
                )
            except ValidationError as over:
                self.add_error("amount", over)
        return cleaned


class PrefectureSubtotalInline(IssuedLockMixin, admin.TabularInline):
    model = PrefectureSubtotal
    extra = 0
    autocomplete_fields = ("prefecture",)

    def document_of(self, document):
        return document

    def has_add_permission(self, request, obj=None):
        return super().has_add_permission(request, obj) and not self._locked(obj)


@admin.register(AllocationDocument)
class AllocationDocumentAdmin(IssuedLockMixin, HistoryAdmin):
    list_display = (
        "number", "title", "year", "batch", "issued_on", "total", "direct_mark", "status", "parent", "issuer",
    )
    list_select_related = ("fund", "parent", "issuer")
    # schedule_basis (时间进度计算方式) is on the form with the other fields, editable while the document is a draft.
    list_filter = ("year", "status", "schedule_basis", ("parent", admin.EmptyFieldListFilter))
    search_fields = ("number", "title")
    autocomplete_fields = ("fund", "parent", "issuer")
    # A document is issued by the document page's 下达 (it reconciles the lines with the 小计 first), never here.
    readonly_fields = ("direct_mark", "status", "created_at", "updated_at")
    inlines = (PrefectureSubtotalInline,)
    # Skips the second COUNT(*) over the whole table on every changelist.
    show_full_result_count = False
    # Adds the "导入分配表（官方格式）" link to the web import page.
    change_list_template = "admin/allocations/allocationdocument/change_list.html"

    def document_of(self, document):
        return document

    @admin.display(description=_("合计（万元）"), ordering="declared_total")
    def total(self, document):
        return formats.money(document.declared_total)


@admin.register(PrefectureSubtotal)
class PrefectureSubtotalAdmin(IssuedLockMixin, HistoryAdmin):
    form = DraftDocumentForm
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
        return formats.money(subtotal.declared_amount)


@admin.register(AllocationLine)
class AllocationLineAdmin(ConfirmedImportMixin, IssuedLockMixin, ImportExportModelAdmin, HistoryAdmin):
    resource_classes = [AllocationLineResource]
    form = LineForm
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
        return formats.money(line.amount)

    @admin.display(description=_("直达资金标识"))
    def direct_mark(self, line):
        # The mark's label, as the document's own column shows it (translated for an English user).
        return dict(DirectMark.choices).get(line.direct_mark, line.direct_mark)
