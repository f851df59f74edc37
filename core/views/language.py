"""Switching the interface language per user (issue 6). Placeholder until built."""

from django.http import HttpResponseNotAllowed


def set_language(request):
    return HttpResponseNotAllowed(["POST"])
