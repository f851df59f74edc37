"""The request's interface language, and a clear 503 page when the database
cannot be reached instead of a traceback."""

import logging

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.cache import patch_cache_control

logger = logging.getLogger(__name__)


def supported_language(code):
    codes = {code for code, _name in settings.LANGUAGES}
    return code if code in codes else None


def request_language(request):
    # The users are Chinese bureaus: Chinese unless someone chose English.
    # Signed in, the choice saved on the user wins; before signing in (the
    # login page) a cookie set by the switch on that page carries it.
    # Accept-Language is ignored on purpose: a browser set to English on a
    # shared office PC must not switch the bureau's screens.
    try:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            return supported_language(user.language) or settings.LANGUAGE_CODE
    except (OperationalError, InterfaceError):
        # DatabaseUnavailableMiddleware, further in, answers with its 503.
        return settings.LANGUAGE_CODE
    return supported_language(request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")) or settings.LANGUAGE_CODE


class UserLanguageMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        language = request_language(request)
        # override() restores the previous language afterwards, so one
        # request's choice never leaks into the next on the same thread.
        with translation.override(language):
            request.LANGUAGE_CODE = language
            response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        return response


class PrivateNoStoreMiddleware:
    """Cache-Control: private, no-store on every response the app itself makes.

    Static files never get here (WhiteNoise answers them further out), so
    they stay cacheable. A browser's back button or a proxy must not keep
    one officer's report, or an export, for the next person at the desk.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        patch_cache_control(response, private=True, no_store=True)
        return response


class DatabaseUnavailableMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            return self.get_response(request)
        except (OperationalError, InterfaceError):
            # Raised before a view runs (sessions, the user): same answer.
            return self._unavailable(request)

    def process_exception(self, request, exception):
        if isinstance(exception, (OperationalError, InterfaceError)):
            return self._unavailable(request)
        return None

    def _unavailable(self, request):
        logger.exception("database unavailable")
        # No request context: the context processors would query the database.
        response = HttpResponse(render_to_string("503.html"), status=503)
        response["Retry-After"] = "60"
        return response
