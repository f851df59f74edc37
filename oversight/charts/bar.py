"""Horizontal bar chart: one bar per label, in the given order, the value printed at the bar's end.

Options: a marker per bar (a reference such as the time schedule 时间进度, drawn
as a tick across the bar and named in a legend), and labels above the bars
for long names (fund names), which then are never cut.
"""

from decimal import Decimal

from django.utils.html import format_html
from django.utils.translation import gettext as _

from oversight.charts.svg import (
    FONT,
    SMALL,
    Chart,
    chart_id,
    clip,
    coord,
    document,
    empty,
    grouped,
    join,
    nice_ticks,
    text,
    text_width,
    unit_caption,
)

WIDTH = 480
ROW = 26
BAR = 16
TOP = 24  # the unit caption
BOTTOM = 24  # the scale's tick labels
GAP = 8


def _highlighted(highlight):
    if highlight is None:
        return set()
    return {highlight} if isinstance(highlight, str) else set(highlight)


def _table(items, unit):
    value_header = _("数值（%(unit)s）") % {"unit": unit} if unit else _("数值")
    return ([_("名称"), value_header], [[label, value] for label, value in items])


def _description(items, fmt, unit):
    present = [(label, value) for label, value in items if value is not None]
    parts = [_("条形图，共%(count)d项") % {"count": len(items)}]
    if present:
        top = max(present, key=lambda item: item[1])
        bottom = min(present, key=lambda item: item[1])
        parts.append(_("最大：%(label)s %(value)s") % {"label": top[0], "value": fmt(top[1])})
        parts.append(_("最小：%(label)s %(value)s") % {"label": bottom[0], "value": fmt(bottom[1])})
    if unit:
        parts.append(_("单位：%(unit)s") % {"unit": unit})
    return "；".join(parts)


def _marker_legend(label, y):
    return join([
        format_html('<line class="chart-marker-legend" x1="{x}" y1="{y1}" x2="{x}" y2="{y2}"/>', x=WIDTH - 150, y1=y - 7, y2=y + 7),
        text(WIDTH - 144, y, label, "chart-legend"),
    ])


def bar_chart(
    items, *, title, unit="", value_format=None, highlight=None, max_value=None, markers=None, marker_label="",
    labels_above=False,
):
    """markers: a reference value per item (or None), drawn as a tick named marker_label in the legend."""
    items = [(str(label), None if value is None else Decimal(value)) for label, value in items]
    markers = [None if m is None else Decimal(m) for m in (markers or [])] + [None] * len(items)
    markers = markers[: len(items)]
    fmt = value_format or grouped
    table = _table(items, unit)
    if any(m is not None for m in markers):
        table[0].append(marker_label)
        for row, marker in zip(table[1], markers):
            row.append(marker)
    ident = chart_id("bar", title, unit, items, markers, labels_above)
    values = [value for _label, value in items if value is not None]
    if not values:
        return empty("bar", ident, title, WIDTH, table)

    marked = [m for m in markers if m is not None]
    high = max(values + marked + ([Decimal(max_value)] if max_value is not None else []))
    ticks = nice_ticks(high, min(min(values), Decimal("0")))
    low, top = ticks[0], ticks[-1]
    if labels_above:
        label_width = Decimal(0)
    else:
        label_width = min(max(text_width(label) for label, _value in items), Decimal(WIDTH) * Decimal("0.3")) + GAP
    # Room for the value after a bar or after its marker, whichever ends further right.
    value_width = max(text_width(fmt(value), SMALL) for value in values) + GAP + 6
    plot_x = label_width + GAP
    plot_width = Decimal(WIDTH) - plot_x - value_width
    row_height = ROW + (FONT + 4 if labels_above else 0)
    height = TOP + row_height * len(items) + BOTTOM

    def x_of(value):
        return plot_x + (value - low) / (top - low) * plot_width

    zero_x = x_of(Decimal("0"))
    plot_bottom = TOP + row_height * len(items)
    parts = [unit_caption(unit, 0, TOP // 2 - 2)]
    if marked and marker_label:
        parts.append(_marker_legend(marker_label, TOP // 2 - 2))
    for tick in ticks:
        x = x_of(tick)
        parts.append(
            format_html(
                '<line class="chart-grid" x1="{x}" y1="{y1}" x2="{x}" y2="{y2}"/>',
                x=coord(x),
                y1=TOP - 4,
                y2=plot_bottom,
            )
        )
        parts.append(text(x, plot_bottom + BOTTOM // 2 + 2, grouped(tick), "chart-tick", "middle"))

    chosen = _highlighted(highlight)
    for index, (label, value) in enumerate(items):
        extra = " chart-highlight" if label in chosen else ""
        if labels_above:
            # The whole name on its own line above the bar, never cut: a fund is known by its full name.
            top_of_row = Decimal(TOP + row_height * index)
            parts.append(text(plot_x, top_of_row + FONT // 2 + 2, label, "chart-label chart-label-above" + extra))
            centre = top_of_row + FONT + 4 + ROW // 2
        else:
            centre = Decimal(TOP + ROW * index + ROW // 2)
            shown, cut = clip(label, label_width - GAP)
            parts.append(text(label_width, centre, shown, "chart-label" + extra, "end", title=label if cut else None))
        if value is None:
            parts.append(text(zero_x + 4, centre, "—", "chart-value chart-missing", title=_("无数据")))
            continue
        start, end = sorted((zero_x, x_of(value)))
        parts.append(
            format_html(
                '<rect class="chart-bar{extra}" x="{x}" y="{y}" width="{w}" height="{h}">'
                "<title>{label}：{value}</title></rect>",
                extra=extra,
                x=coord(start),
                y=coord(centre - BAR // 2),
                w=coord(end - start),
                h=BAR,
                label=label,
                value=fmt(value),
            )
        )
        # The value after the bar, or after its marker when the marker lies beyond the bar's end.
        after = max(end, x_of(markers[index]) + 2) if markers[index] is not None else end
        parts.append(text(after + 4, centre, fmt(value), "chart-value" + extra))
        if markers[index] is not None:
            x = x_of(markers[index])
            parts.append(
                format_html(
                    '<line class="chart-marker" x1="{x}" y1="{y1}" x2="{x}" y2="{y2}">'
                    "<title>{label}：{name} {value}</title></line>",
                    x=coord(x),
                    y1=coord(centre - BAR // 2 - 3),
                    y2=coord(centre + BAR // 2 + 3),
                    label=label,
                    name=marker_label,
                    value=fmt(markers[index]),
                )
            )
    parts.append(
        format_html(
            '<line class="chart-axis" x1="{x}" y1="{y1}" x2="{x}" y2="{y2}"/>',
            x=coord(zero_x),
            y1=TOP - 4,
            y2=plot_bottom,
        )
    )
    svg = document("bar", ident, title, _description(items, fmt, unit), WIDTH, height, join(parts))
    return Chart(svg, title, table)

