"""The list of allocation documents, one document's page, its export and its issue action.

An officer must never see another prefecture's figures: every query below is
narrowed to what the user may see, and for an officer a regional document
shows only their own prefecture's group and 小计, never the region's 合计.
"""

from io import BytesIO

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST, require_safe
from django_filters.views import FilterView
from django_tables2 import SingleTableMixin

from allocations.issuing import issue
from allocations.filters import DocumentFilter
from allocations.models import AllocationDocument, AllocationLine, DocumentStatus
from allocations.money import ZERO
from allocations.reallocation import passed_on_by_prefecture
from allocations.reconcile import TOTAL_SCOPE
from allocations.tables import DocumentTable, PassedOnTable, SheetTable, sheet_rows
from core.access import AppUserRequiredMixin, app_user_required
from allocations.workbook.export import write_workbook
from core.listing import ExportableListMixin
from core.permissions import (
    can_export_document,
    can_issue_document,
    can_reallocate,
    is_region_admin,
    sees_all_prefectures,
)
from core.safe_export import attachment_header
from django.utils.translation import gettext, gettext_lazy

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class DocumentListView(AppUserRequiredMixin, ExportableListMixin, SingleTableMixin, FilterView):
    table_class = DocumentTable
    filterset_class = DocumentFilter
    template_name = "allocations/document_list.html"
    export_filename = gettext_lazy("分配文件")

    def get_queryset(self):
        return AllocationDocument.objects.visible_to(self.request.user).for_table().with_shown_total(self.request.user)

    def get_table_kwargs(self):
        if sees_all_prefectures(self.request.user):
            return {}
        return {"total_label": gettext("本地区小计（万元）")}


document_list = DocumentListView.as_view()


@require_safe
@app_user_required
def document_detail(request, pk):
    user = request.user
    document = get_object_or_404(AllocationDocument.objects.visible_to(user).for_table(), pk=pk)
    show_total = document.shows_total_to(user)
    region_wide = sees_all_prefectures(user)

    subtotals = document.subtotals.visible_to(user).select_related("prefecture").order_by("prefecture__position")
    lines = AllocationLine.objects.filter(document=document).visible_to(user).for_table()
    subtotals = [(sub.prefecture, sub.declared_amount) for sub in subtotals]

    rows = sheet_rows(lines, subtotals, document.declared_total, show_total, document.get_direct_mark_display())
    visible_scopes = {row["prefecture"].name for row in rows if row["prefecture"]}
    if show_total:
        visible_scopes.add(TOTAL_SCOPE)
    mismatches = [m for m in document.reconciliation() if region_wide or m.scope in visible_scopes]

    context = {
        "document": document,
        "fund": document.fund,
        "expenditure_items": list(document.fund.expenditure_items.all()),
        "table": SheetTable(rows),
        "mismatches": mismatches,
        "scoped": not region_wide,
        "can_export": can_export_document(user, document),
        "can_issue": can_issue_document(user) and document.is_draft,
        "passed_on_table": None,
        "reallocate_url": None,
    }
    if not document.is_reallocation:
        context.update(_passed_on(request, document, subtotals))
    return render(request, "allocations/document_detail.html", context)


def _passed_on(request, document, subtotals):
    """The 已转下达 section of a regional document, limited to the visible prefectures."""
    user = request.user
    passed = passed_on_by_prefecture(document)
    visible = {prefecture.pk for prefecture, _ in subtotals}
    by_issuer = {}
    for child in document.reallocations.filter(issuer_id__in=visible).order_by("issued_on", "number"):
        by_issuer.setdefault(child.issuer_id, []).append(child)

    issued = document.status == DocumentStatus.ISSUED
    admin = is_region_admin(user)
    create_url = reverse("allocations:reallocation_create", args=[document.pk])
    rows = []
    for prefecture, share in subtotals:
        done = passed.get(prefecture.pk, ZERO)
        rows.append(
            {
                "prefecture": prefecture,
                "share": share,
                "passed_on": done,
                "remaining": share - done,
                "documents": by_issuer.get(prefecture.pk, []),
                # Region admins act for any prefecture, from its own row.
                "action": f"{create_url}?prefecture={prefecture.pk}" if issued and admin else "",
            }
        )
    officer_url = None
    if issued and not admin and user.prefecture_id in visible and can_reallocate(user, user.prefecture):
        officer_url = create_url
    table = PassedOnTable(rows, exclude=() if admin else ("action",))
    return {"passed_on_table": table, "reallocate_url": officer_url}


@require_safe
@app_user_required
def document_export(request, pk):
    document = get_object_or_404(AllocationDocument.objects.visible_to(request.user).for_table(), pk=pk)
    if not can_export_document(request.user, document):
        # The workbook would show other prefectures' lines: as if it did not exist.
        raise Http404
    buffer = BytesIO()
    write_workbook(document, buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX_TYPE)
    response["Content-Disposition"] = attachment_header(f"{document.number}.xlsx")
    return response


@require_POST
@app_user_required
def document_issue(request, pk):
    document = get_object_or_404(AllocationDocument.objects.visible_to(request.user), pk=pk)
    if not can_issue_document(request.user):
        raise PermissionDenied
    if not document.is_draft:
        messages.info(request, gettext("%(number)s 已是已下达状态。") % {"number": document.number})
        return redirect("allocations:document_detail", pk=document.pk)
    try:
        issue(document)
    except ValidationError as refused:
        for message in refused.messages:
            messages.error(request, message)
    else:
        messages.success(request, gettext("%(number)s 已标记为已下达。") % {"number": document.number})
    return redirect("allocations:document_detail", pk=document.pk)

