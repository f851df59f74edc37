"""One way to write figures and dates on pages (issue 14.7).

Money in 万元 with thousands separators and two decimals (72,988.00); dates as
the reader writes them: 2023年6月5日 and 2023年6月 in Chinese, ISO in English.
Exports write plain numbers and ISO dates instead: a spreadsheet sums them.
"""

from datetime import date, datetime
from decimal import Decimal

from django.utils import translation


def _chinese():
    return (translation.get_language() or "zh-hans").startswith("zh")


def money(value):
    if value is None or value == "":
        return ""
    return f"{Decimal(value):,.2f}"


def day(value):
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = value.date()
    return f"{value.year}年{value.month}月{value.day}日" if _chinese() else value.isoformat()


def month(value):
    if value is None:
        return ""
    return f"{value.year}年{value.month}月" if _chinese() else f"{value.year}-{value.month:02d}"


def is_day(value):
    return isinstance(value, date) and not isinstance(value, datetime)
