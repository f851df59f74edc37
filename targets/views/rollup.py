"""The roll-up check and the comparison matrix of one document's target tables.

Both pages put every prefecture's targets side by side, so only region-wide
roles may open them: an officer gets a 403 whatever the document.
"""

import io

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from allocations.models import AllocationDocument
from core.access import region_wide_required
from core.safe_export import attachment_header
from targets.rollup import NoRegionalTable, RollupVerdict, check, load, matrix, write_csv


def _document(request, document_pk):
    return get_object_or_404(AllocationDocument.objects.visible_to(request.user), pk=document_pk)


def _csv_response(result):
    buffer = io.StringIO()
    # The byte-order mark lets Excel open the file as UTF-8 instead of mangling the Chinese.
    buffer.write("\ufeff")
    write_csv(result, buffer)
    response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = attachment_header(f"{result.document.number}_绩效目标汇总核对.csv")
    return response


@require_safe
@region_wide_required
def rollup_page(request, document_pk):
    document = _document(request, document_pk)
    wanted = request.GET.get("format", "")
    if wanted not in ("", "html", "csv"):
        messages.error(request, _("不支持的导出格式“%(wanted_20)s”，只能下载 CSV。") % {"wanted_20": wanted[:20]})
        return redirect("targets:rollup", document_pk=document.pk)
    try:
        result = check(load(document))
    except NoRegionalTable as refused:
        if wanted == "csv":
            messages.error(request, _("无法导出：%(refused)s") % {"refused": refused})
            return redirect("targets:rollup", document_pk=document.pk)
        return render(request, "targets/rollup.html", {"document": document, "refused": str(refused)})
    if wanted == "csv":
        return _csv_response(result)
    counts = [(verdict, sum(1 for line in result.lines if line.verdict == verdict)) for verdict in RollupVerdict]
    return render(request, "targets/rollup.html", {"document": document, "result": result, "counts": counts})


@require_safe
@region_wide_required
def matrix_page(request, document_pk):
    document = _document(request, document_pk)
    data = load(document)
    columns, rows = matrix(data)
    context = {
        "document": document,
        "columns": columns,
        "rows": rows,
        "unmapped": data.unmapped,
        "empty": not rows,
    }
    return render(request, "targets/matrix.html", context)


urlpatterns = [
    path("<int:document_pk>/rollup/", rollup_page, name="rollup"),
    path("<int:document_pk>/matrix/", matrix_page, name="matrix"),
]
