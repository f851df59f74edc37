"""附件3 as a page to print, sign and stamp: the same sheet the workbook download writes.

The rows come from export.sheet_for with keep=False, so printing writes
nothing, and the labels are export.py's own (title block, header, notes, the
signature lines 填报单位（盖章）/ 填报人 / 联系电话 / 填报日期): the printout
and the .xlsx cannot drift apart. The form is Chinese whatever the interface
language, as the workbook is; only the page's own buttons are translated.
"""

from django.shortcuts import get_object_or_404, render
from django.urls import path
from django.views.decorators.http import require_safe

from core.access import app_user_required
from feedback.models import FeedbackReport
from feedback.progress import figures, totals
from feedback.workbook import export
from feedback.workbook.options import month_label


def _rows(sheet):
    rows = []
    for line in sheet.lines:
        rows.append(
            {
                "position": line.position,
                # Marked 结转资金 or 自行添加 (说明1) as the workbook writes it.
                "fund_name": export.fund_name_text(line, sheet.month),
                "added": line.is_added,
                "document_number": line.document_number,
                "figures": figures(line.amount, line.spent),
                "uses": export.uses_text(line),
                "reason": line.reason,
                "measure": export.measure_text(line.measure, line.measure_deadline),
            }
        )
    return rows


@require_safe
@app_user_required
def report_print(request, pk):
    report = get_object_or_404(FeedbackReport.objects.visible_to(request.user).select_related("prefecture"), pk=pk)
    sheet = export.sheet_for(report.prefecture, report.month, keep=False)
    context = {
        "report": report,
        "form": {
            "label": export.LABEL,
            "title": export.TITLE,
            "prefecture": f"{export.PREFECTURE_LABEL}{report.prefecture.name}",
            "month": f"{export.MONTH_LABEL}{month_label(report.month)}",
            "mark": f"{export.MARK_LABEL}{export.marks_text(sheet.lines)}",
            "unit": export.UNIT,
            "total_label": export.TOTAL_LABEL,
            "header": export.HEADER,
            "notes": export.NOTES,
            "signature": [label for label, _first, _last in export.SIGNATURE],
        },
        "total": totals(sheet.lines),
        "rows": _rows(sheet),
    }
    return render(request, "feedback/workbook_print.html", context)


urlpatterns = [
    path("reports/<int:pk>/print/", report_print, name="report_print"),
]
