from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = gettext_lazy("用户与角色")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from core import history
        from core.roles import ensure_role_groups

        history.connect()

        # After every migrate, so a fresh database (tests included) always
        # has the four role groups with their permissions. No sender filter:
        # core migrates before the apps whose permissions the groups carry,
        # so only the last app's signal sees every permission.
        post_migrate.connect(ensure_role_groups, dispatch_uid="core.ensure_role_groups")
