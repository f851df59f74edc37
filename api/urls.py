from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import SimpleRouter

from api.errors import not_found
from api.views.documents import DocumentViewSet, LineViewSet
from api.views.feedback import FeedbackReportViewSet
from api.views.payments import PaymentSummaryViewSet, PaymentViewSet
from api.views.places import CountyViewSet, PrefectureViewSet, ProvinceViewSet
from api.views.targets import IndicatorViewSet, TargetTableViewSet

router = SimpleRouter()
router.register("provinces", ProvinceViewSet, basename="api-province")
router.register("prefectures", PrefectureViewSet, basename="api-prefecture")
router.register("counties", CountyViewSet, basename="api-county")
router.register("documents", DocumentViewSet, basename="api-document")
router.register("allocation-lines", LineViewSet, basename="api-line")
router.register("indicators", IndicatorViewSet, basename="api-indicator")
router.register("target-tables", TargetTableViewSet, basename="api-target-table")
router.register("feedback-reports", FeedbackReportViewSet, basename="api-feedback-report")
router.register("payments", PaymentViewSet, basename="api-payment")
router.register("payment-summaries", PaymentSummaryViewSet, basename="api-payment-summary")

urlpatterns = [
    path("v1/", include(router.urls)),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # The split view serves its start-up script as a file of its own: the CSP allows no inline script.
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
    # Any other address under /api/: a JSON 404, never the site's HTML page.
    re_path(r"^.*$", not_found, name="api-not-found"),
]
