"""The kernel of a review step's POST endpoint and of its history, shared by the apps that review.

Each app keeps its rules, its messages and where it goes back to; this is the
order they all follow: fetch in the user's scope (404 outside it), 403
without the role, the form's problems and the step's refusals as error
messages, a success message, and back to the object's page.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from core.access import app_user_required


def form_errors(request, form):
    for problems in form.errors.values():
        for message in problems:
            messages.error(request, message)


def refusals(request, refused):
    for message in refused.messages:
        messages.error(request, message)


def post_step(fetch, allowed, form_class, step, success, back):
    """A POST endpoint running step(obj, user, cleaned_data); success(obj) is its message, back the page's URL name."""

    @require_POST
    @app_user_required
    def view(request, pk):
        obj = fetch(request, pk)
        if not allowed(request.user):
            raise PermissionDenied
        form = form_class(request.POST)
        if not form.is_valid():
            form_errors(request, form)
            return redirect(back, pk=obj.pk)
        try:
            step(obj, request.user, form.cleaned_data)
        except ValidationError as refused:
            refusals(request, refused)
        else:
            messages.success(request, success(obj))
        return redirect(back, pk=obj.pk)

    return view


def status_history(obj, status, extra=lambda record: {}):
    """The history rows worth showing: creation, every status change, and anything with a reason.

    status is the model's status enum; extra(record) adds or overrides keys of a row.
    """
    shown, previous = [], None
    for record in obj.history.select_related("history_user").order_by("history_date", "history_id"):
        if previous is None or record.status != previous or record.history_change_reason:
            shown.append({
                "when": record.history_date,
                "who": record.history_user,
                "from": status(previous).label if previous else "",
                "to": status(record.status).label,
                "reason": record.history_change_reason or "",
                **extra(record),
            })
        previous = record.status
    return shown
