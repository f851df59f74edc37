from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.permissions import BasePermission
from rest_framework.response import Response

from api.filters import PaymentFilter, PaymentSummaryFilter
from api.payment_batch import post_batch
from api.plumbing import ID, AppUser, Strict
from api.serializers.payments import BatchOutcomeSerializer, PaymentSerializer, PaymentSummarySerializer
from core.permissions import can_import_payments
from treasury.models import Payment, PaymentSummary


class ImportsPaymentsOnPost(BasePermission):
    """Reading follows the scope; posting a batch needs the import right (core.permissions), as the upload page."""

    def has_permission(self, request, view):
        return getattr(view, "action", None) != "create" or can_import_payments(request.user)


class PaymentRowSerializer(Strict, serializers.Serializer):
    """For the schema: one payment as the treasury's file has it (the import checks every value)."""

    voucher = serializers.CharField(label="支付凭证号")
    paid_on = serializers.CharField(label="支付日期", help_text="如 2023-06-15，不得晚于今天")
    prefecture = serializers.CharField(label="地（州、市）", help_text="名称")
    county = serializers.CharField(label="县（市、区）", help_text="名称；本级单位可为空", required=False, allow_blank=True)
    budget_unit = serializers.CharField(label="预算单位", required=False, allow_blank=True)
    document_number = serializers.CharField(label="指标文号")
    function_code = serializers.CharField(label="功能分类科目")
    economic_code = serializers.CharField(label="经济分类科目", required=False, allow_blank=True)
    direct_mark = serializers.CharField(label="直达资金标识", help_text="01 中央直达资金")
    amount = serializers.DecimalField(max_digits=18, decimal_places=2, label="支付金额（元）", help_text="至多两位小数；退回为负数；可写成字符串")
    payee = serializers.CharField(label="收款人", required=False, allow_blank=True)


class PaymentBatchSerializer(Strict, serializers.Serializer):
    payments = PaymentRowSerializer(many=True, label="支付记录", help_text="至多 API_PAYMENT_BATCH_MAX_ROWS 条")
    dry_run = serializers.BooleanField(required=False, default=False, label="试运行", help_text="为真时只检查，不写入")


@extend_schema_view(
    list=extend_schema(summary="国库支付列表", description="收款人按角色脱敏，与页面相同。"),
    retrieve=extend_schema(summary="国库支付"),
    create=extend_schema(
        summary="批量推送国库支付",
        description="与 import_payments 导入文件相同的规则：全部成功或全部不写入；按支付凭证号幂等，"
        "相同内容再次推送不改变任何数据，内容不同则拒绝。仅自治区管理员角色的令牌可用。",
        request=PaymentBatchSerializer,
        responses={201: BatchOutcomeSerializer, 200: BatchOutcomeSerializer},
    ),
)
class PaymentViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    lookup_value_regex = ID
    serializer_class = PaymentSerializer
    filterset_class = PaymentFilter
    permission_classes = [AppUser, ImportsPaymentsOnPost]

    def get_queryset(self):
        return Payment.objects.visible_to(self.request.user).select_related("prefecture", "county")

    def create(self, request, *args, **kwargs):
        outcome = post_batch(request.data)
        data = BatchOutcomeSerializer(outcome).data
        # 201 when something was written; 200 when everything was already there (or a dry run).
        return Response(data, status=status.HTTP_201_CREATED if outcome.new and not outcome.dry_run else status.HTTP_200_OK)


@extend_schema_view(list=extend_schema(summary="支付汇总表（文件×地州市×县市区×支出方向×月份）"), retrieve=extend_schema(summary="支付汇总行"))
class PaymentSummaryViewSet(viewsets.ReadOnlyModelViewSet):
    lookup_value_regex = ID
    serializer_class = PaymentSummarySerializer
    filterset_class = PaymentSummaryFilter

    def get_queryset(self):
        return PaymentSummary.objects.visible_to(self.request.user)
