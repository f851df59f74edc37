from django.db.models import Prefetch
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import viewsets

from api.filters import TargetTableFilter
from api.plumbing import ID
from api.serializers.targets import IndicatorSerializer, TargetTableDetailSerializer, TargetTableSerializer
from targets.models import Actual, Indicator, Target, TargetTable


@extend_schema_view(list=extend_schema(summary="绩效指标目录"), retrieve=extend_schema(summary="绩效指标"))
class IndicatorViewSet(viewsets.ReadOnlyModelViewSet):
    lookup_value_regex = ID
    serializer_class = IndicatorSerializer
    pagination_class = None  # the catalogue: a few dozen rows

    def get_queryset(self):
        return Indicator.objects.order_by("position", "pk")


@extend_schema_view(list=extend_schema(summary="绩效目标表列表"), retrieve=extend_schema(summary="绩效目标表（含目标值与实际完成值）"))
class TargetTableViewSet(viewsets.ReadOnlyModelViewSet):
    lookup_value_regex = ID
    filterset_class = TargetTableFilter

    def get_serializer_class(self):
        return TargetTableSerializer if self.action == "list" else TargetTableDetailSerializer

    def get_queryset(self):
        tables = TargetTable.objects.visible_to(self.request.user).select_related("document", "prefecture")
        if self.action == "retrieve":
            tables = tables.prefetch_related(
                Prefetch("targets", queryset=Target.objects.order_by("position", "pk").prefetch_related(
                    Prefetch("actuals", queryset=Actual.objects.order_by("checkpoint", "pk"))
                ))
            )
        return tables
