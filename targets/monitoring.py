"""双监控: the figure reached at 6月 and 12月 for each target, and the region's view of it.

Actuals are recorded against an approved table only: an approved table is
locked, so the targets they are judged against cannot move underneath them
(a reopened table re-judges its actuals when a target changes, targets.review).
Actual.save judges the figure (at 6月 the full-year forecast, where one is
given); a shortfall needs a deviation reason and an improvement measure, and
a bare figure a hundredfold off its target is refused (Actual.clean, backed
by CheckConstraints where the database can say it).
"""

from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext, gettext_noop

from core.permissions import can_record_actuals
from targets.evaluation import evaluate
from targets.importing import fits_number_column
from targets.models import Actual, Checkpoint, Target, TargetTable, Verdict
from targets.review import indicator_label

MAX_VALUE_LENGTH = 200
MAX_TEXT_LENGTH = 2000
NO_ACTUAL = "none"
COUNT_KEYS = (Verdict.MET, Verdict.NOT_MET, Verdict.NOT_CHECKABLE, NO_ACTUAL)


@dataclass
class Entry:
    target: Target
    raw_value: str
    deviation_reason: str = ""
    improvement_measure: str = ""
    # 6月's 绩效运行监控表 only.
    forecast: str = ""
    deviation_category: str = ""
    possibility: str = ""


def _row_error(target, field_name, message):
    # The message names the indicator for a summary; target_pk and field let
    # a form put it next to the right input as well.
    error = ValidationError(f"{indicator_label(target)}：{message}", code=field_name)
    error.target_pk = target.pk
    error.field = field_name
    return error


def _locked_table(table, user):
    if not can_record_actuals(user, table):
        raise PermissionDenied(gettext("只有本地（州、市）财政业务员或自治区管理员可以填报实际完成值。"))
    # Locking the row serialises two people saving the same table, and reads
    # a status that cannot change before this transaction ends.
    table = TargetTable.objects.select_for_update().get(pk=table.pk)
    if not table.accepts_actuals:
        raise ValidationError(
            gettext("该表当前状态为“%(get_status_display)s”，审核通过后才能填报实际完成值。") % {"get_status_display": table.get_status_display()}, code="not_approved"
        )
    return table


def _checkpoint(checkpoint):
    if checkpoint not in Checkpoint.values:
        raise ValidationError(gettext("监控时点只能是6月（年中）或12月（年末）。"), code="checkpoint")
    return checkpoint


def _text(value):
    return "" if value is None else str(value).strip()


# The texts a row holds besides its figure: (Actual field, its name in a message, length limit).
_TEXTS = (
    ("forecast", gettext_noop("全年预计完成值"), MAX_VALUE_LENGTH),
    ("deviation_reason", gettext_noop("偏差原因"), MAX_TEXT_LENGTH),
    ("improvement_measure", gettext_noop("改进措施"), MAX_TEXT_LENGTH),
)
_CHOICES = ("deviation_category", "possibility")


def _too_long(target, raw, given):
    errors = []
    if len(raw) > MAX_VALUE_LENGTH:
        errors.append(_row_error(target, "raw_value", gettext("实际完成值不能超过%(max_value_length)s字。") % {
            "max_value_length": MAX_VALUE_LENGTH,
        }))
    for name, label, limit in _TEXTS:
        if len(given[name]) > limit:
            errors.append(_row_error(target, name, gettext("%(label)s不能超过%(max_text_length)s字。") % {
                "label": gettext(label),
                "max_text_length": limit,
            }))
    return errors


def _prepare(entry, checkpoint, existing, user):
    """(Actual to save or None, [errors]). A row with no figure is left as it is."""
    target = entry.target
    raw = _text(entry.raw_value)
    given = {name: _text(getattr(entry, name)) for name in (*(name for name, _label, _limit in _TEXTS), *_CHOICES)}
    if not raw:
        if given["deviation_reason"] or given["improvement_measure"]:
            return None, [_row_error(target, "raw_value", gettext("填写了偏差原因或改进措施，但没有填写实际完成值。"))]
        if any(given.values()):
            return None, [_row_error(target, "raw_value", gettext("填写了全年预计完成值、完成目标可能性或偏差原因类别，但没有填写1–6月执行情况。"))]
        return None, []
    errors = _too_long(target, raw, given)
    if errors:
        return None, errors
    if not fits_number_column(evaluate(target, raw)[0]):
        # PostgreSQL would refuse the row mid-save; SQLite would store what it cannot read back.
        return None, [_row_error(target, "raw_value", gettext("实际完成值“%(raw)s”的数字超出可记录的范围（整数最多14位，小数最多4位）。") % {
            "raw": raw,
        })]
    if existing is not None and (existing.raw_value, *(getattr(existing, name) for name in given)) == (raw, *given.values()):
        return None, []  # unchanged: no new history row
    actual = existing or Actual(target=target, checkpoint=checkpoint)
    actual.target = target
    actual.raw_value = raw
    for name, value in given.items():
        setattr(actual, name, value)
    actual.recorded_by = user
    try:
        # The page's selects offer only the choices; a caller of record_actuals is held to them too.
        actual.clean_fields(exclude=[f.name for f in Actual._meta.fields if f.name not in _CHOICES])
        actual.clean()
    except ValidationError as refused:
        return None, [
            _row_error(target, name, message) for name, messages in refused.message_dict.items() for message in messages
        ]
    return actual, []


def _save(actuals, user):
    for actual in actuals:
        actual._history_user = user
        actual.save()
    return actuals


@transaction.atomic
def record_actuals(table, checkpoint, entries, user):
    """Save the figures of one checkpoint for many rows of one table: all or none."""
    table = _locked_table(table, user)
    _checkpoint(checkpoint)
    existing = {a.target_id: a for a in Actual.objects.filter(target__table=table, checkpoint=checkpoint)}
    ready, errors = [], []
    for entry in entries:
        if entry.target.table_id != table.pk:
            errors.append(_row_error(entry.target, "raw_value", gettext("不属于%(table)s。") % {"table": table}))
            continue
        actual, row_errors = _prepare(entry, checkpoint, existing.get(entry.target.pk), user)
        errors.extend(row_errors)
        if actual is not None:
            ready.append(actual)
    if errors:
        raise ValidationError(errors)
    return _save(ready, user)


def record_actual(target, checkpoint, raw_value, user, deviation_reason="", improvement_measure="", **mid_year):
    """mid_year: forecast, deviation_category and possibility, as Entry names them."""
    if not _text(raw_value):
        raise ValidationError(_row_error(target, "raw_value", gettext("实际完成值不能为空。")))
    entry = Entry(target, raw_value, deviation_reason, improvement_measure, **mid_year)
    record_actuals(target.table, checkpoint, [entry], user)
    return Actual.objects.get(target=target, checkpoint=checkpoint)


@dataclass
class Cell:
    has_target: bool = False
    verdict: str = ""  # "" while nothing has been recorded
    checkpoint: str = ""


@dataclass
class AttainmentRow:
    table: TargetTable
    cells: list
    counts: dict = field(default_factory=lambda: dict.fromkeys(COUNT_KEYS, 0))


@dataclass
class Attainment:
    indicators: list  # [(indicator id, name)] in catalogue order
    rows: list
    totals: dict


def attainment(document):
    """Each table of a document × each indicator: the latest verdict (12月 over 6月), with counts per table.

    Two queries: the tables, and the targets left-joined to their actuals.
    A target with no catalogue entry counts in its table's figures but has
    no column to sit in.
    """
    tables = sorted(
        document.target_tables.select_related("prefecture"),
        key=lambda t: (t.prefecture_id is not None, t.prefecture.position if t.prefecture_id else 0),
    )
    latest = {}  # target pk -> (table pk, indicator id, checkpoint, verdict)
    indicators = {}
    rows = Target.objects.filter(table__document=document).values_list(
        "pk",
        "table_id",
        "indicator_id",
        "indicator__name",
        "indicator__position",
        "actuals__checkpoint",
        "actuals__verdict",
    )
    for pk, table_id, indicator_id, name, position, checkpoint, verdict in rows:
        if indicator_id is not None:
            indicators[indicator_id] = (position, name)
        known = latest.get(pk)
        if known is None or (checkpoint or "") > known[2]:
            latest[pk] = (table_id, indicator_id, checkpoint or "", verdict or "")

    columns = sorted(indicators, key=lambda pk: indicators[pk])
    column_of = {pk: i for i, pk in enumerate(columns)}
    by_table = {table.pk: AttainmentRow(table, [Cell() for _ in columns]) for table in tables}
    totals = dict.fromkeys(COUNT_KEYS, 0)
    for table_id, indicator_id, checkpoint, verdict in latest.values():
        row = by_table[table_id]
        key = verdict or NO_ACTUAL
        row.counts[key] += 1
        totals[key] += 1
        if indicator_id is not None:
            row.cells[column_of[indicator_id]] = Cell(True, verdict, checkpoint)
    return Attainment([(pk, indicators[pk][1]) for pk in columns], [by_table[t.pk] for t in tables], totals)
