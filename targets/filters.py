"""The filters of the target-table list and the review queue."""

import django_filters

from allocations.filters import region_wide
from allocations.models import AllocationDocument, Prefecture
from core.listing import read_once
from targets.models import REGION_SCOPE, TableStatus, TargetTable
from django.utils.translation import gettext_lazy as _

REGION = "region"


def _documents(request):
    # Only documents that have a table this user may see.
    tables = TargetTable.objects.visible_to(request.user) if request else TargetTable.objects.none()
    return AllocationDocument.objects.filter(pk__in=tables.values("document")).order_by("-year", "number")


class TargetTableFilter(django_filters.FilterSet):
    document = django_filters.ModelChoiceFilter(label=_("分配文件"), queryset=_documents, empty_label=_("全部文件"))
    scope = django_filters.ChoiceFilter(label=_("范围"), empty_label=_("全部范围"), method="filter_scope")
    status = django_filters.ChoiceFilter(label=_("状态"), choices=TableStatus.choices, empty_label=_("全部状态"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not region_wide(self.request):
            # An officer has one table per document: their own prefecture's.
            del self.filters["scope"]
        else:
            # Read once: a filtered form reads the choices to validate, then to draw.
            self.filters["scope"].extra["choices"] = read_once(lambda: [(REGION, _(REGION_SCOPE))] + [
                (str(pk), name) for pk, name in Prefecture.objects.order_by("position").values_list("pk", "name")
            ])

    def filter_scope(self, queryset, name, value):
        if value == REGION:
            return queryset.filter(prefecture__isnull=True)
        return queryset.filter(prefecture_id=value)


class ReviewFilter(TargetTableFilter):
    """The list's filter (document, 范围 for region-wide roles, status), status first: the queue is read by status."""

    class Meta:
        model = TargetTable
        fields = ["status", "document", "scope"]
