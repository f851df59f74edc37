"""Exporting a listing page's table as CSV or XLSX, and the numbers every listing shares.

A listing answers ?_export=csv or ?_export=xlsx with the rows the page would
show, filtered and sorted as on screen, but every page of them, up to
LISTING_EXPORT_LIMIT rows. The file goes through core.safe_export, never
through django-tables2's own exporter, which writes "=…" text as a formula.
"""

import html
from itertools import islice

from django.conf import settings
from django.shortcuts import render
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.translation import gettext as _

from core.safe_export import safe_table_export

EXPORT_PARAM = "_export"
EXPORT_FORMATS = ("csv", "xlsx")


def per_page():
    return getattr(settings, "LISTING_PER_PAGE", 25)


def export_limit():
    return getattr(settings, "LISTING_EXPORT_LIMIT", 10_000)


def wanted_format(request):
    """The format asked for: "" for the page itself, None for a format we do not write."""
    wanted = request.GET.get(EXPORT_PARAM, "")
    if wanted and wanted not in EXPORT_FORMATS:
        return None
    return wanted


def bad_format_message(request):
    return _("不支持的导出格式“%(wanted)s”，只能导出 CSV 或 XLSX。") % {"wanted": request.GET.get(EXPORT_PARAM, "")[:20]}


def table_rows(table, limit):
    """Header and rows of a sorted, unpaginated table, at most limit rows.

    The data is cut after RequestConfig has sorted it, so the first rows of
    the export are the first rows of the page.
    """
    table.data.data = table.data.data[:limit]
    # as_values yields the header first; columns with an empty header (links, buttons) are left out.
    exclude = [column.name for column in table.columns if not str(column.header).strip()]
    values = table.as_values(exclude_columns=exclude)
    header = next(values)
    return header, ([_plain(cell) for cell in row] for row in islice(values, limit))


def _plain(cell):
    # A table's render_<name> may return HTML (a status badge, a link); the file gets its text.
    return html.unescape(strip_tags(cell)) if isinstance(cell, str) else cell


def export_table(table, file_format, filename, sheet_title):
    header, rows = table_rows(table, export_limit())
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    return safe_table_export(header, rows, file_format, f"{filename}_{stamp}", sheet_title=sheet_title)


def listing_context(table):
    # What _listing_tools.html shows besides the filter form.
    paginator = getattr(table, "paginator", None)
    count = paginator.count if paginator is not None else len(table.rows)
    return {"result_count": count, "export_limit": export_limit()}


class ExportableListMixin:
    """For SingleTableMixin views: ?_export=csv|xlsx answers with the whole filtered table.

    export_filename names the file (a timestamp is added) and the sheet.
    """

    export_filename = "导出"
    table_pagination = None

    def exporting(self):
        return bool(self.request.GET.get(EXPORT_PARAM))

    def get_table_pagination(self, table):
        if self.exporting():
            return False
        return {"per_page": per_page()}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if not self.exporting():
            context.update(listing_context(context["table"]))
        return context

    def render_to_response(self, context, **response_kwargs):
        wanted = wanted_format(self.request)
        if wanted is None:
            # The page as it is, with the refusal where the buttons are.
            table = context["table"]
            context.update(export_error=bad_format_message(self.request), **listing_context(table))
            return render(self.request, self.get_template_names(), context, status=400)
        if wanted:
            name = str(self.export_filename)
            return export_table(context["table"], wanted, name, name)
        return super().render_to_response(context, **response_kwargs)
