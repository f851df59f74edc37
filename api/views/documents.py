import datetime

from django.db.models import Prefetch
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from allocations.models import AllocationDocument, AllocationLine, PrefectureSubtotal
from api import direct_funds
from api.errors import ApiError, problem
from api.filters import DocumentFilter, LineFilter
from api.plumbing import ID
from api.serializers.documents import DocumentDetailSerializer, DocumentSerializer, LineSerializer
from api.serializers.payments import DirectFundsSerializer, FlowSerializer, SummarySerializer
from core.permissions import scoped_prefecture_id
from feedback.schedule import behind, expected_progress
from treasury.money import wan_from_fen
from treasury.summary import SUBTOTAL, TOTAL, document_summary

MONTH = OpenApiParameter("month", OpenApiTypes.STR, required=True, description="YYYY-MM：累计到该月月末")


def month_param(request):
    text = request.query_params.get("month", "")
    try:
        return datetime.datetime.strptime(text, "%Y-%m").date()
    except ValueError:
        raise ApiError([problem("invalid", _("月份“%(text)s”应写成 YYYY-MM，如 2023-07。") % {"text": text}, field="month")]) from None


def regional_only(document):
    if document.parent_id is not None:
        raise ApiError([problem(
            "reallocation",
            _("%(number)s 是转下达文件，其支付汇总在上级文件 %(parent)s 之下。") % {"number": document.number, "parent": document.parent.number},
        )])


def _prefecture_ids(user):
    scope = scoped_prefecture_id(user)
    return None if scope is None else [scope]


def _kind(figures):
    if figures.prefecture == TOTAL:
        return "total"
    return "subtotal" if figures.county == SUBTOTAL else "county"


def _figures(figures):
    return {
        "prefecture": figures.prefecture, "county": figures.county, "allocated": figures.allocated,
        "paid": figures.paid, "unspent": figures.unspent, "progress": figures.progress,
    }


@extend_schema_view(
    list=extend_schema(summary="分配文件列表", description="自治区文件与转下达文件；地（州、市）令牌只看到给本地分配资金的已下达文件和本地转下达文件。"),
    retrieve=extend_schema(summary="分配文件（含小计、分配明细、转下达）"),
)
class DocumentViewSet(viewsets.ReadOnlyModelViewSet):
    lookup_value_regex = ID
    filterset_class = DocumentFilter

    def get_serializer_class(self):
        return DocumentSerializer if self.action == "list" else DocumentDetailSerializer

    def get_queryset(self):
        user = self.request.user
        documents = AllocationDocument.objects.visible_to(user).with_shown_total(user).select_related("fund", "parent", "issuer")
        if self.action == "retrieve":
            documents = documents.prefetch_related(
                Prefetch("subtotals", queryset=PrefectureSubtotal.objects.visible_to(user).select_related("prefecture")),
                Prefetch("lines", queryset=AllocationLine.objects.visible_to(user).for_table()),
                Prefetch("reallocations", queryset=AllocationDocument.objects.visible_to(user).select_related("issuer")),
            )
        return documents

    @extend_schema(summary="资金流向（三 流向明确）", parameters=[MONTH], responses=FlowSerializer)
    @action(detail=True, methods=["get"])
    def flow(self, request, pk=None):
        document = self.get_object()
        regional_only(document)
        month = month_param(request)
        schedule = expected_progress(month, document)
        rows = []
        for figures in document_summary(document, month, _prefecture_ids(request.user)):
            rows.append({
                **_figures(figures),
                "kind": _kind(figures),
                "by_use": {use: wan_from_fen(fen) for use, fen in figures.by_use.items()},
                "slow": behind(figures.progress, schedule),
            })
        data = {"document": document.pk, "month": f"{month:%Y-%m}", "schedule": schedule, "rows": rows}
        return Response(FlowSerializer(data).data)

    @extend_schema(summary="支付汇总（与 payments_summary 命令相同）", parameters=[MONTH], responses=SummarySerializer)
    @action(detail=True, methods=["get"], url_path="payments-summary")
    def payments_summary(self, request, pk=None):
        document = self.get_object()
        regional_only(document)
        month = month_param(request)
        rows = [_figures(figures) for figures in document_summary(document, month, _prefecture_ids(request.user))]
        return Response(SummarySerializer({"document": document.pk, "month": f"{month:%Y-%m}", "rows": rows}).data)

    @extend_schema(
        summary="直达资金监控导出",
        description="每个（文件、地州市、县市区）一行；含转下达文件。金额为万元，已支付、未支付精确到分（6位小数）。",
        responses=DirectFundsSerializer,
    )
    @action(detail=True, methods=["get"], url_path="direct-funds")
    def direct_funds(self, request, pk=None):
        document = self.get_object()
        user = request.user
        found = direct_funds.rows(
            document, lines=AllocationLine.objects.visible_to(user), visible=AllocationDocument.objects.visible_to(user)
        )
        return Response(direct_funds.as_json(document, found))


@extend_schema_view(list=extend_schema(summary="分配明细列表"), retrieve=extend_schema(summary="分配明细"))
class LineViewSet(viewsets.ReadOnlyModelViewSet):
    lookup_value_regex = ID
    serializer_class = LineSerializer
    filterset_class = LineFilter

    def get_queryset(self):
        return AllocationLine.objects.visible_to(self.request.user).select_related("county__prefecture")
