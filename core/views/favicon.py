from django.http import HttpResponsePermanentRedirect
from django.templatetags.static import static
from django.views.decorators.http import require_safe


@require_safe
def favicon(request):
    # Browsers ask /favicon.ico whatever the page links; the file itself is a static file (hashed in production).
    return HttpResponsePermanentRedirect(static("favicon.ico"))
