from django.apps import AppConfig


class FeedbackConfig(AppConfig):
    name = "feedback"
    verbose_name = "资金使用反馈（附件3）"
    default_auto_field = "django.db.models.BigAutoField"
