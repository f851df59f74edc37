"""The review of an evaluation: draft → submitted → approved, or returned (reason required) and submitted again.

The region admin builds it, sets its weights before review and submits it;
the HR reviewer scores the text indicators (each with a reason), then
approves or returns it. Each step locks the row first, so two people acting at
once cannot both move it. History is kept by simple-history on every save.
"""

from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.permissions import is_hr_reviewer, is_region_admin
from evaluation.building import build, settle_total
from evaluation.models import EDITABLE, WEIGHT_FIELDS, Evaluation, EvaluationStatus, Group, IndicatorScore, Method


def can_manage(user):
    # Weights, builds and submission: the regional finance bureau keeps the evaluation, as it keeps the tables.
    return is_region_admin(user)


def can_review(user):
    return is_hr_reviewer(user)


def _locked(evaluation):
    return Evaluation.objects.select_for_update().get(pk=evaluation.pk)


def _require(evaluation, allowed, action):
    if evaluation.status not in allowed:
        raise ValidationError(
            _("该绩效自评当前状态为“%(status)s”，不能%(action)s。") % {"status": evaluation.get_status_display(), "action": action},
            code="invalid_transition",
        )


def _save(evaluation, user, reason=""):
    evaluation._history_user = user
    evaluation._change_reason = reason or None
    try:
        evaluation.save()
    finally:
        del evaluation._history_user, evaluation._change_reason
    return evaluation


def _decimal(value, label):
    text = "" if value is None else str(value).strip()
    if not text:
        raise ValidationError(_("%(label)s不能为空。") % {"label": label}, code="required")
    try:
        number = Decimal(text)
    except InvalidOperation:
        raise ValidationError(_("%(label)s“%(value)s”不是数字。") % {"label": label, "value": text}, code="not_a_number") from None
    if not number.is_finite():
        raise ValidationError(_("%(label)s“%(value)s”不是数字。") % {"label": label, "value": text}, code="not_a_number")
    if abs(number) > 100:
        raise ValidationError(_("%(label)s“%(value)s”超过100。") % {"label": label, "value": text}, code="too_large")
    if number.as_tuple().exponent < -2:
        raise ValidationError(_("%(label)s“%(value)s”最多保留两位小数。") % {"label": label, "value": text}, code="too_precise")
    return number


@transaction.atomic
def set_weights(evaluation, user, values):
    """values: {weight field: value}. Refused unless they total 100 (the message gives the sum); then rebuilt."""
    if not can_manage(user):
        raise PermissionDenied(_("只有自治区管理员可以设置权重。"))
    evaluation = _locked(evaluation)
    _require(evaluation, EDITABLE, _("修改权重（审核开始后权重不再变动）"))
    for name in WEIGHT_FIELDS:
        label = str(Evaluation._meta.get_field(name).verbose_name)
        setattr(evaluation, name, _decimal(values.get(name), label))
    evaluation.full_clean(exclude=["prefecture", "table", "reviewed_by"], validate_unique=False)
    _save(evaluation, user, _("修改权重"))
    return build(evaluation.table, evaluation.year, user)


@transaction.atomic
def rebuild(evaluation, user):
    """Computed again from the latest actuals and payments, before review."""
    if not can_manage(user):
        raise PermissionDenied(_("只有自治区管理员可以重新计算绩效自评。"))
    evaluation = _locked(evaluation)
    _require(evaluation, EDITABLE, _("重新计算"))
    return build(evaluation.table, evaluation.year, user)


@transaction.atomic
def submit(evaluation, user):
    if not can_manage(user):
        raise PermissionDenied(_("只有自治区管理员可以提交绩效自评。"))
    evaluation = _locked(evaluation)
    _require(evaluation, EDITABLE, _("提交审核"))
    _refuse_weight_without_indicators(evaluation)
    evaluation.status = EvaluationStatus.SUBMITTED
    evaluation.submitted_at = timezone.now()
    evaluation.return_reason = ""
    return _save(evaluation, user)


def _refuse_weight_without_indicators(evaluation):
    # A table without, say, 满意度 rows would lose that group's weight silently: a prefecture meeting every
    # target could not reach 100. The region admin moves the weight to the other groups first.
    present = set(evaluation.scores.values_list("group", flat=True))
    empty = [group for group in Group if evaluation.group_weight(group) and group not in present]
    if empty:
        raise ValidationError(
            _("%(groups)s下没有三级指标，其权重无处计分；请先在权重中改为 0，并分给其他组（合计仍为 100），再提交。") % {
                "groups": "、".join(f"{group.label}（{evaluation.group_weight(group)}）" for group in empty)
            },
            code="weight_without_indicators",
        )


@transaction.atomic
def score_by_reviewer(row, user, score, reason):
    """The HR reviewer's score of a text indicator: within 0..weight, with a reason."""
    if not can_review(user):
        raise PermissionDenied(_("只有人社审核员可以为文字指标评分。"))
    evaluation = _locked(row.evaluation)
    _require(evaluation, (EvaluationStatus.DRAFT, EvaluationStatus.SUBMITTED, EvaluationStatus.RETURNED), _("评分"))
    row = IndicatorScore.objects.select_for_update().get(pk=row.pk)
    if row.method != Method.REVIEWER:
        raise ValidationError(
            _("“%(wording)s”按公式计分，不由审核员评分。") % {"wording": row.wording}, code="formula_scored"
        )
    row.score = _decimal(score, _("“%(wording)s”的得分") % {"wording": row.wording})
    row.reason = (reason or "").strip()
    row.full_clean(exclude=["evaluation", "target", "scored_by"], validate_unique=False)
    row.scored_by, row.scored_at = user, timezone.now()
    row._history_user = user
    row.save()
    settle_total(evaluation)
    _save(evaluation, user)
    return row


@transaction.atomic
def approve(evaluation, user):
    if not can_review(user):
        raise PermissionDenied(_("只有人社审核员可以审核通过绩效自评。"))
    evaluation = _locked(evaluation)
    _require(evaluation, (EvaluationStatus.SUBMITTED,), _("审核通过"))
    waiting = [row.wording for row in evaluation.scores.all() if row.awaits_reviewer]
    if waiting:
        raise ValidationError(
            _("还有%(count)s项指标待审核员评分：%(names)s。") % {"count": len(waiting), "names": "；".join(waiting)},
            code="unscored",
        )
    evaluation.status = EvaluationStatus.APPROVED
    evaluation.reviewed_at, evaluation.reviewed_by = timezone.now(), user
    return _save(evaluation, user)


@transaction.atomic
def return_evaluation(evaluation, user, reason):
    if not can_review(user):
        raise PermissionDenied(_("只有人社审核员可以退回绩效自评。"))
    text = (reason or "").strip()
    if not text:
        raise ValidationError(_("退回必须填写原因。"), code="reason_required")
    evaluation = _locked(evaluation)
    _require(evaluation, (EvaluationStatus.SUBMITTED,), _("退回"))
    evaluation.status = EvaluationStatus.RETURNED
    evaluation.return_reason = text
    evaluation.reviewed_at, evaluation.reviewed_by = timezone.now(), user
    return _save(evaluation, user, text)
