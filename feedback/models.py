from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext as _, gettext_lazy
from simple_history.models import HistoricalRecords

from allocations.models import DirectMark, PermittedUse
from allocations.money import AMOUNT_DECIMAL_PLACES, AMOUNT_MAX_DIGITS
from core.scoping import ScopedQuerySet
from feedback.added_lines import ADDED_MARK, line_key
from feedback.validation import OTHER_USE_APPROVAL_MAX_LENGTH, field_errors


class ReportStatus(models.TextChoices):
    DRAFT = "draft", gettext_lazy("草稿")
    SUBMITTED = "submitted", gettext_lazy("已提交")
    ACCEPTED = "accepted", gettext_lazy("已审核通过")
    RETURNED = "returned", gettext_lazy("已退回")


class FeedbackReportQuerySet(ScopedQuerySet):
    def for_table(self):
        return self.select_related("prefecture", "submitted_by")

    def awaiting_review(self):
        return self.filter(status=ReportStatus.SUBMITTED)


class FeedbackReport(models.Model):
    prefecture = models.ForeignKey(
        "allocations.Prefecture", verbose_name=gettext_lazy("地（州、市）"), on_delete=models.PROTECT, related_name="feedback_reports"
    )
    # The first day of the month reported on.
    month = models.DateField(gettext_lazy("月份"))
    status = models.CharField(gettext_lazy("状态"), max_length=20, choices=ReportStatus.choices, default=ReportStatus.DRAFT)
    # Fixed when the report is opened, so a later change of the rule does not
    # rewrite whether past reports were on time.
    due_date = models.DateField(gettext_lazy("截止日期"))
    submitted_at = models.DateTimeField(gettext_lazy("提交时间"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=gettext_lazy("提交人"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    on_time = models.BooleanField(gettext_lazy("按时提交"), null=True, blank=True)
    reviewed_at = models.DateTimeField(gettext_lazy("审核时间"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=gettext_lazy("审核人"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    return_reason = models.TextField(gettext_lazy("退回原因"), blank=True)
    reopen_reason = models.TextField(gettext_lazy("重新打开原因"), blank=True)
    # Every save goes through "UPDATE … WHERE version = n": a save made from
    # a stale page changes no row and is refused instead of overwriting.
    version = models.PositiveIntegerField(gettext_lazy("版本"), default=1)
    created_at = models.DateTimeField(gettext_lazy("创建时间"), auto_now_add=True)

    objects = FeedbackReportQuerySet.as_manager()
    # The paths from a row to its prefecture (core.scoping); the change log follows them too.
    prefecture_paths = ("prefecture",)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-month", "prefecture__position"]
        verbose_name = gettext_lazy("资金使用反馈表")
        verbose_name_plural = gettext_lazy("资金使用反馈表")
        indexes = [
            # The report list and the admin changelist, newest month first (the default ordering), and the
            # 年度 filter (a month range): without it every page sorts all the reports (34 ms → 3 ms at 20,000).
            models.Index(fields=["month"], name="feedback_report_month"),
            # The review queue (submitted, oldest submission first) and the dashboard's count of reports
            # awaiting review: the few submitted reports, not a scan of all of them.
            models.Index(
                fields=["submitted_at", "id"], condition=Q(status=ReportStatus.SUBMITTED), name="feedback_report_awaiting"
            ),
        ]
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
            raise ValidationError({"month": _("月份须为当月1日。")})
        if self.status == ReportStatus.RETURNED and not self.return_reason.strip():
            raise ValidationError({"return_reason": _("退回必须填写原因。")})


class FeedbackLine(models.Model):
    report = models.ForeignKey(FeedbackReport, verbose_name=gettext_lazy("反馈表"), on_delete=models.CASCADE, related_name="lines")
    # Empty on a line the officer added (说明1: a fund received outside this system, feedback.added_lines):
    # then the four fields below are the officer's own, not copied from a document.
    document = models.ForeignKey(
        "allocations.AllocationDocument", verbose_name=gettext_lazy("分配文件"), on_delete=models.PROTECT,
        related_name="feedback_lines", null=True, blank=True,
    )
    # Copied from the allocation when the report is opened and never offered
    # in a form: the officer cannot edit what the region allocated.
    fund_name = models.CharField(gettext_lazy("收到的财政专项资金名称"), max_length=200, editable=False)
    document_number = models.CharField(gettext_lazy("文号"), max_length=60, editable=False)
    amount = models.DecimalField(
        gettext_lazy("资金金额（万元）"), max_digits=AMOUNT_MAX_DIGITS, decimal_places=AMOUNT_DECIMAL_PLACES, editable=False
    )
    # Empty only on an added line for money that is not a direct fund (feedback.added_lines.NOT_DIRECT).
    direct_mark = models.CharField(
        gettext_lazy("直达资金标识"), max_length=30, choices=DirectMark.choices, editable=False, blank=True
    )
    spent = models.DecimalField(
        gettext_lazy("实际支出金额（万元）"),
        max_digits=AMOUNT_MAX_DIGITS,
        decimal_places=AMOUNT_DECIMAL_PLACES,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"))],
    )
    # A list of PermittedUse values: one or more of the notice's nine uses, or
    # the tenth 附件2 allows (other spending approved by the regional government).
    uses = models.JSONField(gettext_lazy("资金支出方向"), default=list, blank=True)
    # The approval behind the tenth use, required with it (feedback.validation);
    # 附件3 has no column for it, so the export writes it into 资金支出方向.
    # db_default: the national generator writes lines with raw inserts that name no approval.
    other_use_approval = models.CharField(
        gettext_lazy("批准文件"), max_length=OTHER_USE_APPROVAL_MAX_LENGTH, blank=True, default="", db_default=""
    )
    reason = models.TextField(gettext_lazy("未按计划或预算执行要求支出的原因"), blank=True)
    measure = models.TextField(gettext_lazy("整改措施"), blank=True)
    measure_deadline = models.DateField(gettext_lazy("整改时间"), null=True, blank=True)
    # Needed only when cumulative spend falls below last month's accepted figure.
    decrease_explanation = models.TextField(gettext_lazy("支出减少说明"), blank=True)
    # 说明2: the treasury's 实际支出金额 (feedback.treasury_figures) when the line was last opened or
    # saved; None when the treasury has no payment under it. Kept on the line so that the review queue
    # flags a report whose figures differ from it in the same query as the page.
    treasury_spent = models.DecimalField(
        gettext_lazy("国库支付金额（万元）"), max_digits=AMOUNT_MAX_DIGITS, decimal_places=AMOUNT_DECIMAL_PLACES,
        null=True, blank=True, editable=False,
    )
    # Required when 实际支出金额 differs from treasury_spent (feedback.validation).
    difference_explanation = models.TextField(gettext_lazy("差异说明"), blank=True, default="", db_default="")
    position = models.PositiveSmallIntegerField(gettext_lazy("序号"), default=0)

    objects = ScopedQuerySet.as_manager()
    prefecture_paths = ("report__prefecture",)

    history = HistoricalRecords()

    class Meta:
        ordering = ["report", "position"]
        verbose_name = gettext_lazy("反馈明细")
        verbose_name_plural = gettext_lazy("反馈明细")
        constraints = [
            # One line per document per report; an added line has no document and is one per 文号 instead.
            models.UniqueConstraint(
                fields=["report", "document"], condition=Q(document__isnull=False), name="feedback_line_unique_document"
            ),
            models.UniqueConstraint(
                fields=["report", "document_number"], condition=Q(document__isnull=True),
                name="feedback_line_unique_added_number",
            ),
            # An added line carries what a document would have given it (feedback.added_lines.own_errors says so first).
            models.CheckConstraint(
                condition=Q(document__isnull=False) | (~Q(fund_name="") & ~Q(document_number="") & Q(amount__gt=0)),
                name="feedback_line_added_has_fund",
            ),
            models.CheckConstraint(condition=Q(spent__isnull=True) | Q(spent__gte=0), name="feedback_line_spent_non_negative"),
            models.CheckConstraint(
                condition=Q(spent__isnull=True) | Q(spent__lte=models.F("amount")), name="feedback_line_spent_within_amount"
            ),
        ]
        indexes = [
            # feedback.obligations: the lines whose cumulative spend reached the amount (a share spent out), few
            # among a million, read on every completeness grid and overdue list.
            models.Index(
                fields=["document", "report"], condition=Q(spent__gte=models.F("amount")), name="feedback_line_spent_out"
            ),
        ]

    def __str__(self):
        if self.is_added:
            return f"{self.report} {self.document_number}（{ADDED_MARK}）"
        return f"{self.report} {self.document_number}"

    @property
    def is_added(self):
        """说明1: a line the officer added for a fund received outside this system."""
        return self.document_id is None

    @property
    def key(self):
        """What identifies the line across a prefecture's months: its document, or for an added line its 文号."""
        return line_key(self.document_id, self.document_number)

    @property
    def uses_labels(self):
        labels = dict(PermittedUse.choices)
        # str(): the labels are lazy translations and callers join them.
        return [str(labels.get(value, value)) for value in self.uses]

    def clean(self):
        errors = field_errors(self)
        if errors:
            raise ValidationError(errors)


class Settlement(models.Model):
    """清算: a region admin closes a prefecture's share of a regional document, with a reason.

    From the month after closed_on the share obliges no monthly report
    (feedback.obligations), spent or not. One per (document, prefecture);
    changing or removing it leaves its history.
    """

    document = models.ForeignKey(
        "allocations.AllocationDocument",
        verbose_name=gettext_lazy("分配文件"),
        on_delete=models.PROTECT,
        related_name="settlements",
        limit_choices_to={"parent__isnull": True},
    )
    prefecture = models.ForeignKey(
        "allocations.Prefecture", verbose_name=gettext_lazy("地（州、市）"), on_delete=models.PROTECT, related_name="settlements"
    )
    closed_on = models.DateField(gettext_lazy("清算日期"), help_text=gettext_lazy("该月及以前的反馈表仍须填报，次月起不再要求。"))
    reason = models.TextField(gettext_lazy("清算原因"))
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=gettext_lazy("清算人"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(gettext_lazy("创建时间"), auto_now_add=True)

    objects = ScopedQuerySet.as_manager()
    prefecture_paths = ("prefecture",)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-closed_on", "prefecture__position"]
        verbose_name = gettext_lazy("资金清算记录")
        verbose_name_plural = gettext_lazy("资金清算记录")
        constraints = [
            models.UniqueConstraint(fields=["document", "prefecture"], name="feedback_settlement_unique_share"),
            models.CheckConstraint(condition=~Q(reason=""), name="feedback_settlement_has_reason"),
        ]

    def __str__(self):
        return f"{self.document.number} {self.prefecture.name}"

    def clean(self):
        from allocations.models import DocumentStatus, PrefectureSubtotal

        errors = {}
        if not (self.reason or "").strip():
            errors["reason"] = _("清算必须填写原因。")
        if self.document_id and self.prefecture_id:
            document = self.document
            if document.parent_id is not None or document.status != DocumentStatus.ISSUED:
                errors["document"] = _("只能清算已下达的自治区分配文件。")
            elif not PrefectureSubtotal.objects.filter(
                document=document, prefecture_id=self.prefecture_id, declared_amount__gt=0
            ).exists():
                errors["prefecture"] = _("%(name)s 在 %(number)s 中没有分配资金，无需清算。") % {
                    "name": self.prefecture.name,
                    "number": document.number,
                }
            elif self.closed_on and document.issued_on and self.closed_on < document.issued_on:
                errors["closed_on"] = _("清算日期不能早于发文日期。")
        if errors:
            raise ValidationError(errors)
