"""The flow page of a regional document (通知第三条 流向明确), and its table as CSV / XLSX.

Everyone who sees the document sees its flow; an officer sees only their own
prefecture's counties and 小计 (no 合计 of others). A 转下达 shows its parent's
flow: the summary is kept by regional document.
"""

from datetime import date

from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from allocations.models import AllocationDocument
from core import clock
from core.access import app_user_required
from core.listing import EXPORT_PARAM, bad_format_message, wanted_format
from core.permissions import scoped_prefecture_id
from core.safe_export import table_file_response
from oversight.flow import export_content, page_parts


def _month(request, document):
    """?month=YYYY-MM, else this month, or December of the document's year once that year is over."""
    wanted = request.GET.get("month", "")
    try:
        year, number = (int(part) for part in wanted.split("-"))
        return date(year, number, 1), ""
    except ValueError:
        error = _("月份“%(wanted)s”无效，应为 YYYY-MM，已显示默认月份。") % {"wanted": wanted[:20]} if wanted else ""
    today = clock.today()
    if today.year > document.year:
        return date(document.year, 12, 1), error
    return date(today.year, today.month, 1), error


@require_safe
@app_user_required
def document_flow(request, pk):
    user = request.user
    # 1 query: the document (visible_to keeps an officer from other prefectures' 转下达).
    document = get_object_or_404(AllocationDocument.objects.visible_to(user).select_related("parent"), pk=pk)
    if document.parent_id:
        return redirect(reverse("document_flow", args=[document.parent_id]) + _query(request))
    month, month_error = _month(request, document)
    scope = scoped_prefecture_id(user)
    prefecture_ids = None if scope is None else [scope]
    wanted = wanted_format(request)
    if wanted:
        stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
        return table_file_response(
            export_content(document, month, wanted, prefecture_ids), wanted,
            f"{_('资金流向')}_{document.number}_{month:%Y-%m}_{stamp}",
        )
    context = {
        **page_parts(document, month, prefecture_ids),
        "document": document,
        "month": month,
        "month_value": f"{month:%Y-%m}",
        "month_error": month_error,
        "export_param": EXPORT_PARAM,
        "export_error": bad_format_message(request) if wanted is None else "",
    }
    return render(request, "oversight/flow.html", context, status=400 if wanted is None else 200)


def _query(request):
    return "?" + request.GET.urlencode() if request.GET else ""
