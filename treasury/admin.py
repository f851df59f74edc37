"""The admin: the code table, kept by region admins; payments, read-only, imported from a file.

Payments are the treasury's records: nobody adds, edits or deletes one here.
Their import is the same importer as the command and the upload page
(treasury.importing), not django-import-export's row-by-row resource: one
transaction keeps the summary table and the anomalies with the rows, and
idempotency by voucher is the importer's. 收款人 is masked in the database
query for whoever may not read it whole.
"""

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.db.models import F
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.translation import gettext_lazy as _

from core.admin import EstimatedCountPaginator, GuardedAdminMixin, HistoryAdmin
from core.permissions import can_import_payments, sees_payee_in_full
from treasury.forms import PaymentUploadForm
from treasury.masking import masked_payee_sql
from treasury.models import Payment, PaymentCode
from treasury.money import yuan
from treasury.views.upload import run_upload


@admin.register(PaymentCode)
class PaymentCodeAdmin(HistoryAdmin):
    list_display = ("code", "name", "use")
    list_filter = ("use",)
    search_fields = ("code", "name")


@admin.register(Payment)
class PaymentAdmin(GuardedAdminMixin, admin.ModelAdmin):
    list_display = ("voucher", "paid_on", "prefecture", "county", "document_number", "function_code", "use", "amount", "shown_payee")
    list_select_related = ("prefecture", "county__prefecture")  # a county is written with its prefecture
    list_filter = ("use", "prefecture")
    search_fields = ("voucher", "document_number")
    # A million rows: the unfiltered list is counted by the planner's estimate, and no date drill-down
    # (it reads the distinct dates of the whole table on every load).
    show_full_result_count = False
    paginator = EstimatedCountPaginator
    fields = (
        "voucher", "paid_on", "prefecture", "county", "budget_unit", "document_number", "document", "root_document",
        "function_code", "economic_code", "direct_mark", "amount", "shown_payee", "use", "imported_at",
    )
    readonly_fields = fields
    change_list_template = "admin/treasury/payment/change_list.html"

    def get_queryset(self, request):
        payee = F("payee") if sees_payee_in_full(request.user) else masked_payee_sql()
        return super().get_queryset(request).annotate(shown_payee=payee)

    @admin.display(description=_("支付金额（元）"), ordering="amount_fen")
    def amount(self, obj):
        return f"{yuan(obj.amount_fen):,}"

    @admin.display(description=_("收款人"))
    def shown_payee(self, obj):
        return obj.shown_payee

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def changelist_view(self, request, extra_context=None):
        extra_context = {**(extra_context or {}), "can_import_payments": can_import_payments(request.user)}
        return super().changelist_view(request, extra_context)

    def get_urls(self):
        info = f"{self.opts.app_label}_{self.opts.model_name}"
        own = [path("import/", self.admin_site.admin_view(self.import_view), name=f"{info}_import")]
        # The add page stays routed (has_add_permission refuses it: 403), as every admin model's does.
        return own + super().get_urls()

    def import_view(self, request):
        if not can_import_payments(request.user):
            raise PermissionDenied
        context = {**self.admin_site.each_context(request), "opts": self.opts, "title": _("导入国库支付明细")}
        form = PaymentUploadForm(request.POST or None, request.FILES or None) if request.method == "POST" else PaymentUploadForm()
        if request.method == "POST" and form.is_valid():
            outcome, errors = run_upload(form)
            context.update(outcome=outcome, errors=errors)
            form = PaymentUploadForm()
        context["form"] = form
        return TemplateResponse(request, "admin/treasury/payment/import.html", context)
