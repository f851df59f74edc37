"""Checking and writing one target table (附件2), from plain rows.

Workbooks, the notice's fixtures and any later source all arrive here as a
header block and (row number, wording, raw value) rows. Levels 1–2 are not
taken from the input: the PDF-born notice shifts them by a row here and
there, so they come from the catalogue, as a person reading it would place
them.
"""

from dataclasses import dataclass, field

from django.db import transaction
from django.utils.translation import gettext as _, gettext_lazy
from simple_history.utils import bulk_create_with_history

from core.refusals import ImportRefused
from targets.models import Indicator, TableStatus, Target, TargetTable
from targets.values import parse_target_value, split_wording

HEADER_FIELDS = (
    "title",
    "year_label",
    "fund_name",
    "authority_label",
    "authority",
    "period_label",
    "period",
    "finance_label",
    "finance_department",
    "local_label",
    "local_department",
    "goal_heading",
    "goal_text",
)
REQUIRED_HEADER = {
    "title": gettext_lazy("表名"),
    "fund_name": gettext_lazy("资金名称"),
    "authority": gettext_lazy("主管部门"),
    "finance_department": gettext_lazy("财政部门"),
    "goal_text": gettext_lazy("总体目标"),
}


@dataclass
class TargetRow:
    row: int
    wording: str
    raw_value: str


@dataclass
class CheckedTarget:
    row: int
    wording: str
    raw_value: str
    indicator: Indicator | None
    position: int


@dataclass
class CheckedTargets:
    header: dict
    targets: list = field(default_factory=list)
    errors: list = field(default_factory=list)

    @property
    def ok(self):
        return not self.errors

    @property
    def unmapped(self):
        return [t.wording for t in self.targets if t.indicator is None]


def _text(value):
    return "" if value is None else str(value).strip()


def fits_number_column(number):
    """Whether a parsed number (and its base-unit value) can be stored: Target.number is 18 digits, 4 decimals."""
    column = Target._meta.get_field("number")
    if number is None:
        return True
    return -number.as_tuple().exponent <= column.decimal_places and number.adjusted() < column.max_digits - column.decimal_places


def check_targets(header, rows):
    header = {name: _text(header.get(name)) for name in HEADER_FIELDS}
    checked = CheckedTargets(header=header)
    for name, label in REQUIRED_HEADER.items():
        if not header[name]:
            checked.errors.append(_("表头：缺少%(label)s") % {"label": label})
    catalogue = {}
    for indicator in Indicator.objects.prefetch_related("aliases"):
        catalogue[indicator.name] = indicator
        for alias in indicator.aliases.all():
            catalogue[alias.wording] = indicator
    first_row_of = {}
    for row in rows:
        wording, raw = _text(row.wording), _text(row.raw_value)
        where = _("第%(row)s行") % {"row": row.row}
        if not wording:
            checked.errors.append(_("%(where)s：缺少三级指标名称") % {"where": where})
            continue
        if not raw:
            checked.errors.append(_("%(where)s %(wording)s：缺少指标值") % {"where": where, "wording": wording})
            continue
        if len(wording) > 200 or len(raw) > 200:
            checked.errors.append(_("%(where)s %(wording_30)s：内容超过200字") % {"where": where, "wording_30": wording[:30]})
            continue
        value = parse_target_value(raw, wording)
        if not (fits_number_column(value.number) and fits_number_column(value.base_number)):
            # PostgreSQL would refuse the row mid-write, SQLite round it in silence.
            checked.errors.append(_("%(where)s %(wording)s：指标值“%(raw)s”的数字超出可记录的范围（整数最多14位，小数最多4位）") % {
                "where": where,
                "wording": wording,
                "raw": raw,
            })
            continue
        indicator = catalogue.get(split_wording(wording)[0])
        key = indicator.pk if indicator else ("wording", wording)
        if key in first_row_of:
            checked.errors.append(_("%(where)s %(wording)s：与第%(first_row_of_key)s行是同一指标") % {
                "where": where,
                "wording": wording,
                "first_row_of_key": first_row_of[key],
            })
            continue
        first_row_of[key] = row.row
        checked.targets.append(CheckedTarget(row.row, wording, raw, indicator, len(checked.targets) + 1))
    if not checked.targets and not checked.errors:
        checked.errors.append(_("表中没有任何绩效指标行"))
    return checked


def _refusals_for_existing(existing, replace):
    if existing is None:
        return []
    if not replace:
        return [_("%(existing)s 的绩效目标表已存在。如需覆盖，请选择覆盖（--replace）。") % {"existing": existing}]
    if existing.is_locked:
        return [_("%(existing)s 已审核通过并锁定，需先由人社审核员重新打开后才能覆盖。") % {"existing": existing}]
    return []


@transaction.atomic
def save_targets(checked, document, prefecture, replace=False, status=TableStatus.DRAFT, reason=None):
    if not checked.ok:
        raise ImportRefused(checked.errors)
    # No ordering: Meta.ordering joins the prefecture, and PostgreSQL refuses
    # FOR UPDATE on the nullable side of that outer join.
    existing = TargetTable.objects.select_for_update().filter(document=document, prefecture=prefecture).order_by().first()
    refusals = _refusals_for_existing(existing, replace)
    if refusals:
        raise ImportRefused(refusals)
    table = existing or TargetTable(document=document, prefecture=prefecture)
    for name in HEADER_FIELDS:
        setattr(table, name, checked.header[name])
    table.status = status
    if existing:
        table.version += 1
    table._change_reason = reason
    table.save()
    del table._change_reason
    if existing:
        table.targets.all().delete()
    # bulk_create skips save(), so the typed columns are derived here, and
    # the history rows that a plain bulk_create would not write are added.
    targets = [
        Target(
            table=table, indicator=item.indicator, wording=item.wording, raw_value=item.raw_value, position=item.position
        ).derive()
        for item in checked.targets
    ]
    bulk_create_with_history(targets, Target, default_change_reason=reason)
    return table
