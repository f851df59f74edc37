from django.apps import AppConfig
from django.utils.translation import gettext_lazy


class FeedbackConfig(AppConfig):
    name = "feedback"
    verbose_name = gettext_lazy("资金使用反馈（附件3）")
    default_auto_field = "django.db.models.BigAutoField"
