from django.apps import AppConfig


class TargetsConfig(AppConfig):
    name = "targets"
    verbose_name = "绩效目标（附件2）"
    default_auto_field = "django.db.models.BigAutoField"
