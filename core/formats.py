"""One way to write figures and dates on pages (issue 14.7).

Money in 万元 with thousands separators and two decimals (72,988.00); dates as
the reader writes them: 2023年6月5日 and 2023年6月 in Chinese, ISO dates and
named months (Jun 2023) in English. Counts and quantities in other units get
separators and only the decimals they have.
Exports write plain numbers and ISO dates instead: a spreadsheet sums them.
"""

from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from django.utils import timezone, translation

# Fixed English abbreviations: the month must not depend on the server's locale.
MONTH_NAMES = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def _chinese():
    return (translation.get_language() or "zh-hans").startswith("zh")


def _decimal(value):
    if value is None or value == "":
        return None
    try:
        return Decimal(str(value)) if isinstance(value, float) else Decimal(value)
    except (InvalidOperation, TypeError, ValueError):
        return None


def money(value):
    number = _decimal(value)
    # Text that is not a number (a target's 解读 such as "≥95%") is shown as it is.
    return ("" if value is None else str(value)) if number is None else f"{number:,.2f}"


def number(value):
    """A count or a quantity: separators, and only the decimals it has (123,000; 1,234.5)."""
    figure = _decimal(value)
    if figure is None:
        return "" if value is None else str(value)
    figure = figure.quantize(1) if figure == figure.to_integral_value() else figure.normalize()
    return f"{figure:,f}"


def quantity(value, unit):
    """A figure in its unit: 万元 as money, anything else (人次, %, 个) as a number."""
    return money(value) if unit == "万元" else number(value)


def _local_date(value):
    if isinstance(value, datetime):
        return timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    return value


def day(value):
    if not isinstance(value, date):
        return "" if value is None else str(value)
    value = _local_date(value)
    return f"{value.year}年{value.month}月{value.day}日" if _chinese() else value.isoformat()


def month(value):
    if not isinstance(value, date):
        return "" if value is None else str(value)
    value = _local_date(value)
    return f"{value.year}年{value.month}月" if _chinese() else f"{MONTH_NAMES[value.month - 1]} {value.year}"


def month_of_year(number):
    """A column or axis heading for month 1–12 of any year: 6月 in Chinese, Jun in English."""
    number = int(number)
    return f"{number}月" if _chinese() else MONTH_NAMES[number - 1]


def moment(value):
    """A timestamp: the day as day() writes it, then the local time (2023年6月5日 14:30)."""
    if not isinstance(value, datetime):
        return day(value)
    local = timezone.localtime(value) if timezone.is_aware(value) else value
    return f"{day(local.date())} {local:%H:%M}"


def moment_iso(value):
    """A timestamp for an export: local time, ISO, to the minute (2023-06-05 14:30)."""
    local = timezone.localtime(value) if timezone.is_aware(value) else value
    return f"{local:%Y-%m-%d %H:%M}"


def is_day(value):
    return isinstance(value, date) and not isinstance(value, datetime)
