import django_filters

from allocations.models import AllocationDocument, DocumentStatus

REGIONAL, REALLOCATION = "regional", "reallocation"


class DocumentFilter(django_filters.FilterSet):
    year = django_filters.ChoiceFilter(label="年度", empty_label="全部年度")
    status = django_filters.ChoiceFilter(label="状态", choices=DocumentStatus.choices, empty_label="全部状态")
    kind = django_filters.ChoiceFilter(
        label="类型",
        choices=[(REGIONAL, "自治区分配文件"), (REALLOCATION, "转下达文件")],
        empty_label="全部类型",
        method="filter_kind",
    )

    class Meta:
        model = AllocationDocument
        fields = ["year", "status", "kind"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Offer the years of the documents this user can see, read when the form is drawn.
        visible = self.queryset
        self.filters["year"].extra["choices"] = lambda: [
            (year, f"{year}年") for year in visible.order_by("-year").values_list("year", flat=True).distinct()
        ]

    def filter_kind(self, queryset, name, value):
        return queryset.filter(parent__isnull=(value == REGIONAL))
