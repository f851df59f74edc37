"""The review of a target table: draft → submitted → approved (locked) or returned.

The region admin edits and submits; the HR reviewer approves or returns with
a reason, and reopens an approved table with a reason (core.permissions).

Every step first claims the version the caller saw with a conditional UPDATE
(version = expected → version + 1). Zero rows means someone else changed the
table in between, on SQLite and PostgreSQL alike, and the step is refused
before anything is written. The state is checked after the claim, so two
reviewers acting at once cannot both succeed.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _, gettext_noop

from core.permissions import can_edit_targets, can_reopen_targets, can_review_targets, can_submit_targets
from core.versioning import claim_version
from targets.models import SETTLED, Actual, TableStatus
from targets.values import split_wording

# Marked for the catalog, translated where raised: tests compare the Chinese.
STALE = gettext_noop("该表已被他人修改，请刷新后重试。")
LOCKED = gettext_noop("该表已审核通过并锁定，需由人社审核员重新打开后才能修改。")
UNDER_REVIEW = gettext_noop("该表已提交审核，审核期间不能修改；如需修改，请由人社审核员退回。")
RETURN_NEEDS_REASON = gettext_noop("退回必须填写原因。")
REOPEN_NEEDS_REASON = gettext_noop("重新打开必须填写原因。")
MAX_VALUE_LENGTH = 200


def indicator_label(target):
    """How a row is named in messages: the catalogue name, else the wording without its unit."""
    if target.indicator_id:
        return target.indicator.name
    return split_wording(target.wording)[0] or target.wording


def _status_label(status):
    return TableStatus(status).label


def _claim(table, expected_version):
    claim_version(table, table.version if expected_version is None else expected_version, _(STALE))


def _require_status(table, allowed, action):
    if table.status not in allowed:
        wanted = _("或").join(f"“{_status_label(s)}”" for s in allowed)
        raise ValidationError(
            _("该表当前状态为“%(status_label)s”，不能%(action)s（只有%(wanted)s的表可以%(action)s）。") % {
                "status_label": _status_label(table.status),
                "action": action,
                "wanted": wanted,
            },
            code="invalid_transition",
        )


def _reason(reason, message):
    text = (reason or "").strip()
    if not text:
        raise ValidationError(_(message), code="reason_required")
    return text


def _record(table, user, reason=""):
    # simple-history reads these off the instance; they must not linger into
    # the next save of the same object, or that step would show this reason.
    table._history_user = user
    table._change_reason = reason or None
    try:
        table.save()
    finally:
        del table._history_user, table._change_reason
    return table


def _transition(table, user, expected_version, *, allowed, action, to, reason="", **changes):
    """Claim the table, check it may take this step now, then move it to `to` with the changes."""
    _claim(table, expected_version)
    _require_status(table, allowed, action)
    table.status = to
    for name, value in changes.items():
        setattr(table, name, value)
    return _record(table, user, reason)


@transaction.atomic
def submit(table, user, expected_version=None):
    if not can_submit_targets(user):
        raise PermissionDenied(_("只有自治区管理员可以提交绩效目标表。"))
    # The reason of the last return stays in the history; on the table it
    # would read as if the new submission had been returned too.
    return _transition(
        table, user, expected_version, allowed=(TableStatus.DRAFT, TableStatus.RETURNED), action=_("提交审核"),
        to=TableStatus.SUBMITTED, submitted_at=timezone.now(), return_reason="",
    )


@transaction.atomic
def approve(table, user, expected_version=None):
    if not can_review_targets(user):
        raise PermissionDenied(_("只有人社审核员可以审核通过绩效目标表。"))
    return _transition(
        table, user, expected_version, allowed=(TableStatus.SUBMITTED,), action=_("审核通过"),
        to=TableStatus.APPROVED, reviewed_at=timezone.now(), reviewed_by=user,
    )


@transaction.atomic
def return_table(table, user, reason, expected_version=None):
    if not can_review_targets(user):
        raise PermissionDenied(_("只有人社审核员可以退回绩效目标表。"))
    text = _reason(reason, RETURN_NEEDS_REASON)
    return _transition(
        table, user, expected_version, allowed=(TableStatus.SUBMITTED,), action=_("退回"), to=TableStatus.RETURNED,
        reason=text, return_reason=text, reviewed_at=timezone.now(), reviewed_by=user,
    )


@transaction.atomic
def reopen(table, user, reason, expected_version=None):
    if not can_reopen_targets(user):
        raise PermissionDenied(_("只有人社审核员可以重新打开已审核通过的绩效目标表。"))
    text = _reason(reason, REOPEN_NEEDS_REASON)
    return _transition(
        table, user, expected_version, allowed=SETTLED, action=_("重新打开"), to=TableStatus.DRAFT,
        reason=text, reopen_reason=text,
    )


def _value(target, raw_value):
    text = "" if raw_value is None else str(raw_value).strip()
    if not text:
        raise ValidationError(_("%(indicator_label)s：指标值不能为空。") % {"indicator_label": indicator_label(target)}, code="required")
    if len(text) > MAX_VALUE_LENGTH:
        raise ValidationError(_("%(indicator_label)s：指标值不能超过%(max_value_length)s字。") % {"indicator_label": indicator_label(target), "max_value_length": MAX_VALUE_LENGTH}, code="max_length")
    return text


def _rejudge(target, user):
    # A changed target changes the verdict of what was already recorded
    # against it (a table reopened after monitoring began). A shortfall it
    # newly creates must be explained first, as for any recorded shortfall.
    for actual in Actual.objects.filter(target=target).order_by("checkpoint"):
        actual.target = target
        try:
            # The model's own rule (Actual.clean): a reason, a measure, and at 6月 with a forecast the category.
            actual.clean()
        except ValidationError:
            raise ValidationError(
                _("%(indicator_label)s：改为“%(raw_value)s”后，%(get_checkpoint_display)s实际完成值“%(raw_value2)s”未完成目标，请先在监控页补填偏差原因和改进措施。") % {
                    "indicator_label": indicator_label(target),
                    "raw_value": target.raw_value,
                    "get_checkpoint_display": actual.get_checkpoint_display(),
                    "raw_value2": actual.raw_value,
                },
                code="unexplained_shortfall",
            ) from None
        actual._history_user = user
        actual.save()


@transaction.atomic
def edit_targets(table, changes, user, expected_version):
    """changes: {Target: raw value}. All rows or none; one version step for the lot."""
    if not can_edit_targets(user):
        raise PermissionDenied(_("只有自治区管理员可以修改绩效目标。"))
    _claim(table, expected_version)
    if table.is_locked:
        raise ValidationError(_(LOCKED), code="locked")
    if table.status == TableStatus.SUBMITTED:
        raise ValidationError(_(UNDER_REVIEW), code="under_review")
    errors = []
    changed = []
    for target, raw_value in changes.items():
        if target.table_id != table.pk:
            errors.append(ValidationError(_("%(indicator_label)s：不属于%(table)s。") % {"indicator_label": indicator_label(target), "table": table}, code="foreign_target"))
            continue
        try:
            text = _value(target, raw_value)
        except ValidationError as error:
            errors.append(error)
            continue
        if text != target.raw_value:
            changed.append((target, text))
    if errors:
        raise ValidationError(errors)
    for target, text in changed:
        target.raw_value = text
        target._history_user = user
        target.save()  # re-derives operator, number and unit
        _rejudge(target, user)
    return table


def edit_target(table, target, raw_value, user, expected_version):
    edit_targets(table, {target: raw_value}, user, expected_version)
    return target
