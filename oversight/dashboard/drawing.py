"""A dashboard table drawn as its chart (oversight.charts), from the same numbers."""

from decimal import Decimal

from django.utils.translation import gettext as _

from allocations.money import grouped
from oversight.dashboard.tables import legend, month_labels, percent_label

HUNDRED = Decimal("100")


def _allocation(charts, table):
    return charts.bar_chart(
        [(row[0], row[1]) for row in table.rows], title=table.caption, unit=_("万元"), value_format=grouped
    )


def _spend_progress(charts, table):
    schedule, scope = table.rows[0], table.rows[1]
    partial = None
    if table.partial_row is not None:
        # The months only some obliged prefectures reported: dashed, each labelled 已报 k/n.
        partial = (table.rows[table.partial_row][0], table.rows[table.partial_row][1:], table.coverage_labels)
    return charts.line_chart(
        month_labels(),
        [(scope[0], scope[1:])],
        title=table.caption,
        unit="%",
        reference=(schedule[0], schedule[1:]),
        partial=partial,
    )


def _completeness(charts, table):
    return charts.heatmap(
        [row[0] for row in table.rows], table.headers[1:], table.statuses, title=table.caption, legend=legend()
    )


def _attainment(charts, table):
    return charts.bar_chart(
        [(row[0], row[4]) for row in table.rows],
        title=table.caption,
        unit="%",
        value_format=percent_label,
        max_value=HUNDRED,
    )


def _fund_lines(charts, table):
    # Each bar labelled by its fund and 文号 in full, above the bar; the line's time schedule as a tick; lagging bars
    # in the highlight colour.
    labels = [f"{row[0]}（{row[1]}）" for row in table.rows]
    lagging = [label for index, label in enumerate(labels) if (index, 4) in table.flagged]
    return charts.bar_chart(
        [(label, row[4]) for label, row in zip(labels, table.rows)],
        title=table.caption,
        unit="%",
        value_format=percent_label,
        max_value=HUNDRED,
        markers=[row[5] for row in table.rows],
        marker_label=_("时间进度"),
        labels_above=True,
        highlight=lagging,
    )


def draw(table):
    from oversight import charts

    return globals()["_" + table.slug.replace("-", "_")](charts, table)
