"""The review queue's order, in one place: the queue page lists it and each report page links the next one.

Oldest submission first (the one waiting longest is reviewed first), then pk
so that reports submitted in the same instant keep one order.
"""

from django.db.models import Q

from feedback.models import FeedbackReport

ORDER = ("submitted_at", "pk")


def queue(user):
    return FeedbackReport.objects.visible_to(user).awaiting_review().order_by(*ORDER)


def next_in_queue(user, report):
    """The report after this one in the queue; the first of the queue when this one is not in it (one query)."""
    reports = queue(user).exclude(pk=report.pk)
    if report.pk is not None and report.status == "submitted" and report.submitted_at is not None:
        after = reports.filter(
            Q(submitted_at__gt=report.submitted_at) | Q(submitted_at=report.submitted_at, pk__gt=report.pk)
        ).first()
        return after or reports.first()
    return reports.first()
