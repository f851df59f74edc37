from evaluation.views import pages

app_name = "evaluation"
urlpatterns = pages.urlpatterns
