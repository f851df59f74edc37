"""The 附件3 forms: the editable columns of each line, keyed by line id; and a filled-in workbook's upload.

Only what the officer fills in is a field here. 资金金额, 文号 and the fund
name are not fields at all, so a posted value for them is simply not read.
Every message names its line the way validation.line_label does, so the
officer can find it in a long table.
"""

from django import forms
from django.core.validators import FileExtensionValidator
from django.utils.translation import gettext_lazy as _

from allocations.models import PermittedUse
from allocations.money import plain
from core.amounts import amount_or_problem
from core.uploads import check_upload_size
from feedback.added_lines import FUND_NAME_MAX_LENGTH, MARK_CHOICES, NOT_DIRECT, NUMBER_MAX_LENGTH
from feedback.validation import OTHER_USE_APPROVAL_MAX_LENGTH, line_label
from feedback.workflow import EDITABLE_FIELDS

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TEXT_MAX_LENGTH = 2000


NOT_DIRECT_CHOICE = "none"


def _mark(choice):
    if choice == NOT_DIRECT_CHOICE:
        return NOT_DIRECT
    return choice or MARK_CHOICES[0][0]


# The fields of a line the officer adds (说明1), read only when the officer adds one.
NEW_LINE_FIELDS = ("new_fund_name", "new_document_number", "new_amount", "new_direct_mark")
ADDING = _("添加资金")


class ReportLinesForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    # 说明1: a fund received outside this system, added as a line of its own (feedback.added_lines).
    new_fund_name = forms.CharField(
        label=_("收到的财政专项资金名称"), required=False, max_length=FUND_NAME_MAX_LENGTH,
        error_messages={"max_length": _("添加资金：资金名称不能超过 %(limit_value)s 字")},
    )
    new_document_number = forms.CharField(
        label=_("文号"), required=False, max_length=NUMBER_MAX_LENGTH,
        error_messages={"max_length": _("添加资金：文号不能超过 %(limit_value)s 字")},
    )
    new_amount = forms.CharField(
        label=_("资金金额（万元）"), required=False, max_length=40,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
        error_messages={"max_length": _("添加资金：资金金额过长")},
    )
    # "none" rather than an empty value: a post that leaves the field out gets the default mark, not 非直达.
    new_direct_mark = forms.ChoiceField(
        label=_("直达资金标识"), required=False, choices=[(value or NOT_DIRECT_CHOICE, label) for value, label in MARK_CHOICES],
        initial=MARK_CHOICES[0][0],
        error_messages={"invalid_choice": _("添加资金：直达资金标识“%(value)s”无效")},
    )

    def __init__(self, *args, lines, adding=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.lines = lines
        # The 添加资金（说明1） button: the new line's fields are then required.
        self.adding = adding
        self.fields["version"].error_messages = {
            "required": _("页面缺少版本号，请刷新页面后重新填写。"),
            "invalid": _("页面版本号无效，请刷新页面后重新填写。"),
            "min_value": _("页面版本号无效，请刷新页面后重新填写。"),
        }
        for line in lines:
            label = line_label(line)
            self.fields[self.name("spent", line)] = forms.CharField(
                label=_("%(label)s 实际支出金额") % {"label": label},
                required=False,
                max_length=40,
                widget=forms.TextInput(attrs={"inputmode": "decimal", "class": "amount", "autocomplete": "off"}),
            )
            self.fields[self.name("uses", line)] = forms.MultipleChoiceField(
                label=_("%(label)s 资金支出方向") % {"label": label},
                required=False,
                choices=PermittedUse.choices,
                widget=forms.CheckboxSelectMultiple,
                error_messages={"invalid_choice": _("%(label)s：资金支出方向“%%(value)s”不是通知列明的九项用途之一") % {"label": label}},
            )
            self.fields[self.name("other_use_approval", line)] = forms.CharField(
                label=_("%(label)s 批准文件") % {"label": label},
                required=False,
                max_length=OTHER_USE_APPROVAL_MAX_LENGTH,
                widget=forms.TextInput(attrs={"placeholder": _("选择“其他支出项目”时填写批准文件")}),
                error_messages={"max_length": _("%(label)s：批准文件不能超过 %(max_length)s 字") % {
                    "label": label,
                    "max_length": OTHER_USE_APPROVAL_MAX_LENGTH},
                },
            )
            for name, title in (
                ("reason", _("原因")), ("measure", _("整改措施")), ("decrease_explanation", _("支出减少说明")),
                ("difference_explanation", _("差异说明")),
            ):
                self.fields[self.name(name, line)] = forms.CharField(
                    label=_("%(label)s %(title)s") % {"label": label, "title": title},
                    required=False,
                    max_length=TEXT_MAX_LENGTH,
                    widget=forms.Textarea(attrs={"rows": 2}),
                    error_messages={"max_length": _("%(label)s：%(title)s不能超过 %(text_max_length)s 字") % {
                        "label": label,
                        "title": title,
                        "text_max_length": TEXT_MAX_LENGTH},
                    },
                )
            self.fields[self.name("measure_deadline", line)] = forms.DateField(
                label=_("%(label)s 整改时间") % {"label": label},
                required=False,
                widget=DATE_WIDGET,
                error_messages={"invalid": _("%(label)s：整改时间不是有效日期（格式：2023-08-31）") % {"label": label}},
            )
            self.fields[self.name("spent", line)].error_messages["max_length"] = _("%(label)s：实际支出金额过长") % {
                "label": label,
            }
            # The inputs sit in table cells without a <label>: name them for screen readers.
            for field in (
                "spent", "other_use_approval", "reason", "measure", "measure_deadline", "decrease_explanation",
                "difference_explanation",
            ):
                bound = self.fields[self.name(field, line)]
                bound.widget.attrs["aria-label"] = bound.label
            if not self.is_bound:
                self.initial.update(self._initial_for(line))

    @staticmethod
    def name(field, line):
        # A line not written yet (the month's first save, workflow.unsaved_report) is known by its document.
        return f"{field}_{line.pk}" if line.pk else f"{field}_d{line.document_id}"

    def _initial_for(self, line):
        return {
            self.name("spent", line): plain(line.spent),
            self.name("uses", line): list(line.uses),
            self.name("other_use_approval", line): line.other_use_approval,
            self.name("reason", line): line.reason,
            self.name("measure", line): line.measure,
            self.name("measure_deadline", line): line.measure_deadline,
            self.name("decrease_explanation", line): line.decrease_explanation,
            self.name("difference_explanation", line): line.difference_explanation,
        }

    def clean(self):
        cleaned = super().clean()
        self._clean_new_line(cleaned)
        for line in self.lines:
            name = self.name("spent", line)
            if name not in cleaned:
                continue
            value, problem = amount_or_problem(cleaned[name], _("实际支出金额"))
            if problem:
                self.add_error(name, f"{line_label(line)}：{problem}")
            else:
                cleaned[name] = value
        return cleaned

    def _clean_new_line(self, cleaned):
        texts = {name: (cleaned.get(name) or "").strip() for name in ("new_fund_name", "new_document_number", "new_amount")}
        if not self.adding and not any(texts.values()) and not any(name in self.errors for name in texts):
            return
        required = (
            ("new_fund_name", _("添加资金：请填写收到的财政专项资金名称")),
            ("new_document_number", _("添加资金：请填写文号")),
            ("new_amount", _("添加资金：请填写资金金额")),
        )
        for name, message in required:
            if not texts[name] and name not in self.errors:
                self.add_error(name, message)
        if texts["new_amount"]:
            value, problem = amount_or_problem(texts["new_amount"], _("资金金额"))
            if problem:
                self.add_error("new_amount", f"{ADDING}：{problem}")
            elif value <= 0:
                self.add_error("new_amount", _("添加资金：资金金额须大于0"))
            else:
                cleaned["new_amount"] = value

    def added(self):
        """[{field: value}] of the line the officer adds (workflow.save_lines), or [] when none is added."""
        cleaned = getattr(self, "cleaned_data", {})
        if not (cleaned.get("new_fund_name") or "").strip():
            return []
        return [{
            "fund_name": cleaned["new_fund_name"].strip(),
            "document_number": (cleaned.get("new_document_number") or "").strip(),
            "amount": cleaned.get("new_amount"),
            "direct_mark": _mark(cleaned.get("new_direct_mark")),
        }]

    def new_line_field_id(self, field):
        """The id of the add-a-line input a problem of the new line is about, or None."""
        name = f"new_{field}"
        return self[name].auto_id if name in self.fields else None

    def changes(self, key=lambda line: line.pk):
        """{line id: {field: value}} for workflow.save_lines; key=document id for workflow.create_and_save.

        Of a form with errors, the fields that could be read (the page checks them against the rules too,
        so that one bad date does not hide an amount over the allocation)."""
        cleaned = getattr(self, "cleaned_data", {})
        return {
            key(line): {
                field: (cleaned[self.name(field, line)] or "").strip()
                if field in ("other_use_approval", "reason", "measure", "decrease_explanation", "difference_explanation")
                else cleaned[self.name(field, line)]
                for field in EDITABLE_FIELDS
                if self.name(field, line) in cleaned
            }
            for line in self.lines
        }

    def typed_spent(self, line):
        """The amount as typed if it reads as one, for showing the computed columns of a refused post."""
        if not self.is_bound:
            return line.spent
        value, problem = amount_or_problem(self.data.get(self.name("spent", line)), "")
        return None if problem else value

    def all_messages(self):
        return [message for errors in self.errors.values() for message in errors]

    def linked_messages(self):
        """(message, the id of its field or None) for every error of the form."""
        return [
            (message if name not in NEW_LINE_FIELDS or message.startswith(str(ADDING)) else f"{ADDING}：{message}",
             self[name].auto_id if name in self.fields and name != "version" else None)
            for name, errors in self.errors.items()
            for message in errors
        ]

    def field_id(self, field, line):
        return self[self.name(field, line)].auto_id

    def row(self, line):
        return {field: self[self.name(field, line)] for field in EDITABLE_FIELDS}


class WorkbookUploadForm(forms.Form):
    file = forms.FileField(
        label=_("填好的反馈表（.xlsx）"),
        validators=[FileExtensionValidator(["xlsx"], message=_("只能上传 .xlsx 格式的 Excel 文件（附件3 反馈表）。"))],
        error_messages={"required": _("请选择要上传的反馈表文件。"), "empty": _("上传的文件是空的。")},
    )
    submit = forms.BooleanField(label=_("上传后直接提交审核"), required=False)
    # The version of the page the upload was made from: a file without a
    # version of its own (the notice's blank form) is checked against it.
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def clean_file(self):
        return check_upload_size(self.cleaned_data["file"])
