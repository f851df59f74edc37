"""国库集中支付: the treasury's payment records, where the money really went (附件3 说明2, 通知第三条).

Amounts are integer 分 (fen), exact on every database: SQLite keeps a
DecimalField as a float, and the summary adds millions of them. A refund
(退回) is a negative amount. Figures in 万元 are made from the exact sum,
rounded once (treasury.money).
"""

from django.db import models
from django.db.models import Q
from django.db.models.functions import Now
from django.utils.translation import gettext_lazy
from simple_history.models import HistoricalRecords

from allocations.models import AllocationDocument, County, PermittedUse, Prefecture
from core.fields import CodeField
from core.scoping import ScopedQuerySet

OTHER_USE = "other"
# The nine uses of 通知第一条 (and the approved tenth), or 其他: what a 项级 code
# may mean. "" on a payment or a summary row is "use unknown": its code is in
# no mapping, and is never guessed.
USE_CHOICES = [*PermittedUse.choices, (OTHER_USE, gettext_lazy("其他"))]


class PaymentCode(models.Model):
    # 政府收支分类科目 20807 就业补助's item-level (项级) codes; a fixture seeds it,
    # region admins keep it in the admin when a year's classification changes.
    code = models.CharField(gettext_lazy("功能分类科目编码"), max_length=20, unique=True)
    name = models.CharField(gettext_lazy("科目名称"), max_length=100)
    use = models.CharField(gettext_lazy("支出方向"), max_length=30, choices=USE_CHOICES)

    history = HistoricalRecords()

    class Meta:
        ordering = ["code"]
        verbose_name = gettext_lazy("功能科目与支出方向")
        verbose_name_plural = gettext_lazy("功能科目与支出方向")

    def __str__(self):
        return f"{self.code} {self.name}"


class PaymentQuerySet(ScopedQuerySet):
    pass


class Payment(models.Model):
    # Without the LIKE index Django adds to a unique CharField on PostgreSQL: migration 0004 says why.
    voucher = CodeField(gettext_lazy("支付凭证号"), max_length=60, unique=True)
    paid_on = models.DateField(gettext_lazy("支付日期"))
    prefecture = models.ForeignKey(Prefecture, verbose_name=gettext_lazy("地（州、市）"), on_delete=models.PROTECT, related_name="+")
    # Empty for the prefecture's own units (本级). No index of its own: one more to build on every large import
    # (0.4 s a million rows), for lookups by county alone, which are rare (the API's filter narrows by the
    # county's prefecture too; treasury_payment_by_line serves a county under a document).
    county = models.ForeignKey(
        County, verbose_name=gettext_lazy("县（市、区）"), null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        db_index=False,
    )
    budget_unit = models.CharField(gettext_lazy("预算单位"), max_length=200, blank=True)
    document_number = models.CharField(gettext_lazy("指标文号"), max_length=60, blank=True)
    # The document the 文号 names, when it is one the prefecture received or
    # issued; root_document is the regional document it rolls up to.
    document = models.ForeignKey(
        AllocationDocument, verbose_name=gettext_lazy("指标文件"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # No index of its own: treasury_payment_by_line starts with it.
    root_document = models.ForeignKey(
        AllocationDocument, verbose_name=gettext_lazy("自治区文件"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+", db_index=False,
    )
    function_code = models.CharField(gettext_lazy("功能分类科目"), max_length=40, blank=True)
    economic_code = models.CharField(gettext_lazy("经济分类科目"), max_length=40, blank=True)
    direct_mark = models.CharField(gettext_lazy("直达资金标识"), max_length=30, blank=True)
    amount_fen = models.BigIntegerField(gettext_lazy("支付金额（分）"))
    payee = models.CharField(gettext_lazy("收款人"), max_length=200, blank=True)
    # From PaymentCode at import; "" is use unknown.
    use = models.CharField(gettext_lazy("支出方向"), max_length=30, choices=USE_CHOICES, blank=True)
    # The database's clock by default: the streamed COPY (treasury.stream) leaves it out, one column fewer per row.
    imported_at = models.DateTimeField(gettext_lazy("导入时间"), db_default=Now())

    objects = PaymentQuerySet.as_manager()
    prefecture_paths = ("prefecture",)

    class Meta:
        ordering = ["paid_on", "voucher"]
        verbose_name = gettext_lazy("国库支付")
        verbose_name_plural = gettext_lazy("国库支付")
        indexes = [
            # over_allocation walks one county's payments under one regional document in date order.
            models.Index(fields=["root_document", "county", "paid_on", "voucher"], name="treasury_payment_by_line"),
        ]

    def __str__(self):
        return self.voucher


class ExceptionKind(models.TextChoices):
    UNKNOWN_DOCUMENT = "unknown_document", gettext_lazy("指标文号不属于该地（州、市）")
    NOT_EMPLOYMENT_SUBSIDY = "not_employment_subsidy", gettext_lazy("功能科目不在20807就业补助")
    MISSING_DIRECT_MARK = "missing_direct_mark", gettext_lazy("缺少直达资金标识")
    COUNTY_NOT_IN_DOCUMENT = "county_not_in_document", gettext_lazy("该县（市、区）未获该文件分配")
    OVER_ALLOCATION = "over_allocation", gettext_lazy("累计支付超过分配金额")


class PaymentException(models.Model):
    # Keyed by voucher, not id: the import writes payments with COPY and never reads their ids back.
    payment = models.ForeignKey(
        Payment, verbose_name=gettext_lazy("支付凭证号"), to_field="voucher", db_column="voucher",
        on_delete=models.CASCADE, related_name="exceptions",
    )
    kind = models.CharField(gettext_lazy("类型"), max_length=30, choices=ExceptionKind.choices)
    detail = models.CharField(gettext_lazy("说明"), max_length=300)

    objects = ScopedQuerySet.as_manager()
    prefecture_paths = ("payment__prefecture",)

    class Meta:
        ordering = ["payment_id", "kind"]
        verbose_name = gettext_lazy("支付异常")
        verbose_name_plural = gettext_lazy("支付异常")
        constraints = [
            models.UniqueConstraint(fields=["payment", "kind"], name="treasury_exception_once_per_kind"),
        ]
        indexes = [models.Index(fields=["kind"], name="treasury_exception_by_kind")]

    def __str__(self):
        return f"{self.payment_id} {self.kind}"


class PaymentSummary(models.Model):
    """What was paid in one month under one regional document, per prefecture, county and use.

    Kept by the import in its own transaction; every page and command reads
    these rows, never the payments: cumulative to a month is the sum of the
    months up to it, a scan bounded by counties × uses × months.
    """

    document = models.ForeignKey(AllocationDocument, verbose_name=gettext_lazy("自治区文件"), on_delete=models.PROTECT, related_name="+")
    prefecture = models.ForeignKey(Prefecture, verbose_name=gettext_lazy("地（州、市）"), on_delete=models.PROTECT, related_name="+")
    county = models.ForeignKey(County, verbose_name=gettext_lazy("县（市、区）"), null=True, on_delete=models.PROTECT, related_name="+")
    use = models.CharField(gettext_lazy("支出方向"), max_length=30, choices=USE_CHOICES, blank=True)
    month = models.DateField(gettext_lazy("月份"))  # the first day of the month
    paid_fen = models.BigIntegerField(gettext_lazy("当月支付（分）"), default=0)
    # The month's refunds (≤ 0), already within paid_fen. Without them the month's sum cannot say whether the
    # running sum rose above the allocation and fell back within the month; with them over_allocation starts
    # its walk of the payments at the first month the county could have overspent, not at the first payment.
    refunds_fen = models.BigIntegerField(gettext_lazy("当月退回（分）"), default=0)
    payments = models.PositiveIntegerField(gettext_lazy("笔数"), default=0)

    objects = ScopedQuerySet.as_manager()
    prefecture_paths = ("prefecture",)

    class Meta:
        ordering = ["document", "prefecture", "county", "use", "month"]
        verbose_name = gettext_lazy("支付汇总")
        verbose_name_plural = gettext_lazy("支付汇总")
        constraints = [
            # Two partial indexes: NULL counties are distinct to a plain unique index.
            models.UniqueConstraint(
                fields=["document", "prefecture", "county", "use", "month"],
                condition=Q(county__isnull=False),
                name="treasury_summary_unique_county",
            ),
            models.UniqueConstraint(
                fields=["document", "prefecture", "use", "month"],
                condition=Q(county__isnull=True),
                name="treasury_summary_unique_own_units",
            ),
        ]
        indexes = [
            # A prefecture's months across its documents: the 附件3 pre-fill (summary.paid_by_document).
            models.Index(fields=["prefecture", "month"], include=["document", "use", "paid_fen"], name="treasury_summary_by_pref"),
        ]

    def __str__(self):
        return f"{self.document_id} {self.prefecture_id} {self.county_id} {self.use} {self.month:%Y-%m}"
