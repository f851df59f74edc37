"""The carried-over balances (结转资金) per prefecture, with what is due for recovery.

The rows and statuses are feedback.carryover's; the page only limits them to
the prefectures the user may see (Prefecture.objects.visible_to): the whole
region for region-wide roles, their own prefecture for an officer.
"""

from django.urls import path
from django.utils.translation import gettext_lazy
from django_filters.views import FilterView
from django_tables2 import SingleTableMixin

from allocations.models import Prefecture
from core import clock
from core.access import AppUserRequiredMixin
from core.listing import ExportableListMixin
from feedback.carryover import RECOVERY_YEARS, balances
from feedback.filters import CarryoverFilter
from feedback.tables import CarryoverTable


class CarryoverListView(AppUserRequiredMixin, ExportableListMixin, SingleTableMixin, FilterView):
    table_class = CarryoverTable
    filterset_class = CarryoverFilter
    template_name = "feedback/carryover.html"
    export_filename = gettext_lazy("结转资金")

    def get_queryset(self):
        self.today = clock.today()
        return balances(Prefecture.objects.visible_to(self.request.user), self.today)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(today=self.today, recovery_years=RECOVERY_YEARS)
        return context


carryover_list = CarryoverListView.as_view()

urlpatterns = [
    path("carryover/", carryover_list, name="carryover"),
]
