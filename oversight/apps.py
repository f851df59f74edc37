from django.apps import AppConfig
from django.utils.translation import gettext_lazy


class OversightConfig(AppConfig):
    # The top floor: it reads every domain app (dashboards, charts, the change
    # log, object history) and loads across them (reference and demo data);
    # no domain app imports it.
    name = "oversight"
    verbose_name = gettext_lazy("总览与变更记录")
