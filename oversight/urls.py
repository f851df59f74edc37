from django.urls import path

from oversight.views.changelog import changelog
from oversight.views.object_history import object_history

app_name = "oversight"
urlpatterns = [
    path("", changelog, name="changelog"),
    path("<slug:app_label>/<slug:model_name>/<int:pk>/", object_history, name="object_history"),
]
