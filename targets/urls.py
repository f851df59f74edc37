# Each area of the targets app keeps its own routes next to its views.
from targets.views import monitoring, review, rollup, tables

app_name = "targets"
urlpatterns = tables.urlpatterns + rollup.urlpatterns + review.urlpatterns + monitoring.urlpatterns
