"""转下达: a prefecture passes its share of an issued regional document on to its counties.

The rules live in allocations.reallocation; the form page gathers the
amounts and shows the service's refusals as they are. The overdue list shows
who has not passed their share on in time (allocations.timeliness).
"""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _, gettext_lazy
from django_filters.views import FilterView
from django_tables2 import SingleTableMixin

from allocations.filters import ReallocationOverdueFilter
from allocations.forms import ReallocationForm
from allocations.models import AllocationDocument, DocumentStatus, Prefecture
from allocations.money import ZERO
from allocations.reallocation import (
    counties_passed_on,
    create_reallocation,
    parent_county_amounts,
    parent_share,
    passed_on_by_prefecture,
)
from allocations.tables import ReallocationOverdueTable
from allocations.timeliness import due_date, overdue, overdue_subtotals
from core import clock
from core.access import AppUserRequiredMixin, app_user_required, form_methods, pk_or_404
from core.listing import ExportableListMixin
from core.permissions import can_reallocate


@form_methods
@app_user_required
def reallocation_create(request, pk):
    user = request.user
    # Only an issued regional document can be passed on; anything else has no such form.
    parents = AllocationDocument.objects.visible_to(user).regional().filter(status=DocumentStatus.ISSUED)
    parent = get_object_or_404(parents.for_table(), pk=pk)
    # Region admins name the prefecture they act for; an officer always acts
    # for their own, and naming another one finds nothing.
    wanted = request.GET.get("prefecture") or user.prefecture_id
    prefecture = get_object_or_404(Prefecture.objects.visible_to(user), pk=pk_or_404(wanted))
    if not can_reallocate(user, prefecture):
        raise PermissionDenied

    try:
        share = parent_share(parent, prefecture)
    except ValidationError as refused:
        for message in refused.messages:
            messages.error(request, message)
        return redirect("allocations:document_detail", pk=parent.pk)

    counties = list(prefecture.counties.order_by("position", "name"))
    data = request.POST if request.method == "POST" else None
    # The parent's county amounts, which the re-allocation copies, and the counties already passed on.
    given = parent_county_amounts(parent, prefecture)
    earlier = counties_passed_on(parent, prefecture)
    form = ReallocationForm(data, prefecture=prefecture, counties=counties, given=given, earlier=earlier)
    if data is not None and form.is_valid():
        try:
            document = create_reallocation(
                parent,
                prefecture,
                form.cleaned_data["number"].strip(),
                form.cleaned_data["title"].strip(),
                form.proposed_lines(),
                form.cleaned_data["issued_on"],
            )
        except ValidationError as refused:
            for message in refused.messages:
                form.add_error(None, message)
        else:
            messages.success(request, _("已创建转下达文件 %(number)s（草稿）。") % {"number": document.number})
            return redirect("allocations:document_detail", pk=document.pk)

    passed_on = passed_on_by_prefecture(parent).get(prefecture.pk, ZERO)
    return render(
        request,
        "allocations/reallocation_form.html",
        {
            "parent": parent,
            "prefecture": prefecture,
            "share": share,
            "passed_on": passed_on,
            "remaining": share - passed_on,
            "follows_counties": bool(given),
            "due_date": due_date(parent),
            "form": form,
        },
    )


class ReallocationOverdueView(AppUserRequiredMixin, ExportableListMixin, SingleTableMixin, FilterView):
    """The 小计 not all passed on by their due date (allocations.timeliness), as of today.

    Region-wide roles see every prefecture; an officer their own only.
    """

    table_class = ReallocationOverdueTable
    filterset_class = ReallocationOverdueFilter
    template_name = "allocations/reallocation_overdue.html"
    export_filename = gettext_lazy("逾期未转下达")

    def get_queryset(self):
        # One day for the whole page, however long it takes to draw.
        self.today = clock.today()
        user = self.request.user
        return overdue_subtotals(AllocationDocument.objects.visible_to(user), Prefecture.objects.visible_to(user), self.today)

    def get_table_data(self):
        return overdue(self.object_list, self.today)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(today=self.today, due_days=settings.REALLOCATION_DUE_DAYS)
        return context


reallocation_overdue = ReallocationOverdueView.as_view()
