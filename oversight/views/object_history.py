"""One object's history page, linked from the object's own page.

An object is found exactly as its own page finds it: through the model's
visible_to(user) where it has one, otherwise (and for a deleted object)
through its prefecture in the history tables. What the user may not see is
a 404, as on the object's page. Only the domain apps' models have one.
"""

from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_safe

from core.access import app_user_required
from oversight.changelog import (
    hidden_fields,
    history_of,
    label_of,
    latest_record,
    merged,
    model_by_label,
    object_label,
    object_sources,
    prefecture_q,
    resolve,
)
from core.permissions import scoped_prefecture_id
from core.roles import DOMAIN_APPS
from oversight.views.changelog import PER_PAGE

MAX_ID = 2**63 - 1
OBJECT_PAGES = {
    "allocations.allocationdocument": "allocations:document_detail",
    "allocations.prefecture": "allocations:prefecture_detail",
    "targets.targettable": "targets:table_detail",
    "feedback.feedbackreport": "feedback:report_detail",
}


def _visible(model, pk, user, scope):
    if scope is None:
        return True
    live = model._default_manager.all()
    if hasattr(live, "visible_to") and live.filter(pk=pk).exists():
        return live.visible_to(user).filter(pk=pk).exists()
    # No scoped queryset, or the object is deleted: its history says where it belonged.
    in_prefecture = prefecture_q(model, scope)
    return in_prefecture is not None and history_of(model).objects.filter(Q(id=pk) & in_prefecture).exists()


@require_safe
@app_user_required
def object_history(request, app_label, model_name, pk):
    model = model_by_label(f"{app_label}.{model_name}") if app_label in DOMAIN_APPS else None
    if model is None or pk > MAX_ID:  # an id beyond BIGINT would be a database error, not a 404
        raise Http404
    user = request.user
    # Deleted rows have no queryset to ask: the history tables place them by the model's prefecture_paths.
    scope = scoped_prefecture_id(user)
    latest = latest_record(model, pk)
    if latest is None:
        # Bulk-loaded rows (generate_national_data) have no history: a live object's page lists nothing.
        latest = model._default_manager.filter(pk=pk).first()
    if latest is None or not _visible(model, pk, user, scope):
        raise Http404

    label = label_of(model)
    sources = object_sources(model, pk, scope, hidden_fields(model, latest, scope))
    page = Paginator(merged(sources), PER_PAGE).get_page(request.GET.get("page"))
    live = model._default_manager.filter(pk=pk).exists()
    context = {
        "model_name": model._meta.verbose_name,
        "object_label": object_label(latest) if hasattr(latest, "instance") else str(latest),
        "parts": [source.model._meta.verbose_name for source in sources[1:]],
        "object_url": reverse(OBJECT_PAGES[label], args=[pk]) if label in OBJECT_PAGES and live else "",
        "deleted": not live,
        "page": page,
        "changes": resolve(list(page.object_list), sources),
    }
    return render(request, "oversight/object_history.html", context)
