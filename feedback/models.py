from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from allocations.models import DirectMark, PermittedUse
from allocations.money import AMOUNT_DECIMAL_PLACES, AMOUNT_MAX_DIGITS


class ReportStatus(models.TextChoices):
    DRAFT = "draft", "草稿"
    SUBMITTED = "submitted", "已提交"
    ACCEPTED = "accepted", "已审核通过"
    RETURNED = "returned", "已退回"


class FeedbackReportQuerySet(models.QuerySet):
    def visible_to(self, user):
        from core.permissions import scoped_prefecture_id

        scope = scoped_prefecture_id(user)
        return self if scope is None else self.filter(prefecture_id=scope)

    def for_table(self):
        return self.select_related("prefecture", "submitted_by")

    def awaiting_review(self):
        return self.filter(status=ReportStatus.SUBMITTED)


class FeedbackReport(models.Model):
    prefecture = models.ForeignKey(
        "allocations.Prefecture", verbose_name="地（州、市）", on_delete=models.PROTECT, related_name="feedback_reports"
    )
    # The first day of the month reported on.
    month = models.DateField("月份")
    status = models.CharField("状态", max_length=20, choices=ReportStatus.choices, default=ReportStatus.DRAFT)
    # Fixed when the report is opened, so a later change of the rule does not
    # rewrite whether past reports were on time.
    due_date = models.DateField("截止日期")
    submitted_at = models.DateTimeField("提交时间", null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="提交人", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    on_time = models.BooleanField("按时提交", null=True, blank=True)
    reviewed_at = models.DateTimeField("审核时间", null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="审核人", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    return_reason = models.TextField("退回原因", blank=True)
    reopen_reason = models.TextField("重新打开原因", blank=True)
    # Every save goes through "UPDATE … WHERE version = n": a save made from
    # a stale page changes no row and is refused instead of overwriting.
    version = models.PositiveIntegerField("版本", default=1)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    objects = FeedbackReportQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["-month", "prefecture__position"]
        verbose_name = "资金使用反馈表"
        verbose_name_plural = "资金使用反馈表"
        constraints = [
            models.UniqueConstraint(fields=["prefecture", "month"], name="feedback_report_unique_month"),
            models.CheckConstraint(condition=Q(month__day=1), name="feedback_report_month_first_day"),
            models.CheckConstraint(
                condition=~Q(status=ReportStatus.RETURNED) | ~Q(return_reason=""), name="feedback_report_return_has_reason"
            ),
        ]

    def __str__(self):
        return f"{self.prefecture.name} {self.month:%Y-%m}"

    @property
    def month_label(self):
        return f"{self.month:%Y-%m}"

    @property
    def is_locked(self):
        return self.status == ReportStatus.ACCEPTED

    @property
    def is_editable(self):
        return self.status in (ReportStatus.DRAFT, ReportStatus.RETURNED)

    def clean(self):
        if self.month and self.month.day != 1:
            raise ValidationError({"month": "月份须为当月1日。"})
        if self.status == ReportStatus.RETURNED and not self.return_reason.strip():
            raise ValidationError({"return_reason": "退回必须填写原因。"})


class FeedbackLine(models.Model):
    report = models.ForeignKey(FeedbackReport, verbose_name="反馈表", on_delete=models.CASCADE, related_name="lines")
    document = models.ForeignKey(
        "allocations.AllocationDocument", verbose_name="分配文件", on_delete=models.PROTECT, related_name="feedback_lines"
    )
    # Copied from the allocation when the report is opened and never offered
    # in a form: the officer cannot edit what the region allocated.
    fund_name = models.CharField("收到的财政专项资金名称", max_length=200, editable=False)
    document_number = models.CharField("文号", max_length=60, editable=False)
    amount = models.DecimalField(
        "资金金额（万元）", max_digits=AMOUNT_MAX_DIGITS, decimal_places=AMOUNT_DECIMAL_PLACES, editable=False
    )
    direct_mark = models.CharField("直达资金标识", max_length=30, choices=DirectMark.choices, editable=False)
    spent = models.DecimalField(
        "实际支出金额（万元）",
        max_digits=AMOUNT_MAX_DIGITS,
        decimal_places=AMOUNT_DECIMAL_PLACES,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"))],
    )
    # A list of PermittedUse values: one or more of the notice's nine uses.
    uses = models.JSONField("资金支出方向", default=list, blank=True)
    reason = models.TextField("未按计划或预算执行要求支出的原因", blank=True)
    measure = models.TextField("整改措施", blank=True)
    measure_deadline = models.DateField("整改时间", null=True, blank=True)
    # Needed only when cumulative spend falls below last month's accepted figure.
    decrease_explanation = models.TextField("支出减少说明", blank=True)
    position = models.PositiveSmallIntegerField("序号", default=0)

    history = HistoricalRecords()

    class Meta:
        ordering = ["report", "position"]
        verbose_name = "反馈明细"
        verbose_name_plural = "反馈明细"
        constraints = [
            models.UniqueConstraint(fields=["report", "document"], name="feedback_line_unique_document"),
            models.CheckConstraint(condition=Q(spent__isnull=True) | Q(spent__gte=0), name="feedback_line_spent_non_negative"),
            models.CheckConstraint(
                condition=Q(spent__isnull=True) | Q(spent__lte=models.F("amount")), name="feedback_line_spent_within_amount"
            ),
        ]

    def __str__(self):
        return f"{self.report} {self.document_number}"

    @property
    def uses_labels(self):
        labels = dict(PermittedUse.choices)
        return [labels.get(value, value) for value in self.uses]

    def clean(self):
        from feedback.validation import field_errors

        errors = field_errors(self)
        if errors:
            raise ValidationError(errors)
