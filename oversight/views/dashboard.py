"""The home page: one dashboard per role (oversight.dashboard), and each chart's numbers as CSV / XLSX.

Both views build the board of the user asking, limited to the prefectures
they may see: an officer's export holds their own prefecture only, and a
chart that is not on the user's board is a 404.
"""

from django.http import Http404
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.urls import reverse
from django.views.decorators.http import require_safe

from core import clock
from core.access import app_user_required
from oversight.dashboard import CHARTS, HR, OFFICER, REGION, Board
from oversight.dashboard.cache import charts_html
from oversight.dashboard.drawing import draw
from oversight.dashboard.queries import not_met_actuals, reports_awaiting_review, returned_reports, tables_awaiting_review
from oversight.dashboard.tables import cn_date, cn_month
from core.permissions import is_region_admin
from core.safe_export import safe_table_export
from feedback.schedule import due_date

EXPORT_FORMATS = ("csv", "xlsx")


def _blocks(board):
    blocks = []
    for slug in CHARTS[board.kind]:
        table = board.table(slug)
        blocks.append(
            {
                "table": table,
                "chart": draw(table),
                "csv_url": reverse("dashboard_export", args=[slug, "csv"]),
                "xlsx_url": reverse("dashboard_export", args=[slug, "xlsx"]),
            }
        )
    return blocks


def _render_blocks(board):
    return [render_to_string("oversight/dashboard/_chart.html", {"block": block}) for block in _blocks(board)]


def _rollup_problems(document):
    from targets.rollup import NoRegionalTable, RollupVerdict, rollup

    if document is None:
        return None
    try:
        result = rollup(document)
    except NoRegionalTable as missing:
        return {"error": str(missing)}
    return {
        "shortfalls": [line for line in result.lines if line.verdict == RollupVerdict.SHORTFALL],
        "without_table": result.without_table,
        "not_in_region": result.not_in_region,
        "unmapped": len(result.unmapped),
    }


@require_safe
@app_user_required
def home(request):

    board = Board(request.user, clock.today())
    context = {"board": board, "document": board.document, "month_label": cn_month(board.month)}
    if board.kind == OFFICER:
        cell = board.current_cell() if board.prefecture else None
        context.update(
            prefecture=board.prefecture,
            current_cell=cell,
            current_due=cn_date(cell.report.due_date if cell and cell.report else due_date(board.month)),
            returned=returned_reports(board.prefectures),
        )
    elif board.kind == HR:
        context.update(
            awaiting=tables_awaiting_review(),
            rollup=_rollup_problems(board.document),
            not_met=not_met_actuals(board.document, board.checkpoint) if board.document else [],
            checkpoint_label=board.checkpoint_label,
        )
    elif board.kind == REGION:
        context.update(recent_changes=board.recent_changes())
        if is_region_admin(request.user):
            context["reports_awaiting"] = reports_awaiting_review(board.prefectures)
    # Our own template rendered this HTML (autoescaped) before it was cached.
    context["charts"] = [mark_safe(html) for html in charts_html(board, _render_blocks)]
    return render(request, f"oversight/dashboard/{board.kind}.html", context)


@require_safe
@app_user_required
def export(request, chart, fmt):

    if fmt not in EXPORT_FORMATS:
        raise Http404
    table = Board(request.user, clock.today()).table(chart)
    if table is None:
        raise Http404
    return safe_table_export(table.headers, table.export_rows(), fmt, f"dashboard-{chart}", chart[:31])
