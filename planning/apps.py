from django.apps import AppConfig
from django.utils.translation import gettext_lazy


class PlanningConfig(AppConfig):
    # 因素法分配测算: the next batch computed from factors, evaluation grades,
    # budget execution and audit deductions, saved as a draft 附件1.
    name = "planning"
    verbose_name = gettext_lazy("因素法分配测算")
    default_auto_field = "django.db.models.BigAutoField"
