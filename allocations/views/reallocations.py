"""转下达: a prefecture passes its share of an issued regional document on to its counties.

The rules live in allocations.reallocation; this page gathers the amounts
and shows the service's refusals as they are.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from allocations.forms import ReallocationForm
from allocations.models import AllocationDocument, DocumentStatus, Prefecture
from allocations.money import ZERO
from allocations.reallocation import create_reallocation, parent_share, passed_on_by_prefecture
from core.access import app_user_required, form_methods, pk_or_404
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
    form = ReallocationForm(data, prefecture=prefecture, counties=counties)
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
            "form": form,
        },
    )
