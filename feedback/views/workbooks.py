"""附件3 as a workbook from the report page: download, and upload filled in.

Downloads use the same writer as `export_feedback`, uploads the same import
as `import_feedback` (all or nothing, every error with its sheet row). A
report is looked up through visible_to(user), so another prefecture's report
is a 404 from the query itself. Only those who may edit the report open it
(pre-filling writes); everyone else gets the same sheet with nothing written.
"""

from io import BytesIO

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, register_converter
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from core.access import app_user_required, form_methods, region_wide_required
from core.permissions import can_edit_feedback, is_region_admin
from core.safe_export import attachment_header
from feedback.forms import WorkbookUploadForm
from feedback.models import FeedbackReport
from feedback.workbook.export import month_sheets, sheet_for, write_workbook
from core.refusals import ImportRefused
from feedback.workbook.importing import import_workbook
from feedback.workbook.options import OptionError, check_not_future, parse_month

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
UPLOAD_TEMPLATE = "feedback/workbook_upload.html"


class MonthConverter:
    """'2023-07' in a URL <-> date(2023, 7, 1); '2023-13' matches nothing (404)."""

    regex = r"\d{4}-\d{2}"

    def to_python(self, value):
        return parse_month(value)  # OptionError is a ValueError: no match

    def to_url(self, value):
        return value if isinstance(value, str) else f"{value:%Y-%m}"


register_converter(MonthConverter, "feedback_month")


def _xlsx(sheets, filename):
    buffer = BytesIO()
    write_workbook(sheets, buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX_TYPE)
    response["Content-Disposition"] = attachment_header(filename)
    return response


def _refused(request, message, status):
    return render(request, "feedback/workbook_refused.html", {"message": message}, status=status)


def _visible_report(request, pk):
    reports = FeedbackReport.objects.visible_to(request.user).select_related("prefecture")
    return get_object_or_404(reports, pk=pk)


@require_safe
@app_user_required
def report_export(request, pk):
    report = _visible_report(request, pk)
    sheet = sheet_for(report.prefecture, report.month, keep=can_edit_feedback(request.user, report))
    return _xlsx([sheet], f"附件3_{report.prefecture.name}_{report.month:%Y-%m}.xlsx")


@require_safe
@region_wide_required
def month_export(request, month):
    try:
        check_not_future(month)
    except OptionError as error:
        return _refused(request, str(error), status=404)
    # Only the region admin opens (writes) reports by downloading them.
    sheets = month_sheets(month, keep=is_region_admin(request.user))
    return _xlsx(sheets, f"附件3_全区_{month:%Y-%m}.xlsx")


@form_methods
@app_user_required
def report_upload(request, pk):
    report = _visible_report(request, pk)
    if not can_edit_feedback(request.user, report):
        raise PermissionDenied
    context = {"report": report}
    if request.method != "POST":
        return render(request, UPLOAD_TEMPLATE, {**context, "form": WorkbookUploadForm(initial={"version": report.version})})

    form = WorkbookUploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return render(request, UPLOAD_TEMPLATE, {**context, "form": form})
    data = form.cleaned_data
    try:
        outcome = import_workbook(
            data["file"], report.prefecture, report.month, request.user, submit=data["submit"], page_version=data["version"]
        )
    except ImportRefused as refused:
        fresh = WorkbookUploadForm(initial={"version": data["version"] or report.version, "submit": data["submit"]})
        return render(request, UPLOAD_TEMPLATE, {**context, "form": fresh, "errors": refused.errors})
    messages.success(request, _("已从工作簿导入 %(report)s：%(summary_text)s。") % {
        "report": report,
        "summary_text": outcome.summary_text,
    })
    return redirect("feedback:report_detail", pk=report.pk)


urlpatterns = [
    path("reports/<int:pk>/export.xlsx", report_export, name="report_export"),
    path("reports/<int:pk>/upload/", report_upload, name="report_upload"),
    path("export/<feedback_month:month>.xlsx", month_export, name="month_export"),
]
