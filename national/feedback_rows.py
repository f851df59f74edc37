"""附件3 at national scale: a report per prefecture per month, a line per document.

Which documents a report lists: those of the report's year issued by the
month's end, plus all of the previous year's (money carried over, 结转, is
reported until the next year ends). At the defaults that is about 54 lines a
report and 1.06 million lines in all.

Each (document, prefecture) spends at its own monthly pace: the unspent part
shrinks by pace‰ a month from the month after issue, so cumulative spend only
grows and never passes the amount. It is computed in integers (cents and
parts per million) so that every machine writes the same figures.

Statuses, counted back from the last month: two months and older accepted
(a few after one return); the month before mostly accepted, some submitted,
some returned with a reason; the last month submitted, draft or returned.
A line below the time schedule (feedback.schedule) in a report that was
submitted carries a reason, a measure and a deadline after the month, as
feedback.validation requires.
"""

from datetime import timedelta
from decimal import Decimal

from allocations.models import PermittedUse
from core import bulk_insert
from national.allocation_rows import at
from national.plan import money, rng_for
from feedback.models import FeedbackLine, FeedbackReport, ReportStatus
from feedback.progress import percent
from feedback.schedule import due_date, is_lagging, month_end, next_month
from feedback.workflow import fund_label

MILLION = 1_000_000
# The nine uses of the notice: the tenth needs an approval the generator has none of.
USES = [use for use in PermittedUse.values if use != PermittedUse.OTHER_APPROVED]
REASONS = (
    "项目尚在实施，补贴按进度拨付",
    "培训班次集中在下半年，培训补贴尚未结算",
    "部分补贴对象资格审核未完成",
    "公益性岗位人员按季度考核后拨付补贴",
    "创业担保贷款贴息按季度结算",
)
JUST_ARRIVED = "资金于本月下达，尚未形成支出"
MEASURES = (
    "加快审核拨付进度，按月调度支出情况",
    "督促县（市、区）加快资金支出，对滞后项目逐一跟踪",
    "完善补贴申领流程，压缩审核时限",
    "建立支出进度通报制度，每月通报滞后县（市、区）",
)
RETURN_REASONS = (
    "支出方向与补贴类型不符，请核实后重新提交",
    "实际支出金额与国库支付数据不一致，请核对后重新提交",
    "滞后原因过于笼统，请补充具体整改措施",
)


class Spending:
    """Cumulative spend of a (document, prefecture) k months after the issue month."""

    def __init__(self):
        self._spent_share = {}

    def share(self, pace, months):
        key = (pace, months)
        if key not in self._spent_share:
            # What is left after `months` months at pace‰, in parts per million, rounded down.
            left = MILLION * (1000 - pace) ** months // 1000**months
            self._spent_share[key] = MILLION - left
        return self._spent_share[key]

    def cents(self, amount, pace, months):
        return amount * self.share(pace, months) // MILLION


def report_plan(plan):
    """[(prefecture index, month, status, fields)] in (prefecture, month) order."""
    # Nothing to report on before the first document arrives (an empty report cannot be submitted).
    first_issue = min(d.issued_on for d in plan.documents)
    months = [month for month in plan.months() if month_end(month) >= first_issue]
    last = len(months) - 1
    found = []
    for p_index in range(len(plan.prefectures)):
        rng = rng_for(plan.seed, f"reports:{p_index}")
        for m_index, month in enumerate(months):
            age = last - m_index
            roll = rng.random()
            if age >= 2:
                status, returned_once = ReportStatus.ACCEPTED, roll < 0.05
            elif age == 1:
                status = ReportStatus.ACCEPTED if roll < 0.7 else ReportStatus.SUBMITTED if roll < 0.92 else ReportStatus.RETURNED
                returned_once = False
            else:
                status = ReportStatus.SUBMITTED if roll < 0.5 else ReportStatus.DRAFT if roll < 0.9 else ReportStatus.RETURNED
                returned_once = False
            found.append((p_index, month, status, _report_fields(rng, month, status, returned_once)))
    return found


def _report_fields(rng, month, status, returned_once):
    due = due_date(month)
    fields = {
        "due_date": due, "submitted_at": None, "on_time": None, "reviewed_at": None, "return_reason": "", "version": 1,
        "created_at": at(month_end(month) - timedelta(days=6), 10),
    }
    if status == ReportStatus.DRAFT:
        return fields
    # Most reports come in during the last week before the due date, some after it.
    late = rng.random() < 0.12
    day = due + timedelta(days=rng.randint(1, 10)) if late else due - timedelta(days=rng.randint(0, 6))
    submitted_at = at(day, rng.randint(9, 17), rng.randint(0, 59))
    fields.update(submitted_at=submitted_at, on_time=day <= due, version=2)
    if status == ReportStatus.SUBMITTED:
        return fields
    reviewed_at = submitted_at + timedelta(days=rng.randint(1, 6), hours=rng.randint(0, 5))
    fields.update(reviewed_at=reviewed_at, version=3)
    if status == ReportStatus.RETURNED:
        fields["return_reason"] = rng.choice(RETURN_REASONS)
    elif returned_once:
        # Returned, corrected, submitted again and accepted: submit clears the reason.
        fields["version"] = 5
    return fields


REPORT_FIELDS = (
    "prefecture", "month", "status", "due_date", "submitted_at", "submitted_by", "on_time", "reviewed_at",
    "reviewed_by", "return_reason", "reopen_reason", "version", "created_at",
)


def write_reports(plan, prefecture_ids):
    reports = report_plan(plan)
    count = bulk_insert.insert(
        FeedbackReport,
        REPORT_FIELDS,
        (
            (
                prefecture_ids[p_index], month, status, f["due_date"], f["submitted_at"], None, f["on_time"],
                f["reviewed_at"], None, f["return_reason"], "", f["version"], f["created_at"],
            )
            for p_index, month, status, f in reports
        ),
    )
    ids = {
        (prefecture_id, month): report_id
        for report_id, prefecture_id, month in FeedbackReport.objects.filter(prefecture_id__in=prefecture_ids).values_list(
            "id", "prefecture_id", "month"
        )
    }
    return reports, ids, count


LINE_FIELDS = (
    "report", "document", "fund_name", "document_number", "amount", "direct_mark", "spent", "uses", "reason",
    "measure", "measure_deadline", "decrease_explanation", "position",
)


def write_lines(plan, fund, reports, report_ids, prefecture_ids, document_ids, subtotals):
    return bulk_insert.insert(FeedbackLine, LINE_FIELDS, _lines(plan, fund, reports, report_ids, prefecture_ids, document_ids, subtotals))


def _paces(plan):
    """[[pace‰ per prefecture] per document] and [[uses per prefecture] per document]."""
    paces = [[0] * len(plan.prefectures) for _ in plan.documents]
    uses = [[None] * len(plan.prefectures) for _ in plan.documents]
    for p_index in range(len(plan.prefectures)):
        rng = rng_for(plan.seed, f"pace:{p_index}")
        # Some prefectures are simply slower than others, whatever the document.
        own = rng.randint(70, 200)
        for document in plan.documents:
            paces[document.index][p_index] = max(30, own + rng.randint(-40, 40))
            chosen = set(rng.sample(USES, rng.randint(1, 3)))
            uses[document.index][p_index] = [use for use in USES if use in chosen]
    return paces, uses


def _lines(plan, fund, reports, report_ids, prefecture_ids, document_ids, subtotals):
    paces, uses = _paces(plan)
    spending = Spending()
    by_year = {}
    for document in plan.documents:
        by_year.setdefault(document.year, []).append(document)
    labels = {d.index: fund_label(_Labelled(d, fund)) for d in plan.documents}
    for p_index, month, status, _fields in reports:
        report_id = report_ids[(prefecture_ids[p_index], month)]
        end = month_end(month)
        documents = by_year.get(month.year - 1, []) + [d for d in by_year.get(month.year, []) if d.issued_on <= end]
        submitted = status != ReportStatus.DRAFT
        for position, document in enumerate(documents, start=1):
            amount = subtotals[document.index][p_index]
            months = (month.year - document.issued_on.year) * 12 + month.month - document.issued_on.month
            spent = spending.cents(amount, paces[document.index][p_index], months)
            if not submitted and (document.index + p_index + month.month) % 3 == 0:
                # A draft is still being filled in.
                yield _line(report_id, document_ids[document.index], labels[document.index], document, fund, amount, position)
                continue
            reason = measure = ""
            deadline = None
            # The report page's own rule (feedback.schedule.is_lagging): a lagging line needs a reason.
            # Against the document's own schedule: carried-over money (last year's document) is due in full.
            if is_lagging(percent(Decimal(spent), Decimal(amount)), month, document):
                pick = document.index + p_index + month.month
                reason = JUST_ARRIVED if months == 0 else REASONS[pick % len(REASONS)]
                measure = MEASURES[pick % len(MEASURES)]
                deadline = month_end(next_month(next_month(month)) if pick % 2 else next_month(month))
            yield (
                report_id, document_ids[document.index], labels[document.index], document.number, money(amount),
                fund.direct_mark, money(spent), uses[document.index][p_index] if spent else [], reason, measure,
                deadline, "", position,
            )


def _line(report_id, document_id, label, document, fund, amount, position):
    return (report_id, document_id, label, document.number, money(amount), fund.direct_mark, None, [], "", "", None, "", position)


class _Labelled:
    """What feedback.workflow.fund_label reads of a document."""

    def __init__(self, document, fund):
        self.table_title = document.table_title
        self.year = document.year
        self.fund = fund
