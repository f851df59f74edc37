"""The filters of the evaluation queue: year, status, grade (and 地州市 for region-wide roles)."""

import django_filters
from django.utils.translation import gettext_lazy as _

from allocations.filters import region_wide
from allocations.models import Prefecture
from core.listing import read_once
from evaluation.models import Evaluation, EvaluationStatus, Grade


class EvaluationFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(label=_("状态"), choices=EvaluationStatus.choices, empty_label=_("全部状态"))
    year = django_filters.NumberFilter(label=_("年度"), min_value=2000, max_value=2100)
    grade = django_filters.ChoiceFilter(label=_("等级"), choices=Grade.choices, empty_label=_("全部等级"))
    prefecture = django_filters.ChoiceFilter(label=_("地（州、市）"), empty_label=_("全部地（州、市）"))

    class Meta:
        model = Evaluation
        fields = ["status", "year", "grade", "prefecture"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not region_wide(self.request):
            # An officer sees their own prefecture's evaluations only.
            del self.filters["prefecture"]
        else:
            self.filters["prefecture"].extra["choices"] = read_once(lambda: [
                (str(pk), name) for pk, name in Prefecture.objects.order_by("position").values_list("pk", "name")
            ])
