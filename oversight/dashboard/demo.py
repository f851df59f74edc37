"""演示数据 (demo data only): the notice's own months of feedback reports, its year-end 清算 and some 6月 actuals.

The notice's reference data has allocations and target tables but no monthly
reports or actual figures, so the dashboard's spend, completeness and
attainment charts would be empty on a fresh install. This fills them in
through the same workflow code the pages use (open, save, submit, accept /
return; submit, approve, record actuals), so every row passes the real
rules and leaves a history. Everything is derived from fixed per-prefecture
offsets, never from a random source: running it twice gives the same data,
and the second run changes nothing.

The months are the notice's own period: from its 发文日期 (2023年6月) to the
end of its year, those already over. By December the prefectures ahead of the
schedule have spent everything (accepted: their obligation ends,
feedback.obligations); once the year is over the region admin settles (清算)
the others' shares on 31 December. So the overdue list holds what is really
missing (和田地区's December, 克州's last two months, 乌鲁木齐市's returned
December), not months nobody owes.
"""

from datetime import date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q

from allocations.models import Prefecture, PermittedUse
from core.models import Role, User
from feedback import workflow
from feedback.completeness import first_of_month
from feedback.models import FeedbackReport, Settlement
from feedback.obligations import obligations, receiving_subtotals
from feedback.schedule import expected_progress, is_lagging, month_end, next_month
from targets import monitoring, review
from targets.evaluation import evaluate
from targets.models import Actual, Checkpoint, TableStatus, TargetTable, Verdict
from allocations.money import plain
from targets.values import Operator

SHANGHAI_NOON = time(10, 0)
CENT = Decimal("0.01")
# How far each prefecture runs ahead of (+) or behind (−) the time schedule,
# in percentage points, by its position in the list.
OFFSETS = (4, -3, 2, -9, 0, 5, -6, 1, -12, 3, -2, 6, -5, 2)
RETURNED_IN = "乌鲁木齐市"  # its latest report is sent back with a reason
MISSING_LAST = ("和田地区",)  # never sent last month's report
MISSING_LAST_TWO = ("克州",)  # nor the month before
LATE = ("伊犁州", "巴州")  # submitted after the due date
SUBMITTED_ONLY = ("喀什地区", "阿克苏地区", "昌吉州", "伊犁州", "巴州")  # not yet reviewed
RETURN_REASON = "【演示数据】第1行实际支出金额与国库支付记录不一致，请核实后重新提交。"
LEFT_FOR_REVIEW = ("和田地区", "克州")  # target tables left submitted, awaiting the HR reviewer
SETTLEMENT_REASON = "【演示数据】年度终了，结余资金按规定收回，此后不再按月反馈。"
USES = [PermittedUse.VOCATIONAL_TRAINING.value, PermittedUse.PUBLIC_WELFARE_JOBS.value]


class DemoUsersMissing(Exception):
    pass


def _first_user(role_q):
    user = User.objects.filter(role_q, is_active=True).order_by("pk").first()
    if user is None:
        raise DemoUsersMissing
    return user


def actors():
    admin = _first_user(Q(is_superuser=True) | Q(groups__name=Role.REGION_ADMIN))
    hr = _first_user(Q(groups__name=Role.HR_REVIEWER))
    return admin, hr


def demo_months(today, document):
    """The document's months, from its issue to December of its year, that are over by today."""
    current = first_of_month(today)
    month = first_of_month(document.issued_on)
    months = []
    while month.year == document.year and month < current:
        months.append(month)
        month = next_month(month)
    return months


def _at(day):
    from oversight.changelog import SHANGHAI

    return datetime.combine(day, SHANGHAI_NOON, tzinfo=SHANGHAI)


def _share(position, month):
    share = expected_progress(month) + OFFSETS[position % len(OFFSETS)]
    return min(max(share, Decimal("0")), Decimal("100"))


def _line_changes(report, share):
    changes = {}
    for line in report.lines.select_related("document"):
        values = {"spent": (line.amount * share / 100).quantize(CENT, rounding=ROUND_HALF_UP), "uses": USES}
        # The line's own schedule: carried-over money is due in full, so it lags at any share below 100%.
        if is_lagging(share, report.month, line.document):
            values.update(
                reason="【演示数据】部分项目尚在公示期，资金未及时拨付。",
                measure="【演示数据】加快公示和审核，按月调度支出进度。",
                measure_deadline=month_end(report.month) + timedelta(days=30),
            )
        changes[line.pk] = values
    return changes


def _wanted(name, from_last):
    """What the demo does with a prefecture's month (from_last: 0 = last month): None = no report."""
    last = from_last == 0
    if (last and name in MISSING_LAST) or (from_last <= 1 and name in MISSING_LAST_TWO):
        return None
    if last and name == RETURNED_IN:
        return "returned"
    if last and name in SUBMITTED_ONLY:
        return "submitted"
    return "accepted"


def _report(prefecture, position, month, wanted, admin):
    if FeedbackReport.objects.filter(prefecture=prefecture, month=month).exclude(status="draft").exists():
        return False
    report = workflow.open_report(prefecture, month)
    if not report.lines.exists():
        return False
    workflow.save_lines(report, _line_changes(report, _share(position, month)), admin, report.version)
    report.refresh_from_db()
    late = prefecture.name in LATE and wanted == "submitted"
    submitted_on = report.due_date + timedelta(days=3) if late else report.due_date - timedelta(days=5)
    report = workflow.submit(report, admin, at=_at(submitted_on))
    if wanted == "accepted":
        workflow.accept(report, admin)
    elif wanted == "returned":
        workflow.return_report(report, admin, RETURN_REASON)
    return True


def load_reports(today, admin, document):
    created = 0
    months = demo_months(today, document)
    for position, prefecture in enumerate(Prefecture.objects.order_by("position", "name")):
        for index, month in enumerate(months):
            wanted = _wanted(prefecture.name, len(months) - 1 - index)
            if wanted is not None and _report(prefecture, position, month, wanted, admin):
                created += 1
    return created


def settle_year_end(today, admin, document):
    """Once the document's year is over, 清算 on 31 December of every share not spent out by an accepted report."""
    year_end = date(document.year, 12, 31)
    if today <= year_end:
        return 0
    owed = obligations(Prefecture.objects.all())
    settled = 0
    for subtotal in receiving_subtotals().filter(document=document).select_related("prefecture").order_by("prefecture__position"):
        if not owed.owes(subtotal.prefecture_id, first_of_month(year_end) + timedelta(days=31)):
            continue  # spent out in an accepted report (or already settled)
        _settlement, created = Settlement.objects.get_or_create(
            document=document,
            prefecture=subtotal.prefecture,
            defaults={"closed_on": year_end, "reason": SETTLEMENT_REASON, "closed_by": admin},
        )
        settled += created
    return settled


def _actual_value(target, position, index):
    """The figure recorded for a numeric target: on target, or about 10% short of it."""
    # Every fifth to ninth row falls short, depending on the prefecture, so rates differ.
    short = (position + index) % (5 + position % 5) == 0
    number, higher = target.number, target.operator in (Operator.AT_LEAST, Operator.MORE_THAN)
    if short:
        number = number * Decimal("0.9") if higher else number * Decimal("1.1") + 1
    elif target.operator == Operator.MORE_THAN:
        number = number + 1
    elif target.operator == Operator.LESS_THAN:
        number = number * Decimal("0.9")
    return f"{plain(number.quantize(CENT))}{target.unit}"


def load_actuals(admin, hr, document):
    tables = TargetTable.objects.filter(document=document).select_related("prefecture").order_by("pk")
    recorded = 0
    for table in tables:
        name = table.prefecture.name if table.prefecture_id else ""
        if table.status == TableStatus.ISSUED and name in LEFT_FOR_REVIEW and not table.targets.filter(actuals__isnull=False).exists():
            # The demo's review queue: HR reopens an issued table to correct a figure, the admin resubmits it.
            review.reopen(table, hr, "核对从PDF提取的指标值")
        if table.status == TableStatus.DRAFT:
            review.submit(table, admin)
        if table.status == TableStatus.SUBMITTED and name not in LEFT_FOR_REVIEW:
            review.approve(table, hr)
        if not table.accepts_actuals or Actual.objects.filter(target__table=table).exists():
            continue
        position = table.prefecture.position if table.prefecture_id else 0
        entries = []
        for index, target in enumerate(table.targets.filter(number__isnull=False).order_by("position")):
            raw = _actual_value(target, position, index)
            reached = evaluate(target, raw)[1] != Verdict.NOT_MET
            reason = "" if reached else "【演示数据】上半年项目启动较晚。"
            measure = "" if reached else "【演示数据】下半年加强调度，按季通报。"
            entries.append(monitoring.Entry(target, raw, reason, measure))
        recorded += len(monitoring.record_actuals(table, Checkpoint.MID_YEAR, entries, admin))
    return recorded


@transaction.atomic
def load(today, document):
    admin, hr = actors()
    try:
        reports = load_reports(today, admin, document)
        settle_year_end(today, admin, document)
        actuals = load_actuals(admin, hr, document)
    except ValidationError as refused:  # a rule changed under the demo: say which
        raise ValidationError(f"演示数据未能写入：{'; '.join(refused.messages)}") from refused
    return reports, actuals
