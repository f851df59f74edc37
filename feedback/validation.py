"""What a feedback line must satisfy, with messages that name the line.

Saving a draft checks what is wrong whatever the state (an amount out of
range, an unexplained fall in cumulative spend, an unknown use). Submitting
also checks what a finished report needs: every 实际支出金额 filled in, and a
reason, a corrective measure and a deadline after the month for every line
that lags behind the time schedule. The schedule is the line's own
(feedback.schedule.expected_progress with its document): carried-over money
is due in full. A line that names the tenth use (other spending approved by
the regional government) must name the approval, whatever the state.

A line's document is read for the schedule: callers select_related it.
"""

from django.utils.translation import gettext as _

from collections import namedtuple

from allocations.models import PermittedUse
from core.formats import money
from feedback.added_lines import own_errors
from feedback.progress import figures
from feedback.schedule import expected_progress, is_carried_over, is_lagging, month_end
from feedback.treasury_figures import differs

OTHER_USE_APPROVAL_MAX_LENGTH = 200

# One problem of one line: the field it is about (so a page can link to it) and the message naming the line.
Problem = namedtuple("Problem", "line field message")


def line_label(line):
    return _("第%(position)s行 %(document_number)s") % {
        "position": line.position,
        "document_number": line.document_number,
    }


def field_errors(line, previous_spent=None, submitting=False):
    """{field name: message} for one line."""
    # An added line (说明1) first carries its own name, 文号 and amount; then the same rules as any line.
    errors = own_errors(line)
    if line.amount is None:
        return errors
    spent = line.spent
    if spent is None:
        if submitting:
            errors["spent"] = _("请填写实际支出金额")
    elif spent < 0:
        errors["spent"] = _("实际支出金额不能为负数（%(plain)s）") % {"plain": money(spent)}
    elif spent > line.amount:
        errors["spent"] = _("实际支出金额 %(plain)s 超过资金金额 %(plain2)s") % {
            "plain": money(spent),
            "plain2": money(line.amount),
        }
    elif previous_spent is not None and spent < previous_spent and not line.decrease_explanation.strip():
        errors["decrease_explanation"] = (
            _("累计实际支出 %(plain)s 低于上月已审核的 %(plain2)s，请填写支出减少说明") % {
                "plain": money(spent),
                "plain2": money(previous_spent),
            }
        )

    # An empty figure is asked for at submission (above); a typed one must agree with the treasury or say why.
    if spent is not None and "spent" not in errors and differs(line) and not (line.difference_explanation or "").strip():
        errors["difference_explanation"] = _("实际支出金额 %(plain)s 与国库集中支付数 %(plain2)s 不一致，请填写差异说明") % {
            "plain": money(spent),
            "plain2": money(line.treasury_spent),
        }

    unknown = [use for use in line.uses if use not in PermittedUse.values]
    if unknown or not isinstance(line.uses, list):
        errors["uses"] = _("资金支出方向只能是通知列明的九项用途（无法识别：%(join)s）") % {"join": '、'.join(map(str, unknown))}
    elif submitting and spent and not line.uses:
        errors["uses"] = _("已有支出，请选择资金支出方向")
    errors.update(_approval_errors(line))

    if submitting and "spent" not in errors and spent is not None:
        errors.update(_lagging_errors(line))
    return errors


def _approval_errors(line):
    approval = (line.other_use_approval or "").strip()
    chosen = isinstance(line.uses, list) and PermittedUse.OTHER_APPROVED in line.uses
    if chosen and not approval:
        return {"other_use_approval": _("资金支出方向选择了“%(use)s”，须在“批准文件”中写明自治区人民政府的批准文件（文号或名称）") % {
            "use": PermittedUse.OTHER_APPROVED.label,
        }}
    if approval and not chosen:
        return {"other_use_approval": _("填写了批准文件“%(approval)s”，但资金支出方向未选择“%(use)s”：请选择该项，或清空批准文件") % {
            "approval": approval[:40],
            "use": PermittedUse.OTHER_APPROVED.label,
        }}
    if len(approval) > OTHER_USE_APPROVAL_MAX_LENGTH:
        return {"other_use_approval": _("批准文件不能超过 %(max_length)s 字（现为 %(length)s 字）") % {
            "max_length": OTHER_USE_APPROVAL_MAX_LENGTH,
            "length": len(approval),
        }}
    return {}


def lag_description(progress, month, document):
    """"支出进度 12.06% 低于时间进度 58.33%", saying when the money is carried over."""
    values = {"progress": progress, "expected_progress": expected_progress(month, document)}
    if is_carried_over(document, month):
        return _("支出进度 %(progress)s%% 低于时间进度 %(expected_progress)s%%（结转资金）") % values
    return _("支出进度 %(progress)s%% 低于时间进度 %(expected_progress)s%%") % values


def _lagging_errors(line):
    month = line.report.month
    progress = figures(line.amount, line.spent).progress
    if not is_lagging(progress, month, line.document):
        return {}
    why = lag_description(progress, month, line.document)
    errors = {}
    if not line.reason.strip():
        errors["reason"] = _("%(why)s，须填写未按计划支出的原因") % {"why": why}
    if not line.measure.strip():
        errors["measure"] = _("%(why)s，须填写整改措施") % {"why": why}
    if line.measure_deadline is None:
        errors["measure_deadline"] = _("%(why)s，须填写整改时间") % {"why": why}
    elif line.measure_deadline <= month_end(month):
        errors["measure_deadline"] = _("整改时间须晚于 %(month_end)s") % {"month_end": f'{month_end(month):%Y-%m-%d}'}
    return errors


def report_problems(lines, previous_spent_by_document, submitting=False):
    """Every problem of every line as Problems, each message naming its line.

    previous_spent_by_document: {line key (FeedbackLine.key): cumulative spend last accepted}."""
    problems = []
    for line in lines:
        errors = field_errors(line, previous_spent_by_document.get(line.key), submitting)
        problems.extend(Problem(line, field, f"{line_label(line)}：{message}") for field, message in errors.items())
    return problems


def report_errors(lines, previous_spent_by_document, submitting=False):
    """Every problem of every line, each message naming its line."""
    return [problem.message for problem in report_problems(lines, previous_spent_by_document, submitting)]


def submission_warnings(lines, previous_spent_by_document):
    """What submitting will still ask for that saving does not: shown at save, so nothing surprises at submit."""
    at_save = {(problem.line.key, problem.field) for problem in report_problems(lines, previous_spent_by_document)}
    return [
        problem
        for problem in report_problems(lines, previous_spent_by_document, submitting=True)
        if (problem.line.key, problem.field) not in at_save
    ]
