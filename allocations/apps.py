from django.apps import AppConfig
from django.utils.translation import gettext_lazy


class AllocationsConfig(AppConfig):
    name = "allocations"
    verbose_name = gettext_lazy("资金分配（附件1）")
    default_auto_field = "django.db.models.BigAutoField"
