import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from allocations.tables import NUM
from core import formats
from treasury.masking import payee_for
from treasury.money import yuan


class ExceptionTable(tables.Table):
    voucher = tables.Column(_("支付凭证号"), accessor="payment_id")
    kind = tables.Column(_("类型"))
    detail = tables.Column(_("说明"), orderable=False)
    paid_on = tables.Column(_("支付日期"), accessor="payment__paid_on")
    prefecture = tables.Column(_("地（州、市）"), accessor="payment__prefecture__name", order_by=("payment__prefecture__position",))
    county = tables.Column(_("县（市、区）"), accessor="payment__county__name", default="—")
    document_number = tables.Column(_("指标文号"), accessor="payment__document_number", default="—")
    amount = tables.Column(_("支付金额（元）"), accessor="payment__amount_fen", attrs=NUM)
    payee = tables.Column(_("收款人"), accessor="payment__payee", orderable=False, default="—")

    class Meta:
        attrs = {"class": "data"}
        empty_text = _("没有符合条件的支付异常。")

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def render_kind(self, record):
        return record.get_kind_display()

    def value_kind(self, record):
        # The export keeps the code the command writes (voucher,kind,detail) beside its label.
        return f"{record.kind} {record.get_kind_display()}"

    def render_paid_on(self, value):
        return formats.day(value)

    def render_amount(self, value):
        return f"{yuan(value):,}"

    def value_amount(self, value):
        return yuan(value)

    def render_payee(self, value):
        return payee_for(self.user, value)

    def value_payee(self, value):
        return payee_for(self.user, value)
