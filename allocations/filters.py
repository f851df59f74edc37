import django_filters

from allocations.models import AllocationDocument, AllocationLine, DocumentStatus, Prefecture, PrefectureSubtotal
from core.listing import read_once
from core.permissions import sees_all_prefectures
from django.utils.translation import gettext_lazy as _

REGIONAL, REALLOCATION = "regional", "reallocation"


def region_wide(request):
    # Region-wide roles pick a prefecture; an officer's list has one prefecture already.
    return request is not None and sees_all_prefectures(request.user)


def visible_prefectures(request):
    # The prefecture drop-down of every listing: an officer's offers only their own.
    return Prefecture.objects.visible_to(request.user).order_by("position") if request else Prefecture.objects.none()


class DocumentFilter(django_filters.FilterSet):
    prefecture = django_filters.ModelChoiceFilter(
        label=_("地（州、市）"), queryset=visible_prefectures, empty_label=_("全部地（州、市）"), method="filter_prefecture"
    )
    year = django_filters.ChoiceFilter(label=_("年度"), empty_label=_("全部年度"))
    status = django_filters.ChoiceFilter(label=_("状态"), choices=DocumentStatus.choices, empty_label=_("全部状态"))
    kind = django_filters.ChoiceFilter(
        label=_("类型"),
        choices=[(REGIONAL, _("自治区分配文件")), (REALLOCATION, _("转下达文件"))],
        empty_label=_("全部类型"),
        method="filter_kind",
    )

    class Meta:
        model = AllocationDocument
        fields = ["prefecture", "year", "status", "kind"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not region_wide(self.request):
            # An officer's list is their own prefecture's already.
            del self.filters["prefecture"]
        # Offer the years of the documents this user can see, read once, when the form is validated or drawn.
        visible = self.queryset
        self.filters["year"].extra["choices"] = read_once(lambda: [
            (year, _("%(year)s年") % {"year": year}) for year in visible.order_by("-year").values_list("year", flat=True).distinct()
        ])

    def filter_kind(self, queryset, name, value):
        return queryset.filter(parent__isnull=(value == REGIONAL))

    def filter_prefecture(self, queryset, name, value):
        # A subquery, not a join: a document has many lines in one prefecture.
        return queryset.filter(pk__in=AllocationLine.objects.filter(county__prefecture=value).values("document"))


class PrefectureFilter(django_filters.FilterSet):
    """Region-wide roles pick prefectures; an officer's list has one prefecture already, so no filter.

    Also the overdue list's filter (feedback.filters.OverdueFilter), which is built per prefecture.
    """

    prefecture = django_filters.ModelChoiceFilter(
        label=_("地（州、市）"), queryset=visible_prefectures, empty_label=_("全部地（州、市）"), method="filter_prefecture"
    )

    class Meta:
        model = Prefecture
        fields = ["prefecture"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not region_wide(self.request):
            del self.filters["prefecture"]

    def filter_prefecture(self, queryset, name, value):
        return queryset.filter(pk=value.pk)


def due_documents(request):
    # The regional documents a deadline runs from (allocations.timeliness): issued, with a 发文日期, visible to the user.
    if request is None:
        return AllocationDocument.objects.none()
    documents = AllocationDocument.objects.visible_to(request.user).regional()
    return documents.filter(status=DocumentStatus.ISSUED, issued_on__isnull=False).order_by("-issued_on", "number")


class ReallocationOverdueFilter(django_filters.FilterSet):
    """The overdue 转下达 list: its rows are 小计, narrowed by regional document and, for region-wide roles, by prefecture."""

    document = django_filters.ModelChoiceFilter(label=_("上级文件"), queryset=due_documents, empty_label=_("全部文件"))
    prefecture = django_filters.ModelChoiceFilter(
        label=_("地（州、市）"), queryset=visible_prefectures, empty_label=_("全部地（州、市）")
    )

    class Meta:
        model = PrefectureSubtotal
        fields = ["document", "prefecture"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not region_wide(self.request):
            del self.filters["prefecture"]
