"""The lists' filters (django-filter, as on the pages). A bad value is a 400 naming the parameter."""

import django_filters as filters
from django.db.models import Subquery

from allocations.models import AllocationDocument, AllocationLine, County, DocumentStatus
from feedback.models import FeedbackReport, ReportStatus
from targets.models import TableStatus, TargetTable
from treasury.models import USE_CHOICES, Payment, PaymentSummary


class CountyFilter(filters.FilterSet):
    prefecture = filters.NumberFilter(field_name="prefecture_id", label="地（州、市）编号")

    class Meta:
        model = County
        fields = ["prefecture"]


class DocumentFilter(filters.FilterSet):
    number = filters.CharFilter(label="文号")
    year = filters.NumberFilter(label="年度")
    status = filters.ChoiceFilter(choices=DocumentStatus.choices, label="状态")
    parent = filters.NumberFilter(field_name="parent_id", label="上级文件编号")
    regional = filters.BooleanFilter(field_name="parent", lookup_expr="isnull", label="仅自治区文件（true）或仅转下达（false）")

    class Meta:
        model = AllocationDocument
        fields = ["number", "year", "status", "parent", "regional"]


class LineFilter(filters.FilterSet):
    document = filters.NumberFilter(field_name="document_id", label="分配文件编号")
    county = filters.NumberFilter(field_name="county_id", label="县（市、区）编号")
    prefecture = filters.NumberFilter(field_name="county__prefecture_id", label="地（州、市）编号")

    class Meta:
        model = AllocationLine
        fields = ["document", "county", "prefecture"]


class TargetTableFilter(filters.FilterSet):
    document = filters.NumberFilter(field_name="document_id", label="分配文件编号")
    prefecture = filters.NumberFilter(field_name="prefecture_id", label="地（州、市）编号")
    status = filters.ChoiceFilter(choices=TableStatus.choices, label="状态")

    class Meta:
        model = TargetTable
        fields = ["document", "prefecture", "status"]


class FeedbackReportFilter(filters.FilterSet):
    prefecture = filters.NumberFilter(field_name="prefecture_id", label="地（州、市）编号")
    month = filters.DateFilter(label="月份（当月1日，如 2023-07-01）")
    year = filters.NumberFilter(field_name="month", lookup_expr="year", label="年度")
    status = filters.ChoiceFilter(choices=ReportStatus.choices, label="状态")

    class Meta:
        model = FeedbackReport
        fields = ["prefecture", "month", "year", "status"]


class PaymentFilter(filters.FilterSet):
    voucher = filters.CharFilter(label="支付凭证号")
    prefecture = filters.NumberFilter(field_name="prefecture_id", label="地（州、市）编号")
    county = filters.NumberFilter(method="filter_county", label="县（市、区）编号")
    root_document = filters.NumberFilter(field_name="root_document_id", label="自治区文件编号")
    document_number = filters.CharFilter(label="指标文号")
    paid_from = filters.DateFilter(field_name="paid_on", lookup_expr="gte", label="支付日期起")
    paid_to = filters.DateFilter(field_name="paid_on", lookup_expr="lte", label="支付日期止")
    use = filters.ChoiceFilter(choices=USE_CHOICES, label="支出方向")

    class Meta:
        model = Payment
        fields = ["voucher", "prefecture", "county", "root_document", "document_number", "paid_from", "paid_to", "use"]

    def filter_county(self, queryset, name, value):
        # A payment's county is in its prefecture (the import refuses one that is not), and the prefecture is
        # indexed: the county alone is not (treasury.models.Payment.county), so the lookup goes through both.
        prefecture = County.objects.filter(pk=value).values("prefecture_id")
        return queryset.filter(county_id=value, prefecture_id=Subquery(prefecture))


class PaymentSummaryFilter(filters.FilterSet):
    document = filters.NumberFilter(field_name="document_id", label="自治区文件编号")
    prefecture = filters.NumberFilter(field_name="prefecture_id", label="地（州、市）编号")
    county = filters.NumberFilter(field_name="county_id", label="县（市、区）编号")
    month = filters.DateFilter(label="月份（当月1日）")
    use = filters.ChoiceFilter(choices=USE_CHOICES, label="支出方向")

    class Meta:
        model = PaymentSummary
        fields = ["document", "prefecture", "county", "month", "use"]
