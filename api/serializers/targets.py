from rest_framework import serializers

from api.plumbing import ReadModelSerializer
from targets.models import Actual, Indicator, Target, TargetTable


class IndicatorSerializer(ReadModelSerializer):
    class Meta:
        model = Indicator
        fields = ["id", "code", "name", "level1", "level2", "unit", "kind", "direction", "rollup"]
        extra_kwargs = {"id": {"help_text": "指标编号"}}


class ActualSerializer(ReadModelSerializer):
    class Meta:
        model = Actual
        fields = [
            "id", "checkpoint", "raw_value", "base_number", "forecast", "possibility", "verdict",
            "deviation_category", "deviation_reason", "improvement_measure", "recorded_at",
        ]
        extra_kwargs = {"id": {"help_text": "实际完成值编号"}}


class TargetSerializer(ReadModelSerializer):
    actuals = ActualSerializer(many=True, read_only=True, label="实际完成值", help_text="双监控时点（6月、12月）的实际完成值")

    class Meta:
        model = Target
        fields = [
            "id", "indicator", "wording", "raw_value", "operator", "number", "unit", "base_number", "base_unit",
            "position", "actuals",
        ]
        extra_kwargs = {"id": {"help_text": "绩效目标编号"}, "indicator": {"help_text": "指标编号；未映射时为空"}}


class TargetTableSerializer(ReadModelSerializer):
    document_number = serializers.CharField(source="document.number", label="文号", read_only=True)
    prefecture_name = serializers.CharField(
        source="prefecture.name", label="地（州、市）名称", help_text="自治区本级的表为空", read_only=True, default=None
    )

    class Meta:
        model = TargetTable
        fields = [
            "id", "document", "document_number", "prefecture", "prefecture_name", "title", "year_label", "fund_name",
            "status", "submitted_at", "reviewed_at", "version",
        ]
        extra_kwargs = {
            "id": {"help_text": "绩效目标表编号"},
            "document": {"help_text": "分配文件编号"},
            "prefecture": {"help_text": "地（州、市）编号；自治区本级的表为空"},
        }


class TargetTableDetailSerializer(TargetTableSerializer):
    targets = TargetSerializer(many=True, read_only=True, label="绩效目标", help_text="表中各三级指标及其指标值和实际完成值")

    class Meta(TargetTableSerializer.Meta):
        fields = TargetTableSerializer.Meta.fields + ["goal_text", "targets"]
