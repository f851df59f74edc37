"""Shared pieces of the server-drawn SVG charts: the Chart result, escaping, scales, text sizes.

Everything a reader sees goes through format_html/escape, because labels come
from data (prefecture names, fund names typed by users). Values stay Decimal;
only geometry is rounded to short decimals for the markup.
"""

import hashlib
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

FONT = 13  # user units; the viewBox scales it with the page
SMALL = 12
EMPTY_HEIGHT = 120


@dataclass
class Chart:
    svg: SafeString
    title: str
    table: tuple  # (headers, rows): the drawn numbers as plain values, for a data table or an export


def coord(value):
    """Geometry as a short decimal: 12.3456 -> '12.35', 40.00 -> '40'."""
    text = format(Decimal(value).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP), "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def grouped(value):
    """The default value label: 13342 -> '13,342', 12.50 -> '12.5'."""
    if value is None:
        return ""
    value = Decimal(value).normalize()
    places = max(0, -value.as_tuple().exponent)
    return f"{value:,.{places}f}"


def text_width(text, size=FONT):
    # A CJK glyph is one em wide; Latin letters and digits about 0.6 em. Good enough to lay out columns.
    return sum((size if ord(char) > 0x2E80 else size * Decimal("0.6") for char in str(text)), Decimal("0"))


def clip(text, width, size=FONT):
    """The text cut with "…" to fit width, and whether it was cut."""
    text = str(text)
    if text_width(text, size) <= width:
        return text, False
    while text and text_width(text + "…", size) > width:
        text = text[:-1]
    return text + "…", True


def nice_ticks(high, low=Decimal("0")):
    """4–6 evenly spaced round ticks (1, 2, 2.5, 5 × 10ⁿ) covering low..high."""
    high, low = Decimal(high), Decimal(low)
    if high <= low:
        high = low + 1
    exponent = (high - low).adjusted() - 2
    while True:
        for mantissa in (1, 2, Decimal("2.5"), 5):
            step = Decimal(mantissa).scaleb(exponent)
            first = (low / step).to_integral_value(rounding="ROUND_FLOOR")
            last = (high / step).to_integral_value(rounding="ROUND_CEILING")
            if last - first <= 5:
                return [(first + index) * step for index in range(int(last - first) + 1)]
        exponent += 1


def chart_id(kind, *parts):
    # Deterministic, so a page renders the same markup twice; distinct per chart on the page.
    digest = hashlib.sha1(repr((kind,) + parts).encode("utf-8")).hexdigest()[:10]
    return f"chart-{kind}-{digest}"


def document(kind, ident, title, desc, width, height, body):
    return format_html(
        '<svg xmlns="http://www.w3.org/2000/svg" class="chart-svg chart-{kind}" viewBox="0 0 {w} {h}" width="100%" '
        'preserveAspectRatio="xMinYMin meet" role="img" aria-labelledby="{id}-title {id}-desc">'
        '<title id="{id}-title">{title}</title><desc id="{id}-desc">{desc}</desc>{body}</svg>',
        kind=kind,
        w=coord(width),
        h=coord(height),
        id=ident,
        title=title,
        desc=desc,
        body=body,
    )


def empty(kind, ident, title, width, table):
    message = _("无数据")
    body = format_html(
        '<rect class="chart-empty-box" x="0.5" y="0.5" width="{w}" height="{h}" rx="4"/>'
        '<text class="chart-empty" x="{x}" y="{y}" text-anchor="middle" dominant-baseline="middle">{message}</text>',
        w=coord(width - 1),
        h=coord(EMPTY_HEIGHT - 1),
        x=coord(Decimal(width) / 2),
        y=coord(EMPTY_HEIGHT // 2),
        message=message,
    )
    return Chart(document(kind, ident, title, message, width, EMPTY_HEIGHT, body), title, table)


def join(items):
    """Concatenate already-safe fragments."""
    return mark_safe("".join(items))


def text(x, y, content, css_class, anchor="start", title=None):
    tooltip = format_html("<title>{}</title>", title) if title else ""
    return format_html(
        '<text class="{}" x="{}" y="{}" text-anchor="{}" dominant-baseline="middle">{}{}</text>',
        css_class,
        coord(x),
        coord(y),
        anchor,
        tooltip,
        content,
    )


def unit_caption(unit, x=0, y=10, anchor="start"):
    if not unit:
        return ""
    return text(x, y, _("单位：%(unit)s") % {"unit": unit}, "chart-unit", anchor)

