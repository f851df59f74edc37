"""The officer's 附件3 form, opening a month (viewing writes nothing), and the report history.

Every report is looked up through FeedbackReport.objects.visible_to(user):
another prefecture's report is a 404 from the query itself, for GET and POST
alike. The figures shown are computed by feedback.progress; the rules are
the workflow's, and a refusal from it is shown on the page with nothing saved.
"""

from copy import copy
from datetime import date

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Exists, F, OuterRef, Q, Subquery, Sum
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.views.decorators.http import require_safe
from django_filters.views import FilterView
from django_tables2 import SingleTableMixin

from allocations.models import Prefecture
from core import clock, formats
from core.access import AppUserRequiredMixin, app_user_required, form_methods
from core.listing import ExportableListMixin
from core.permissions import can_edit_feedback, can_review_feedback, is_region_admin, sees_all_prefectures
from feedback import completeness, history, queue, validation, workflow
from feedback.filters import ReportFilter
from feedback.forms import ReportLinesForm
from feedback.models import FeedbackLine, FeedbackReport, ReportStatus
from feedback.progress import figures, totals
from feedback.schedule import expected_progress, is_carried_over, is_lagging
from feedback.added_lines import ADDED_MARK
from feedback.validation import line_label
from feedback.tables import ReportTable
from feedback.treasury_figures import treasury_figures
from django.utils.translation import gettext as _, gettext_lazy


def _lines_sum(field):
    lines = FeedbackLine.objects.filter(report=OuterRef("pk")).order_by().values("report").annotate(total=Sum(field))
    return Subquery(lines.values("total"))


def with_totals(reports):
    """Each report annotated with the sums of its lines' 资金金额 and 实际支出金额, in SQL.

    Correlated subqueries, not a join with GROUP BY: the database sums the
    lines of the page's reports only, where a join would aggregate every
    line (a million of them) before sorting and cutting the page.
    """
    return reports.annotate(
        total_amount=_lines_sum("amount"), total_spent=_lines_sum("spent"), differs_from_treasury=_differs_from_treasury()
    )


def _differs_from_treasury():
    # A line whose 实际支出金额 is not the treasury's figure of its last save (feedback.treasury_figures.differs).
    lines = FeedbackLine.objects.filter(report=OuterRef("pk"), treasury_spent__isnull=False).filter(
        Q(spent__isnull=True) | ~Q(spent=F("treasury_spent"))
    )
    return Exists(lines)


def unavailable(request, message, status=404):
    return render(request, "feedback/unavailable.html", {"message": message}, status=status)


def may_create(user, prefecture):
    # Saving a month that has no report yet writes it: only those who may fill it in.
    return can_edit_feedback(user, FeedbackReport(prefecture_id=prefecture.pk))


@require_safe
@app_user_required
def current(request):
    user = request.user
    if sees_all_prefectures(user):
        return redirect("feedback:completeness")
    if user.prefecture_id is None:
        return unavailable(request, _("您的账号尚未绑定地（州、市），无法填写资金使用反馈表，请联系自治区管理员。"))
    month = completeness.first_of_month(clock.today())
    existing = FeedbackReport.objects.filter(prefecture_id=user.prefecture_id, month=month).first()
    if existing is not None:
        return redirect("feedback:report_detail", pk=existing.pk)
    # Viewing writes nothing: the month's page shows the unsaved form, the first save creates the report.
    return redirect(report_open_url(user.prefecture, month))


@form_methods
@app_user_required
def report_open(request, prefecture_pk, year, month):
    """A month by prefecture and month: its report, or, before the first save, the unsaved form.

    A GET writes nothing. A POST is the month's first save: the report and its
    lines are created in the same transaction as the save (workflow.create_and_save).
    """
    user = request.user
    prefecture = get_object_or_404(Prefecture.objects.visible_to(user), pk=prefecture_pk)
    if not (1 <= month <= 12 and 2000 <= year <= 2100):
        return unavailable(request, _("月份无效。"))
    wanted = date(year, month, 1)
    if wanted > completeness.first_of_month(clock.today()):
        return unavailable(request, _("%(year)s年%(month)s月尚未开始，不能填报该月的资金使用反馈表。") % {"year": year, "month": month})
    creator = may_create(user, prefecture)
    if request.method == "POST":
        if not creator:
            raise PermissionDenied
        return _first_save(request, prefecture, wanted)
    existing = FeedbackReport.objects.filter(prefecture=prefecture, month=wanted).first()
    if existing is not None:
        return redirect("feedback:report_detail", pk=existing.pk)
    if not creator:
        return unavailable(request, _("%(name)s %(year)s年%(month)s月的资金使用反馈表尚未创建。") % {
            "name": prefecture.name,
            "year": year,
            "month": month,
        })
    report, lines = workflow.unsaved_report(prefecture, wanted)
    return render(request, "feedback/report_detail.html", _detail_context(request, report, lines, None))


def _first_save(request, prefecture, month):
    report, lines = workflow.unsaved_report(prefecture, month)
    form = ReportLinesForm(request.POST, lines=lines, adding=request.POST.get("action") == ADD_LINE)
    refusal = None
    if form.is_valid():
        try:
            saved = workflow.create_and_save(
                prefecture, month, form.changes(key=lambda line: line.document_id), request.user, added=form.added()
            )
        except ValidationError as refused:
            # Rolled back whole: no report, no lines, no history.
            refusal = refused
        else:
            _say_added(request, saved, form.added())
            return _after_save(request, saved, request.POST.get("action") == "submit")
    return render(request, "feedback/report_detail.html", _detail_context(request, report, lines, form, refusal))


def _report(user, pk):
    reports = FeedbackReport.objects.visible_to(user).select_related("prefecture", "submitted_by", "reviewed_by")
    return get_object_or_404(reports, pk=pk)


@form_methods
@app_user_required
def report_detail(request, pk):
    user = request.user
    report = _report(user, pk)
    # The document gives each line its own time schedule (feedback.schedule).
    lines = list(report.lines.select_related("document").order_by("position"))
    form = None
    refusal = None
    if request.method == "POST":
        if not can_edit_feedback(user, report):
            raise PermissionDenied
        submitting = request.POST.get("action") == "submit"
        if submitting and report.status in (ReportStatus.SUBMITTED, ReportStatus.ACCEPTED):
            # A second click, or a second tab: submission is idempotent, say so and change nothing.
            return _already_submitted(request, report)
        form = ReportLinesForm(request.POST, lines=lines, adding=request.POST.get("action") == ADD_LINE)
        removed = _removed_line(request, lines)
        if form.is_valid():
            try:
                workflow.save_lines(
                    report, form.changes(), user, form.cleaned_data["version"], added=form.added(), removed=removed
                )
            except ValidationError as refused:
                refusal = refused
                # The rollback undid the version bump the workflow made on our copy.
                report = _report(user, pk)
                if submitting and report.status in (ReportStatus.SUBMITTED, ReportStatus.ACCEPTED):
                    # A double click under load: the first click's submission won the
                    # race and this one was refused as stale. Nothing is lost; say so.
                    return _already_submitted(request, report)
            else:
                _say_added(request, report, form.added())
                for line in lines:
                    if line.pk in removed:
                        messages.info(request, _("已删除自行添加的资金 %(label)s。") % {"label": line_label(line)})
                return _after_save(request, report, submitting)
    return render(request, "feedback/report_detail.html", _detail_context(request, report, lines, form, refusal))


# The 添加资金（说明1） button; a line's 删除 button posts remove_line=<its id>. Both save the form with them.
ADD_LINE = "add_line"


def _removed_line(request, lines):
    """[the id of the added line whose 删除 button was pressed], [] for any other button."""
    wanted = str(request.POST.get("remove_line", "")).strip()
    return [line.pk for line in lines if line.is_added and str(line.pk) == wanted]


def _say_added(request, report, added):
    for values in added:
        messages.info(request, _("已添加资金 %(number)s（%(mark)s），请填写其实际支出金额。") % {
            "number": values["document_number"], "mark": ADDED_MARK,
        })


def _already_submitted(request, report):
    messages.info(request, _("%(report)s 已于 %(when)s 提交，无需重复提交。") % {
        "report": report,
        "when": _when(report.submitted_at),
    })
    return redirect("feedback:report_detail", pk=report.pk)


def _after_save(request, report, submitting):
    """The lines are saved (and committed). Submitting is a step of its own: a refusal keeps the saved draft."""
    if submitting:
        try:
            workflow.submit(report, request.user, expected_version=report.version)
        except ValidationError as refused:
            messages.warning(request, _("%(report)s 已保存为草稿，但尚未提交：下方“提交前还需处理”所列问题处理后才能提交。") % {"report": report})
            if not isinstance(refused, workflow.LineProblems):
                for message in refused.messages:
                    messages.error(request, message)
            return redirect("feedback:report_detail", pk=report.pk)
    messages.success(request, _saved_message(report, submitting))
    return redirect("feedback:report_detail", pk=report.pk)


def _when(moment):
    return formats.moment(moment) if moment else ""


def _saved_message(report, submitting):
    if not submitting:
        return _("%(report)s 已保存（尚未提交）。") % {"report": report}
    late = "" if report.on_time else _("（已超过截止日期，记为逾期提交）")
    return _("%(report)s 已提交，等待自治区财政厅审核%(late)s。") % {"report": report, "late": late}


def _with_changes(lines, form):
    """Copies of the lines carrying what the refused post typed, for the warnings about submission."""
    changes = form.changes(key=lambda line: line.key)
    typed = []
    for line in lines:
        line = copy(line)
        for name, value in changes.get(line.key, {}).items():
            setattr(line, name, value)
        typed.append(line)
    return typed


def _problems(form, lines, typed, accepted, refusal):
    """(message, id of its field or None) for the 未保存 banner: the form's own errors, then the rules'.

    When the form itself has errors the workflow was not asked; the rules are
    checked here on what could be read, so every problem is listed at once.
    """
    if form is None or not form.is_bound:
        return []
    problems = form.linked_messages()
    by_key = {line.key: line for line in lines}
    line_problems = getattr(refusal, "problems", None)
    if refusal is not None and not line_problems:
        return problems + [(message, None) for message in refusal.messages]
    if refusal is None and not form.errors:
        return problems
    if line_problems is None:
        line_problems = [
            problem
            for problem in validation.report_problems(typed, accepted)
            if form.name(problem.field, by_key[problem.line.key]) not in form.errors
        ]
    for problem in line_problems:
        problems.append((problem.message, _anchor(form, problem, by_key)))
    return problems


def _anchor(form, problem, by_key):
    """The id of the input a problem is about, or None: a line being added (说明1) by the add-a-line inputs."""
    if problem.line.pk is None and problem.line.is_added:
        return form.new_line_field_id(problem.field)
    line = by_key.get(problem.line.key)
    if line is None or form.name(problem.field, line) not in form.fields:
        return None
    return form.field_id(problem.field, line)


def _detail_context(request, report, lines, form, refusal=None):
    user = request.user
    saved = report.pk is not None
    editable = report.is_editable and can_edit_feedback(user, report)
    if editable and form is None:
        form = ReportLinesForm(lines=lines, initial={"version": report.version})
    previous = history.previous_figures(report.prefecture_id, report.month)
    accepted = {document: figure.accepted for document, figure in previous.items() if figure.accepted is not None}
    typed = _with_changes(lines, form) if editable and form.is_bound else lines
    problems = _problems(form, lines, typed, accepted, refusal) if editable else []
    warnings = []
    if editable and lines and (saved or form.is_bound):
        # What submission will still ask for, said at save time; a field the form could not read is an error already.
        by_key = {line.key: line for line in lines}
        for problem in validation.submission_warnings(typed, accepted):
            line = by_key[problem.line.key]
            if form.name(problem.field, line) not in form.errors:
                warnings.append((problem.message, _anchor(form, problem, by_key)))
    messages_shown = [message for message, _anchor in problems]
    rows = []
    pairs = []
    calendar = expected_progress(report.month)
    # One grouped query over the treasury's summary: the figure each card shows beside its input (说明2).
    treasury = treasury_figures(report.prefecture_id, report.month, [line.document_id for line in lines])
    for line in lines:
        # A refused post shows what was typed, with the figures it would give.
        spent = form.typed_spent(line) if editable else line.spent
        shown = figures(line.amount, spent)
        pairs.append((line.amount, spent))
        label = f"{line_label(line)}："
        expected = expected_progress(report.month, line.document)
        before = previous.get(line.key, history.NONE)
        rows.append(
            {
                "line": line,
                "fields": form.row(line) if editable else None,
                "figures": shown,
                "expected": expected,
                "carried_over": is_carried_over(line.document, report.month),
                # Its own schedule differs from the month's (a document spread from its issue month).
                "own_schedule": expected != calendar,
                "lagging": spent is not None and is_lagging(shown.progress, report.month, line.document),
                "has_error": any(message.startswith(label) for message in messages_shown),
                "previous": before,
                "change": before.change(spent),
                "treasury": treasury.get(line.document_id),
                # Reported less the treasury's, for the reviewer beside both figures.
                "treasury_difference": _difference(spent, treasury.get(line.document_id)),
            }
        )
    reviewer = can_review_feedback(user)
    return {
        "report": report,
        "saved": saved,
        "rows": rows,
        "total": totals(pairs),
        "expected": calendar,
        "any_carried_over": any(row["carried_over"] for row in rows),
        "form": form if editable else None,
        "problems": problems,
        "warnings": warnings,
        "editable": editable,
        # 说明1: the officer adds a fund received outside this system, and removes it while the report is editable.
        "can_add_lines": editable,
        "can_accept": saved and reviewer and report.status == ReportStatus.SUBMITTED,
        "can_reopen": saved and is_region_admin(user) and report.status == ReportStatus.ACCEPTED,
        "next_report": queue.next_in_queue(user, report) if saved and sees_all_prefectures(user) else None,
        "submitted_at": _when(report.submitted_at),
        "reviewed_at": _when(report.reviewed_at),
    }


def _difference(spent, figure):
    if figure is None or spent is None or spent == figure.spent:
        return None
    return spent - figure.spent


class ReportListView(AppUserRequiredMixin, ExportableListMixin, SingleTableMixin, FilterView):
    table_class = ReportTable
    filterset_class = ReportFilter
    template_name = "feedback/report_list.html"
    export_filename = gettext_lazy("资金使用反馈表")

    def get_queryset(self):
        return with_totals(FeedbackReport.objects.visible_to(self.request.user).for_table())



report_list = ReportListView.as_view()


urlpatterns = [
    path("current/", current, name="current"),
    path("<int:prefecture_pk>/<int:year>-<int:month>/", report_open, name="report_open"),
    path("reports/", report_list, name="report_list"),
    path("reports/<int:pk>/", report_detail, name="report_detail"),
]


def report_open_url(prefecture, month):
    # Zero-padded, as the address is written: /feedback/3/2023-07/.
    return reverse("feedback:report_open", args=[prefecture.pk, month.year, f"{month.month:02d}"])
