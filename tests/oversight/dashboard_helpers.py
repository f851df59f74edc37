"""Shared by the dashboard tests: reading a board's tables out of a response."""

import re
from decimal import Decimal

import pytest

from django.core.management import call_command
from django.db.models import Sum

from allocations.models import AllocationLine


@pytest.fixture
def demo_activity(region_admin, hr_reviewer):
    """The demo months and actuals (load_demo_activity needs an admin and an HR reviewer to act)."""
    call_command("load_demo_activity", verbosity=0)


def _blocks(response):
    # The charts are rendered one by one (then cached): each render of
    # oversight/dashboard/_chart.html left its context on the response.
    contexts = response.context if isinstance(response.context, list) else [response.context]
    found = {}
    for context in contexts:
        if "block" in context:
            found.setdefault(context["block"]["table"].slug, context["block"])
    return list(found.values())


def block(response, slug):
    for item in _blocks(response):
        if item["table"].slug == slug:
            return item
    raise AssertionError(f"no {slug} chart on the board")


def slugs(response):
    # From the page itself: a cached chart leaves no context behind.
    return re.findall(r'<section class="dash-card dash-chart" id="chart-([\w-]+)"', response.content.decode())


def allocated_by_prefecture():
    """{prefecture name: Σ 分配金额 of its counties' lines}, straight from the allocation lines."""
    rows = AllocationLine.objects.values("county__prefecture__name").annotate(total=Sum("amount")).order_by()
    return {row["county__prefecture__name"]: row["total"] for row in rows}


def grouped(amount):
    # The pages' one money format (issue 14.7): 万元 with separators and two decimals.
    return f"{Decimal(amount):,.2f}"
