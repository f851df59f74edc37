from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import viewsets

from allocations.models import County, Prefecture, Province
from api.filters import CountyFilter
from api.plumbing import ID
from api.serializers.places import CountySerializer, PrefectureSerializer, ProvinceSerializer


@extend_schema_view(list=extend_schema(summary="省（自治区、直辖市）列表"), retrieve=extend_schema(summary="省（自治区、直辖市）"))
class ProvinceViewSet(viewsets.ReadOnlyModelViewSet):
    lookup_value_regex = ID
    serializer_class = ProvinceSerializer
    pagination_class = None  # tens of rows

    def get_queryset(self):
        # The provinces of the prefectures the user may see.
        visible = Prefecture.objects.visible_to(self.request.user)
        return Province.objects.filter(pk__in=visible.values("province_id")).order_by("position", "name")


@extend_schema_view(list=extend_schema(summary="地（州、市）列表"), retrieve=extend_schema(summary="地（州、市）"))
class PrefectureViewSet(viewsets.ReadOnlyModelViewSet):
    lookup_value_regex = ID
    serializer_class = PrefectureSerializer
    pagination_class = None  # hundreds of rows at national scale

    def get_queryset(self):
        return Prefecture.objects.visible_to(self.request.user).select_related("province").order_by("position", "name", "pk")


@extend_schema_view(list=extend_schema(summary="县（市、区）列表"), retrieve=extend_schema(summary="县（市、区）"))
class CountyViewSet(viewsets.ReadOnlyModelViewSet):
    lookup_value_regex = ID
    serializer_class = CountySerializer
    filterset_class = CountyFilter

    def get_queryset(self):
        # County has no prefecture of its own to scope by: it is seen with its prefecture, and only so.
        visible = Prefecture.objects.visible_to(self.request.user)
        return County.objects.filter(prefecture__in=visible).select_related("prefecture")
