"""config.urls plus one view that fails: the 500 page as a visitor meets it."""

from django.urls import path

from config.urls import urlpatterns as app_urls


def boom(request):
    raise RuntimeError("a view that fails")


urlpatterns = [path("boom/", boom), *app_urls]
