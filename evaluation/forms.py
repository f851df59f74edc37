"""Forms of the evaluation pages: they carry the input; evaluation.workflow checks it and names what is wrong."""

from django import forms
from django.utils.translation import gettext_lazy as _

from allocations.models import AllocationDocument
from evaluation.models import WEIGHT_FIELDS, Evaluation
from targets.models import SETTLED, TargetTable

MAX_TEXT = 2000


def _text(label, max_length=20, widget=None):
    return forms.CharField(
        label=label, required=False, max_length=max_length, widget=widget,
        error_messages={"max_length": _("%(label)s不能超过%(limit)s字。") % {"label": label, "limit": max_length}},
    )


class WeightsForm(forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in WEIGHT_FIELDS:
            self.fields[name] = _text(Evaluation._meta.get_field(name).verbose_name)


class ScoreForm(forms.Form):
    score = _text(_("得分"))
    reason = _text(_("评分理由"), MAX_TEXT, forms.Textarea(attrs={"rows": 2}))


class EmptyForm(forms.Form):
    """A step that takes nothing but the button (submit, approve, rebuild)."""


class ReasonForm(forms.Form):
    # Not required here: evaluation.workflow refuses a blank reason with its own message.
    reason = _text(_("原因"), MAX_TEXT, forms.Textarea(attrs={"rows": 3}))


def _documents():
    settled = TargetTable.objects.filter(prefecture__isnull=False, status__in=SETTLED)
    return AllocationDocument.objects.filter(pk__in=settled.values("document")).order_by("-year", "number")


class BuildForm(forms.Form):
    document = forms.ModelChoiceField(
        label=_("分配文件"), queryset=AllocationDocument.objects.none(),
        error_messages={"required": _("请选择分配文件。"), "invalid_choice": _("所选分配文件没有审核通过的地（州、市）绩效目标表。")},
    )
    year = forms.IntegerField(
        label=_("评价年度"), min_value=2000, max_value=2100,
        error_messages={
            "required": _("请填写评价年度。"), "invalid": _("评价年度须为整数。"),
            "min_value": _("评价年度须在2000到2100之间。"), "max_value": _("评价年度须在2000到2100之间。"),
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["document"].queryset = _documents()
