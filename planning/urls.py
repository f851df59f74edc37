from django.urls import path

from planning import views

app_name = "planning"
urlpatterns = [
    path("", views.plan_page, name="plan"),
    path("confirm/", views.plan_confirm, name="confirm"),
    path("explanation.xlsx", views.plan_explanation, name="explanation"),
]
