"""The preview's chart: each prefecture's amount in this batch beside the last batch's 小计.

Drawn here rather than with oversight/charts, which this app may not import
(the two are independent apps of the top floor, .importlinter). The same
stylesheet classes (static/css/charts.css) give it the dashboards' look;
every label is escaped, since names come from data. Geometry only is
rounded; the values printed are the Decimal amounts.
"""

from decimal import ROUND_HALF_UP, Decimal

from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

WIDTH = 640
LABEL = 96
VALUE = 64
ROW = 34
BAR = 12
TOP = 30
LAST_FILL = "#9aa5b4"


def _coord(value):
    text = format(Decimal(value).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP), "f")
    return text[:-2] if text.endswith(".0") else text


def _grouped(value):
    value = Decimal(value).normalize()
    places = max(0, -value.as_tuple().exponent)
    return f"{value:,.{places}f}"


def comparison(rows, last_label=None):
    """SVG markup for rows [(name, this amount, last amount or None)]."""
    this_label, last_label = _("本批"), last_label or _("上批")
    high = max([Decimal(1)] + [Decimal(v) for _n, this, last in rows for v in (this, last) if v is not None])
    span = Decimal(WIDTH - LABEL - VALUE)
    height = TOP + ROW * len(rows) + 8
    parts = [
        format_html(
            '<rect x="{}" y="4" width="12" height="10" class="chart-bar"></rect><text x="{}" y="13" class="chart-legend">{}</text>'
            '<rect x="{}" y="4" width="12" height="10" fill="{}"></rect><text x="{}" y="13" class="chart-legend">{}</text>',
            LABEL, LABEL + 16, this_label, LABEL + 80, LAST_FILL, LABEL + 96, last_label,
        )
    ]
    for index, (name, this, last) in enumerate(rows):
        y = TOP + ROW * index
        parts.append(format_html('<text x="{}" y="{}" text-anchor="end" class="chart-label">{}</text>', LABEL - 6, _coord(y + BAR + 3), name))
        for offset, value, attributes in ((0, this, mark_safe('class="chart-bar"')), (BAR + 2, last, format_html('fill="{}"', LAST_FILL))):
            if value is None:
                continue
            width = span * Decimal(value) / high
            parts.append(format_html(
                '<rect x="{}" y="{}" width="{}" height="{}" {}><title>{} {}：{} {}</title></rect>'
                '<text x="{}" y="{}" class="chart-value">{}</text>',
                LABEL, y + offset, _coord(width), BAR, attributes, name, this_label if offset == 0 else last_label, _grouped(value), _("万元"),
                _coord(LABEL + width + 4), y + offset + BAR - 2, _grouped(value),
            ))
    body = format_html_join("", "{}", ((part,) for part in parts))
    return format_html(
        '<svg class="chart-svg chart-bar" viewBox="0 0 {} {}" role="img" aria-label="{}" xmlns="http://www.w3.org/2000/svg">{}</svg>',
        WIDTH, height, _("各地（州、市）%(this)s与%(last)s分配金额（万元）") % {"this": this_label, "last": last_label}, body,
    )
