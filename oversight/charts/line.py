"""Line chart over labelled x positions (months): one line per series, a gap (None) breaks the line.

The reference (the time schedule 时间进度) is drawn dashed so it reads as a
yardstick rather than as one more series.

A partial series (figures from only some of the reports due, e.g. the current
month when k of 14 prefectures have reported) continues the first series in
its colour, dashed, with hollow points each labelled (已报 k/14): it must not
read as a fall of the whole.
"""

from decimal import Decimal

from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from oversight.charts.svg import (
    SMALL,
    Chart,
    chart_id,
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

WIDTH = 960
PLOT_HEIGHT = 240
LEGEND_ROW = 22
BOTTOM = 28
RIGHT = 16
DOT = Decimal("3.5")
SERIES_CLASSES = 8  # chart-line-1 … chart-line-8 in charts.css, then they repeat


def _runs(points):
    """Consecutive (x, y) points without a gap between them."""
    run = []
    for point in points:
        if point is None:
            if run:
                yield run
            run = []
        else:
            run.append(point)
    if run:
        yield run


def _legend(entries, y0, room):
    """Legend items laid out left to right, wrapping within room; returns (markup, height)."""
    parts, x, y = [], Decimal("0"), Decimal(y0)
    for name, css_class, dashed in entries:
        width = 28 + text_width(name, SMALL) + 18
        if x and x + width > room:
            x, y = Decimal("0"), y + LEGEND_ROW
        dash = ' stroke-dasharray="6 4"' if dashed else ""
        parts.append(
            format_html(
                '<g class="chart-legend-item"><line class="{cls}" x1="{x1}" y1="{y}" x2="{x2}" y2="{y}"{dash}/></g>',
                cls=css_class,
                x1=coord(x),
                x2=coord(x + 22),
                y=coord(y),
                dash=mark_safe(dash),
            )
        )
        parts.append(text(x + 28, y, name, "chart-legend"))
        x += width
    return join(parts), y - y0 + LEGEND_ROW


def _table(x_labels, series, reference, partial=None):
    rows = [[name] + list(values) for name, values in series]
    if reference:
        rows.insert(0, [reference[0]] + list(reference[1]))
    if partial:
        rows.append([partial[0]] + list(partial[1]))
    return ([_("系列")] + list(x_labels), rows)


def _partial_runs(values, partial):
    """Runs of partial points, each joined to the full point just before it, as (index, value, is_partial)."""
    runs, run = [], []
    for index, value in enumerate(partial):
        if value is None:
            if run:
                runs.append(run)
            run = []
            continue
        if not run and index > 0 and values[index - 1] is not None:
            run.append((index - 1, values[index - 1], False))
        run.append((index, value, True))
    if run:
        runs.append(run)
    return runs


def _draw_partial(partial, first_values, css_class, x_of, y_of, x_labels, unit):
    name, values, labels = partial
    group = [format_html('<g class="chart-series chart-partial" data-series="{}">', name)]
    for run in _partial_runs(first_values, values):
        coords = " ".join(f"{coord(x_of(index))},{coord(y_of(value))}" for index, value, _p in run)
        if len(run) > 1:
            group.append(
                format_html('<polyline class="{}" points="{}" fill="none" stroke-dasharray="6 4"/>', css_class, coords)
            )
        for index, value, is_partial in run:
            if not is_partial:
                continue
            x, y = x_of(index), y_of(value)
            group.append(
                format_html(
                    '<circle class="chart-dot chart-dot-partial {cls}" cx="{x}" cy="{y}" r="{r}">'
                    "<title>{name} · {label}：{value}{unit}（{note}）</title></circle>",
                    cls=css_class.replace("chart-line ", ""),
                    x=coord(x),
                    y=coord(y),
                    r=coord(DOT),
                    name=name,
                    label=x_labels[index],
                    value=grouped(value),
                    unit=unit,
                    note=labels[index],
                )
            )
            group.append(text(x, y - 12, labels[index], "chart-partial-label", "middle"))
    group.append(mark_safe("</g>"))
    return join(group)


def line_chart(x_labels, series, *, title, unit="", reference=None, partial=None):
    """partial: (name, values, labels) continuing the first series, dashed, each point labelled."""
    x_labels = [str(label) for label in x_labels]
    width_count = len(x_labels)

    def decimals(values):
        values = list(values)[:width_count] + [None] * max(0, width_count - len(values))
        return [None if value is None else Decimal(value) for value in values]

    series = [(str(name), decimals(values)) for name, values in series]
    reference = (str(reference[0]), decimals(reference[1])) if reference else None
    if partial and series and any(value is not None for value in partial[1]):
        labels = [str(label or "") for label in list(partial[2])[:width_count]] + [""] * width_count
        partial = (str(partial[0]), decimals(partial[1]), labels)
    else:
        partial = None
    table = _table(x_labels, series, reference, partial)
    ident = chart_id("line", title, unit, x_labels, series, reference, partial)
    lines = [
        (name, values, f"chart-line chart-line-{index % SERIES_CLASSES + 1}", False)
        for index, (name, values) in enumerate(series)
    ]
    if reference:
        lines.append((reference[0], reference[1], "chart-line chart-reference", True))
    present = [value for _name, values, _cls, _dashed in lines for value in values if value is not None]
    if partial:
        present += [value for value in partial[1] if value is not None]
    if not x_labels or not present:
        return empty("line", ident, title, WIDTH, table)

    # The legend on the left of the top row, the unit caption on its right.
    room = Decimal(WIDTH - RIGHT) - (text_width(unit, SMALL) + 60 if unit else 0)
    entries = [(name, cls, dashed) for name, _values, cls, dashed in lines]
    if partial:
        entries.insert(len(series), (partial[0], lines[0][2], True))
    legend, legend_height = _legend(entries, 10, room)
    ticks = nice_ticks(max(present), min(min(present), Decimal("0")))
    low, high = ticks[0], ticks[-1]
    # Room above the plot for a partial point's label at the top of the scale.
    plot_top = legend_height + (30 if partial else 16)
    plot_x = max(text_width(grouped(tick), SMALL) for tick in ticks) + 10
    plot_width = Decimal(WIDTH) - plot_x - RIGHT
    band = plot_width / width_count
    height = plot_top + PLOT_HEIGHT + BOTTOM

    def y_of(value):
        return plot_top + PLOT_HEIGHT - (value - low) / (high - low) * PLOT_HEIGHT

    def x_of(index):
        return plot_x + band * index + band / 2

    parts = [legend, unit_caption(unit, WIDTH - RIGHT, 10, "end")]
    for tick in ticks:
        y = y_of(tick)
        cls = "chart-axis" if tick == 0 else "chart-grid"
        parts.append(
            format_html(
                '<line class="{}" x1="{}" y1="{}" x2="{}" y2="{}"/>', cls, coord(plot_x), coord(y), WIDTH - RIGHT, coord(y)
            )
        )
        parts.append(text(plot_x - 6, y, grouped(tick), "chart-tick", "end"))
    # Too many x labels to fit: show every step-th one.
    step = 1
    while step < width_count and max(text_width(label, SMALL) for label in x_labels) + 6 > band * step:
        step += 1
    for index, label in enumerate(x_labels):
        if index % step == 0:
            parts.append(text(x_of(index), plot_top + PLOT_HEIGHT + BOTTOM // 2 + 2, label, "chart-tick", "middle"))

    for name, values, cls, dashed in lines:
        points = [None if value is None else (x_of(index), y_of(value)) for index, value in enumerate(values)]
        dash = mark_safe(' stroke-dasharray="6 4"') if dashed else ""
        group = [format_html('<g class="chart-series" data-series="{}">', name)]
        for run in _runs(points):
            coords = " ".join(f"{coord(x)},{coord(y)}" for x, y in run)
            group.append(format_html('<polyline class="{}" points="{}" fill="none"{}/>', cls, coords, dash))
        for index, value in enumerate(values):
            if value is None:
                continue
            x, y = points[index]
            group.append(
                format_html(
                    '<circle class="chart-dot {cls}" cx="{x}" cy="{y}" r="{r}">'
                    "<title>{name} · {label}：{value}{unit}</title></circle>",
                    cls=cls.replace("chart-line ", ""),
                    x=coord(x),
                    y=coord(y),
                    r=coord(DOT - (1 if dashed else 0)),
                    name=name,
                    label=x_labels[index],
                    value=grouped(value),
                    unit=unit,
                )
            )
        group.append(mark_safe("</g>"))
        parts.append(join(group))
    if partial:
        parts.append(_draw_partial(partial, series[0][1], lines[0][2], x_of, y_of, x_labels, unit))
    desc = _("折线图，横轴：%(first)s至%(last)s；系列：%(names)s") % {
        "first": x_labels[0],
        "last": x_labels[-1],
        "names": "、".join([name for name, _values, _cls, _dashed in lines] + ([partial[0]] if partial else [])),
    }
    if unit:
        desc += "；" + _("单位：%(unit)s") % {"unit": unit}
    return Chart(document("line", ident, title, desc, WIDTH, height, join(parts)), title, table)
