import re
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Exists, F, OuterRef, Q, Subquery, Sum
from django.utils.translation import gettext as _, gettext_lazy
from simple_history.models import HistoricalRecords

from core.permissions import scoped_prefecture_id, sees_total
from core.scoping import ScopedQuerySet

from allocations.money import AMOUNT_DECIMAL_PLACES, AMOUNT_MAX_DIGITS, plain
from allocations.reconcile import reconcile_document


class DirectMark(models.TextChoices):
    # 通知第三条: the mark follows the money through every level unchanged.
    CENTRAL_DIRECT = "01 中央直达资金", gettext_lazy("01 中央直达资金")


class CountyKind(models.TextChoices):
    DISTRICT = "district", gettext_lazy("区")
    COUNTY = "county", gettext_lazy("县")
    CITY = "city", gettext_lazy("市")
    OWN_LEVEL = "own_level", gettext_lazy("本级")
    ZONE = "zone", gettext_lazy("开发区/园区")


class PermittedUse(models.TextChoices):
    # 通知第一条: the nine uses the money may go to.
    VOCATIONAL_TRAINING = "vocational_training", gettext_lazy("职业培训补贴")
    SKILL_ASSESSMENT = "skill_assessment", gettext_lazy("职业技能鉴定补贴")
    SOCIAL_INSURANCE = "social_insurance", gettext_lazy("社会保险补贴")
    PUBLIC_WELFARE_JOBS = "public_welfare_jobs", gettext_lazy("公益性岗位补贴")
    BUSINESS_STARTUP = "business_startup", gettext_lazy("创业补贴")
    INTERNSHIP = "internship", gettext_lazy("就业见习补贴")
    JOB_SEEKING = "job_seeking", gettext_lazy("求职创业补贴")
    EMPLOYMENT_SERVICES = "employment_services", gettext_lazy("就业创业服务补助")
    HIGH_SKILL_TALENT = "high_skill_talent", gettext_lazy("高技能人才培养补助")
    # 附件2 目标1 allows a tenth besides the nine: a line that names it must also
    # name the approval (feedback.validation), or the door is open to anything.
    OTHER_APPROVED = "other_approved", gettext_lazy("经自治区人民政府批准的其他支出项目")


class ScheduleBasis(models.TextChoices):
    # How far the money of a document should be spent by a month of its own
    # year (feedback.schedule): month/12 from January, as the bureau has always
    # judged it, or spread evenly from the month of issue to December, for a
    # batch issued mid-year. Carried into a later year it is due in full either way.
    CALENDAR = "calendar", gettext_lazy("按自然月（月份/12）")
    FROM_ISSUE = "from_issue", gettext_lazy("自下达月起均衡计算")


# A prefecture's or county's name becomes a sheet title and part of a file
# name in the exports; each of these is refused by one or the other.
_UNSAFE_NAME = re.compile(r'[/\\:*?"<>|\[\]\x00-\x1f\x7f-\x9f]')


def _refuse_unsafe_characters(value, field_label):
    found = sorted(set(_UNSAFE_NAME.findall(value)))
    if found:
        shown = " ".join(c if c.isprintable() else c.encode("unicode_escape").decode("ascii") for c in found)
        raise ValidationError(
            _("%(field)s不能包含 / \\ : * ? \" < > | [ ] 或控制字符（此处有：%(found)s）。"),
            code="unsafe_name",
            params={"field": field_label, "found": shown},
        )


def validate_prefecture_name(value):
    _refuse_unsafe_characters(value, _("地（州、市）名称"))


def validate_county_name(value):
    _refuse_unsafe_characters(value, _("县（市、区）名称"))


class ProvinceManager(models.Manager):
    def get_by_natural_key(self, name):
        return self.get(name=name)


class Province(models.Model):
    # The level above the prefectures. The application serves one region
    # (settings.HOME_PROVINCE); other provinces hold national-scale data.
    name = models.CharField(gettext_lazy("省（自治区、直辖市）名称"), max_length=50, unique=True)
    code = models.CharField(gettext_lazy("简码"), max_length=10, unique=True)
    position = models.PositiveSmallIntegerField(gettext_lazy("排序"), default=0)

    objects = ProvinceManager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["position", "name"]
        verbose_name = gettext_lazy("省（自治区、直辖市）")
        verbose_name_plural = gettext_lazy("省（自治区、直辖市）")

    def __str__(self):
        return self.name

    def natural_key(self):
        return (self.name,)


def home_province():
    """The default province of a prefecture: the region this application
    serves, created on first use, so code that names only a prefecture keeps
    working."""
    province, _created = Province.objects.get_or_create(
        name=settings.HOME_PROVINCE, defaults={"code": settings.HOME_PROVINCE_CODE}
    )
    return province.pk


class PrefectureQuerySet(ScopedQuerySet):
    pass


class PrefectureManager(models.Manager.from_queryset(PrefectureQuerySet)):
    def get_by_natural_key(self, name):
        return self.get(name=name)


class Prefecture(models.Model):
    province = models.ForeignKey(
        Province,
        verbose_name=gettext_lazy("省（自治区、直辖市）"),
        on_delete=models.PROTECT,
        related_name="prefectures",
        default=home_province,
    )
    name = models.CharField(gettext_lazy("地（州、市）名称"), max_length=50, unique=True, validators=[validate_prefecture_name])
    position = models.PositiveSmallIntegerField(gettext_lazy("排序"), default=0)

    objects = PrefectureManager()
    # The paths from a row to its prefecture (core.scoping); the change log follows them too.
    prefecture_paths = ("",)
    history = HistoricalRecords()

    class Meta:
        ordering = ["position", "name"]
        verbose_name = gettext_lazy("地（州、市）")
        verbose_name_plural = gettext_lazy("地（州、市）")

    def __str__(self):
        return self.name

    def natural_key(self):
        return (self.name,)

    natural_key.dependencies = ["allocations.province"]


class CountyManager(models.Manager):
    def get_by_natural_key(self, prefecture_name, name):
        return self.get(prefecture__name=prefecture_name, name=name)


class County(models.Model):
    # Names such as 高新区 and 经开区 recur in several prefectures, so a county
    # is only ever identified together with its prefecture.
    prefecture = models.ForeignKey(Prefecture, verbose_name=gettext_lazy("地（州、市）"), on_delete=models.PROTECT, related_name="counties")
    name = models.CharField(gettext_lazy("县（市、区）名称"), max_length=50, validators=[validate_county_name])
    kind = models.CharField(gettext_lazy("类型"), max_length=20, choices=CountyKind.choices)
    position = models.PositiveSmallIntegerField(gettext_lazy("排序"), default=0)

    objects = CountyManager()
    prefecture_paths = ("prefecture",)
    history = HistoricalRecords()

    class Meta:
        ordering = ["prefecture__position", "position", "name"]
        verbose_name = gettext_lazy("县（市、区）")
        verbose_name_plural = gettext_lazy("县（市、区）")
        constraints = [
            models.UniqueConstraint(fields=["prefecture", "name"], name="allocations_county_unique_in_prefecture"),
        ]

    def __str__(self):
        return f"{self.prefecture.name} {self.name}"

    def natural_key(self):
        return (self.prefecture.name, self.name)

    natural_key.dependencies = ["allocations.prefecture"]


class FundManager(models.Manager):
    def get_by_natural_key(self, name):
        return self.get(name=name)


class Fund(models.Model):
    name = models.CharField(gettext_lazy("资金名称"), max_length=100, unique=True)
    income_code = models.CharField(gettext_lazy("收入科目编码"), max_length=20)
    income_subject = models.CharField(gettext_lazy("收入科目名称"), max_length=100)
    expenditure_code = models.CharField(gettext_lazy("支出科目编码"), max_length=20)
    expenditure_subject = models.CharField(gettext_lazy("支出科目名称"), max_length=100)
    expenditure_note = models.CharField(gettext_lazy("支出科目说明"), max_length=200, blank=True)
    economic_code = models.CharField(gettext_lazy("经济分类编码"), max_length=20)
    economic_subject = models.CharField(gettext_lazy("经济分类名称"), max_length=100)
    direct_mark = models.CharField(gettext_lazy("直达资金标识"), max_length=30, choices=DirectMark.choices, default=DirectMark.CENTRAL_DIRECT)

    objects = FundManager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = gettext_lazy("资金")
        verbose_name_plural = gettext_lazy("资金")

    def __str__(self):
        return self.name

    def natural_key(self):
        return (self.name,)


class ExpenditureItem(models.Model):
    # 通知第二条: spending goes under 20807 就业补助, each use in its own
    # item-level (项级) subject. Kept as data so a new year's codes are an edit.
    fund = models.ForeignKey(Fund, verbose_name=gettext_lazy("资金"), on_delete=models.CASCADE, related_name="expenditure_items")
    code = models.CharField(gettext_lazy("项级科目编码"), max_length=20)
    name = models.CharField(gettext_lazy("项级科目名称"), max_length=100)

    history = HistoricalRecords()

    class Meta:
        ordering = ["code"]
        verbose_name = gettext_lazy("支出项级科目")
        verbose_name_plural = gettext_lazy("支出项级科目")
        constraints = [models.UniqueConstraint(fields=["fund", "code"], name="allocations_expenditure_item_unique_code")]

    def __str__(self):
        return f"{self.code} {self.name}"


class DocumentStatus(models.TextChoices):
    DRAFT = "draft", gettext_lazy("草稿")
    ISSUED = "issued", gettext_lazy("已下达")


class AllocationDocumentQuerySet(ScopedQuerySet):
    def visible_to(self, user):
        scope = scoped_prefecture_id(user)
        if scope is None:
            return self
        # An officer sees the documents that give money to their prefecture,
        # from their issue onward (a region draft is still being decided), and
        # the ones their own bureau issued, drafts included.
        # A correlated EXISTS, not a join: OR across the join plus DISTINCT scanned every
        # allocation line (452 ms at 500k lines). Nor pk IN (the prefecture's lines): one
        # document looked up then read every line of the prefecture (3 ms on the national
        # data); EXISTS reads its own through the (document, county) unique index (0.2 ms).
        gives_money = AllocationLine.objects.filter(document=OuterRef("pk"), county__prefecture_id=scope)
        return self.filter(Q(Exists(gives_money), status=DocumentStatus.ISSUED) | Q(issuer_id=scope))

    def with_shown_total(self, user):
        """Annotate shown_total: the 合计 for region-wide roles, the officer's own 小计 otherwise."""
        scope = scoped_prefecture_id(user)
        if scope is None:
            return self.annotate(shown_total=F("declared_total"))
        own_subtotal = PrefectureSubtotal.objects.filter(document=OuterRef("pk"), prefecture_id=scope)
        return self.annotate(shown_total=Subquery(own_subtotal.values("declared_amount")[:1]))

    def regional(self):
        return self.filter(parent__isnull=True)

    def for_table(self):
        return self.select_related("fund", "issuer", "parent")


class AllocationDocumentManager(models.Manager.from_queryset(AllocationDocumentQuerySet)):
    def get_by_natural_key(self, number):
        return self.get(number=number)


class AllocationDocument(models.Model):
    number = models.CharField(gettext_lazy("文号"), max_length=60, unique=True)
    title = models.CharField(gettext_lazy("标题"), max_length=200)
    table_title = models.CharField(gettext_lazy("分配表标题"), max_length=200, blank=True)
    year = models.PositiveSmallIntegerField(gettext_lazy("年度"))
    batch = models.PositiveSmallIntegerField(gettext_lazy("批次"), null=True, blank=True)
    issued_on = models.DateField(gettext_lazy("发文日期"), null=True, blank=True)
    basis = models.CharField(gettext_lazy("依据文件"), max_length=100, blank=True)
    fund = models.ForeignKey(Fund, verbose_name=gettext_lazy("资金"), on_delete=models.PROTECT, related_name="documents")
    # Copied from the fund (or the parent document) on save and never
    # offered in a form: nobody edits the mark.
    direct_mark = models.CharField(gettext_lazy("直达资金标识"), max_length=30, choices=DirectMark.choices, editable=False)
    declared_total = models.DecimalField(
        gettext_lazy("合计（万元）"),
        max_digits=AMOUNT_MAX_DIGITS,
        decimal_places=AMOUNT_DECIMAL_PLACES,
        validators=[MinValueValidator(Decimal("0"))],
    )
    status = models.CharField(gettext_lazy("状态"), max_length=10, choices=DocumentStatus.choices, default=DocumentStatus.DRAFT)
    schedule_basis = models.CharField(
        gettext_lazy("时间进度计算方式"),
        max_length=20,
        choices=ScheduleBasis.choices,
        default=ScheduleBasis.CALENDAR,
        # In the database too: the national generator writes documents with raw inserts that name no basis.
        db_default=ScheduleBasis.CALENDAR,
        help_text=gettext_lazy("年中下达的资金可选择自下达月起计算时间进度；结转到以后年度的资金，时间进度一律为百分之百。"),
    )
    # The last day the money may be used; empty: 31 December of the following year (feedback.obligations).
    # Monthly reports on it are owed until then and no longer.
    use_until = models.DateField(
        gettext_lazy("资金使用截止日期"),
        null=True,
        blank=True,
        help_text=gettext_lazy("留空则为下达年度次年的12月31日（结转资金须在两年内使用完毕）。此后不再要求按月填报使用情况反馈。"),
    )
    # 转下达: a prefecture passes its share on to its counties in a document
    # of its own that names the regional document it comes from.
    parent = models.ForeignKey(
        "self", verbose_name=gettext_lazy("上级文件"), null=True, blank=True, on_delete=models.PROTECT, related_name="reallocations"
    )
    issuer = models.ForeignKey(
        Prefecture, verbose_name=gettext_lazy("发文地（州、市）"), null=True, blank=True, on_delete=models.PROTECT, related_name="issued_documents"
    )
    created_at = models.DateTimeField(gettext_lazy("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(gettext_lazy("更新时间"), auto_now=True)

    objects = AllocationDocumentManager()
    prefecture_paths = ("issuer", "lines__county__prefecture")
    history = HistoricalRecords()

    class Meta:
        ordering = ["-year", "-issued_on", "number"]
        verbose_name = gettext_lazy("分配文件")
        verbose_name_plural = gettext_lazy("分配文件")
        constraints = [
            models.CheckConstraint(
                condition=Q(declared_total__gte=0), name="allocations_document_total_non_negative"
            ),
            models.CheckConstraint(
                condition=Q(parent__isnull=True, issuer__isnull=True) | Q(parent__isnull=False, issuer__isnull=False),
                name="allocations_reallocation_has_issuer",
            ),
            models.CheckConstraint(
                condition=Q(direct_mark__in=DirectMark.values), name="allocations_document_direct_mark_valid"
            ),
            models.CheckConstraint(
                condition=Q(schedule_basis__in=ScheduleBasis.values), name="allocations_document_schedule_basis_valid"
            ),
        ]

    def __str__(self):
        return self.number

    def natural_key(self):
        return (self.number,)

    @property
    def is_reallocation(self):
        return self.parent_id is not None

    @property
    def is_draft(self):
        return self.status == DocumentStatus.DRAFT

    def clean(self):
        if (self.parent_id is None) != (self.issuer_id is None):
            raise ValidationError(_("转下达文件必须同时指定上级文件和发文地（州、市）。"))
        if self.parent_id and self.fund_id and self.fund_id != self.parent.fund_id:
            raise ValidationError({"fund": _("转下达文件的资金必须与上级文件 %(number)s 相同（%(fund)s）。") % {
                "number": self.parent.number,
                "fund": self.parent.fund},
            })

    def save(self, *args, **kwargs):
        # The mark is inherited, never chosen: from the parent for a
        # re-allocation, from the fund otherwise.
        if self.parent_id:
            self.fund_id = self.parent.fund_id
            self.direct_mark = self.parent.direct_mark
        elif self.fund_id:
            self.direct_mark = self.fund.direct_mark
        super().save(*args, **kwargs)

    def shows_total_to(self, user):
        # The 合计 is the region's figure (core.permissions.sees_total).
        return sees_total(scoped_prefecture_id(user), self.issuer_id)

    def lines_total(self):
        return self.lines.aggregate(total=Sum("amount"))["total"] or Decimal("0")

    def reconciliation(self):
        return reconcile_document(self)


class PrefectureSubtotal(models.Model):
    # The 小计 as declared in the document, kept apart from the lines so that
    # a document whose lines do not add up can still be stored and shown.
    document = models.ForeignKey(AllocationDocument, on_delete=models.CASCADE, related_name="subtotals")
    prefecture = models.ForeignKey(Prefecture, verbose_name=gettext_lazy("地（州、市）"), on_delete=models.PROTECT, related_name="subtotals")
    declared_amount = models.DecimalField(
        gettext_lazy("小计（万元）"),
        max_digits=AMOUNT_MAX_DIGITS,
        decimal_places=AMOUNT_DECIMAL_PLACES,
        validators=[MinValueValidator(Decimal("0"))],
    )

    objects = ScopedQuerySet.as_manager()
    prefecture_paths = ("prefecture",)
    history = HistoricalRecords()

    class Meta:
        ordering = ["prefecture__position"]
        verbose_name = gettext_lazy("小计")
        verbose_name_plural = gettext_lazy("小计")
        constraints = [
            models.UniqueConstraint(fields=["document", "prefecture"], name="allocations_subtotal_unique_per_document"),
            models.CheckConstraint(condition=Q(declared_amount__gte=0), name="allocations_subtotal_non_negative"),
        ]
        indexes = [
            # feedback/completeness.py's first month a prefecture received money
            # (the grid, the overdue list, the region dashboard): an index-only scan.
            models.Index(fields=["prefecture"], include=["document", "declared_amount"], name="allocations_subtotal_by_pref"),
        ]

    def __str__(self):
        return f"{self.document.number} {self.prefecture.name} {_('小计')} {plain(self.declared_amount)}"


class AllocationLineQuerySet(ScopedQuerySet):
    def visible_to(self, user):
        scope = scoped_prefecture_id(user)
        if scope is None:
            return self
        # As AllocationDocument.visible_to: another bureau's draft stays unseen.
        return self.in_prefecture(scope).filter(Q(document__status=DocumentStatus.ISSUED) | Q(document__issuer_id=scope))

    def for_table(self):
        return self.select_related("document", "county__prefecture").order_by(
            "county__prefecture__position", "position", "county__position"
        )


class AllocationLine(models.Model):
    document = models.ForeignKey(AllocationDocument, verbose_name=gettext_lazy("分配文件"), on_delete=models.CASCADE, related_name="lines")
    county = models.ForeignKey(County, verbose_name=gettext_lazy("县（市、区）"), on_delete=models.PROTECT, related_name="allocation_lines")
    amount = models.DecimalField(
        gettext_lazy("拨付金额（万元）"),
        max_digits=AMOUNT_MAX_DIGITS,
        decimal_places=AMOUNT_DECIMAL_PLACES,
        validators=[MinValueValidator(Decimal("0"))],
    )
    note = models.CharField(gettext_lazy("备注"), max_length=200, blank=True)
    position = models.PositiveIntegerField(gettext_lazy("序号"), default=0)

    objects = AllocationLineQuerySet.as_manager()
    prefecture_paths = ("county__prefecture",)
    history = HistoricalRecords()

    class Meta:
        ordering = ["document", "position"]
        verbose_name = gettext_lazy("分配明细")
        verbose_name_plural = gettext_lazy("分配明细")
        constraints = [
            models.CheckConstraint(condition=Q(amount__gte=0), name="allocations_line_amount_non_negative"),
            models.UniqueConstraint(fields=["document", "county"], name="allocations_line_unique_county_per_document"),
        ]
        indexes = [
            # The 地州市 list's per-prefecture figures and the prefecture filters
            # read lines by county: an index-only scan of document and amount.
            models.Index(fields=["county"], include=["document", "amount"], name="allocations_line_by_county"),
        ]

    def __str__(self):
        return f"{self.document.number} {self.county} {plain(self.amount)}"

    @property
    def prefecture(self):
        return self.county.prefecture

    @property
    def direct_mark(self):
        return self.document.direct_mark

    def clean(self):
        if self.amount is not None and self.amount < 0:
            raise ValidationError({"amount": _("拨付金额不能为负数。")})
        if not (self.document_id and self.county_id):
            return
        if self.document.issuer_id and self.county.prefecture_id != self.document.issuer_id:
            raise ValidationError(
                {"county": _("%(county)s 不属于 %(issuer)s，转下达文件只能分配给本地（州、市）的县（市、区）。") % {
                    "county": self.county,
                    "issuer": self.document.issuer},
                }
            )
        duplicate = AllocationLine.objects.filter(document_id=self.document_id, county_id=self.county_id).exclude(pk=self.pk)
        if duplicate.exists():
            raise ValidationError({"county": _("%(number)s 中已有 %(county)s 的分配行。") % {
                "number": self.document.number,
                "county": self.county},
            })
