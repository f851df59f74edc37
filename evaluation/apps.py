from django.apps import AppConfig
from django.utils.translation import gettext_lazy


class EvaluationConfig(AppConfig):
    name = "evaluation"
    verbose_name = gettext_lazy("绩效评价")
    default_auto_field = "django.db.models.BigAutoField"
