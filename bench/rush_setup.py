"""The month-end rush's data: N officers, each with this month's report ready to open.

Runs inside the bench process with Django set up (bench/rush.py does that).
Everything goes through the app's own code paths where there is one: the
notice's data through load_reference_data, the extra prefectures' money
through allocations.importing (check_rows reconciles lines, 小计 and 合计
before save_checked writes an issued document), the reports through
feedback.workflow.open_report, the month through core.clock.today().
A second setup with the same N changes nothing but the reset.
"""

import io
from datetime import timedelta
from decimal import Decimal

from django.contrib.auth.hashers import check_password, make_password
from django.contrib.auth.models import Group
from django.contrib.sessions.models import Session
from django.core.management import call_command
from django.db import transaction

from allocations.importing import check_rows, save_checked
from allocations.models import County, CountyKind, DocumentStatus, Prefecture
from allocations.workbook.reader import LINE, SUBTOTAL, TOTAL, SheetRow
from core import clock
from core.models import Role, User
from feedback import completeness
from feedback.models import FeedbackLine, FeedbackReport, ReportStatus
from feedback.obligations import receiving_subtotals
from feedback.workflow import open_report

PASSWORD = "rush-bench-Officer-2026"
USERNAME = "rush{:03d}"
EXTRA_PREFECTURE = "压测地区{:03d}"
EXTRA_COUNTY = "压测县"
# Positions after the notice's 14 prefectures, so listings keep them first.
EXTRA_POSITION = 100


def current_month():
    return completeness.first_of_month(clock.today())


def _extra_prefectures(count):
    """The synthetic prefectures beyond the notice's, each with one county."""
    made = []
    for index in range(1, count + 1):
        # Without a province: the model gives its default, if it has one by now.
        prefecture, _ = Prefecture.objects.get_or_create(
            name=EXTRA_PREFECTURE.format(index), defaults={"position": EXTRA_POSITION + index}
        )
        County.objects.get_or_create(
            prefecture=prefecture, name=EXTRA_COUNTY, defaults={"kind": CountyKind.COUNTY, "position": 1}
        )
        made.append(prefecture)
    return made


def _fund_unfunded(prefectures, today):
    """An issued regional document giving money to each prefecture that has none yet.

    The rows are what a workbook reader would produce, so the document passes
    the importer's checks (lines add up to each 小计, 小计 to the 合计) as any
    uploaded table must.
    """
    funded = set(receiving_subtotals().values_list("prefecture_id", flat=True))
    unfunded = [p for p in prefectures if p.pk not in funded]
    if not unfunded:
        return None
    rows, total, number = [], Decimal("0"), 1
    for index, prefecture in enumerate(unfunded):
        # Varied amounts in 万元 with cents, so the submitted figures are not all alike.
        amount = Decimal(100 + (prefecture.pk * 37) % 900) + Decimal(index % 100) / 100
        total += amount
        rows.append(SheetRow(number + 1, LINE, prefecture.name, EXTRA_COUNTY, amount, ""))
        rows.append(SheetRow(number + 2, SUBTOTAL, prefecture=prefecture.name, amount=amount))
        number += 2
    rows.insert(0, SheetRow(1, TOTAL, amount=total))
    year = today.year
    table = check_rows(rows, title=f"{year}年中央财政就业补助资金（月末压测）分配表")
    if not table.ok:
        raise SystemExit("rush setup: the synthetic allocation table does not reconcile:\n" + "\n".join(table.errors))
    document_number = f"压测〔{year}〕{unfunded[0].pk}-{unfunded[-1].pk}号"
    return save_checked(
        table,
        number=document_number,
        title=f"关于拨付{year}年中央财政就业补助资金（月末压测）预算的通知",
        issued_on=today - timedelta(days=today.day - 1),
        status=DocumentStatus.ISSUED,
    )


def _officers(prefectures):
    """One finance officer per prefecture, all with PASSWORD (hashed once: PBKDF2 is slow on purpose)."""
    group = Group.objects.get(name=Role.FINANCE_OFFICER.value)
    existing = {u.username: u for u in User.objects.filter(username__in=[USERNAME.format(i) for i in range(1, len(prefectures) + 1)])}
    sample = next(iter(existing.values()), None)
    hashed = sample.password if sample is not None and check_password(PASSWORD, sample.password) else make_password(PASSWORD)
    officers = []
    for index, prefecture in enumerate(prefectures, start=1):
        username = USERNAME.format(index)
        user = existing.get(username) or User(username=username)
        changed = user.pk is None or user.prefecture_id != prefecture.pk or user.password != hashed or not user.is_active
        user.prefecture = prefecture
        user.password = hashed
        user.is_active = True
        if changed:
            user.save()
        user.groups.add(group)
        officers.append(user)
    return officers


def setup(officers):
    """Returns [(username, prefecture name)] for the officers, in order."""
    call_command("migrate", verbosity=0)
    call_command("load_reference_data", verbosity=0, stdout=io.StringIO())
    today = clock.today()
    with transaction.atomic():
        funded = Prefecture.objects.filter(pk__in=receiving_subtotals().values("prefecture_id"))
        notice = list(funded.exclude(name__startswith=EXTRA_PREFECTURE[:4]).order_by("position")[:officers])
        prefectures = notice + _extra_prefectures(max(0, officers - len(notice)))
        _fund_unfunded(prefectures, today)
        users = _officers(prefectures)
    month = current_month()
    for prefecture in prefectures:
        report = open_report(prefecture, month)
        if not report.lines.exists():
            raise SystemExit(f"rush setup: {prefecture.name} {month:%Y-%m} opens with no line")
    reset(prefectures)
    return [(user.username, user.prefecture.name) for user in users]


def _reports(prefecture_names):
    return FeedbackReport.objects.filter(prefecture__name__in=prefecture_names, month=current_month())


def reset(prefectures):
    """Back to an untouched draft before a run: statuses, figures, sessions, lockouts."""
    names = [p if isinstance(p, str) else p.name for p in prefectures]
    reports = _reports(names)
    with transaction.atomic():
        # A bench reset, not a user's action: plain UPDATEs, no history rows.
        reports.update(
            status=ReportStatus.DRAFT, submitted_at=None, submitted_by=None, on_time=None,
            reviewed_at=None, reviewed_by=None, return_reason="", reopen_reason="",
        )
        FeedbackLine.objects.filter(report__in=reports).update(
            spent=None, uses=[], reason="", measure="", measure_deadline=None, decrease_explanation=""
        )
    # Every officer logs in afresh each run; this database is the bench's own.
    Session.objects.all().delete()
    call_command("axes_reset", verbosity=0, stdout=io.StringIO())


def stored(prefecture_names):
    """(reports SUBMITTED, their lines' total 实际支出金额, failed logins axes recorded) after a run."""
    from axes.models import AccessAttempt

    reports = _reports(prefecture_names).filter(status=ReportStatus.SUBMITTED)
    spent = FeedbackLine.objects.filter(report__in=reports).values_list("spent", flat=True)
    return reports.count(), sum((s for s in spent if s is not None), Decimal("0")), AccessAttempt.objects.count()
