import re

from django import forms
from django.core.validators import FileExtensionValidator
from django.utils.translation import gettext_lazy as _

from allocations.models import County
from allocations.money import plain
from allocations.reallocation import ProposedLine
from core.uploads import check_upload_size
from core.amounts import AmountField

NUMBER_MAX_LENGTH = 60
DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _date_field(label, required_message=None, **kwargs):
    messages = {"invalid": _("%(label)s不是有效日期，请写成 2023-06-20 的格式。") % {"label": label}}
    if required_message:
        messages["required"] = required_message
    return forms.DateField(label=label, widget=DATE_WIDGET, error_messages=messages, **kwargs)


def _number_field(**kwargs):
    return forms.CharField(
        label=_("文号"),
        max_length=NUMBER_MAX_LENGTH,
        error_messages={"required": _("请填写文号。"), "max_length": _("文号不能超过 %(number_max_length)s 个字。") % {
            "number_max_length": NUMBER_MAX_LENGTH},
        },
        **kwargs,
    )


def _amount_field(label):
    # Read as every other amount is (core.amounts); its messages name the field, so the county.
    return AmountField(label=label, required=False)


class ImportUploadForm(forms.Form):
    file = forms.FileField(
        label=_("分配表文件（.xlsx）"),
        validators=[FileExtensionValidator(["xlsx"], message=_("只能上传 .xlsx 格式的 Excel 文件（附件1 分配表）。"))],
        error_messages={"required": _("请选择要导入的分配表文件。"), "empty": _("上传的文件是空的。")},
    )
    number = _number_field(help_text=_("例如：新财社〔2023〕74号"))
    title = forms.CharField(label=_("标题"), max_length=200, required=False, help_text=_("留空则使用分配表的标题。"))
    issued_on = _date_field(_("发文日期"), required=False)
    replace = forms.BooleanField(label=_("覆盖同文号的草稿"), required=False)

    def clean_file(self):
        return check_upload_size(self.cleaned_data["file"])


class ImportConfirmForm(forms.Form):
    # What the preview showed travels back signed; the metadata travels as is
    # and is checked again by save_checked.
    payload = forms.CharField(widget=forms.HiddenInput)
    number = forms.CharField(max_length=NUMBER_MAX_LENGTH, widget=forms.HiddenInput)
    title = forms.CharField(max_length=200, required=False, widget=forms.HiddenInput)
    issued_on = forms.DateField(required=False, widget=forms.HiddenInput)
    replace = forms.BooleanField(required=False, widget=forms.HiddenInput)


class ReallocationForm(forms.Form):
    """文号, 标题, 发文日期 and one amount and note per county of one prefecture.

    given: {county id: amount} the parent gives each county ({} for a 小计
    only); earlier: {county id: 文号} of the counties already passed on. The
    amounts start as the parent's for the counties still due, which is what
    the rules (allocations.reallocation) accept.
    """

    number = _number_field()
    title = forms.CharField(label=_("标题"), max_length=200, error_messages={"required": _("请填写标题。")})
    # The deadline (allocations.timeliness) is counted from this date, so it is required.
    issued_on = _date_field(_("发文日期"), required_message=_("请填写发文日期。"))

    def __init__(self, *args, prefecture, counties, given=None, earlier=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.prefecture = prefecture
        self.counties = counties
        self.given = given or {}
        self.earlier = earlier or {}
        for county in counties:
            amount = _amount_field(_("%(name)s 拨付金额") % {"name": county.name})
            if county.pk in self.given and county.pk not in self.earlier:
                amount.initial = plain(self.given[county.pk])
            self.fields[f"amount_{county.pk}"] = amount
            self.fields[f"note_{county.pk}"] = forms.CharField(label=_("%(name)s 备注") % {"name": county.name}, required=False, max_length=200)

    def document_fields(self):
        return [self[name] for name in ("number", "title", "issued_on")]

    def county_rows(self):
        """(county, amount input, note input, the parent's amount or None, 文号 it was passed on in or "")."""
        return [
            (
                county,
                self[f"amount_{county.pk}"],
                self[f"note_{county.pk}"],
                self.given.get(county.pk),
                self.earlier.get(county.pk, ""),
            )
            for county in self.counties
        ]

    def clean(self):
        cleaned = super().clean()
        for message in self._foreign_county_errors():
            self.add_error(None, message)
        return cleaned

    def _foreign_county_errors(self):
        # Only this prefecture's counties have inputs; an amount for any other
        # county id can only come from a hand-made request. Say so rather
        # than drop it silently.
        own = {county.pk for county in self.counties}
        posted = set()
        for key, value in self.data.items():
            match = re.fullmatch(r"amount_(\d{1,18})", key)
            if match and str(value).strip() and int(match.group(1)) not in own:
                posted.add(int(match.group(1)))
        if not posted:
            return []
        found = {c.pk: c for c in County.objects.select_related("prefecture").filter(pk__in=posted)}
        messages = []
        for pk in sorted(posted):
            county = found.get(pk)
            if county is None:
                messages.append(_("未知的县（市、区）（编号 %(pk)s）。") % {"pk": pk})
            else:
                messages.append(
                    _("%(county)s 不属于 %(name)s，只能分配给本地（州、市）的县（市、区）。") % {"county": county, "name": self.prefecture.name}
                )
        return messages

    def proposed_lines(self):
        lines = []
        for county in self.counties:
            amount = self.cleaned_data.get(f"amount_{county.pk}")
            if amount is not None:
                lines.append(ProposedLine(county, amount, self.cleaned_data.get(f"note_{county.pk}", "")))
        return lines
