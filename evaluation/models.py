"""Year-end performance evaluation (绩效自评): one per (prefecture, target table, year).

Built from a settled target table and its 12月 actuals (evaluation.building),
with the budget execution rate from the treasury or 附件3 (evaluation.execution).
Scores are Decimal; the grade follows the total (evaluation.grading).
"""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q, Value
from django.utils.translation import gettext as _, gettext_lazy
from simple_history.models import HistoricalRecords

from core.scoping import ScopedQuerySet

# The standard central self-evaluation template (财预〔2020〕10号 自评表).
DEFAULT_WEIGHTS = {
    "weight_output": Decimal(50),
    "weight_benefit": Decimal(30),
    "weight_satisfaction": Decimal(10),
    "weight_execution": Decimal(10),
}
WEIGHT_FIELDS = tuple(DEFAULT_WEIGHTS)


class EvaluationStatus(models.TextChoices):
    DRAFT = "draft", gettext_lazy("草稿")
    SUBMITTED = "submitted", gettext_lazy("已提交")
    APPROVED = "approved", gettext_lazy("已审核通过")
    RETURNED = "returned", gettext_lazy("已退回")


# Open to edits (weights, a rebuild from fresh actuals) before the review.
EDITABLE = (EvaluationStatus.DRAFT, EvaluationStatus.RETURNED)


class Grade(models.TextChoices):
    EXCELLENT = "excellent", gettext_lazy("优")
    GOOD = "good", gettext_lazy("良")
    FAIR = "fair", gettext_lazy("中")
    POOR = "poor", gettext_lazy("差")


class Method(models.TextChoices):
    # How an indicator's score was reached.
    FORMULA = "formula", gettext_lazy("按公式计分")
    REVIEWER = "reviewer", gettext_lazy("审核员评分")


class Group(models.TextChoices):
    # The weighted groups of the 自评表. 成本指标 is counted under 产出指标, as
    # in the template, whose 产出指标 has 数量/质量/时效/成本 beneath it.
    OUTPUT = "output", gettext_lazy("产出指标")
    BENEFIT = "benefit", gettext_lazy("效益指标")
    SATISFACTION = "satisfaction", gettext_lazy("满意度指标")


class EvaluationQuerySet(ScopedQuerySet):
    def for_table(self):
        return self.select_related("prefecture", "table__document")


def _weights_total_is_100():
    return Q(weight_output=Value(Decimal(100)) - F("weight_benefit") - F("weight_satisfaction") - F("weight_execution"))


def _weight_field(label, default):
    return models.DecimalField(label, max_digits=6, decimal_places=2, default=default)


class Evaluation(models.Model):
    prefecture = models.ForeignKey(
        "allocations.Prefecture", verbose_name=gettext_lazy("地（州、市）"), on_delete=models.PROTECT, related_name="evaluations"
    )
    table = models.ForeignKey(
        "targets.TargetTable", verbose_name=gettext_lazy("绩效目标表"), on_delete=models.PROTECT, related_name="evaluations"
    )
    year = models.PositiveSmallIntegerField(gettext_lazy("年度"))
    status = models.CharField(
        gettext_lazy("状态"), max_length=20, choices=EvaluationStatus.choices, default=EvaluationStatus.DRAFT
    )
    weight_output = _weight_field(gettext_lazy("产出指标权重"), DEFAULT_WEIGHTS["weight_output"])
    weight_benefit = _weight_field(gettext_lazy("效益指标权重"), DEFAULT_WEIGHTS["weight_benefit"])
    weight_satisfaction = _weight_field(gettext_lazy("满意度指标权重"), DEFAULT_WEIGHTS["weight_satisfaction"])
    weight_execution = _weight_field(gettext_lazy("预算执行率权重"), DEFAULT_WEIGHTS["weight_execution"])
    # The execution rate's inputs, as found at the last build (万元).
    allocated = models.DecimalField(gettext_lazy("分配金额（万元）"), max_digits=16, decimal_places=2, default=0)
    spent = models.DecimalField(gettext_lazy("年末支出金额（万元）"), max_digits=16, decimal_places=2, default=0)
    spent_source = models.CharField(gettext_lazy("支出来源"), max_length=60, blank=True)
    execution_rate = models.DecimalField(
        gettext_lazy("预算执行率（%）"), max_digits=7, decimal_places=2, null=True, blank=True
    )
    execution_score = models.DecimalField(gettext_lazy("预算执行率得分"), max_digits=8, decimal_places=4, default=0)
    score = models.DecimalField(gettext_lazy("总分"), max_digits=6, decimal_places=2, default=0)
    grade = models.CharField(gettext_lazy("等级"), max_length=20, choices=Grade.choices, default=Grade.POOR)
    built_at = models.DateTimeField(gettext_lazy("计算时间"), null=True, blank=True)
    return_reason = models.TextField(gettext_lazy("退回原因"), blank=True)
    submitted_at = models.DateTimeField(gettext_lazy("提交时间"), null=True, blank=True)
    reviewed_at = models.DateTimeField(gettext_lazy("审核时间"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=gettext_lazy("审核人"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    objects = EvaluationQuerySet.as_manager()
    prefecture_paths = ("prefecture",)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-year", "table__document__number", "prefecture__position"]
        verbose_name = gettext_lazy("绩效自评")
        verbose_name_plural = gettext_lazy("绩效自评")
        constraints = [
            models.UniqueConstraint(fields=["prefecture", "table", "year"], name="evaluation_unique_per_table_year"),
            models.CheckConstraint(condition=_weights_total_is_100(), name="evaluation_weights_total_100"),
            models.CheckConstraint(
                condition=Q(weight_output__gte=0, weight_benefit__gte=0, weight_satisfaction__gte=0, weight_execution__gte=0),
                name="evaluation_weights_not_negative",
            ),
            models.CheckConstraint(
                condition=~Q(status=EvaluationStatus.RETURNED) | ~Q(return_reason=""), name="evaluation_return_has_reason"
            ),
        ]

    def __str__(self):
        return f"{self.prefecture.name} {self.year} {self.table.document.number}"

    @property
    def weights(self):
        return {name: getattr(self, name) for name in WEIGHT_FIELDS}

    @property
    def weights_total(self):
        return sum((Decimal(getattr(self, name) or 0) for name in WEIGHT_FIELDS), Decimal(0))

    def group_weight(self, group):
        return getattr(self, f"weight_{group}")

    @property
    def is_editable(self):
        return self.status in EDITABLE

    def clean(self):
        errors = {}
        negative = [str(self._meta.get_field(name).verbose_name) for name in WEIGHT_FIELDS if (getattr(self, name) or 0) < 0]
        if negative:
            errors["weight_output"] = _("权重不能为负数：%(fields)s。") % {"fields": "、".join(negative)}
        elif self.weights_total != 100:
            errors["weight_output"] = _("各项权重之和须为100，现为%(total)s。") % {"total": _plain(self.weights_total)}
        if self.status == EvaluationStatus.RETURNED and not self.return_reason.strip():
            errors["return_reason"] = _("退回必须填写原因。")
        if errors:
            raise ValidationError(errors)


def _plain(number):
    text = format(Decimal(number).normalize(), "f")
    return text


class IndicatorScore(models.Model):
    """One 三级 indicator's score, with every input it came from."""

    evaluation = models.ForeignKey(Evaluation, verbose_name=gettext_lazy("绩效自评"), on_delete=models.CASCADE, related_name="scores")
    # The row keeps its own copy of the target's wording and value: a table reopened and re-imported may drop
    # the Target, and must not be blocked by (or take with it) the scores already given.
    target = models.ForeignKey(
        "targets.Target", verbose_name=gettext_lazy("绩效目标"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    group = models.CharField(gettext_lazy("一级指标"), max_length=20, choices=Group.choices)
    position = models.PositiveSmallIntegerField(gettext_lazy("行次"), default=0)
    wording = models.CharField(gettext_lazy("三级指标"), max_length=200)
    target_raw = models.CharField(gettext_lazy("年度指标值"), max_length=200)
    operator = models.CharField(gettext_lazy("比较"), max_length=10)
    target_number = models.DecimalField(gettext_lazy("目标（基本单位）"), max_digits=18, decimal_places=4, null=True, blank=True)
    base_unit = models.CharField(gettext_lazy("基本单位"), max_length=20, blank=True)
    actual_raw = models.CharField(gettext_lazy("全年实际值"), max_length=200, blank=True)
    actual_number = models.DecimalField(gettext_lazy("实际（基本单位）"), max_digits=18, decimal_places=4, null=True, blank=True)
    weight = models.DecimalField(gettext_lazy("分值"), max_digits=6, decimal_places=2)
    method = models.CharField(gettext_lazy("计分方式"), max_length=20, choices=Method.choices)
    # Empty while a reviewer's score is awaited.
    score = models.DecimalField(gettext_lazy("得分"), max_digits=8, decimal_places=4, null=True, blank=True)
    # The formula's working ("实际/目标 = 0.5") or the reviewer's reason.
    note = models.CharField(gettext_lazy("计分说明"), max_length=200, blank=True)
    reason = models.TextField(gettext_lazy("评分理由"), blank=True)
    scored_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=gettext_lazy("评分人"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    scored_at = models.DateTimeField(gettext_lazy("评分时间"), null=True, blank=True)

    history = HistoricalRecords()
    prefecture_paths = ("evaluation__prefecture",)

    class Meta:
        ordering = ["evaluation", "position"]
        verbose_name = gettext_lazy("指标得分")
        verbose_name_plural = gettext_lazy("指标得分")
        constraints = [
            models.UniqueConstraint(fields=["evaluation", "target"], name="evaluation_score_unique_target"),
            models.CheckConstraint(
                condition=Q(score__isnull=True) | (Q(score__gte=0) & Q(score__lte=F("weight"))),
                name="evaluation_score_within_weight",
            ),
            models.CheckConstraint(
                condition=~Q(method="reviewer") | Q(score__isnull=True) | ~Q(reason=""),
                name="evaluation_reviewer_score_has_reason",
            ),
        ]

    def __str__(self):
        return f"{self.wording}：{self.score}"

    @property
    def awaits_reviewer(self):
        return self.method == Method.REVIEWER and self.score is None

    def clean(self):
        errors = {}
        if self.score is not None and (self.score < 0 or self.score > self.weight):
            errors["score"] = _("“%(wording)s”的得分须在0到%(weight)s之间，填写的是%(score)s。") % {
                "wording": self.wording, "weight": _plain(self.weight), "score": _plain(self.score),
            }
        if self.method == Method.REVIEWER and self.score is not None and not self.reason.strip():
            errors["reason"] = _("“%(wording)s”须填写评分理由。") % {"wording": self.wording}
        if errors:
            raise ValidationError(errors)
