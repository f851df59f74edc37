"""The admin writes figures and dates as the app does (issue 14.7): 72,988.00, 2023年6月5日, 2023年6月.

Django's admin formats every model field it shows (changelist columns and
read-only fields) through django.contrib.admin.utils.display_for_field, which
writes 72988.00 and the locale's long dates. It has no hook for this, and the
changelist (admin_list) and the read-only fields (helpers) each import the
function by name, so both names are pointed at the one wrapper below. Fields
that are not money, dates or months still go to Django's own function.
"""

from django.contrib.admin import helpers, utils
from django.contrib.admin.templatetags import admin_list
from django.db import models

from core import formats

# Every amount field has two places (allocations.money.AMOUNT_DECIMAL_PLACES; core may not import it).
MONEY_PLACES = 2

_django_display_for_field = utils.display_for_field


def display_for_field(value, field, empty_value_display, avoid_link=False):
    if getattr(field, "flatchoices", None) or value in getattr(field, "empty_values", ()):
        return _django_display_for_field(value, field, empty_value_display, avoid_link)
    if isinstance(field, models.DecimalField):
        # Amounts (two places) are 万元; targets' four-place numbers are quantities.
        return formats.money(value) if field.decimal_places == MONEY_PLACES else formats.number(value)
    if isinstance(field, models.DateTimeField):
        return formats.moment(value)
    if isinstance(field, models.DateField):
        # A report's month is stored as its first day and read as a month.
        return formats.month(value) if field.name == "month" else formats.day(value)
    return _django_display_for_field(value, field, empty_value_display, avoid_link)


def install():
    admin_list.display_for_field = display_for_field
    helpers.display_for_field = display_for_field
