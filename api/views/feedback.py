from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from api.errors import ApiError, problem
from api.filters import FeedbackReportFilter
from api.plumbing import ID
from api.serializers.feedback import FeedbackReportDetailSerializer, FeedbackReportSerializer, FiguresSerializer
from core.permissions import can_edit_feedback
from feedback.models import FeedbackLine, FeedbackReport
from feedback.workflow import EDITABLE_FIELDS, LineProblems, save_lines


def _refusal(error):
    """feedback.workflow's refusals in the one shape: each line problem names its line (row) and field."""
    if isinstance(error, LineProblems):
        return ApiError([
            problem("invalid", found.message, field=found.field, row=getattr(found.line, "position", None))
            for found in error.problems
        ])
    code = "stale" if getattr(error, "code", None) == "stale" else "not_editable"
    return ApiError([problem(code, message) for message in error.messages], status.HTTP_409_CONFLICT)


@extend_schema_view(list=extend_schema(summary="资金使用反馈表列表"), retrieve=extend_schema(summary="资金使用反馈表（含明细）"))
class FeedbackReportViewSet(viewsets.ReadOnlyModelViewSet):
    lookup_value_regex = ID
    filterset_class = FeedbackReportFilter

    def get_serializer_class(self):
        return FeedbackReportSerializer if self.action == "list" else FeedbackReportDetailSerializer

    def get_queryset(self):
        reports = FeedbackReport.objects.visible_to(self.request.user).select_related("prefecture")
        if self.action == "retrieve":
            reports = reports.prefetch_related(Prefetch("lines", queryset=FeedbackLine.objects.order_by("position", "pk")))
        return reports

    @extend_schema(
        summary="填报反馈表数字（草稿或已退回的反馈表）",
        description="与页面表单相同的校验和版本检查：只改给出的字段；version 须为读取时的版本，他人已保存则 409；"
        "不合规的行逐行列出（row 为行次，field 为字段）。",
        request=FiguresSerializer,
        responses=FeedbackReportDetailSerializer,
    )
    @action(detail=True, methods=["post"])
    def figures(self, request, pk=None):
        report = self.get_object()
        # Before the body is read: a reader (HR, an auditor) is refused whatever was sent.
        if not can_edit_feedback(request.user, report):
            raise PermissionDenied
        given = FiguresSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        lines = dict(report.lines.values_list("pk", "position"))
        changes = {}
        for line in given.validated_data["lines"]:
            if line["id"] not in lines:
                raise ApiError([problem("not_found", _("第%(id)s号明细不属于该反馈表。") % {"id": line["id"]}, field="lines.id")])
            changes[line["id"]] = {name: value for name, value in line.items() if name in EDITABLE_FIELDS}
        try:
            save_lines(report, changes, request.user, given.validated_data["version"])
        except PermissionDenied:
            raise
        except ValidationError as refused:
            raise _refusal(refused) from None
        saved = self.get_queryset().get(pk=report.pk)
        return Response(FeedbackReportDetailSerializer(saved, context=self.get_serializer_context()).data)
