from django import template

from allocations import money

register = template.Library()


@register.filter
def grouped(amount):
    return money.grouped(amount)
