"""The review page of one target table, its action endpoints, and the review queue.

The rules are in targets.review; these views gather the input, show the
service's refusals as messages and always go back to the review page.
"""

from django.db.models import Case, F, IntegerField, Value, When
from django.shortcuts import get_object_or_404, render
from django.urls import path
from django.views.decorators.http import require_safe
from django_filters.views import FilterView
from django_tables2 import SingleTableMixin

from core.access import AppUserRequiredMixin, app_user_required
from core.listing import ExportableListMixin
from core.permissions import (
    can_record_actuals,
    can_reopen_targets,
    can_review_targets,
    can_submit_targets,
)
from core.steps import post_step, status_history
from targets import review
from targets.forms import ReasonForm, VersionForm
from targets.filters import ReviewFilter
from targets.models import TableStatus, TargetTable
from targets.reference import LOADED
from targets.rollup import missing_against_region
from targets.tables import ReviewQueueTable
from django.utils.translation import gettext as _, gettext_lazy

# Awaiting review first, then what needs the region admin, then the rest.
QUEUE_ORDER = [TableStatus.SUBMITTED, TableStatus.RETURNED, TableStatus.DRAFT, TableStatus.APPROVED, TableStatus.ISSUED]


def _table(request, pk):
    # Another prefecture's table is not found, not forbidden: the query itself is scoped.
    tables = TargetTable.objects.visible_to(request.user).for_table().select_related("reviewed_by")
    return get_object_or_404(tables, pk=pk)


def transitions(table):
    # The app's own reason has a translation; one a user typed is shown exactly as typed.
    def extra(record):
        reason = _(LOADED) if record.history_change_reason == LOADED else record.history_change_reason or ""
        return {"reason": reason, "version": record.version}

    return status_history(table, TableStatus, extra)


@require_safe
@app_user_required
def review_page(request, pk):
    table = _table(request, pk)
    user = request.user
    status = table.status
    context = {
        "table": table,
        "targets": list(table.targets.select_related("indicator").order_by("position")),
        "transitions": transitions(table),
        "can_submit": can_submit_targets(user) and status in (TableStatus.DRAFT, TableStatus.RETURNED),
        "can_decide": can_review_targets(user) and status == TableStatus.SUBMITTED,
        "can_reopen": can_reopen_targets(user) and table.is_locked,
        "can_record": can_record_actuals(user, table),
        "missing": missing_against_region(table),
        "next_table": _next_in_queue(user, table),
        "version_form": VersionForm(initial={"version": table.version}),
        "reason_form": ReasonForm(initial={"version": table.version}),
    }
    return render(request, "targets/review.html", context)


def _next_in_queue(user, table):
    # The reviewer's next decision: the oldest other submitted table they may see.
    waiting = TargetTable.objects.visible_to(user).filter(status=TableStatus.SUBMITTED).exclude(pk=table.pk)
    return waiting.select_related("document", "prefecture").order_by("submitted_at", "pk").first()


def _action(allowed, form_class, step, done):
    """A POST endpoint: 404 outside the user's scope, 403 without the role, refusals as messages."""

    def run(table, user, data):
        extra = {"reason": data["reason"]} if "reason" in data else {}
        step(table, user, expected_version=data["version"], **extra)

    def success(table):
        return _("%(scope_name)s绩效目标表%(done)s。") % {"scope_name": table.scope_name, "done": done}

    return post_step(_table, allowed, form_class, run, success, "targets:review")


review_submit = _action(can_submit_targets, VersionForm, review.submit, gettext_lazy("已提交审核"))
review_approve = _action(can_review_targets, VersionForm, review.approve, gettext_lazy("已审核通过并锁定"))
review_return = _action(can_review_targets, ReasonForm, review.return_table, gettext_lazy("已退回"))
review_reopen = _action(can_reopen_targets, ReasonForm, review.reopen, gettext_lazy("已重新打开为草稿"))


class ReviewQueueView(AppUserRequiredMixin, ExportableListMixin, SingleTableMixin, FilterView):
    table_class = ReviewQueueTable
    filterset_class = ReviewFilter
    template_name = "targets/review_queue.html"
    export_filename = gettext_lazy("绩效目标审核")

    def get_queryset(self):
        rank = Case(*(When(status=s, then=Value(i)) for i, s in enumerate(QUEUE_ORDER)), output_field=IntegerField())
        return (
            TargetTable.objects.visible_to(self.request.user)
            .select_related("document", "prefecture", "reviewed_by")
            .annotate(status_rank=rank)
            .order_by(
                "status_rank",
                "-document__year",
                "document__number",
                # The region's own table first on SQLite and PostgreSQL alike.
                F("prefecture__position").asc(nulls_first=True),
            )
        )


review_queue = ReviewQueueView.as_view()


urlpatterns = [
    path("review/", review_queue, name="review_queue"),
    path("tables/<int:pk>/review/", review_page, name="review"),
    path("tables/<int:pk>/review/submit/", review_submit, name="review_submit"),
    path("tables/<int:pk>/review/approve/", review_approve, name="review_approve"),
    path("tables/<int:pk>/review/return/", review_return, name="review_return"),
    path("tables/<int:pk>/review/reopen/", review_reopen, name="review_reopen"),
]
