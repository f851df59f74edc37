from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext as _, gettext_lazy, gettext_noop
from simple_history.models import HistoricalRecords

from allocations.models import DocumentStatus
from core.permissions import scoped_prefecture_id
from core.scoping import ScopedQuerySet
from targets.evaluation import evaluate
from targets.magnitude import implausible
from targets.values import DeviationCategory, Direction, Operator, Possibility, Verdict, parse_target_value, split_wording


class Level1(models.TextChoices):
    OUTPUT = "output", gettext_lazy("产出指标")
    COST = "cost", gettext_lazy("成本指标")
    BENEFIT = "benefit", gettext_lazy("效益指标")
    SATISFACTION = "satisfaction", gettext_lazy("满意度指标")


class Level2(models.TextChoices):
    QUANTITY = "quantity", gettext_lazy("数量指标")
    QUALITY = "quality", gettext_lazy("质量指标")
    TIMELINESS = "timeliness", gettext_lazy("时效指标")
    COST = "cost", gettext_lazy("成本指标")
    ECONOMIC = "economic", gettext_lazy("经济效益指标")
    SOCIAL = "social", gettext_lazy("社会效益指标")
    SERVICE_SATISFACTION = "service_satisfaction", gettext_lazy("服务对象满意度指标")


# Each second-level heading belongs under exactly one first-level heading.
LEVEL2_PARENT = {
    Level2.QUANTITY: Level1.OUTPUT,
    Level2.QUALITY: Level1.OUTPUT,
    Level2.TIMELINESS: Level1.OUTPUT,
    Level2.COST: Level1.COST,
    Level2.ECONOMIC: Level1.BENEFIT,
    Level2.SOCIAL: Level1.BENEFIT,
    Level2.SERVICE_SATISFACTION: Level1.SATISFACTION,
}


class Kind(models.TextChoices):
    QUANTITATIVE = "quantitative", gettext_lazy("定量")
    QUALITATIVE = "qualitative", gettext_lazy("定性")


class RollupRule(models.TextChoices):
    SUM = "sum", gettext_lazy("求和（各地之和不低于全区）")
    EACH_NO_WEAKER = "each_no_weaker", gettext_lazy("各地不弱于全区")
    NOT_CHECKABLE = "not_checkable", gettext_lazy("不可核对")


class IndicatorQuerySet(models.QuerySet):
    def match(self, wording):
        """The catalogue entry for a wording as written, or None: never a guess."""
        name, _unit = split_wording(wording)
        return (
            self.filter(Q(name=name) | Q(aliases__wording=name)).distinct().first()
        )


class Indicator(models.Model):
    code = models.CharField(gettext_lazy("编码"), max_length=60, unique=True)
    name = models.CharField(gettext_lazy("三级指标"), max_length=200, unique=True)
    level1 = models.CharField(gettext_lazy("一级指标"), max_length=20, choices=Level1.choices)
    level2 = models.CharField(gettext_lazy("二级指标"), max_length=30, choices=Level2.choices)
    unit = models.CharField(gettext_lazy("单位"), max_length=20, blank=True)
    kind = models.CharField(gettext_lazy("性质"), max_length=20, choices=Kind.choices)
    direction = models.CharField(gettext_lazy("方向"), max_length=10, choices=Direction.choices, default=Direction.HIGHER)
    rollup = models.CharField(gettext_lazy("汇总核对规则"), max_length=20, choices=RollupRule.choices)
    position = models.PositiveSmallIntegerField(gettext_lazy("排序"), default=0)

    objects = IndicatorQuerySet.as_manager()

    class Meta:
        ordering = ["position"]
        verbose_name = gettext_lazy("绩效指标")
        verbose_name_plural = gettext_lazy("绩效指标目录")

    def __str__(self):
        return self.name

    def clean(self):
        if self.level2 and LEVEL2_PARENT.get(self.level2) != self.level1:
            raise ValidationError({"level2": _("二级指标“%(level2)s”不属于一级指标“%(level1)s”。") % {
                "level2": Level2(self.level2).label,
                "level1": Level1(self.level1).label},
            })


class IndicatorAlias(models.Model):
    # Wordings are stored without their "(unit)" suffix, which varies freely.
    indicator = models.ForeignKey(Indicator, verbose_name=gettext_lazy("指标"), on_delete=models.CASCADE, related_name="aliases")
    wording = models.CharField(gettext_lazy("其他写法"), max_length=200, unique=True)

    class Meta:
        verbose_name = gettext_lazy("指标别名")
        verbose_name_plural = gettext_lazy("指标别名")

    def __str__(self):
        return f"{self.wording} → {self.indicator.name}"


class TableStatus(models.TextChoices):
    DRAFT = "draft", gettext_lazy("草稿")
    SUBMITTED = "submitted", gettext_lazy("已提交")
    APPROVED = "approved", gettext_lazy("已审核通过")
    RETURNED = "returned", gettext_lazy("已退回")
    # Loaded with the notice that set it (新财社〔2023〕74号 附件2): the region's
    # decision, not a draft to review. Locked as an approved table is.
    ISSUED = "issued", gettext_lazy("随文下达")


# Settled tables: locked against edits, open to actuals, reopened only by HR.
SETTLED = (TableStatus.APPROVED, TableStatus.ISSUED)


class TargetTableQuerySet(ScopedQuerySet):
    def visible_to(self, user):
        scope = scoped_prefecture_id(user)
        if scope is None:
            return self
        # A table arrives with its batch: an officer sees it from the document's issue onward.
        return self.in_prefecture(scope).filter(document__status=DocumentStatus.ISSUED)

    def for_table(self):
        return self.select_related("document", "prefecture")


class TargetQuerySet(models.QuerySet):
    def visible_to(self, user):
        # A target is seen with its table, and only so.
        return self.filter(table__in=TargetTable.objects.visible_to(user))


class ActualQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(target__table__in=TargetTable.objects.visible_to(user))


# Marked for the catalog; scope_name translates it, imports match the Chinese.
REGION_SCOPE = gettext_noop("自治区")


class TargetTable(models.Model):
    document = models.ForeignKey(
        "allocations.AllocationDocument", verbose_name=gettext_lazy("分配文件"), on_delete=models.PROTECT, related_name="target_tables"
    )
    # Empty for the region's own table.
    prefecture = models.ForeignKey(
        "allocations.Prefecture", verbose_name=gettext_lazy("地（州、市）"), null=True, blank=True, on_delete=models.PROTECT, related_name="target_tables"
    )
    title = models.CharField(gettext_lazy("表名"), max_length=200)
    year_label = models.CharField(gettext_lazy("年度"), max_length=40, blank=True)
    fund_name = models.CharField(gettext_lazy("资金名称"), max_length=100)
    authority_label = models.CharField(gettext_lazy("主管部门栏名"), max_length=40)
    authority = models.CharField(gettext_lazy("主管部门"), max_length=100)
    period_label = models.CharField(gettext_lazy("实施期栏名"), max_length=20, blank=True)
    period = models.CharField(gettext_lazy("实施期"), max_length=40, blank=True)
    finance_label = models.CharField(gettext_lazy("财政部门栏名"), max_length=40)
    finance_department = models.CharField(gettext_lazy("财政部门"), max_length=100)
    local_label = models.CharField(gettext_lazy("地方主管部门栏名"), max_length=40)
    local_department = models.CharField(gettext_lazy("地方主管部门"), max_length=100)
    goal_heading = models.CharField(gettext_lazy("总体目标栏名"), max_length=40)
    goal_text = models.TextField(gettext_lazy("总体目标"))
    status = models.CharField(gettext_lazy("状态"), max_length=20, choices=TableStatus.choices, default=TableStatus.DRAFT)
    return_reason = models.TextField(gettext_lazy("退回原因"), blank=True)
    reopen_reason = models.TextField(gettext_lazy("重新打开原因"), blank=True)
    submitted_at = models.DateTimeField(gettext_lazy("提交时间"), null=True, blank=True)
    reviewed_at = models.DateTimeField(gettext_lazy("审核时间"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=gettext_lazy("审核人"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # Bumped on every save through the workflow, so a save made from a stale
    # page is detected instead of silently overwriting.
    version = models.PositiveIntegerField(gettext_lazy("版本"), default=1)

    objects = TargetTableQuerySet.as_manager()
    # The paths from a row to its prefecture (core.scoping); the change log follows them too.
    prefecture_paths = ("prefecture",)
    history = HistoricalRecords()

    class Meta:
        ordering = ["document", "prefecture__position"]
        verbose_name = gettext_lazy("绩效目标表")
        verbose_name_plural = gettext_lazy("绩效目标表")
        constraints = [
            models.UniqueConstraint(fields=["document", "prefecture"], name="targets_table_unique_per_prefecture"),
            models.UniqueConstraint(
                fields=["document"], condition=Q(prefecture__isnull=True), name="targets_table_one_region_table"
            ),
            models.CheckConstraint(
                condition=~Q(status=TableStatus.RETURNED) | ~Q(return_reason=""), name="targets_table_return_has_reason"
            ),
        ]

    def __str__(self):
        return f"{self.document.number} {self.scope_name}"

    @property
    def scope_name(self):
        return self.prefecture.name if self.prefecture_id else _(REGION_SCOPE)

    @property
    def is_locked(self):
        return self.status in SETTLED

    @property
    def accepts_actuals(self):
        # The targets cannot move under the figures judged against them.
        return self.status in SETTLED

    def clean(self):
        if self.status == TableStatus.RETURNED and not self.return_reason.strip():
            raise ValidationError({"return_reason": _("退回必须填写原因。")})


class Target(models.Model):
    table = models.ForeignKey(TargetTable, verbose_name=gettext_lazy("绩效目标表"), on_delete=models.CASCADE, related_name="targets")
    # Empty while the wording matches no catalogue entry: a person maps it.
    indicator = models.ForeignKey(
        Indicator, verbose_name=gettext_lazy("指标"), null=True, blank=True, on_delete=models.PROTECT, related_name="targets"
    )
    wording = models.CharField(gettext_lazy("三级指标（原文）"), max_length=200)
    raw_value = models.CharField(gettext_lazy("指标值（原文）"), max_length=200)
    # Derived from raw_value on every save; never typed by hand.
    operator = models.CharField(gettext_lazy("比较"), max_length=10, choices=Operator.choices, editable=False)
    number = models.DecimalField(gettext_lazy("数值"), max_digits=18, decimal_places=4, null=True, blank=True, editable=False)
    unit = models.CharField(gettext_lazy("单位"), max_length=20, blank=True, editable=False)
    base_number = models.DecimalField(gettext_lazy("基本单位数值"), max_digits=18, decimal_places=4, null=True, blank=True, editable=False)
    base_unit = models.CharField(gettext_lazy("基本单位"), max_length=20, blank=True, editable=False)
    position = models.PositiveSmallIntegerField(gettext_lazy("行次"), default=0)

    objects = TargetQuerySet.as_manager()
    prefecture_paths = ("table__prefecture",)
    history = HistoricalRecords()

    class Meta:
        ordering = ["table", "position"]
        verbose_name = gettext_lazy("绩效目标")
        verbose_name_plural = gettext_lazy("绩效目标")
        constraints = [
            models.UniqueConstraint(
                fields=["table", "indicator"], condition=Q(indicator__isnull=False), name="targets_target_unique_indicator"
            ),
        ]

    def __str__(self):
        return f"{self.wording}：{self.raw_value}"

    def parsed(self):
        unit_source = self.wording
        if self.indicator_id and not split_wording(self.wording)[1] and self.indicator.unit:
            unit_source = f"({self.indicator.unit})"
        direction = self.indicator.direction if self.indicator_id else None
        return parse_target_value(self.raw_value, unit_source, direction)

    def derive(self):
        """Fill the typed columns from raw_value (bulk inserts call this themselves)."""
        value = self.parsed()
        self.operator = value.operator
        self.number = value.number
        self.unit = value.unit
        self.base_number = value.base_number
        self.base_unit = value.base_unit
        return self

    def save(self, *args, **kwargs):
        self.derive()
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = set(kwargs["update_fields"]) | {"operator", "number", "unit", "base_number", "base_unit"}
        super().save(*args, **kwargs)


class Checkpoint(models.TextChoices):
    MID_YEAR = "06", gettext_lazy("6月（年中）")
    YEAR_END = "12", gettext_lazy("12月（年末）")


# Plain values, as the constraints are written into migrations.
DOUBTFUL = ["likely", "impossible"]
_MID_YEAR = Q(checkpoint="06")
_FORECAST = _MID_YEAR & ~Q(forecast="")


class Actual(models.Model):
    # 双监控: the figure reached at a checkpoint, judged against the target.
    # At 6月 it is the 绩效运行监控表: 1–6月执行情况 (raw_value), the full-year
    # forecast, which is what is judged, and how likely the target is.
    target = models.ForeignKey(Target, verbose_name=gettext_lazy("绩效目标"), on_delete=models.CASCADE, related_name="actuals")
    checkpoint = models.CharField(gettext_lazy("监控时点"), max_length=2, choices=Checkpoint.choices)
    raw_value = models.CharField(gettext_lazy("实际完成值"), max_length=200)
    base_number = models.DecimalField(gettext_lazy("基本单位数值"), max_digits=18, decimal_places=4, null=True, blank=True, editable=False)
    # 6月 only; empty on the rows recorded before the 监控表, which are judged on the actual.
    forecast = models.CharField(gettext_lazy("全年预计完成值"), max_length=200, blank=True, default="")
    possibility = models.CharField(
        gettext_lazy("完成目标可能性"), max_length=20, choices=Possibility.choices, blank=True, default=""
    )
    verdict = models.CharField(gettext_lazy("判断"), max_length=20, choices=Verdict.choices, editable=False)
    deviation_category = models.CharField(
        gettext_lazy("偏差原因类别"), max_length=20, choices=DeviationCategory.choices, blank=True, default=""
    )
    deviation_reason = models.TextField(gettext_lazy("偏差原因"), blank=True)
    improvement_measure = models.TextField(gettext_lazy("改进措施"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=gettext_lazy("填报人"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(gettext_lazy("填报时间"), auto_now=True)

    objects = ActualQuerySet.as_manager()
    prefecture_paths = ("target__table__prefecture",)
    history = HistoricalRecords()

    class Meta:
        ordering = ["target", "checkpoint"]
        verbose_name = gettext_lazy("实际完成值")
        verbose_name_plural = gettext_lazy("实际完成值")
        constraints = [
            models.UniqueConstraint(fields=["target", "checkpoint"], name="targets_actual_unique_checkpoint"),
            # A shortfall, or a 6月 forecast not certain to be reached, is explained:
            # a reason and a measure, and on the 监控表 the reason's category too.
            models.CheckConstraint(
                condition=~(Q(verdict="not_met") | (_MID_YEAR & Q(possibility__in=DOUBTFUL)))
                | (~Q(deviation_reason="") & ~Q(improvement_measure="") & (~_FORECAST | ~Q(deviation_category=""))),
                name="targets_actual_shortfall_explained",
            ),
            # The forecast is asked at 6月 only; its possibility and category go with it.
            models.CheckConstraint(
                condition=_FORECAST | Q(forecast="", possibility="", deviation_category=""),
                name="targets_actual_forecast_at_mid_year",
            ),
        ]

    def __str__(self):
        return f"{self.target.wording} {self.get_checkpoint_display()}：{self.raw_value}"

    @property
    def is_forecast(self):
        """Whether the verdict is the 6月 forecast's, not the actual's."""
        return self.checkpoint == Checkpoint.MID_YEAR and bool(self.forecast.strip())

    def judge(self):
        self.base_number, self.verdict = evaluate(self.target, self.raw_value)
        if self.is_forecast:
            self.verdict = evaluate(self.target, self.forecast)[1]
        return self.verdict

    def _why_explained(self):
        """Why a reason and a measure are needed, or None."""
        if self.verdict == Verdict.NOT_MET:
            return _("全年预计完成值未达到目标") if self.is_forecast else _("未完成目标")
        if self.checkpoint == Checkpoint.MID_YEAR and self.possibility in DOUBTFUL:
            return _("完成目标可能性为“%(possibility)s”") % {"possibility": self.get_possibility_display()}
        return None

    def _misplaced(self):
        errors = {}
        if self.checkpoint != Checkpoint.MID_YEAR:
            for name in ("forecast", "possibility", "deviation_category"):
                if getattr(self, name).strip():
                    errors[name] = _("%(field)s只在6月（年中）监控时填写。") % {"field": self._meta.get_field(name).verbose_name}
        elif not self.forecast.strip() and (self.possibility or self.deviation_category):
            errors["forecast"] = _("填写了完成目标可能性或偏差原因类别，必须填写全年预计完成值。")
        return errors

    def _implausible(self):
        labels = {"raw_value": "", "forecast": str(self._meta.get_field("forecast").verbose_name)}
        found = {name: implausible(self.target, getattr(self, name), label) for name, label in labels.items()}
        return {name: message for name, message in found.items() if message}

    def clean(self):
        # Without a target there is nothing to judge against; the form already names the missing field.
        if self.target_id is None:
            return
        errors = self._misplaced() or self._implausible()
        if errors:
            raise ValidationError(errors)
        self.judge()
        why = self._why_explained()
        if why is None:
            return
        if self.is_forecast and not self.deviation_category:
            errors["deviation_category"] = _("%(why)s，必须选择偏差原因类别。") % {"why": why}
        if not self.deviation_reason.strip():
            errors["deviation_reason"] = _("%(why)s，必须填写偏差原因。") % {"why": why}
        if not self.improvement_measure.strip():
            errors["improvement_measure"] = _("%(why)s，必须填写改进措施。") % {"why": why}
        if errors:
            raise ValidationError(errors)

    def save(self, *args, **kwargs):
        self.judge()
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = set(kwargs["update_fields"]) | {"base_number", "verdict"}
        super().save(*args, **kwargs)
