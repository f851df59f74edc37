import django_filters

from allocations.models import Prefecture
from feedback.models import FeedbackReport, ReportStatus


def _visible_prefectures(request):
    # An officer's list offers only their own prefecture.
    if request is None:
        return Prefecture.objects.none()
    return Prefecture.objects.visible_to(request.user).order_by("position")


class ReportFilter(django_filters.FilterSet):
    prefecture = django_filters.ModelChoiceFilter(
        label="地（州、市）", queryset=_visible_prefectures, empty_label="全部地（州、市）"
    )
    year = django_filters.ChoiceFilter(label="年度", field_name="month", lookup_expr="year", empty_label="全部年度")
    month_number = django_filters.ChoiceFilter(
        label="月份",
        field_name="month",
        lookup_expr="month",
        choices=[(number, f"{number}月") for number in range(1, 13)],
        empty_label="全部月份",
    )
    status = django_filters.ChoiceFilter(label="状态", choices=ReportStatus.choices, empty_label="全部状态")

    class Meta:
        model = FeedbackReport
        fields = ["prefecture", "year", "month_number", "status"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The years of the reports this user can see, read when the form is drawn.
        visible = self.queryset
        self.filters["year"].extra["choices"] = lambda: [
            (day.year, f"{day.year}年") for day in visible.order_by().dates("month", "year", order="DESC")
        ]


class QueueFilter(ReportFilter):
    """The review queue holds submitted reports only: no status to choose."""

    class Meta:
        model = FeedbackReport
        fields = ["prefecture", "year", "month_number"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.filters["status"]


class OverdueFilter(django_filters.FilterSet):
    """The overdue list is built per prefecture, so the filter narrows the prefectures it looks at."""

    prefecture = django_filters.ModelChoiceFilter(
        label="地（州、市）", queryset=_visible_prefectures, empty_label="全部地（州、市）", method="filter_prefecture"
    )

    class Meta:
        model = Prefecture
        fields = ["prefecture"]

    def filter_prefecture(self, queryset, name, value):
        return queryset.filter(pk=value.pk)
