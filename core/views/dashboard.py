"""The home page: one dashboard per role (issue 6). Placeholder until built."""

from django.shortcuts import redirect
from django.views.decorators.http import require_safe


@require_safe
def home(request):
    return redirect("allocations:document_list")
