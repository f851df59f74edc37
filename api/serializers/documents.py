from rest_framework import serializers

from allocations.models import AllocationDocument, AllocationLine, PrefectureSubtotal
from api.plumbing import ReadModelSerializer


class SubtotalSerializer(ReadModelSerializer):
    prefecture_name = serializers.CharField(source="prefecture.name", label="地（州、市）名称", read_only=True)

    class Meta:
        model = PrefectureSubtotal
        fields = ["prefecture", "prefecture_name", "declared_amount"]
        extra_kwargs = {"prefecture": {"help_text": "地（州、市）编号"}}


class LineSerializer(ReadModelSerializer):
    county_name = serializers.CharField(source="county.name", label="县（市、区）名称", read_only=True)
    prefecture = serializers.IntegerField(source="county.prefecture_id", label="地（州、市）编号", read_only=True)
    prefecture_name = serializers.CharField(source="county.prefecture.name", label="地（州、市）名称", read_only=True)

    class Meta:
        model = AllocationLine
        fields = ["id", "document", "county", "county_name", "prefecture", "prefecture_name", "amount", "note", "position"]
        extra_kwargs = {
            "id": {"help_text": "分配明细编号"},
            "document": {"help_text": "分配文件编号"},
            "county": {"help_text": "县（市、区）编号"},
        }


class ReallocationSerializer(ReadModelSerializer):
    issuer_name = serializers.CharField(source="issuer.name", label="发文地（州、市）名称", read_only=True)

    class Meta:
        model = AllocationDocument
        fields = ["id", "number", "issuer", "issuer_name", "status", "issued_on"]
        extra_kwargs = {"id": {"help_text": "转下达文件编号"}, "issuer": {"help_text": "发文地（州、市）编号"}}


class DocumentSerializer(ReadModelSerializer):
    fund_name = serializers.CharField(source="fund.name", label="资金名称", read_only=True)
    parent_number = serializers.CharField(
        source="parent.number", label="上级文号", help_text="转下达文件的上级文件文号；自治区文件为空", read_only=True, default=None
    )
    issuer_name = serializers.CharField(source="issuer.name", label="发文地（州、市）名称", read_only=True, default=None)
    total = serializers.DecimalField(
        source="shown_total", max_digits=14, decimal_places=2, read_only=True, allow_null=True, label="合计（万元）",
        help_text="全区角色为文件合计；地（州、市）角色为本地小计（本地转下达文件为其合计）",
    )

    class Meta:
        model = AllocationDocument
        fields = [
            "id", "number", "title", "table_title", "year", "batch", "issued_on", "status", "fund", "fund_name",
            "direct_mark", "parent", "parent_number", "issuer", "issuer_name", "use_until", "schedule_basis", "total",
        ]
        extra_kwargs = {
            "id": {"help_text": "分配文件编号"},
            "fund": {"help_text": "资金编号"},
            "parent": {"help_text": "上级文件编号（转下达文件）"},
            "issuer": {"help_text": "发文地（州、市）编号（转下达文件）"},
        }


class DocumentDetailSerializer(DocumentSerializer):
    subtotals = SubtotalSerializer(many=True, read_only=True, label="小计", help_text="各地（州、市）小计（万元），仅含可见的地（州、市）")
    lines = LineSerializer(many=True, read_only=True, label="分配明细", help_text="各县（市、区）分配金额（万元），仅含可见的县（市、区）")
    reallocations = ReallocationSerializer(many=True, read_only=True, label="转下达文件", help_text="依据本文件转下达的文件（可见的）")

    class Meta(DocumentSerializer.Meta):
        fields = DocumentSerializer.Meta.fields + ["subtotals", "lines", "reallocations"]
