"""The navigation's treasury link: whose it is, asked of core.permissions (the context processor is the kernel's)."""

from django import template
from django.urls import reverse

from core.permissions import can_import_payments, can_view_payment_exceptions

register = template.Library()


@register.simple_tag
def treasury_nav_url(user):
    """The region admin lands on the import (which links to the anomalies), the auditor on the anomalies; others on nothing."""
    if can_import_payments(user):
        return reverse("treasury:upload")
    if can_view_payment_exceptions(user):
        return reverse("treasury:exceptions")
    return ""
