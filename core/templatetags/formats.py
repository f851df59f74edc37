"""The page filters for core.formats: {{ amount|money }}, {{ date|day }}, {{ month|month }}.

Every template writes figures and dates through these, so a page, the admin
and a message read alike (issue 14.7).
"""

from django import template

from core import formats

register = template.Library()

register.filter("money", formats.money)
register.filter("day", formats.day)
register.filter("month", formats.month)
