"""The reviewer's queue and the review actions: 审核通过, 退回, 重新打开.

The actions are POST only and carry the version the reviewer saw, so a
review made from a stale page is refused like a stale save. The rules
(who may, from which state, a reason required) are the workflow's.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.urls import path
from django.views.decorators.http import require_POST
from django_filters.views import FilterView
from django_tables2 import SingleTableMixin

from core.access import RegionWideRequiredMixin, app_user_required
from core.listing import ExportableListMixin
from core.permissions import can_review_feedback
from feedback import workflow
from feedback.filters import QueueFilter
from feedback.models import FeedbackReport
from feedback.queue import ORDER
from feedback.tables import ReportTable
from feedback.views.reports import with_totals
from django.utils.translation import gettext as _, gettext_lazy


# Region-wide roles see the queue (auditors and HR read only); officers have no queue.
class ReviewQueueView(RegionWideRequiredMixin, ExportableListMixin, SingleTableMixin, FilterView):
    table_class = ReportTable
    filterset_class = QueueFilter
    template_name = "feedback/review_queue.html"
    export_filename = gettext_lazy("待审核反馈表")

    def get_queryset(self):
        # Oldest submission first (feedback.queue): the report page's 下一份 follows the same order.
        reports = FeedbackReport.objects.awaiting_review().for_table().order_by(*ORDER)
        return with_totals(reports)

    def get_table_kwargs(self):
        return {"exclude": ("status",)}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["can_review"] = can_review_feedback(self.request.user)
        return context


review_queue = ReviewQueueView.as_view()


def _act(request, pk, action, done):
    report = get_object_or_404(FeedbackReport.objects.visible_to(request.user).select_related("prefecture"), pk=pk)
    if not can_review_feedback(request.user):
        raise PermissionDenied
    version = str(request.POST.get("version", "")).strip()
    if not version.isdigit() or len(version) > 9:
        messages.error(request, _("页面版本号无效，请刷新页面后重试。"))
        return redirect("feedback:report_detail", pk=report.pk)
    reason = request.POST.get("reason", "")
    try:
        action(report, request.user, reason, int(version))
    except ValidationError as refused:
        for message in refused.messages:
            messages.error(request, message)
    else:
        messages.success(request, f"{report} {done}。")
    return redirect("feedback:report_detail", pk=report.pk)


@require_POST
@app_user_required
def review_accept(request, pk):
    return _act(request, pk, lambda report, user, reason, version: workflow.accept(report, user, version), _("已审核通过"))


@require_POST
@app_user_required
def review_return(request, pk):
    return _act(request, pk, workflow.return_report, _("已退回，等待重新填报"))


@require_POST
@app_user_required
def review_reopen(request, pk):
    return _act(request, pk, workflow.reopen, _("已重新打开，可以修改"))


urlpatterns = [
    path("review/", review_queue, name="review_queue"),
    path("reports/<int:pk>/accept/", review_accept, name="review_accept"),
    path("reports/<int:pk>/return/", review_return, name="review_return"),
    path("reports/<int:pk>/reopen/", review_reopen, name="review_reopen"),
]
