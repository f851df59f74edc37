"""The payment anomalies, for auditors and region admins: filterable, exportable (payee masked as the user must see it)."""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy
from django_filters.views import FilterView
from django_tables2 import SingleTableMixin

from core.access import AppUserRequiredMixin
from core.listing import ExportableListMixin
from core.permissions import can_view_payment_exceptions
from treasury.filters import ExceptionFilter
from treasury.models import PaymentException
from treasury.tables import ExceptionTable


class ExceptionListView(AppUserRequiredMixin, ExportableListMixin, SingleTableMixin, FilterView):
    table_class = ExceptionTable
    filterset_class = ExceptionFilter
    template_name = "treasury/exceptions.html"
    export_filename = gettext_lazy("国库支付异常")

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not can_view_payment_exceptions(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_queryset(self):
        return (
            PaymentException.objects.visible_to(self.request.user)
            .select_related("payment__prefecture", "payment__county")
            .order_by("payment_id", "kind")
        )

    def get_table_kwargs(self):
        return {"user": self.request.user}


exception_list = ExceptionListView.as_view()
