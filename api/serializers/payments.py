from decimal import Decimal

from rest_framework import serializers

from api.plumbing import ReadModelSerializer, ReadSerializer
from treasury.masking import payee_for
from treasury.models import Payment, PaymentSummary
from treasury.money import wan_from_fen, yuan


class PaymentSerializer(ReadModelSerializer):
    prefecture_name = serializers.CharField(source="prefecture.name", label="地（州、市）名称", read_only=True)
    county_name = serializers.CharField(source="county.name", label="县（市、区）名称", read_only=True, default=None)
    amount = serializers.SerializerMethodField(label="支付金额（元）", help_text="精确到分；退回为负数")
    payee = serializers.SerializerMethodField(label="收款人", help_text="自治区管理员和审计员看到全名，其他角色看到 王*")

    class Meta:
        model = Payment
        fields = [
            "id", "voucher", "paid_on", "prefecture", "prefecture_name", "county", "county_name", "budget_unit",
            "document_number", "document", "root_document", "function_code", "economic_code", "direct_mark",
            "amount", "amount_fen", "payee", "use", "imported_at",
        ]
        extra_kwargs = {
            "id": {"help_text": "支付记录编号"},
            "prefecture": {"help_text": "地（州、市）编号"},
            "county": {"help_text": "县（市、区）编号；本级单位为空"},
            "document": {"help_text": "指标文件编号（文号能对上时）"},
            "root_document": {"help_text": "所归属的自治区文件编号"},
        }

    def get_amount(self, payment) -> Decimal:
        return format(yuan(payment.amount_fen), "f")

    def get_payee(self, payment) -> str:
        # treasury.masking, as on the pages: the role decides.
        return payee_for(self.context["request"].user, payment.payee)


class PaymentSummarySerializer(ReadModelSerializer):
    paid = serializers.SerializerMethodField(label="当月支付（万元）", help_text="由分精确求和后四舍五入一次")

    class Meta:
        model = PaymentSummary
        fields = ["id", "document", "prefecture", "county", "use", "month", "paid_fen", "paid", "payments"]
        extra_kwargs = {
            "id": {"help_text": "汇总行编号"},
            "document": {"help_text": "自治区文件编号"},
            "prefecture": {"help_text": "地（州、市）编号"},
            "county": {"help_text": "县（市、区）编号；本级单位为空"},
        }

    def get_paid(self, row) -> Decimal:
        return format(wan_from_fen(row.paid_fen), "f")


class FiguresRowSerializer(ReadSerializer):
    """One row of treasury.summary.document_summary (payments_summary, the flow)."""

    prefecture = serializers.CharField(label="地（州、市）", help_text="地（州、市）名称；合计行为“合计”")
    county = serializers.CharField(label="县（市、区）", help_text="县（市、区）名称；小计行为“小计”，本级单位为“本级单位”")
    allocated = serializers.DecimalField(max_digits=16, decimal_places=2, label="分配金额（万元）")
    paid = serializers.DecimalField(max_digits=16, decimal_places=2, label="累计支付（万元）")
    unspent = serializers.DecimalField(max_digits=16, decimal_places=2, label="未支出（万元）")
    progress = serializers.DecimalField(max_digits=7, decimal_places=2, allow_null=True, label="支出进度（%）")


class FlowRowSerializer(FiguresRowSerializer):
    kind = serializers.ChoiceField(choices=["county", "subtotal", "total"], label="行类型", help_text="county 县、subtotal 小计、total 合计")
    by_use = serializers.DictField(child=serializers.DecimalField(max_digits=16, decimal_places=2), label="按支出方向（万元）", help_text="支出方向 → 累计支付（万元）；空键为支出方向不明")
    slow = serializers.BooleanField(label="结余消化慢", help_text="有分配且支出进度低于时间进度")


class FlowSerializer(ReadSerializer):
    document = serializers.IntegerField(label="自治区文件编号")
    month = serializers.CharField(label="月份", help_text="YYYY-MM，累计到该月月末")
    schedule = serializers.DecimalField(max_digits=7, decimal_places=2, label="时间进度（%）")
    rows = FlowRowSerializer(many=True, label="流向", help_text="县（市、区）、各地（州、市）小计与合计")


class SummarySerializer(ReadSerializer):
    document = serializers.IntegerField(label="自治区文件编号")
    month = serializers.CharField(label="月份", help_text="YYYY-MM，累计到该月月末")
    rows = FiguresRowSerializer(many=True, label="汇总", help_text="与 payments_summary 命令相同的行")


class BatchOutcomeSerializer(ReadSerializer):
    read = serializers.IntegerField(label="读取条数")
    new = serializers.IntegerField(label="新增条数")
    present = serializers.IntegerField(label="已存在条数", help_text="凭证号与内容均相同，未改动")
    dry_run = serializers.BooleanField(label="试运行", help_text="为真时什么也没有写入")
    flagged = serializers.DictField(child=serializers.IntegerField(), label="异常", help_text="异常类型 → 笔数")


class DirectFundsRowSerializer(ReadSerializer):
    fund_name = serializers.CharField(label="资金名称")
    number = serializers.CharField(label="文号")
    parent_number = serializers.CharField(label="上级文号", help_text="转下达文件的上级文号；自治区文件为空")
    direct_mark = serializers.CharField(label="直达资金标识")
    function_subject = serializers.CharField(label="功能科目")
    prefecture = serializers.CharField(label="地（州、市）")
    county = serializers.CharField(label="县（市、区）")
    allocated = serializers.DecimalField(max_digits=16, decimal_places=2, label="分配金额（万元）")
    paid = serializers.DecimalField(max_digits=18, decimal_places=6, label="已支付（万元）", help_text="精确到分（6位小数）")
    unpaid = serializers.DecimalField(max_digits=18, decimal_places=6, label="未支付（万元）", help_text="精确到分（6位小数）")
    progress = serializers.DecimalField(max_digits=7, decimal_places=2, allow_null=True, label="支出进度（%）")


class DirectFundsSerializer(ReadSerializer):
    document = serializers.CharField(label="文号")
    columns = serializers.DictField(child=serializers.CharField(), label="列名", help_text="字段 → 中文列名")
    rows = DirectFundsRowSerializer(many=True, label="行", help_text="每个（文件、地州市、县市区）一行")
