"""The HR evaluation queue's table."""

import django_tables2 as tables
from django.utils.translation import gettext_lazy

from evaluation.models import Evaluation

NUM = {"th": {"class": "num"}, "td": {"class": "num"}}


class EvaluationTable(tables.Table):
    prefecture = tables.Column(
        gettext_lazy("地（州、市）"), accessor="prefecture__name", order_by=("prefecture__position",),
        linkify=("evaluation:detail", {"pk": tables.A("pk")}),
    )
    document = tables.Column(gettext_lazy("文号"), accessor="table__document__number")
    year = tables.Column(gettext_lazy("年度"), attrs=NUM)
    status = tables.Column(gettext_lazy("状态"), order_by=("status_rank",))
    score = tables.Column(gettext_lazy("总分"), attrs=NUM)
    grade = tables.Column(gettext_lazy("等级"))
    execution_rate = tables.Column(gettext_lazy("预算执行率（%）"), attrs=NUM, default="—")
    waiting = tables.Column(gettext_lazy("待评分"), attrs=NUM)

    class Meta:
        model = Evaluation
        fields = ()
        attrs = {"class": "data"}
        empty_text = gettext_lazy("没有符合条件的绩效自评。")
        row_attrs = {"data-status": lambda record: record.status}

    def render_waiting(self, value):
        return value or "—"
