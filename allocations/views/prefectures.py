"""Prefectures and what every document gives each of them.

Every figure is a subquery per prefecture or per document, so a page costs
the same number of queries however many rows it shows.
"""

from django.db.models import Count, DecimalField, IntegerField, OuterRef, Subquery, Sum
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_safe
from django_filters.views import FilterView
from django_tables2 import RequestConfig, SingleTableMixin

from allocations.models import AllocationDocument, AllocationLine, County, DocumentStatus, Prefecture, PrefectureSubtotal
from allocations.tables import PrefectureDocumentTable, PrefectureLineTable, PrefectureTable
from allocations.filters import PrefectureFilter
from core.access import AppUserRequiredMixin, app_user_required
from core.listing import ExportableListMixin, pagination
from django.utils.translation import gettext_lazy as _

PER_PAGE = 50


def _per_prefecture(queryset, key, value, output_field):
    # A correlated subquery grouped by the prefecture it is filtered on: one value per row.
    return Subquery(
        queryset.order_by().values(key).annotate(value=value).values("value")[:1],
        output_field=output_field,
    )


def with_figures(prefectures, user):
    # Counted over what the user may see: an officer's count leaves out the region's drafts.
    lines = AllocationLine.objects.visible_to(user).filter(county__prefecture=OuterRef("pk"))
    return prefectures.annotate(
        county_count=_per_prefecture(
            County.objects.filter(prefecture=OuterRef("pk")), "prefecture", Count("pk"), IntegerField()
        ),
        document_count=_per_prefecture(lines, "county__prefecture", Count("document", distinct=True), IntegerField()),
        regional_total=_per_prefecture(
            lines.filter(document__parent__isnull=True, document__status=DocumentStatus.ISSUED),
            "county__prefecture",
            Sum("amount"),
            DecimalField(),
        ),
        passed_on_total=_per_prefecture(
            AllocationLine.objects.filter(document__issuer=OuterRef("pk")), "document__issuer", Sum("amount"), DecimalField()
        ),
    )


class PrefectureListView(AppUserRequiredMixin, ExportableListMixin, SingleTableMixin, FilterView):
    table_class = PrefectureTable
    filterset_class = PrefectureFilter
    template_name = "allocations/prefecture_list.html"
    export_filename = _("地州市")

    def get_queryset(self):
        return with_figures(Prefecture.objects.visible_to(self.request.user), self.request.user)


prefecture_list = PrefectureListView.as_view()


@require_safe
@app_user_required
def prefecture_detail(request, pk):
    prefecture = get_object_or_404(Prefecture.objects.visible_to(request.user), pk=pk)

    lines = (
        AllocationLine.objects.visible_to(request.user)
        .filter(county__prefecture=prefecture)
        .select_related("document", "county")
        .order_by("-document__year", "document__number", "position")
    )
    # filter() before annotate(): the sums cover this prefecture's lines only.
    declared = PrefectureSubtotal.objects.filter(document=OuterRef("pk"), prefecture=prefecture)
    documents = (
        AllocationDocument.objects.visible_to(request.user)
        .filter(lines__county__prefecture=prefecture)
        .select_related("parent", "issuer")
        .annotate(
            line_count=Count("lines"),
            prefecture_total=Sum("lines__amount"),
            declared=Subquery(declared.values("declared_amount")[:1]),
        )
        .order_by("-year", "-issued_on", "number")
    )

    # Counted no further than the export limit, as every listing (core.listing).
    config = RequestConfig(request, paginate={**pagination(), "per_page": PER_PAGE})
    document_table = config.configure(PrefectureDocumentTable(documents, prefix="d-"))
    line_table = config.configure(PrefectureLineTable(lines, prefix="l-"))
    return render(
        request,
        "allocations/prefecture_detail.html",
        {"prefecture": prefecture, "document_table": document_table, "line_table": line_table},
    )
