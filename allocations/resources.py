"""Line-by-line import and export of allocation lines in the admin.

A row names its line by 文号 + 地州市 + 县市区, never by database ids: county
names such as 高新区 recur in several prefectures, so the county is only
found together with its prefecture. Lines go only into draft documents.
"""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from import_export import fields, resources
from import_export.widgets import CachedForeignKeyWidget, CharWidget, DecimalWidget, ForeignKeyWidget

from allocations.models import AllocationDocument, AllocationLine, County
from allocations.reallocation import check_line_within_parent_share
from core.amounts import parse_amount
from core.flat_import import CheckedRowsMixin
from core.resources import SafeExportMixin

NUMBER, PREFECTURE, COUNTY, AMOUNT, NOTE, MARK = "文号", "地州市", "县市区", "拨付金额", "备注", "直达资金标识"


class DocumentWidget(CachedForeignKeyWidget):
    def clean(self, value, row=None, **kwargs):
        try:
            return super().clean(value, row=row, **kwargs)
        except AllocationDocument.DoesNotExist:
            raise ValueError(f"未知的文号：{value}") from None


class CountyWidget(ForeignKeyWidget):
    """Finds the county by the row's (地州市, 县市区); all counties are read once per import."""

    def __init__(self, prefecture_column, **kwargs):
        self.prefecture_column = prefecture_column
        self._counties = None
        super().__init__(County, field="name", **kwargs)

    def clean(self, value, row=None, **kwargs):
        name = str(value or "").strip()
        prefecture = str((row or {}).get(self.prefecture_column) or "").strip()
        if not name:
            raise ValueError(f"缺少{COUNTY}")
        if not prefecture:
            raise ValueError(f"缺少{PREFECTURE}")
        if self._counties is None:
            self._counties = {(c.prefecture.name, c.name): c for c in County.objects.select_related("prefecture")}
        county = self._counties.get((prefecture, name))
        if county is None:
            raise ValueError(f"{prefecture} 没有名为“{name}”的县（市、区）")
        return county


class AmountWidget(DecimalWidget):
    def clean(self, value, row=None, **kwargs):
        if value is None or str(value).strip() == "":
            # Also what a formula Excel never calculated reads as.
            raise ValueError("拨付金额为空（如为公式，请先在 Excel 中计算并保存，或改为数值）")
        # Read as the 附件1 workbook reads it; its AmountError is a ValueError,
        # which django-import-export reports as this cell's error.
        return parse_amount(value, _("拨付金额"))

    def render(self, value, obj=None, **kwargs):
        # A plain Decimal: a spreadsheet keeps it a number, not localised text.
        return Decimal(value) if value is not None else ""


class AllocationLineResource(CheckedRowsMixin, SafeExportMixin, resources.ModelResource):
    document = fields.Field(attribute="document", column_name=NUMBER, widget=DocumentWidget(AllocationDocument, "number"))
    prefecture = fields.Field(
        attribute="county__prefecture__name", column_name=PREFECTURE, widget=CharWidget(), readonly=True
    )
    county = fields.Field(attribute="county", column_name=COUNTY, widget=CountyWidget(PREFECTURE))
    amount = fields.Field(attribute="amount", column_name=AMOUNT, widget=AmountWidget())
    note = fields.Field(attribute="note", column_name=NOTE, widget=CharWidget(), default="")
    direct_mark = fields.Field(attribute="direct_mark", column_name=MARK, readonly=True)

    class Meta:
        model = AllocationLine
        fields = ("document", "prefecture", "county", "amount", "note", "direct_mark")
        export_order = ("document", "prefecture", "county", "amount", "note", "direct_mark")
        # 文号 + 地州市 + 县市区; the county widget also reads 地州市 from the row.
        import_id_fields = ("document", "prefecture", "county")
        clean_model_instances = True
        use_transactions = True
        skip_unchanged = True
        report_skipped = True

    def get_queryset(self):
        return super().get_queryset().select_related("document", "county__prefecture")

    def get_instance(self, instance_loader, row):
        # A row whose 文号 or county cannot be found is a new line with field
        # errors (reported by import_instance), not a crash of the lookup.
        try:
            return super().get_instance(instance_loader, row)
        except ValueError:
            return None

    def import_instance(self, instance, row, **kwargs):
        errors = {}
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as invalid:
            errors = invalid.update_error_dict(errors)
        if instance.document_id and "document" not in errors and not instance.document.is_draft:
            errors["document"] = [
                ValidationError(_("%(number)s 已下达，不能再导入或修改分配明细。") % {"number": instance.document.number}, code="issued")
            ]
        if not errors and instance.document_id and instance.document.is_reallocation and instance.amount is not None:
            # Earlier rows of the file are already written (rolled back after a dry run), so they count too.
            try:
                check_line_within_parent_share(instance)
            except ValidationError as over:
                row = kwargs.get("row_number")
                errors["amount"] = [
                    ValidationError(_("第%(row)s行：%(message)s") % {"row": row, "message": message}, code="over_share")
                    for message in over.messages
                ]
        if errors:
            raise ValidationError(errors)
