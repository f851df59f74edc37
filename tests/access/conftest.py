"""The objects the access matrix builds its URLs from, one of each kind a URL can name.

Each prefecture gets the same set (a re-allocation document, a target table,
a July report with figures of its own), so that every page an officer may
open has a twin belonging to the other prefecture.
"""

import io
from datetime import date
from decimal import Decimal
from types import SimpleNamespace

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib import admin

from allocations.issuing import issue
from allocations.models import AllocationDocument, County, Prefecture
from allocations.money import grouped, plain
from allocations.reallocation import ProposedLine, create_reallocation
from feedback import workflow
from feedback.models import Settlement
from targets import review
from targets.models import Checkpoint, TargetTable
from targets.monitoring import Entry, record_actuals
from tests.treasury.payment_files import csv_bytes, row
from treasury.importing import import_payments

JULY = date(2023, 7, 1)
# Figures no other page has, so that seeing one on the wrong officer's page is a leak.
URUMQI_SPENT = Decimal("5432.1")
KASHGAR_SPENT = Decimal("9876.54")
KASHGAR_ACTUAL = "27345人次"


def _reallocation(notice, prefecture, number, county_name, amount):
    county = County.objects.get(prefecture=prefecture, name=county_name)
    return create_reallocation(
        notice, prefecture, number, "关于转下达就业补助资金的通知", [ProposedLine(county, Decimal(amount))], date(2023, 6, 20)
    )


def _spend(report, officer, amount):
    line = report.lines.order_by("position").first()
    workflow.save_lines(report, {line.pk: {"spent": amount, "uses": ["vocational_training"]}}, officer, report.version)
    report.refresh_from_db()
    return report


def _figures(amount):
    # As the pages write them (8,294) and as workbooks and hidden inputs do (8294).
    return [grouped(amount), plain(amount)]


def _targets_only_in(table, other):
    mine = set(table.targets.values_list("raw_value", flat=True))
    theirs = set(other.targets.values_list("raw_value", flat=True))
    # Five characters or more, and not part of a value the other table has: no chance match.
    return sorted(value for value in mine - theirs if len(value) >= 5 and not any(value in v for v in theirs))


def _counties_only_in(prefecture):
    names = prefecture.counties.values_list("name", flat=True)
    others = County.objects.exclude(prefecture=prefecture).values_list("name", flat=True)
    # 喀什地区's 经开区 is part of 乌鲁木齐市's 经开区（头屯河区）: a name inside another's is no marker.
    return [name for name in names if not any(name in other for other in others)]


def _markers(notice, prefecture, reallocation, table, other_table, report):
    """What only this prefecture's pages may show: a leak if the other officer ever receives it."""
    subtotal = notice.subtotals.get(prefecture=prefecture).declared_amount
    return [
        prefecture.name,
        *_counties_only_in(prefecture),
        *_figures(subtotal),
        reallocation.number,
        *_targets_only_in(table, other_table),
        *_figures(report.lines.order_by("position").first().spent),
    ]


def _admin_sample(model):
    # The oldest row of each model the admin shows: its change, delete and history pages get a real object.
    return model._default_manager.order_by("pk").first()


@pytest.fixture
def access_world(notice_document, drafted_tables, officer_urumqi, officer_kashgar, hr_reviewer, auditor, region_admin):
    urumqi = Prefecture.objects.get(name="乌鲁木齐市")
    kashgar = Prefecture.objects.get(name="喀什地区")
    urumqi_reallocation = _reallocation(notice_document, urumqi, "乌财社〔2023〕12号", "天山区", "1200")
    kashgar_reallocation = _reallocation(notice_document, kashgar, "喀地财社〔2023〕5号", "莎车县", "2169")
    # One issued and one draft: the issue action meets both states.
    issue(kashgar_reallocation)

    tables = {table.prefecture_id: table for table in TargetTable.objects.filter(document=notice_document)}
    for prefecture in (urumqi, kashgar):
        review.approve(review.submit(tables[prefecture.pk], region_admin), hr_reviewer)
    kashgar_table = TargetTable.objects.get(pk=tables[kashgar.pk].pk)
    target = kashgar_table.targets.filter(indicator__isnull=False).order_by("position").first()
    record_actuals(kashgar_table, Checkpoint.MID_YEAR, [Entry(target, KASHGAR_ACTUAL, "上半年培训班次少", "下半年增开班次")], officer_kashgar)

    urumqi_july = _spend(workflow.open_report(urumqi, JULY), officer_urumqi, URUMQI_SPENT)
    kashgar_july = _spend(workflow.open_report(kashgar, JULY), officer_kashgar, KASHGAR_SPENT)
    workflow.submit(kashgar_july, officer_kashgar)

    # The login records the admin shows (django-axes): one of each, so their pages have an object.
    attempt = {
        "username": "someone", "ip_address": "10.0.0.1", "user_agent": "test", "http_accept": "*/*",
        "path_info": "/accounts/login/",
    }
    AccessAttempt.objects.create(**attempt, get_data="", post_data="", failures_since_start=2)
    AccessFailureLog.objects.create(**attempt)
    AccessLog.objects.create(**attempt)
    # A 清算 (issue 14.4) of a third prefecture's share at year end: the settlement pages get an object, July unchanged.
    Settlement.objects.create(
        document=notice_document, prefecture=Prefecture.objects.get(name="克拉玛依市"), closed_on=date(2023, 12, 31),
        reason="年终清算", closed_by=region_admin,
    )
    # A treasury payment (issue 15): the admin's payment pages get an object.
    import_payments(io.BytesIO(csv_bytes([row("ZF-ACCESS-1")])), "payments.csv")

    urumqi_table = TargetTable.objects.get(pk=tables[urumqi.pk].pk)
    kashgar_table = TargetTable.objects.get(pk=kashgar_table.pk)
    markers = {
        "乌鲁木齐市": _markers(notice_document, urumqi, urumqi_reallocation, urumqi_table, kashgar_table, urumqi_july),
        "喀什地区": [
            *_markers(notice_document, kashgar, kashgar_reallocation, kashgar_table, urumqi_table, kashgar_july),
            grouped(kashgar_reallocation.declared_total),
            KASHGAR_ACTUAL,
        ],
    }
    return SimpleNamespace(
        urumqi=urumqi,
        kashgar=kashgar,
        notice=AllocationDocument.objects.get(pk=notice_document.pk),
        urumqi_reallocation=urumqi_reallocation,
        urumqi_reallocation_subtotal=urumqi_reallocation.subtotals.get(),
        urumqi_reallocation_line=urumqi_reallocation.lines.get(),
        kashgar_reallocation=kashgar_reallocation,
        urumqi_table=urumqi_table,
        kashgar_table=kashgar_table,
        region_table=tables[None],
        urumqi_july=urumqi_july,
        kashgar_july=kashgar_july,
        month=JULY,
        admin_samples={model: _admin_sample(model) for model in admin.site._registry},
        hr_account=hr_reviewer,
        auditor_account=auditor,
        region_admin_account=region_admin,
        markers=markers,
    )
