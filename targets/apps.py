from django.apps import AppConfig
from django.utils.translation import gettext_lazy


class TargetsConfig(AppConfig):
    name = "targets"
    verbose_name = gettext_lazy("绩效目标（附件2）")
    default_auto_field = "django.db.models.BigAutoField"
