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
    return charts.line_chart(
        month_labels(), [(scope[0], scope[1:])], title=table.caption, unit="%", reference=(schedule[0], schedule[1:])
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
    return charts.bar_chart(
        [(row[0], row[4]) for row in table.rows],
        title=table.caption,
        unit="%",
        value_format=percent_label,
        max_value=HUNDRED,
    )


def draw(table):
    from oversight import charts

    return globals()["_" + table.slug.replace("-", "_")](charts, table)
