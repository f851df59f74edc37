import django_filters
from django.utils.translation import gettext_lazy as _

from allocations.filters import visible_prefectures
from treasury.models import ExceptionKind, PaymentException


class ExceptionFilter(django_filters.FilterSet):
    prefecture = django_filters.ModelChoiceFilter(
        label=_("地（州、市）"), field_name="payment__prefecture", queryset=visible_prefectures, empty_label=_("全部地（州、市）")
    )
    kind = django_filters.ChoiceFilter(label=_("类型"), choices=ExceptionKind.choices, empty_label=_("全部类型"))
    document_number = django_filters.CharFilter(label=_("指标文号"), field_name="payment__document_number", lookup_expr="icontains")
    voucher = django_filters.CharFilter(label=_("支付凭证号"), field_name="payment_id", lookup_expr="icontains")

    class Meta:
        model = PaymentException
        fields = ["prefecture", "kind", "document_number", "voucher"]
