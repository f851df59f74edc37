from django.apps import AppConfig
from django.utils.translation import gettext_lazy


class NationalConfig(AppConfig):
    # National-scale synthetic data for the benchmarks: above the domain apps,
    # whose tables it fills in bulk.
    name = "national"
    verbose_name = gettext_lazy("全国规模测试数据")
