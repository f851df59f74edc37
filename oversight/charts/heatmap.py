"""Status grid (rows × columns), e.g. prefectures × months of report completeness.

Colour comes from the legend's CSS classes; every cell also carries a short
text mark and a <title> with its label, so the grid is readable without colour.
"""

import re
from decimal import Decimal

from django.utils.html import format_html
from django.utils.translation import gettext as _

from oversight.charts.svg import SMALL, Chart, chart_id, clip, coord, document, empty, join, text, text_width

WIDTH = 960
ROW = 28
HEADER = 26
LEGEND_ROW = 24
GAP = 2
NONE_MARK = "—"


def status_class(key):
    return "heat-" + re.sub(r"[^A-Za-z0-9_-]", "-", str(key))


def marks(labels):
    """A short distinct mark per label: its shortest unique prefix, or its initials if it has several words."""
    labels = [str(label) for label in labels]

    def initials(label):
        words = label.split()
        return "".join(word[0] for word in words).upper() if len(words) > 1 else None

    result = []
    for label in labels:
        words = label.split()
        candidates = [label[:size] for size in range(1, min(len(label), 3) + 1)]
        if len(words) > 1:
            # "Not required" and "Not reported" share "NR": then the last word says more ("NRe", "NRep").
            own = initials(label)
            candidates[1:1] = [own] + [own[:-1] + words[-1][:size].capitalize() for size in range(2, 5)]
        others = [other for other in labels if other != label]
        taken = set(result) | {initials(other) for other in others}
        chosen = next((c for c in candidates if c not in taken and not any(o.startswith(c) for o in others)), None)
        result.append(chosen or str(len(result) + 1))
    return result


def _table(row_labels, col_labels, cells, labels):
    rows = [
        [row] + [labels.get(key, key) if key is not None else "" for key in line] for row, line in zip(row_labels, cells)
    ]
    return ([""] + list(col_labels), rows)


def heatmap(row_labels, col_labels, cells, *, title, legend):
    row_labels = [str(label) for label in row_labels]
    col_labels = [str(label) for label in col_labels]
    legend = [tuple(entry) for entry in legend]
    labels = {entry[0]: str(entry[1]) for entry in legend}
    classes = {entry[0]: entry[2] for entry in legend}
    # A legend entry may bring its own mark as a fourth item.
    mark_of = dict(zip(labels, marks(list(labels.values()))))
    mark_of.update({entry[0]: str(entry[3]) for entry in legend if len(entry) > 3})
    table = _table(row_labels, col_labels, cells, labels)
    ident = chart_id("heat", title, row_labels, col_labels, cells)
    if not row_labels or not col_labels:
        return empty("heatmap", ident, title, WIDTH, table)

    label_width = min(max(text_width(label) for label in row_labels), Decimal(WIDTH) * Decimal("0.25")) + 10
    # Cells between 28 and 80 wide: a short grid does not stretch across the page.
    cell_width = min(max((Decimal(WIDTH) - label_width) / len(col_labels), Decimal(28)), Decimal(80))
    width = max(label_width + cell_width * len(col_labels), Decimal(WIDTH))
    grid_bottom = HEADER + ROW * len(row_labels)
    parts = []
    for column, label in enumerate(col_labels):
        shown, cut = clip(label, cell_width - 4, SMALL)
        x = label_width + cell_width * column + cell_width / 2
        parts.append(text(x, HEADER // 2, shown, "chart-tick", "middle", title=label if cut else None))
    counts = {}
    for index, row_label in enumerate(row_labels):
        y = HEADER + ROW * index
        shown, cut = clip(row_label, label_width - 10)
        parts.append(text(label_width - 8, y + ROW // 2, shown, "chart-label", "end", title=row_label if cut else None))
        line = list(cells[index]) if index < len(cells) else []
        for column, col_label in enumerate(col_labels):
            key = line[column] if column < len(line) else None
            counts[key] = counts.get(key, 0) + 1
            label = _("无数据") if key is None else labels.get(key, str(key))
            parts.append(
                format_html(
                    '<g class="heat-cell {status}"><title>{row} · {col}：{label}</title>'
                    '<rect class="{css}" x="{x}" y="{y}" width="{w}" height="{h}" rx="2"/>'
                    '<text class="heat-mark" x="{tx}" y="{ty}" text-anchor="middle" dominant-baseline="middle">'
                    "{mark}</text></g>",
                    status="heat-none" if key is None else status_class(key),
                    row=row_label,
                    col=col_label,
                    label=label,
                    css=classes.get(key, "heat-unknown") if key is not None else "heat-none-box",
                    x=coord(label_width + cell_width * column + GAP // 2),
                    y=coord(y + GAP // 2),
                    w=coord(cell_width - GAP),
                    h=ROW - GAP,
                    tx=coord(label_width + cell_width * column + cell_width / 2),
                    ty=coord(y + ROW // 2 + 1),
                    mark=NONE_MARK if key is None else mark_of.get(key, str(key)[:2]),
                )
            )

    # The legend: a swatch with the same mark, then the label; wraps to the chart's width.
    x, y = Decimal("0"), Decimal(grid_bottom + 14 + LEGEND_ROW // 2)
    for key, label, css in ((entry[0], str(entry[1]), entry[2]) for entry in legend):
        swatch = max(Decimal(22), text_width(mark_of[key], SMALL) + 8)
        item = swatch + 4 + text_width(label, SMALL) + 18
        if x and x + item > width:
            x, y = Decimal("0"), y + LEGEND_ROW
        parts.append(
            format_html(
                '<g class="heat-legend {status}"><rect class="{css}" x="{x}" y="{y}" width="{w}" height="18" rx="2"/>'
                '<text class="heat-mark" x="{tx}" y="{ty}" text-anchor="middle" dominant-baseline="middle">'
                "{mark}</text></g>",
                status=status_class(key),
                css=css,
                x=coord(x),
                y=coord(y - 9),
                w=coord(swatch),
                tx=coord(x + swatch / 2),
                ty=coord(y + 1),
                mark=mark_of[key],
            )
        )
        parts.append(text(x + swatch + 4, y, label, "chart-legend"))
        x += item
    height = y + LEGEND_ROW // 2 + 4
    # The description counts each status, in legend order, for a screen reader.
    order = list(labels)
    counted = sorted(counts.items(), key=lambda item: order.index(item[0]) if item[0] in labels else len(order))
    summary = "，".join(f"{labels.get(key, key) if key is not None else _('无数据')} {count}" for key, count in counted)
    desc = _("状态表，%(rows)d行×%(cols)d列；%(summary)s") % {
        "rows": len(row_labels),
        "cols": len(col_labels),
        "summary": summary,
    }
    return Chart(document("heatmap", ident, title, desc, width, height, join(parts)), title, table)

