# Each area of the feedback app keeps its own routes next to its views.
from feedback.views import carryover, completeness, reports, review, workbooks
from feedback.workbook import printing

app_name = "feedback"
urlpatterns = (
    reports.urlpatterns + review.urlpatterns + completeness.urlpatterns + workbooks.urlpatterns + carryover.urlpatterns
    + printing.urlpatterns
)
