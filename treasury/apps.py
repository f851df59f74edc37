from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy


class TreasuryConfig(AppConfig):
    name = "treasury"
    verbose_name = gettext_lazy("国库集中支付")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from treasury.setup import after_migrate

        # Connected after core's ensure_role_groups (core is earlier in
        # INSTALLED_APPS), which sets each group's permissions from scratch:
        # treasury's are added after it, on every app's signal.
        post_migrate.connect(after_migrate, dispatch_uid="treasury.after_migrate")
