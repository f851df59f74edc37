"""Row-by-row import and export of targets in the admin.

A row names its target by 文号 + 范围 (自治区 or a prefecture's name) + 三级指标,
never by database ids. The table must already exist (its header block comes
from a 附件2 workbook); an approved table takes no rows. The wording is matched
to the catalogue as the workbook import does: no match leaves the target
unmapped for a person to map, it is not an error. The typed columns are
derived from 指标值 and only exported.
"""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db.models import Max, Q
from django.utils.translation import gettext_lazy as _
from import_export import fields, resources
from import_export.widgets import CharWidget, ForeignKeyWidget

from core.workbook import clean_text
from core.flat_import import CheckedRowsMixin
from core.resources import SafeExportMixin
from targets.models import Indicator, Target, TargetTable
from targets.values import split_wording
from targets.workbook.reader import cell_text
from targets.workbook.scope import ScopeError, find_table

NUMBER, SCOPE, LEVEL1, LEVEL2, WORDING, VALUE = "文号", "范围", "一级指标", "二级指标", "三级指标", "指标值"
OPERATOR, NUMBER_VALUE, UNIT, BASE_NUMBER, BASE_UNIT = "比较", "数值", "单位", "基本单位数值", "基本单位"


class TableWidget(ForeignKeyWidget):
    """The table named by the row's 文号 and 范围, each looked up once per import."""

    def __init__(self, scope_column, **kwargs):
        self.scope_column = scope_column
        self._tables = {}
        super().__init__(TargetTable, **kwargs)

    def clean(self, value, row=None, **kwargs):
        number = str(value or "").strip()
        scope = str((row or {}).get(self.scope_column) or "").strip()
        if not number:
            raise ValueError(f"缺少{NUMBER}")
        if not scope:
            raise ValueError(f"缺少{SCOPE}")
        key = (number, scope)
        if key not in self._tables:
            try:
                self._tables[key] = find_table(number, scope)
            except ScopeError as error:
                self._tables[key] = str(error)
        found = self._tables[key]
        if isinstance(found, str):
            raise ValueError(found)
        return found

    def render(self, value, obj=None, **kwargs):
        return value.document.number if value else ""


class TextWidget(CharWidget):
    # A number typed into a spreadsheet reads as written: 70000, not 70000.0.
    def clean(self, value, row=None, **kwargs):
        return cell_text(value)


def _plain(number):
    if number is None:
        return ""
    number = Decimal(number)
    return number.quantize(Decimal(1)) if number == number.to_integral_value() else number.normalize()


class TargetResource(CheckedRowsMixin, SafeExportMixin, resources.ModelResource):
    table = fields.Field(attribute="table", column_name=NUMBER, widget=TableWidget(SCOPE))
    scope = fields.Field(attribute="table__scope_name", column_name=SCOPE, readonly=True)
    level1 = fields.Field(column_name=LEVEL1, readonly=True)
    level2 = fields.Field(column_name=LEVEL2, readonly=True)
    wording = fields.Field(attribute="wording", column_name=WORDING, widget=TextWidget())
    raw_value = fields.Field(attribute="raw_value", column_name=VALUE, widget=TextWidget())
    operator = fields.Field(column_name=OPERATOR, readonly=True)
    number = fields.Field(column_name=NUMBER_VALUE, readonly=True)
    unit = fields.Field(attribute="unit", column_name=UNIT, readonly=True)
    base_number = fields.Field(column_name=BASE_NUMBER, readonly=True)
    base_unit = fields.Field(attribute="base_unit", column_name=BASE_UNIT, readonly=True)

    class Meta:
        model = Target
        fields = (
            "table", "scope", "level1", "level2", "wording", "raw_value",
            "operator", "number", "unit", "base_number", "base_unit",
        )
        export_order = (
            "table", "scope", "level1", "level2", "wording", "raw_value",
            "operator", "number", "unit", "base_number", "base_unit",
        )
        import_id_fields = ("table", "wording")
        clean_model_instances = True
        use_transactions = True
        skip_unchanged = True
        report_skipped = True

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self._matches = {}

    def get_queryset(self):
        return super().get_queryset().select_related("table__document", "table__prefecture", "indicator")

    def _match(self, wording):
        # Indicator.objects.match, asked once per distinct wording of the file.
        name = split_wording(wording)[0]
        if name not in self._matches:
            self._matches[name] = Indicator.objects.match(wording)
        return self._matches[name]

    def duplicate_key(self, row):
        # A target is its table (文号 + 范围) and its indicator, whichever way the wording writes it.
        wording = cell_text(row.get(WORDING))
        indicator = self._match(wording) if wording else None
        what = indicator.name if indicator else split_wording(wording)[0]
        return (clean_text(row.get(NUMBER)), clean_text(row.get(SCOPE)), what)

    def get_instance(self, instance_loader, row):
        # Found by the catalogue entry when the wording has one, so
        # "…数量(人)" and "…数量（人）" are the same target; by the exact
        # wording otherwise. A row whose table cannot be found is a new
        # target with a field error, reported by import_instance.
        try:
            table = self.fields["table"].clean(row)
        except (ValueError, KeyError):
            return None
        wording = cell_text(row.get(WORDING))
        if not wording:
            return None
        indicator = self._match(wording)
        same = Q(wording=wording) | Q(indicator=indicator) if indicator else Q(wording=wording)
        return self.get_queryset().filter(same, table=table).order_by("position").first()

    def import_instance(self, instance, row, **kwargs):
        errors = {}
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as invalid:
            errors = invalid.update_error_dict(errors)
        table = instance.table if instance.table_id and "table" not in errors else None
        if table is not None and table.is_locked:
            errors["table"] = [ValidationError(_("%(table)s 的绩效目标表已审核通过并锁定，不能导入或修改指标。") % {"table": table}, code="locked")]
            table = None
        if not instance.wording:
            errors.setdefault("wording", []).append(ValidationError(_("缺少%(wording)s") % {"wording": WORDING}, code="required"))
        if not instance.raw_value:
            errors.setdefault("raw_value", []).append(ValidationError(_("缺少%(value)s") % {"value": VALUE}, code="required"))
        if instance.wording:
            instance.indicator = self._match(instance.wording)
        if table is not None and instance.indicator is not None:
            clash = Target.objects.filter(table=table, indicator=instance.indicator).exclude(pk=instance.pk).first()
            if clash:
                errors.setdefault("wording", []).append(
                    ValidationError(_("%(table)s 已有指标“%(name)s”（原文：%(wording)s）") % {"table": table, "name": instance.indicator.name, "wording": clash.wording}, code="duplicate")
                )
        if table is not None and instance.pk is None:
            last = Target.objects.filter(table=table).aggregate(last=Max("position"))["last"] or 0
            instance.position = last + 1
        # The typed columns are required by full_clean; save() derives them again.
        instance.derive()
        if errors:
            raise ValidationError(errors)

    def dehydrate_level1(self, target):
        return target.indicator.get_level1_display() if target.indicator_id else ""

    def dehydrate_level2(self, target):
        return target.indicator.get_level2_display() if target.indicator_id else ""

    def dehydrate_operator(self, target):
        return target.get_operator_display()

    def dehydrate_number(self, target):
        return _plain(target.number)

    def dehydrate_base_number(self, target):
        return _plain(target.base_number)
