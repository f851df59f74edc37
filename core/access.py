"""The gate in front of every page of the app."""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.views.decorators.http import require_http_methods

from core.permissions import can_use_app, sees_all_prefectures

# A page with a form: GET shows it, POST sends it, any other method is a 405.
# Pages that only show use Django's require_safe, so a POST there is a 405 too.
form_methods = require_http_methods(["GET", "HEAD", "POST"])


def app_user_required(view):
    # Logged in is not enough: a user without a role has no business here.
    @login_required
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not can_use_app(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped


class AppUserRequiredMixin(LoginRequiredMixin):
    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not can_use_app(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


def region_wide_required(view):
    # Pages that set every prefecture side by side: region-wide roles only.
    @app_user_required
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not sees_all_prefectures(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped


class RegionWideRequiredMixin(AppUserRequiredMixin):
    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not sees_all_prefectures(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


def pk_or_404(value):
    # A hand-edited query string must end in a 404, not in a database error.
    text = str(value or "").strip()
    if not text.isdigit() or len(text) > 18:
        raise Http404
    return int(text)
