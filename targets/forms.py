"""Forms of the review and 双监控 pages. The rules themselves live in
targets.review and targets.monitoring; these forms only carry the input."""

from django import forms
from django.utils.translation import gettext_lazy as _

from targets.models import Checkpoint
from targets.monitoring import MAX_TEXT_LENGTH, MAX_VALUE_LENGTH, Entry
from targets.review import indicator_label

STALE_FORM = _("页面已过期，请刷新后重试。")


class VersionForm(forms.Form):
    # The version the page was drawn from: a step taken from a stale page is refused.
    version = forms.IntegerField(
        widget=forms.HiddenInput,
        min_value=1,
        error_messages={"required": STALE_FORM, "invalid": STALE_FORM, "min_value": STALE_FORM},
    )


class ReasonForm(VersionForm):
    # Not required here: targets.review refuses a blank reason with its own
    # message ("退回必须填写原因。"), whatever the page.
    reason = forms.CharField(
        label=_("原因"),
        required=False,
        max_length=MAX_TEXT_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"max_length": _("原因不能超过%(max_text_length)s字。") % {"max_text_length": MAX_TEXT_LENGTH}},
    )


class ActualsForm(forms.Form):
    """One checkpoint's figures for every target of a table, with the reasons for any shortfall."""

    checkpoint = forms.ChoiceField(choices=Checkpoint.choices, widget=forms.HiddenInput)

    def __init__(self, *args, targets, checkpoint, existing, **kwargs):
        # existing: {target pk: Actual} at this checkpoint, drawn into the inputs.
        initial = {"checkpoint": checkpoint}
        for pk, actual in existing.items():
            initial.update(
                {
                    f"value_{pk}": actual.raw_value,
                    f"reason_{pk}": actual.deviation_reason,
                    f"measure_{pk}": actual.improvement_measure,
                }
            )
        super().__init__(*args, initial=initial, **kwargs)
        self.targets = targets
        for target in targets:
            name = indicator_label(target)
            self.fields[f"value_{target.pk}"] = _text_field(_("%(name)s 实际完成值") % {"name": name}, name, _("实际完成值"), MAX_VALUE_LENGTH)
            self.fields[f"reason_{target.pk}"] = _text_field(_("%(name)s 偏差原因") % {"name": name}, name, _("偏差原因"), MAX_TEXT_LENGTH)
            self.fields[f"measure_{target.pk}"] = _text_field(_("%(name)s 改进措施") % {"name": name}, name, _("改进措施"), MAX_TEXT_LENGTH)

    def row(self, target):
        return self[f"value_{target.pk}"], self[f"reason_{target.pk}"], self[f"measure_{target.pk}"]

    def entries(self):
        data = self.cleaned_data
        return [
            Entry(target, data[f"value_{target.pk}"], data[f"reason_{target.pk}"], data[f"measure_{target.pk}"])
            for target in self.targets
        ]

    def add_refusals(self, refused):
        """Place the service's refusals next to their row's input, or above the form."""
        prefix = {"raw_value": "value", "deviation_reason": "reason", "improvement_measure": "measure"}
        for error in refused.error_list:
            name = f"{prefix.get(getattr(error, 'field', ''), '')}_{getattr(error, 'target_pk', '')}"
            message = error.message
            self.add_error(name if name in self.fields else None, message)

    def all_errors(self):
        # Every message once, in page order: the summary above the table.
        found = list(self.non_field_errors())
        for target in self.targets:
            for bound in self.row(target):
                found.extend(bound.errors)
        return found


def _text_field(label, name, what, limit):
    return forms.CharField(
        label=label,
        required=False,
        max_length=limit,
        # The column heading names the input for the eye; this names it for a screen reader.
        widget=forms.TextInput(attrs={"aria-label": label}),
        error_messages={"max_length": _("%(name)s：%(what)s不能超过%(limit)s字。") % {
            "name": name,
            "what": what,
            "limit": limit},
        },
    )
