from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from core.views import language
from core.views.favicon import favicon
from oversight.views import dashboard
from oversight.views.flow import document_flow

urlpatterns = [
    # GET only: a POST here would be answered as if it had done something.
    path("", dashboard.home, name="home"),
    path("dashboard/<slug:chart>.<str:fmt>", dashboard.export, name="dashboard_export"),
    path("language/", language.set_language, name="set_language"),
    path("favicon.ico", favicon, name="favicon"),
    path("accounts/login/", auth_views.LoginView.as_view(template_name="core/login.html"), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("allocations/", include("allocations.urls")),
    path("targets/", include("targets.urls")),
    path("feedback/", include("feedback.urls")),
    path("evaluation/", include("evaluation.urls")),
    # Treasury payments meet the time schedule on the top floor (oversight), hence not in treasury.urls.
    path("treasury/flow/<int:pk>/", document_flow, name="document_flow"),
    path("treasury/", include("treasury.urls")),
    path("changes/", include("oversight.urls")),
    path("planning/", include("planning.urls")),
    path("admin/", admin.site.urls),
    # The machine interface (issue 17): /api/v1/, /api/schema/, /api/docs/; any other /api/ address is a JSON 404.
    path("api/", include("api.urls")),
]
