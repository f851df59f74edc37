from django import forms
from django.core.validators import FileExtensionValidator

from django.utils.translation import gettext_lazy as _

from core.uploads import check_upload_size

NUMBER_MAX_LENGTH = 60
_XLSX = FileExtensionValidator(["xlsx"], message=_("只能上传 .xlsx 格式的 Excel 文件。"))


class PlanUploadForm(forms.Form):
    factors = forms.FileField(
        label=_("因素表（.xlsx）"),
        validators=[_XLSX],
        error_messages={"required": _("请选择因素表文件。"), "empty": _("上传的因素表是空的。")},
        help_text=_("第一个工作表：地（州、市）＋各因素列，表头如“城镇新增就业任务（0.4）”；可选第二个工作表：地（州、市）、县（市、区）＋相同因素列。"),
    )
    # Text, not a number field: "80000.5" must be refused by the planning's own rule, with its own message.
    total = forms.CharField(label=_("分配总额（万元）"), max_length=20, error_messages={"required": _("请填写分配总额（整数万元）。")})
    deductions = forms.FileField(
        label=_("审计扣减表（.xlsx，可选）"),
        required=False,
        validators=[_XLSX],
        help_text=_("列：地（州、市）、扣减金额（万元）、扣减原因、来源文号。"),
    )
    evaluation_year = forms.IntegerField(
        label=_("绩效评价年度（可选）"),
        required=False,
        min_value=2000,
        max_value=2100,
        error_messages={"invalid": _("绩效评价年度应为四位年份，如 2023。")},
        help_text=_("按该年度的评价等次和年末结余率调整。"),
    )
    number = forms.CharField(
        label=_("文号"),
        max_length=NUMBER_MAX_LENGTH,
        error_messages={"required": _("请填写文号。"), "max_length": _("文号不能超过 %(number_max_length)s 个字。") % {"number_max_length": NUMBER_MAX_LENGTH}},
        help_text=_("生成的草稿分配文件的文号，例如：新财社〔2024〕1号"),
    )
    title = forms.CharField(label=_("标题"), max_length=200, required=False, help_text=_("留空则为“<年度>年就业补助资金分配表（因素法测算）”。"))

    def clean_factors(self):
        return check_upload_size(self.cleaned_data["factors"])

    def clean_deductions(self):
        upload = self.cleaned_data.get("deductions")
        return check_upload_size(upload) if upload else upload


class PlanConfirmForm(forms.Form):
    # The inputs travel back signed (planning/views.py): the plan is computed again from them on confirmation.
    payload = forms.CharField(widget=forms.HiddenInput)
