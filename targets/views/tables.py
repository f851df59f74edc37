"""The list of target tables, one table as the notice prints it, its export,
and the page where the region admin maps unmapped wordings to the catalogue.

Every query is narrowed to what the user may see: an officer's list holds
their own prefecture's tables only, and any other table is a 404 from the
query itself.
"""

from io import BytesIO

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, F, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.views.decorators.http import require_safe
from django_filters.views import FilterView
from django_tables2 import SingleTableMixin

from core import formats
from core.access import AppUserRequiredMixin, app_user_required, form_methods
from core.listing import ExportableListMixin
from core.permissions import is_region_admin
from core.safe_export import attachment_header
from targets.filters import TargetTableFilter
from targets.forms import MapWordingForm
from targets.models import Indicator, Operator, Target, TargetTable
from targets.tables import TargetTableTable
from targets.values import split_wording
from targets.workbook.export import grouped_targets, write_workbook
from django.utils.translation import gettext_lazy as _

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SYMBOLS = {Operator.AT_LEAST: "≥", Operator.AT_MOST: "≤", Operator.MORE_THAN: ">", Operator.LESS_THAN: "<", Operator.EQUAL: "="}


def _targets_count(targets):
    counted = targets.filter(table=OuterRef("pk")).order_by().values("table").annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted), 0)


class TargetTableListView(AppUserRequiredMixin, ExportableListMixin, SingleTableMixin, FilterView):
    table_class = TargetTableTable
    filterset_class = TargetTableFilter
    template_name = "targets/table_list.html"
    export_filename = _("绩效目标表")

    def get_queryset(self):
        return (
            TargetTable.objects.visible_to(self.request.user)
            .for_table()
            .annotate(
                # The region's own table first within a document, on every database.
                scope_order=Coalesce("prefecture__position", -1),
                # Subqueries, not a join with GROUP BY: only the page's tables have their targets counted.
                target_count=_targets_count(Target.objects.all()),
                unmapped_count=_targets_count(Target.objects.filter(indicator__isnull=True)),
            )
            .order_by("-document__year", "document__number", "scope_order")
        )


table_list = TargetTableListView.as_view()


def reading(target):
    """The parsed value as a person would say it: "≥ 123,000 人次", "≥ 1,500.00 万元"."""
    if target.operator == Operator.TEXT or target.base_number is None:
        return _("文字目标（不可量化）")
    return f"{SYMBOLS[target.operator]} {formats.quantity(target.base_number, target.base_unit)} {target.base_unit}".strip()


def tree_rows(targets):
    """One row per target, with the rowspans of its 一级 and 二级 cells (0: no cell)."""
    rows = []
    for level1, level2_groups in grouped_targets(targets):
        level1_span = sum(len(group) for _level2, group in level2_groups)
        for level2, group in level2_groups:
            for target in group:
                rows.append(
                    {
                        "level1": level1,
                        "level1_span": level1_span,
                        "level2": level2,
                        "level2_span": len(group) if target is group[0] else 0,
                        "target": target,
                        "reading": reading(target),
                        "unmapped": target.indicator_id is None,
                    }
                )
                level1_span = 0
    return rows


def _visible_table(request, pk):
    return get_object_or_404(TargetTable.objects.visible_to(request.user).for_table(), pk=pk)


@require_safe
@app_user_required
def table_detail(request, pk):
    table = _visible_table(request, pk)
    targets = list(table.targets.select_related("indicator"))
    context = {
        "table": table,
        "rows": tree_rows(targets),
        "unmapped_count": sum(1 for target in targets if target.indicator_id is None),
        "can_map": is_region_admin(request.user),
    }
    return render(request, "targets/table_detail.html", context)


@require_safe
@app_user_required
def table_export(request, pk):
    table = _visible_table(request, pk)
    buffer = BytesIO()
    write_workbook(table, buffer, list(table.targets.select_related("indicator")))
    response = HttpResponse(buffer.getvalue(), content_type=XLSX_TYPE)
    name = _("%(number)s_%(scope_name)s_绩效目标表.xlsx") % {"number": table.document.number, "scope_name": table.scope_name}
    response["Content-Disposition"] = attachment_header(name)
    return response


def _unmapped_wordings():
    """[{wording, alias, targets}] for every wording no catalogue entry matches."""
    groups = {}
    unmapped = Target.objects.filter(indicator__isnull=True).select_related("table__document", "table__prefecture")
    for target in unmapped.order_by("table__document__number", F("table__prefecture__position").asc(nulls_first=True), "position"):
        alias = split_wording(target.wording)[0]
        group = groups.setdefault(alias, {"wording": target.wording, "alias": alias, "targets": []})
        group["targets"].append(target)
    return sorted(groups.values(), key=lambda group: group["alias"])


@form_methods
@app_user_required
def unmapped(request):
    if not is_region_admin(request.user):
        raise PermissionDenied
    if request.method == "POST":
        form = MapWordingForm(request.POST)
        if form.is_valid():
            try:
                count = form.save()
            except ValidationError as refused:
                form.add_error(None, refused)
            else:
                indicator = form.cleaned_data["indicator"]
                messages.success(request, _("已将“%(alias)s”映射到指标“%(name)s”，关联 %(count)s 项绩效目标。") % {
                    "alias": form.alias,
                    "name": indicator.name,
                    "count": count,
                })
                return redirect("targets:unmapped")
        wording = request.POST.get("wording", "")[:60]
        for error in form.non_field_errors():
            messages.error(request, error)
        for field in ("wording", "indicator"):
            for error in form.errors.get(field, []):
                messages.error(request, f"“{wording}”：{error}")
    context = {
        "groups": _unmapped_wordings(),
        "indicators": list(Indicator.objects.order_by("position")),
    }
    return render(request, "targets/unmapped.html", context)


urlpatterns = [
    path("", table_list, name="table_list"),
    path("tables/<int:pk>/", table_detail, name="table_detail"),
    path("tables/<int:pk>/export.xlsx", table_export, name="table_export"),
    path("unmapped/", unmapped, name="unmapped"),
]
