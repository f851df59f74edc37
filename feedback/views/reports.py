"""The officer's 附件3 form, opening a month's report, and the report history.

Every report is looked up through FeedbackReport.objects.visible_to(user):
another prefecture's report is a 404 from the query itself, for GET and POST
alike. The figures shown are computed by feedback.progress; the rules are
the workflow's, and a refusal from it is shown on the page with nothing saved.
"""

from datetime import date

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import OuterRef, Subquery, Sum
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.views.decorators.http import require_safe
from django_filters.views import FilterView
from django_tables2 import SingleTableMixin

from allocations.models import Prefecture
from core import clock
from core.access import AppUserRequiredMixin, app_user_required, form_methods
from core.listing import ExportableListMixin
from core.permissions import can_edit_feedback, can_review_feedback, is_region_admin, sees_all_prefectures
from feedback import completeness, workflow
from feedback.filters import ReportFilter
from feedback.forms import ReportLinesForm
from feedback.models import FeedbackLine, FeedbackReport, ReportStatus
from feedback.progress import figures, totals
from feedback.schedule import expected_progress, is_carried_over, is_lagging
from feedback.validation import line_label
from feedback.tables import ReportTable
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
    return reports.annotate(total_amount=_lines_sum("amount"), total_spent=_lines_sum("spent"))


def unavailable(request, message, status=404):
    return render(request, "feedback/unavailable.html", {"message": message}, status=status)


def may_create(user, prefecture):
    # Opening a report that does not exist yet writes it: only those who may fill it in.
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
    report = workflow.open_report(user.prefecture, month)
    return redirect("feedback:report_detail", pk=report.pk)


@require_safe
@app_user_required
def report_open(request, prefecture_pk, year, month):
    user = request.user
    prefecture = get_object_or_404(Prefecture.objects.visible_to(user), pk=prefecture_pk)
    if not (1 <= month <= 12 and 2000 <= year <= 2100):
        return unavailable(request, _("月份无效。"))
    wanted = date(year, month, 1)
    if wanted > completeness.first_of_month(clock.today()):
        return unavailable(request, _("%(year)s年%(month)s月尚未开始，不能填报该月的资金使用反馈表。") % {"year": year, "month": month})
    existing = FeedbackReport.objects.filter(prefecture=prefecture, month=wanted).first()
    if may_create(user, prefecture):
        report = workflow.open_report(prefecture, wanted)
    elif existing is not None:
        report = existing
    else:
        return unavailable(request, _("%(name)s %(year)s年%(month)s月的资金使用反馈表尚未创建。") % {
            "name": prefecture.name,
            "year": year,
            "month": month,
        })
    return redirect("feedback:report_detail", pk=report.pk)


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
    if request.method == "POST":
        if not can_edit_feedback(user, report):
            raise PermissionDenied
        submitting = request.POST.get("action") == "submit"
        if submitting and report.status in (ReportStatus.SUBMITTED, ReportStatus.ACCEPTED):
            # A second click, or a second tab: submission is idempotent, say so and change nothing.
            return _already_submitted(request, report)
        form = ReportLinesForm(request.POST, lines=lines)
        if form.is_valid():
            try:
                _save(report, form, user, submitting)
            except ValidationError as refused:
                for message in refused.messages:
                    form.add_error(None, message)
                # The rollback undid the version bump the workflow made on our copy.
                report = _report(user, pk)
                if submitting and report.status in (ReportStatus.SUBMITTED, ReportStatus.ACCEPTED):
                    # A double click under load: the first click's submission won the
                    # race and this one was refused as stale. Nothing is lost; say so.
                    return _already_submitted(request, report)
            else:
                messages.success(request, _saved_message(report, submitting))
                return redirect("feedback:report_detail", pk=report.pk)
    return render(request, "feedback/report_detail.html", _detail_context(request, report, lines, form))


def _already_submitted(request, report):
    messages.info(request, _("%(report)s 已于 %(when)s 提交，无需重复提交。") % {
        "report": report,
        "when": _when(report.submitted_at),
    })
    return redirect("feedback:report_detail", pk=report.pk)


def _save(report, form, user, submitting):
    # Saving and submitting together: a refused submission leaves the lines as they were.
    with transaction.atomic():
        workflow.save_lines(report, form.changes(), user, form.cleaned_data["version"])
        if submitting:
            workflow.submit(report, user, expected_version=report.version)


def _when(moment):
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M") if moment else ""


def _saved_message(report, submitting):
    if not submitting:
        return _("%(report)s 已保存（尚未提交）。") % {"report": report}
    late = "" if report.on_time else _("（已超过截止日期，记为逾期提交）")
    return _("%(report)s 已提交，等待自治区财政厅审核%(late)s。") % {"report": report, "late": late}


def _detail_context(request, report, lines, form):
    user = request.user
    editable = report.is_editable and can_edit_feedback(user, report)
    if editable and form is None:
        form = ReportLinesForm(lines=lines, initial={"version": report.version})
    errors = form.all_messages() if form is not None and form.is_bound else []
    rows = []
    typed = []
    calendar = expected_progress(report.month)
    for line in lines:
        # A refused post shows what was typed, with the figures it would give.
        spent = form.typed_spent(line) if editable else line.spent
        shown = figures(line.amount, spent)
        typed.append((line.amount, spent))
        label = f"{line_label(line)}："
        expected = expected_progress(report.month, line.document)
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
                "has_error": any(message.startswith(label) for message in errors),
            }
        )
    reviewer = can_review_feedback(user)
    return {
        "report": report,
        "rows": rows,
        "total": totals(typed),
        "expected": calendar,
        "any_carried_over": any(row["carried_over"] for row in rows),
        "form": form if editable else None,
        "errors": errors,
        "editable": editable,
        "can_accept": reviewer and report.status == ReportStatus.SUBMITTED,
        "can_reopen": is_region_admin(user) and report.status == ReportStatus.ACCEPTED,
        "submitted_at": _when(report.submitted_at),
        "reviewed_at": _when(report.reviewed_at),
    }


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
