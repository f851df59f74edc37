"""django-axes under a Chinese name; its models' names come from locale/zh_Hans.

Its own module: two AppConfig classes in core/apps.py would leave Django
unable to tell which one is core's.
"""

from axes.apps import AppConfig
from django.utils.translation import gettext_lazy


class AxesConfig(AppConfig):
    verbose_name = gettext_lazy("登录保护")
