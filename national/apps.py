from django.apps import AppConfig


class NationalConfig(AppConfig):
    # National-scale synthetic data for the benchmarks: above the domain apps,
    # whose tables it fills in bulk.
    name = "national"
    verbose_name = "全国规模测试数据"
