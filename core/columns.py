"""Listing columns that write dates and amounts through core.formats (issue 14.7).

A page shows 2023年6月5日 (Chinese) or 2023-06-05 (English) and 72,988.00;
its CSV/XLSX export gets the ISO date and the Decimal itself, so a
spreadsheet sorts and sums them.
"""

import django_tables2 as tables

from core import formats

NUM = {"th": {"class": "num"}, "td": {"class": "num"}}


class DayColumn(tables.Column):
    def render(self, value):
        return formats.day(value)

    def value(self, value):
        return value.isoformat() if value else ""


class MonthColumn(tables.Column):
    def render(self, value):
        return formats.month(value)

    def value(self, value):
        # The month's first day, as the report stores it: a spreadsheet sorts it as a date.
        return value.isoformat() if value else ""


class MomentColumn(tables.Column):
    def render(self, value):
        return formats.moment(value)

    def value(self, value):
        return formats.moment_iso(value) if value else ""


class MoneyColumn(tables.Column):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("attrs", NUM)
        super().__init__(*args, **kwargs)

    def render(self, value):
        return formats.money(value)

    def value(self, value):
        return value
