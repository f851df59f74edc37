"""The roll-up check: do the 14 prefecture tables add up to the region's table?

Each indicator of the regional table is compared with the prefectures' rows
by its catalogue rule: 'sum' (the prefectures' figures must add up to at
least the region's: "超过X" is reached at X), 'each_no_weaker' (no
prefecture may promise less than the region, in the indicator's direction),
or 'not_checkable'. A text value on the region's side makes any rule
uncheckable; text on a prefecture's side is named in a note and left out.

Everything is read in two queries whatever the size of the tables: the
document's targets with their indicator and table, and the prefectures with
whether each has a table for the document.
"""

import csv
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import models
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext, gettext_lazy

from allocations.models import Prefecture
from allocations.money import plain
from core.safe_export import csv_safe
from targets.models import REGION_SCOPE, Indicator, RollupRule, Target, TargetTable
from targets.values import UNITS, Direction, Operator

ZERO = Decimal(0)
CSV_HEADER = ["indicator", "region_target", "prefecture_sum", "unit", "verdict", "missing_in"]


class RollupVerdict(models.TextChoices):
    CONSISTENT = "consistent", gettext_lazy("一致")
    SHORTFALL = "shortfall", gettext_lazy("不足")
    # The figures present add up, but some prefecture's table lacks the row:
    # nothing can be said for that prefecture, so the total is not shown as settled.
    INCOMPLETE = "incomplete", gettext_lazy("不完整")
    NOT_CHECKABLE = "not_checkable", gettext_lazy("不可核对")


class NoRegionalTable(Exception):
    """The document has no regional target table (or it has no rows): nothing to check against."""


@dataclass
class Weaker:
    prefecture: str
    raw_value: str
    base_number: Decimal


@dataclass
class RollupLine:
    indicator: object
    region_target: str
    region_base: Decimal | None
    prefecture_sum: Decimal | None
    unit: str
    verdict: str
    shortfall: Decimal | None = None
    weaker: list = field(default_factory=list)
    missing_in: list = field(default_factory=list)
    note: str = ""

    @property
    def rule(self):
        return self.indicator.rollup

    @property
    def verdict_label(self):
        return RollupVerdict(self.verdict).label

    # The *_text figures are plain (123000) for the CSV and the command; the page formats them (core.formats).
    @property
    def region_base_text(self):
        return plain(self.region_base)

    @property
    def prefecture_sum_text(self):
        return plain(self.prefecture_sum)

    @property
    def shortfall_text(self):
        return plain(self.shortfall)


@dataclass
class Unmapped:
    scope: str
    wording: str
    raw_value: str


@dataclass
class Rollup:
    document: object
    lines: list
    unmapped: list
    # Prefectures with no target table at all for the document.
    without_table: list
    # Indicators some prefecture reports but the region's table lacks: (name, [prefectures]).
    not_in_region: list


@dataclass
class DocumentTargets:
    """One document's targets as read from the database, grouped for the checks."""

    document: object
    prefectures: list
    has_table: set
    # {scope name: {indicator pk: Target}}; scope is 自治区 or a prefecture name.
    by_scope: dict
    indicators: list
    unmapped: list

    @property
    def region(self):
        return self.by_scope.get(REGION_SCOPE)


def load(document):
    targets = (
        Target.objects.filter(table__document=document)
        .select_related("indicator", "table")
        .order_by("position")
    )
    tables = TargetTable.objects.filter(document=document, prefecture=OuterRef("pk"))
    prefectures = list(Prefecture.objects.annotate(has_table=Exists(tables)).order_by("position", "name"))
    names = {prefecture.pk: prefecture.name for prefecture in prefectures}

    by_scope, indicators, unmapped = {}, {}, []
    for target in targets:
        scope = names[target.table.prefecture_id] if target.table.prefecture_id else REGION_SCOPE
        rows = by_scope.setdefault(scope, {})
        if target.indicator_id is None:
            unmapped.append(Unmapped(scope, target.wording, target.raw_value))
            continue
        rows[target.indicator_id] = target
        indicators[target.indicator_id] = target.indicator
    order = {prefecture.name: i for i, prefecture in enumerate(prefectures, start=1)}
    unmapped.sort(key=lambda item: order.get(item.scope, 0))
    return DocumentTargets(
        document=document,
        prefectures=prefectures,
        has_table={prefecture.name for prefecture in prefectures if prefecture.has_table},
        by_scope=by_scope,
        indicators=sorted(indicators.values(), key=lambda indicator: (indicator.position, indicator.pk)),
        unmapped=unmapped,
    )


def _base_unit(indicator):
    return UNITS.get(indicator.unit, (indicator.unit, None))[0]


def _check(indicator, region_target, reported, missing_in):
    """One line. reported: [(prefecture name, Target)] of the prefectures that have the row."""
    line = RollupLine(
        indicator=indicator,
        region_target=region_target.raw_value,
        region_base=region_target.base_number,
        prefecture_sum=None,
        unit=region_target.base_unit or _base_unit(indicator),
        verdict=RollupVerdict.NOT_CHECKABLE,
        missing_in=missing_in,
    )
    if indicator.rollup == RollupRule.NOT_CHECKABLE:
        line.note = gettext("该指标不适用汇总核对")
        return line
    if region_target.operator == Operator.TEXT:
        line.note = gettext("自治区指标值为文字，无法核对")
        return line
    if not reported:
        line.note = gettext("各地（州、市）均无此指标")
        return line

    numeric, text, other_unit = [], [], []
    for name, target in reported:
        if target.operator == Operator.TEXT:
            text.append(name)
        elif target.base_unit != line.unit:
            other_unit.append(f"{name}（{target.raw_value}）")
        else:
            numeric.append((name, target))
    notes = []
    if text:
        notes.append(gettext("指标值为文字、未计入：%(join)s") % {"join": '、'.join(text)})
    if other_unit:
        notes.append(gettext("单位与自治区不一致、未计入：%(join)s") % {"join": '、'.join(other_unit)})
    if not numeric:
        if text and not other_unit:
            example = next(target.raw_value for name, target in reported if name == text[0])
            line.note = gettext("各地（州、市）指标值均为文字（如“%(example)s”），无法核对") % {"example": example}
        else:
            line.note = gettext("各地（州、市）指标值均为文字或单位与自治区不一致，无法核对")
        return line

    lower = indicator.direction == Direction.LOWER
    if indicator.rollup == RollupRule.SUM:
        line.prefecture_sum = sum((target.base_number for _, target in numeric), ZERO)
        # For a lower-is-better total the prefectures' figures must not add up past the region's.
        gap = line.prefecture_sum - line.region_base if lower else line.region_base - line.prefecture_sum
        if gap > 0:
            line.verdict, line.shortfall = RollupVerdict.SHORTFALL, gap
        else:
            line.verdict = RollupVerdict.CONSISTENT
    else:
        for name, target in numeric:
            weaker = target.base_number > line.region_base if lower else target.base_number < line.region_base
            if weaker:
                line.weaker.append(Weaker(name, target.raw_value, target.base_number))
        line.verdict = RollupVerdict.SHORTFALL if line.weaker else RollupVerdict.CONSISTENT
    if line.verdict == RollupVerdict.CONSISTENT and missing_in:
        line.verdict = RollupVerdict.INCOMPLETE
        notes.insert(0, gettext("缺少此指标：%(join)s") % {"join": "、".join(missing_in)})
    line.note = "；".join(notes)
    return line


def check(data):
    region = data.region
    if not region:
        raise NoRegionalTable(gettext("%(number)s 没有自治区绩效目标表（或表中没有已对应目录的指标），无法汇总核对。") % {
            "number": data.document.number,
        })
    with_table = [prefecture.name for prefecture in data.prefectures if prefecture.name in data.has_table]
    lines = []
    for indicator in data.indicators:
        if indicator.pk not in region:
            continue
        reported, missing_in = [], []
        for name in with_table:
            target = data.by_scope.get(name, {}).get(indicator.pk)
            if target is None:
                missing_in.append(name)
            else:
                reported.append((name, target))
        lines.append(_check(indicator, region[indicator.pk], reported, missing_in))
    not_in_region = [
        (indicator.name, [name for name in with_table if indicator.pk in data.by_scope.get(name, {})])
        for indicator in data.indicators
        if indicator.pk not in region
    ]
    return Rollup(
        document=data.document,
        lines=lines,
        unmapped=data.unmapped,
        without_table=[prefecture.name for prefecture in data.prefectures if prefecture.name not in data.has_table],
        not_in_region=not_in_region,
    )


def rollup(document):
    return check(load(document))


def missing_against_region(table):
    """The indicators of the document's regional table that this prefecture's table lacks: one table's missing_in."""
    if table.prefecture_id is None:
        return []
    region = Target.objects.filter(table__document_id=table.document_id, table__prefecture__isnull=True, indicator__isnull=False)
    # Unmapped rows (no indicator) left out: NOT IN over a NULL would match nothing.
    own = table.targets.filter(indicator__isnull=False)
    return list(
        Indicator.objects.filter(pk__in=region.values("indicator")).exclude(pk__in=own.values("indicator")).order_by("position")
    )


@dataclass
class MatrixCell:
    scope: str
    # The raw value, or None where the scope's table lacks the row.
    value: str | None
    has_table: bool
    # A bare number's unit lives in the prefecture's wording ("12.3" under "(万人次)").
    unit_hint: str = ""

    @property
    def missing(self):
        return self.has_table and self.value is None


def matrix(data):
    """Indicators (catalogue order) × 自治区 + every prefecture: [(scope, has_table)], [(indicator, [MatrixCell])]."""
    columns = [(REGION_SCOPE, REGION_SCOPE in data.by_scope)]
    columns += [(prefecture.name, prefecture.name in data.has_table) for prefecture in data.prefectures]
    rows = []
    for indicator in data.indicators:
        cells = []
        for scope, has_table in columns:
            target = data.by_scope.get(scope, {}).get(indicator.pk)
            if target is None:
                cells.append(MatrixCell(scope, None, has_table))
                continue
            hint = target.unit if target.unit and target.unit not in target.raw_value else ""
            cells.append(MatrixCell(scope, target.raw_value, has_table, hint))
        rows.append((indicator, cells))
    return columns, rows


def csv_row(line):
    return [
        line.indicator.name,
        line.region_target,
        line.prefecture_sum_text,
        line.unit,
        line.verdict,
        ";".join(line.missing_in),
    ]


def write_csv(result, handle):
    writer = csv.writer(handle)
    writer.writerow(CSV_HEADER)
    for line in result.lines:
        writer.writerow([csv_safe(cell) for cell in csv_row(line)])
