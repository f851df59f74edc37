"""上月累计: what a line's cumulative spend was before this month, as DHIS2's data entry shows it.

The basis is the last accepted earlier report of the prefecture (the figure
the decrease rule of feedback.validation compares with). A later report
that is submitted but not yet reviewed may say something else: that figure
is shown beside it, never instead of it. 本月变动 is this month's figure
less the basis (the accepted one, or the submitted one when nothing was
accepted yet).
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from feedback.added_lines import line_key
from feedback.models import FeedbackLine, FeedbackReport, ReportStatus


@dataclass(frozen=True)
class Previous:
    accepted: Decimal | None = None
    accepted_month: date | None = None
    submitted: Decimal | None = None  # only when it differs from the accepted figure
    submitted_month: date | None = None

    @property
    def basis(self):
        return self.accepted if self.accepted is not None else self.submitted

    def change(self, spent):
        if spent is None or self.basis is None:
            return None
        return spent - self.basis


NONE = Previous()


def _latest(prefecture_id, month, statuses):
    return (
        FeedbackReport.objects.filter(prefecture_id=prefecture_id, month__lt=month, status__in=statuses)
        .order_by("-month")
        .values("pk", "month")
        .first()
    )


def _spent(report):
    if report is None:
        return {}
    lines = FeedbackLine.objects.filter(report_id=report["pk"], spent__isnull=False)
    # Keyed as FeedbackLine.key: an added line (说明1) is followed from month to month by its 文号.
    return {line_key(document, number): spent for document, number, spent in lines.values_list("document_id", "document_number", "spent")}


def previous_figures(prefecture_id, month):
    """{line key (FeedbackLine.key): Previous} for the prefecture's lines before month (four small queries at most)."""
    accepted_report = _latest(prefecture_id, month, [ReportStatus.ACCEPTED])
    submitted_report = _latest(prefecture_id, month, [ReportStatus.SUBMITTED, ReportStatus.ACCEPTED])
    accepted = _spent(accepted_report)
    newer = submitted_report is not None and (accepted_report is None or submitted_report["pk"] != accepted_report["pk"])
    submitted = _spent(submitted_report) if newer else {}
    result = {}
    for document_id in accepted.keys() | submitted.keys():
        shown = submitted.get(document_id)
        differs = shown is not None and shown != accepted.get(document_id)
        result[document_id] = Previous(
            accepted=accepted.get(document_id),
            accepted_month=accepted_report["month"] if document_id in accepted else None,
            submitted=shown if differs else None,
            submitted_month=submitted_report["month"] if differs else None,
        )
    return result
