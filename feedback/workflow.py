"""A monthly report's life: open (pre-filled), save, submit, accept or return, reopen.

Every write is a conditional "UPDATE … WHERE version = n" on the report, so
two people saving the same report cannot overwrite each other: the save made
from the stale page changes no row and is refused. This works the same on
SQLite and PostgreSQL, where select_for_update alone would not.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext, gettext_noop
from simple_history.utils import bulk_create_with_history

from core.permissions import can_edit_feedback, can_review_feedback, is_region_admin
from core.versioning import claim_version
from feedback import added_lines
from feedback.models import FeedbackLine, FeedbackReport, ReportStatus
from feedback.obligations import received_subtotals
from feedback.schedule import due_date
from feedback.treasury_figures import prefill, refresh, treasury_figures
from feedback.validation import Problem, line_label, report_problems

EDITABLE_FIELDS = (
    "spent", "uses", "other_use_approval", "reason", "measure", "measure_deadline", "decrease_explanation",
    "difference_explanation",
)
# Marked for the catalog, translated where raised: tests compare the Chinese.
STALE_MESSAGE = gettext_noop("该反馈表已被他人修改，您的保存未生效。请刷新页面后重新填写。")


class LineProblems(ValidationError):
    """A refusal by the line rules: the messages as any ValidationError, and the Problems (line, field) behind
    them, so a page can link each message to its field."""

    def __init__(self, problems):
        super().__init__([problem.message for problem in problems])
        self.problems = problems


def fund_label(document):
    # 附件3 names the fund as the allocation table titles it, less "分配表":
    # 2023年中央财政就业补助资金（第二批）.
    title = document.table_title or f"{document.year}年{document.fund.name}"
    return title.removesuffix("分配表")


def _line(report, subtotal, position):
    document = subtotal.document
    return FeedbackLine(
        report=report,
        document=document,
        fund_name=fund_label(document),
        document_number=document.number,
        amount=subtotal.declared_amount,
        direct_mark=document.direct_mark,
        position=position,
    )


def unsaved_report(prefecture, month):
    """The month's report as it would be opened, built in memory: (report, lines), nothing written.

    Looking at a month that has no report yet must not create one (issue 14):
    the page shows this, and the first save writes it (create_and_save).
    """
    month = month.replace(day=1)
    report = FeedbackReport(prefecture=prefecture, month=month, due_date=due_date(month))
    lines = [_line(report, subtotal, position) for position, subtotal in enumerate(received_subtotals(prefecture, month), 1)]
    return report, _prefilled(prefecture, month, lines)


def _prefilled(prefecture, month, lines):
    # 说明2: the treasury's payments are the authority for 实际支出金额; a new line starts from them.
    figures = treasury_figures(prefecture.pk, month, [line.document_id for line in lines])
    return prefill(lines, figures)


def _open(prefecture, month):
    month = month.replace(day=1)
    report, created = FeedbackReport.objects.get_or_create(
        prefecture=prefecture, month=month, defaults={"due_date": due_date(month)}
    )
    # Two openings at once (a second tab, the officer and an admin) after a new
    # document was issued would both add its line: the second insert breaks the
    # one-line-per-document constraint, a 500. Holding the report's row makes
    # the second wait, then see the first one's lines.
    report = FeedbackReport.objects.select_for_update().get(pk=report.pk)
    if not report.is_editable:
        return report, created
    have = set(report.lines.values_list("document_id", flat=True))
    # After the lines already there, the officer's added ones (说明1) included.
    position = max(report.lines.values_list("position", flat=True), default=0)
    new_lines = []
    for subtotal in received_subtotals(prefecture, month):
        if subtotal.document_id in have:
            continue
        position += 1
        new_lines.append(_line(report, subtotal, position))
    bulk_create_with_history(_prefilled(prefecture, month, new_lines), FeedbackLine)
    return report, created


@transaction.atomic
def open_report(prefecture, month):
    """The (prefecture, month) report, created and pre-filled on first opening.

    Documents issued after the report was opened are added while it is still
    editable; lines already there are never touched. The pages no longer call
    this on a GET (viewing writes nothing); the first save does, through
    create_and_save, and the 附件3 export and import still do.
    """
    return _open(prefecture, month)[0]


# A report opened (by the workbook export) but never saved is at this version; the first save makes it 2.
NEVER_SAVED = 1
# Marked for the catalog, translated where raised: tests compare the Chinese.
CREATED_MEANWHILE = gettext_noop("该月反馈表已由他人先行保存，您的保存未生效。请刷新页面后重新填写。")


@transaction.atomic
def create_and_save(prefecture, month, changes, user, added=()):
    """The first save of a month: create the report and its lines and save changes, in one transaction.

    changes: {document id: {field: value}}, as the unsaved form knows its
    lines by their document; added: lines the officer adds (save_lines). A
    refusal (a rule, or someone who saved this month first) rolls the
    creation back with it: nothing is written.
    """
    if not can_edit_feedback(user, FeedbackReport(prefecture_id=prefecture.pk)):
        raise PermissionDenied
    report, created = _open(prefecture, month)
    if not created and report.version != NEVER_SAVED:
        # Two first saves at once: the second finds the first one's report, saved.
        raise ValidationError(gettext(CREATED_MEANWHILE), code="stale")
    line_ids = dict(report.lines.values_list("document_id", "pk"))
    by_line = {line_ids[document_id]: values for document_id, values in changes.items() if document_id in line_ids}
    return save_lines(report, by_line, user, NEVER_SAVED, added=added)


def previous_accepted_spent(report):
    """{line key (FeedbackLine.key): cumulative spend} from the latest accepted earlier report."""
    earlier = (
        FeedbackReport.objects.filter(prefecture=report.prefecture_id, month__lt=report.month, status=ReportStatus.ACCEPTED)
        .order_by("-month")
        .first()
    )
    if earlier is None:
        return {}
    found = earlier.lines.values_list("document_id", "document_number", "spent")
    return {added_lines.line_key(d, n): s for d, n, s in found if s is not None}


def _claim(report, expected_version, reason="", **changes):
    """Bump the version if nobody else has (refusing a stale write), then save
    the changes through save() so that the history records them."""
    claim_version(report, expected_version, gettext(STALE_MESSAGE))
    for name, value in changes.items():
        setattr(report, name, value)
    if reason:
        report._change_reason = reason
    report.save(update_fields=list(changes) or ["version"])
    return report


def _check_editable(report, user):
    if not can_edit_feedback(user, report):
        raise PermissionDenied
    if report.is_locked:
        raise ValidationError(gettext("%(report)s 已审核通过并锁定，需由自治区管理员重新打开后才能修改。") % {"report": report})
    if not report.is_editable:
        raise ValidationError(gettext("%(report)s 已提交，等待审核，不能修改。") % {"report": report})


@transaction.atomic
def save_lines(report, changes, user, expected_version, added=(), removed=()):
    """Save the lines' editable fields, add the officer's lines and remove added ones: all or nothing.

    changes: {line id: {field: value}} for the editable fields only (an added
    line's own name, amount and mark too: they are the officer's). added:
    [{field: value}] of new added lines (说明1: fund_name, document_number,
    amount, direct_mark, and any editable field). removed: ids of added
    lines to remove. One version claim covers it all.
    """
    _check_editable(report, user)
    # The document gives each line its own time schedule (validation).
    lines = list(report.lines.select_related("report", "document").order_by("position"))
    by_id = {line.pk: line for line in lines}
    gone = _removed(report, by_id, removed)
    lines = [line for line in lines if line.pk not in gone]
    for line_id, values in changes.items():
        line = by_id.get(line_id)
        if line is None:
            raise ValidationError(gettext("第%(line_id)s号明细不属于 %(report)s。") % {"line_id": line_id, "report": report})
        if line.pk in gone:
            continue
        for name in EDITABLE_FIELDS + (ADDED_LINE_FIELDS if line.is_added else ()):
            if name in values:
                setattr(line, name, values[name])
    new_lines = _new_lines(report, lines, added)
    lines += new_lines
    # A figure that differs from the treasury's as it stands now needs a 差异说明 (validation).
    before = {line.pk: line.treasury_spent for line in lines}
    refresh(lines, report.prefecture_id, report.month)
    problems = _conflicts(report, lines) + report_problems(lines, previous_accepted_spent(report))
    if problems:
        raise LineProblems(problems)
    _claim(report, expected_version)
    for line in lines:
        if line.pk is None:
            continue
        fields = [
            name for name in EDITABLE_FIELDS + (ADDED_LINE_FIELDS if line.is_added else ())
            if name in changes.get(line.pk, {})
        ]
        if line.treasury_spent != before[line.pk]:
            fields.append("treasury_spent")
        if fields:
            line.save(update_fields=fields)
    for line_id in gone:
        by_id[line_id].delete()
    if gone:
        _renumber(lines)
    for line in new_lines:
        line.save()
    return report


# What an added line (说明1) carries itself, besides the editable fields; a system line copies them from its document.
ADDED_LINE_FIELDS = ("fund_name", "amount", "direct_mark")


def _removed(report, by_id, removed):
    """The ids of the added lines to remove: only lines of this report that the officer added."""
    gone = set()
    for line_id in removed:
        line = by_id.get(line_id)
        if line is None:
            raise ValidationError(gettext("第%(line_id)s号明细不属于 %(report)s。") % {"line_id": line_id, "report": report})
        if not line.is_added:
            raise ValidationError(
                gettext("%(label)s 是本系统下达的资金，不能删除；只能删除自行添加的资金。") % {"label": line_label(line)}
            )
        gone.add(line.pk)
    return gone


def _new_lines(report, lines, added):
    position = max((line.position for line in lines), default=0)
    new_lines = []
    for values in added:
        position += 1
        line = FeedbackLine(report=report, document=None, position=position, direct_mark=added_lines.MARK_CHOICES[0][0])
        for name in EDITABLE_FIELDS + added_lines.OWN_FIELDS:
            if name in values:
                setattr(line, name, values[name])
        line.fund_name = (line.fund_name or "").strip()
        line.document_number = (line.document_number or "").strip()
        new_lines.append(line)
    return new_lines


def _conflicts(report, lines):
    """An added line whose 文号 is another line's, or a document this system issued to the prefecture."""
    added = [line for line in lines if line.is_added]
    if not added:
        return []
    issued = added_lines.issued_numbers(report.prefecture_id)
    problems = []
    for line in added:
        # Each pair once: the later line is the one refused, naming the earlier.
        earlier = [other for other in lines if other.position < line.position]
        message = added_lines.conflict(line, earlier, report.prefecture_id, report.prefecture.name, issued)
        if message:
            problems.append(Problem(line, "document_number", f"{line_label(line)}：{message}"))
    return problems


def _renumber(lines):
    # 序号 stays 1…n after a removal: messages and the workbook name lines by it.
    for position, line in enumerate(sorted(lines, key=lambda line: line.position), 1):
        if line.position != position:
            line.position = position
            if line.pk is not None:
                line.save(update_fields=["position"])


@transaction.atomic
def submit(report, user, expected_version=None, at=None):
    """Submit for review. Submitting an already submitted report changes nothing."""
    if report.status in (ReportStatus.SUBMITTED, ReportStatus.ACCEPTED):
        return report
    _check_editable(report, user)
    # The document gives each line its own time schedule (validation).
    lines = list(report.lines.select_related("report", "document").order_by("position"))
    if not lines:
        raise ValidationError(gettext("%(report)s 没有任何资金明细，无需提交。") % {"report": report})
    problems = report_problems(lines, previous_accepted_spent(report), submitting=True)
    if problems:
        raise LineProblems(problems)
    at = at or timezone.now()
    on_time = timezone.localdate(at) <= report.due_date
    return _claim(
        report,
        _version(report, expected_version),
        status=ReportStatus.SUBMITTED,
        submitted_at=at,
        submitted_by=user,
        on_time=on_time,
        return_reason="",
    )


def _version(report, expected_version):
    return report.version if expected_version is None else expected_version


def _require_status(report, status, message):
    # message: a translated text with %(report)s and %(get_status_display)s.
    if report.status != status:
        raise ValidationError(message % {"report": report, "get_status_display": report.get_status_display()})


def _required_reason(reason, message):
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(message)
    return reason


@transaction.atomic
def accept(report, user, expected_version=None):
    if not can_review_feedback(user):
        raise PermissionDenied
    _require_status(report, ReportStatus.SUBMITTED, gettext("%(report)s 当前状态为“%(get_status_display)s”，只有已提交的反馈表才能审核通过。"))
    return _claim(
        report,
        _version(report, expected_version),
        status=ReportStatus.ACCEPTED,
        reviewed_at=timezone.now(),
        reviewed_by=user,
    )


def _step_with_reason(report, expected_version, reason, needs_reason, source, wrong_status, reason_field, **changes):
    # Returning and reopening alike: a reason, the right state, then the claim that records both.
    reason = _required_reason(reason, needs_reason)
    _require_status(report, source, wrong_status)
    return _claim(report, _version(report, expected_version), reason=reason, **{reason_field: reason}, **changes)


@transaction.atomic
def return_report(report, user, reason, expected_version=None):
    if not can_review_feedback(user):
        raise PermissionDenied
    return _step_with_reason(
        report, expected_version, reason, gettext("退回必须填写原因。"),
        ReportStatus.SUBMITTED, gettext("%(report)s 当前状态为“%(get_status_display)s”，只有已提交的反馈表才能退回。"),
        "return_reason", status=ReportStatus.RETURNED, reviewed_at=timezone.now(), reviewed_by=user,
    )


@transaction.atomic
def reopen(report, user, reason, expected_version=None):
    if not is_region_admin(user):
        raise PermissionDenied
    return _step_with_reason(
        report, expected_version, reason, gettext("重新打开必须填写原因。"),
        ReportStatus.ACCEPTED, gettext("%(report)s 当前状态为“%(get_status_display)s”，只有已审核通过的反馈表需要重新打开。"),
        "reopen_reason", status=ReportStatus.DRAFT,
    )
