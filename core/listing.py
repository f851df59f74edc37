"""Exporting a listing page's table as CSV or XLSX, its pagination, and the numbers every listing shares.

A listing answers ?_export=csv or ?_export=xlsx with the rows the page would
show, filtered and sorted as on screen, but every page of them, up to
LISTING_EXPORT_LIMIT rows. The file goes through core.safe_export, never
through django-tables2's own exporter, which writes "=…" text as a formula.

A listing never counts all its rows: COUNT(*) grows with the table (45 ms
for a million rows on PostgreSQL), the page does not. It counts up to the
export limit + 1 (one bounded query per page whatever the size): up to the
limit the page says "共 N 条" and numbers every page; above it, "超过 N 条"
(more than an export holds) and pages on lazily, reading one row ahead, as
django-tables2's LazyPaginator does.
"""

import html
from itertools import islice

from django.conf import settings
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django_tables2.paginators import LazyPaginator
from django.shortcuts import render
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.translation import gettext as _

from core.safe_export import safe_table_export

EXPORT_PARAM = "_export"
EXPORT_FORMATS = ("csv", "xlsx")


def per_page():
    return getattr(settings, "LISTING_PER_PAGE", 25)


# django-tables2 takes ?per_page= from the address: a page is never longer than this.
MAX_PER_PAGE = 100


def export_limit():
    return getattr(settings, "LISTING_EXPORT_LIMIT", 10_000)


def read_once(compute):
    """Filter choices computed on first use and kept: a filtered form reads them to validate, then to draw."""
    found = []

    def choices():
        if not found:
            found.append(compute())
        return found[0]

    return choices


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


def capped_count(rows, limit):
    """How many rows a table has, counting no further than limit (one bounded query)."""
    # A table's paginator is handed BoundRows; the queryset (or list) is two levels down.
    data = getattr(getattr(rows, "data", None), "data", rows)
    if isinstance(data, QuerySet):
        # No ordering, no annotation columns: COUNT(*) over at most limit bare keys.
        return data.order_by().values("pk")[:limit].count()
    return min(len(data), limit)


class CountedPaginator(Paginator):
    """Django's paginator, given a count already made."""

    over_cap = False

    def __init__(self, object_list, per_page, count, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self.count = count  # replaces the cached_property that would run COUNT(*)


class OverCapPaginator(LazyPaginator):
    """More rows than the cap: no total, pages found by reading one row ahead."""

    over_cap = True
    count = None


def capped_paginator(object_list, per_page, cap=None, **kwargs):
    """paginator_class for django-tables2: counted up to cap (the export limit), lazy beyond."""
    cap = export_limit() if cap is None else cap
    per_page = max(1, min(int(per_page or 1), MAX_PER_PAGE))
    count = capped_count(object_list, cap + 1)
    if count <= cap:
        return CountedPaginator(object_list, per_page, count, **kwargs)
    return OverCapPaginator(object_list, per_page, **kwargs)


def pagination():
    """The paginate= of every listing (SingleTableMixin and RequestConfig alike)."""
    return {"per_page": per_page(), "paginator_class": capped_paginator}


def listing_context(table):
    # What _listing_tools.html shows besides the filter form: the count, or that there are more than the cap.
    paginator = getattr(table, "paginator", None)
    if paginator is None:
        count, over = len(table.rows), False
    else:
        count, over = paginator.count, getattr(paginator, "over_cap", False)
    return {"result_count": count, "result_over_cap": over, "export_limit": export_limit()}


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
        return pagination()

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
