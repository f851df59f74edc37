"""The page filters for core.formats: {{ amount|money }}, {{ n|number }}, {{ figure|quantity:unit }}, {{ date|day }}, {{ month|month }},
{{ timestamp|moment }}.

Every template writes figures and dates through these, so a page, the admin
and a message read alike (issue 14.7).
"""

from django import template

from core import formats

register = template.Library()

register.filter("money", formats.money)
register.filter("number", formats.number)
register.filter("quantity", formats.quantity)  # {{ figure|quantity:unit }}
register.filter("day", formats.day)
register.filter("month", formats.month)
register.filter("moment", formats.moment)
register.filter("month_of_year", formats.month_of_year)  # {{ 6|month_of_year }}: 6月 / Jun
