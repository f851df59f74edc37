from django.urls import path

from core.views.changelog import changelog
from core.views.object_history import object_history

app_name = "core"
urlpatterns = [
    path("", changelog, name="changelog"),
    path("<slug:app_label>/<slug:model_name>/<int:pk>/", object_history, name="object_history"),
]
