import django_filters

from allocations.filters import PrefectureFilter, visible_prefectures
from allocations.models import PrefectureSubtotal
from feedback.carryover import CarryoverStatus
from core.listing import read_once
from feedback.models import FeedbackReport, ReportStatus
from feedback.obligations import receiving_subtotals
from django.db.models import Min
from django.utils.translation import gettext_lazy as _


# Spelled out so that each month is its own catalog entry ("7月" -> "July").
MONTH_CHOICES = [
    (1, _("1月")), (2, _("2月")), (3, _("3月")), (4, _("4月")),
    (5, _("5月")), (6, _("6月")), (7, _("7月")), (8, _("8月")),
    (9, _("9月")), (10, _("10月")), (11, _("11月")), (12, _("12月")),
]


class ReportFilter(django_filters.FilterSet):
    prefecture = django_filters.ModelChoiceFilter(
        label=_("地（州、市）"), queryset=visible_prefectures, empty_label=_("全部地（州、市）")
    )
    year = django_filters.ChoiceFilter(label=_("年度"), field_name="month", lookup_expr="year", empty_label=_("全部年度"))
    month_number = django_filters.ChoiceFilter(
        label=_("月份"),
        field_name="month",
        lookup_expr="month",
        choices=MONTH_CHOICES,
        empty_label=_("全部月份"),
    )
    status = django_filters.ChoiceFilter(label=_("状态"), choices=ReportStatus.choices, empty_label=_("全部状态"))

    class Meta:
        model = FeedbackReport
        fields = ["prefecture", "year", "month_number", "status"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The years of the reports this user can see, read once, when the form is validated or drawn.
        visible = self.queryset
        self.filters["year"].extra["choices"] = read_once(lambda: [
            (day.year, _("%(year)s年") % {"year": day.year}) for day in visible.order_by().dates("month", "year", order="DESC")
        ])


class QueueFilter(ReportFilter):
    """The review queue holds submitted reports only: no status to choose."""

    class Meta:
        model = FeedbackReport
        fields = ["prefecture", "year", "month_number"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.filters["status"]


class OverdueFilter(PrefectureFilter):
    """The overdue list is built per prefecture, so the filter narrows the prefectures it looks at.

    The year narrows the months (feedback.completeness.overdue reads it from the form), not the prefectures.
    """

    year = django_filters.ChoiceFilter(label=_("年度"), empty_label=_("全部年度"), method="keep_prefectures")

    def __init__(self, *args, today=None, **kwargs):
        super().__init__(*args, **kwargs)
        visible = self.queryset
        last = today.year if today is not None else None

        def years():
            # From the first year a visible prefecture received money to this year, newest first: one query.
            first = receiving_subtotals().filter(prefecture__in=visible).aggregate(first=Min("document__issued_on"))["first"]
            if first is None:
                return []
            return [(year, _("%(year)s年") % {"year": year}) for year in range(last or first.year, first.year - 1, -1)]

        self.filters["year"].extra["choices"] = read_once(years)

    def keep_prefectures(self, queryset, name, value):
        return queryset

    @property
    def chosen_year(self):
        """The chosen year (an int) or None; read after .qs has validated the form."""
        year = self.form.cleaned_data.get("year") if self.form.is_valid() else None
        return int(year) if year else None


class CarryoverFilter(django_filters.FilterSet):
    """The carried-over balances (feedback.carryover): by prefecture and by status."""

    prefecture = django_filters.ModelChoiceFilter(
        label=_("地（州、市）"), queryset=visible_prefectures, empty_label=_("全部地（州、市）")
    )
    status = django_filters.ChoiceFilter(label=_("状态"), choices=CarryoverStatus.choices, empty_label=_("全部状态"))

    class Meta:
        model = PrefectureSubtotal
        fields = ["prefecture", "status"]
