"""Switching the interface language per user (issue 6)."""

from django.conf import settings
from django.http import HttpResponseBadRequest, HttpResponseRedirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from core.middleware import supported_language


@require_POST
def set_language(request):
    language = supported_language(request.POST.get("language", ""))
    if language is None:
        return HttpResponseBadRequest("unsupported language")

    if request.user.is_authenticated:
        request.user.language = language
        request.user.save(update_fields=["language"])

    # Only back to a page of this site: an open redirect would let a link
    # from outside bounce users anywhere through the switch.
    next_url = request.POST.get("next") or request.META.get("HTTP_REFERER", "")
    if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        next_url = reverse("home")
    response = HttpResponseRedirect(next_url)
    # The cookie keeps the login page in the same language after signing out.
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        samesite="Lax",
        secure=request.is_secure(),
        httponly=True,
    )
    return response
