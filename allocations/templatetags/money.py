"""Kept for templates that still load it: |grouped is core.formats.money, the one money format."""

from django import template

from core import formats

register = template.Library()

register.filter("grouped", formats.money)
