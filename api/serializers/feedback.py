from decimal import Decimal

from rest_framework import serializers

from allocations.models import PermittedUse
from allocations.money import AMOUNT_DECIMAL_PLACES, AMOUNT_MAX_DIGITS
from api.plumbing import ReadModelSerializer, Strict
from feedback.models import FeedbackLine, FeedbackReport
from feedback.progress import figures
from feedback.validation import OTHER_USE_APPROVAL_MAX_LENGTH


class FeedbackLineSerializer(ReadModelSerializer):
    is_added = serializers.BooleanField(
        read_only=True, label="自行添加（说明1）", help_text="地（州、市）为系统外收到的资金自行添加的行：document 为空"
    )
    unspent = serializers.SerializerMethodField(label="未支出金额（万元）")
    progress = serializers.SerializerMethodField(label="实际支出进度（%）", help_text="实际支出金额 ÷ 资金金额，保留两位小数")

    class Meta:
        model = FeedbackLine
        fields = [
            "id", "document", "is_added", "fund_name", "document_number", "amount", "direct_mark", "spent", "unspent", "progress",
            "uses", "other_use_approval", "reason", "measure", "measure_deadline", "decrease_explanation",
            "treasury_spent", "difference_explanation", "position",
        ]
        extra_kwargs = {
            "id": {"help_text": "反馈明细编号（填报时用它指明行）"},
            "document": {"help_text": "分配文件编号（自行添加的行为空）"},
            "uses": {"help_text": "资金支出方向（取值见 PermittedUse）"},
        }

    def get_unspent(self, line) -> Decimal:
        return figures(line.amount, line.spent).unspent

    def get_progress(self, line) -> Decimal | None:
        return figures(line.amount, line.spent).progress


class FeedbackReportSerializer(ReadModelSerializer):
    prefecture_name = serializers.CharField(source="prefecture.name", label="地（州、市）名称", read_only=True)

    class Meta:
        model = FeedbackReport
        fields = [
            "id", "prefecture", "prefecture_name", "month", "status", "due_date", "submitted_at", "on_time",
            "reviewed_at", "version",
        ]
        extra_kwargs = {
            "id": {"help_text": "反馈表编号"},
            "prefecture": {"help_text": "地（州、市）编号"},
            "month": {"help_text": "月份（当月1日）"},
            "version": {"help_text": "版本：填报时原样带回，他人已保存则拒绝"},
        }


class FeedbackReportDetailSerializer(FeedbackReportSerializer):
    lines = FeedbackLineSerializer(many=True, read_only=True, label="反馈明细")

    class Meta(FeedbackReportSerializer.Meta):
        fields = FeedbackReportSerializer.Meta.fields + ["return_reason", "lines"]


class LineFiguresSerializer(Strict, serializers.Serializer):
    """One line's figures, as the monthly form takes them: only the fields given are changed."""

    id = serializers.IntegerField(label="反馈明细编号")
    spent = serializers.DecimalField(
        max_digits=AMOUNT_MAX_DIGITS, decimal_places=AMOUNT_DECIMAL_PLACES, min_value=Decimal("0"), allow_null=True,
        required=False, label="实际支出金额（万元）",
    )
    uses = serializers.ListField(
        child=serializers.ChoiceField(choices=PermittedUse.choices), required=False, max_length=len(PermittedUse.choices),
        label="资金支出方向",
    )
    other_use_approval = serializers.CharField(
        max_length=OTHER_USE_APPROVAL_MAX_LENGTH, allow_blank=True, required=False, label="批准文件"
    )
    reason = serializers.CharField(max_length=2000, allow_blank=True, required=False, label="未按计划或预算执行要求支出的原因")
    measure = serializers.CharField(max_length=2000, allow_blank=True, required=False, label="整改措施")
    measure_deadline = serializers.DateField(allow_null=True, required=False, label="整改时间")
    decrease_explanation = serializers.CharField(max_length=2000, allow_blank=True, required=False, label="支出减少说明")
    difference_explanation = serializers.CharField(max_length=2000, allow_blank=True, required=False, label="差异说明")


class FiguresSerializer(Strict, serializers.Serializer):
    version = serializers.IntegerField(min_value=1, label="版本", help_text="读取反馈表时得到的版本；他人已保存则拒绝（409）")
    lines = LineFiguresSerializer(many=True, allow_empty=False, max_length=1000, label="反馈明细", help_text="要修改的行")

    def validate_lines(self, lines):
        ids = [line["id"] for line in lines]
        if len(ids) != len(set(ids)):
            raise serializers.ValidationError("同一行出现了两次。", code="duplicate")
        return lines
