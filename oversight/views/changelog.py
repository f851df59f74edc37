"""The auditors' change log page and its CSV / XLSX export.

Region-wide roles read it: auditors, region admins and HR reviewers, who see
every prefecture's data anyway and can change nothing here. A finance
officer gets a 403: the log names other prefectures' objects and users.
"""

from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

from core.access import region_wide_required
from oversight.changelog import SHANGHAI, iter_changes, log_sources, merged, resolve
from oversight.forms import ChangeLogFilter
from core.listing import EXPORT_PARAM
from core.safe_export import safe_table_export
from django.utils.translation import gettext as _

PER_PAGE = 50
EXPORT_LIMIT = 50_000
EXPORT_FORMATS = ("csv", "xlsx")
EXPORT_HEADERS = ["时间（北京时间）", "用户", "对象类型", "对象", "对象ID", "操作", "变更内容（原值 → 新值）", "原因"]


def export_rows(changes):
    for change in changes:
        yield [
            change.local_time.strftime("%Y-%m-%d %H:%M:%S"),
            change.user_label,
            str(change.model_name),
            change.object_label,
            change.object_id,
            change.action,
            change.changes_text(),
            change.reason,
        ]


@require_safe
@region_wide_required
def changelog(request):
    form = ChangeLogFilter(request.GET or None)
    # ?_export= as on every listing; ?format= is the older spelling, still answered.
    wanted = request.GET.get(EXPORT_PARAM) or request.GET.get("format", "")
    context = {"form": form, "export_limit": EXPORT_LIMIT, "errors": []}
    if wanted and wanted not in EXPORT_FORMATS:
        context["errors"].append(_("不支持的导出格式“%(wanted_20)s”，只能导出 CSV 或 XLSX。") % {"wanted_20": wanted[:20]})
    if form.is_bound and not form.is_valid():
        context["errors"] += [message for messages in form.errors.values() for message in messages]
    if context["errors"]:
        return render(request, "oversight/changelog.html", context, status=400)

    sources = log_sources(**form.filters()) if form.is_bound else log_sources()
    if wanted:
        stamp = timezone.now().astimezone(SHANGHAI).strftime("%Y%m%d-%H%M")
        rows = export_rows(iter_changes(sources, EXPORT_LIMIT))
        return safe_table_export(EXPORT_HEADERS, rows, wanted, _("变更记录_%(stamp)s") % {"stamp": stamp}, sheet_title=_("变更记录"))

    page = Paginator(merged(sources), PER_PAGE).get_page(request.GET.get("page"))
    context.update(page=page, changes=resolve(list(page.object_list), sources))
    return render(request, "oversight/changelog.html", context)
