from django.apps import AppConfig


class AllocationsConfig(AppConfig):
    name = "allocations"
    verbose_name = "资金分配（附件1）"
    default_auto_field = "django.db.models.BigAutoField"
