"""Forms of the review, 双监控 and mapping pages. The rules themselves live in
targets.review and targets.monitoring; these forms mostly carry the input."""

from django import forms
from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from targets.models import Checkpoint, Indicator, IndicatorAlias, Target
from targets.monitoring import MAX_TEXT_LENGTH, MAX_VALUE_LENGTH, Entry
from targets.review import indicator_label
from targets.values import DeviationCategory, Possibility, split_wording

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


# An input's name prefix -> the Actual field a refusal names, in page order.
ROW_FIELDS = {
    "value": "raw_value",
    "forecast": "forecast",
    "possibility": "possibility",
    "category": "deviation_category",
    "reason": "deviation_reason",
    "measure": "improvement_measure",
}
# The 绩效运行监控表's own inputs, asked at 6月 only.
MID_YEAR_ONLY = ("forecast", "possibility", "category")


class ActualsForm(forms.Form):
    """One checkpoint's figures for every target of a table, with the reasons for any shortfall.

    At 6月 a row is the 绩效运行监控表's: 1–6月执行情况, the full-year forecast,
    how likely the target is, and the category of the reason.
    """

    checkpoint = forms.ChoiceField(choices=Checkpoint.choices, widget=forms.HiddenInput)

    def __init__(self, *args, targets, checkpoint, existing, **kwargs):
        # existing: {target pk: Actual} at this checkpoint, drawn into the inputs.
        self.prefixes = [p for p in ROW_FIELDS if checkpoint == Checkpoint.MID_YEAR or p not in MID_YEAR_ONLY]
        initial = {"checkpoint": checkpoint}
        for pk, actual in existing.items():
            initial.update({f"{prefix}_{pk}": getattr(actual, ROW_FIELDS[prefix]) for prefix in self.prefixes})
        super().__init__(*args, initial=initial, **kwargs)
        self.targets = targets
        # At 6月 the figure is 1–6月执行情况 by the 监控表's heading; a message still calls it 实际完成值.
        value_label = _("1–6月执行情况") if checkpoint == Checkpoint.MID_YEAR else _("实际完成值")
        for target in targets:
            name = indicator_label(target)
            fields = {
                "value": _text_field(name, value_label, MAX_VALUE_LENGTH, _("实际完成值")),
                "forecast": _text_field(name, _("全年预计完成值"), MAX_VALUE_LENGTH),
                "possibility": _choice_field(name, _("完成目标可能性"), Possibility.choices),
                "category": _choice_field(name, _("偏差原因类别"), DeviationCategory.choices),
                "reason": _text_field(name, _("偏差原因"), MAX_TEXT_LENGTH),
                "measure": _text_field(name, _("改进措施"), MAX_TEXT_LENGTH),
            }
            for prefix in self.prefixes:
                self.fields[f"{prefix}_{target.pk}"] = fields[prefix]

    def row(self, target):
        """{input prefix: bound field} of one target, in page order."""
        return {prefix: self[f"{prefix}_{target.pk}"] for prefix in self.prefixes}

    def entries(self):
        data = self.cleaned_data
        return [
            Entry(target, **{ROW_FIELDS[prefix]: data[f"{prefix}_{target.pk}"] for prefix in self.prefixes})
            for target in self.targets
        ]

    def add_refusals(self, refused):
        """Place the service's refusals next to their row's input, or above the form."""
        prefix_of = {field: prefix for prefix, field in ROW_FIELDS.items()}
        for error in refused.error_list:
            name = f"{prefix_of.get(getattr(error, 'field', ''), '')}_{getattr(error, 'target_pk', '')}"
            message = error.message
            self.add_error(name if name in self.fields else None, message)

    def all_errors(self):
        # Every message once, in page order: the summary above the table.
        found = list(self.non_field_errors())
        for target in self.targets:
            for bound in self.row(target).values():
                found.extend(bound.errors)
        return found


def _text_field(name, what, limit, what_in_messages=None):
    label = _("%(name)s %(what)s") % {"name": name, "what": what}
    return forms.CharField(
        label=label,
        required=False,
        max_length=limit,
        # The column heading names the input for the eye; this names it for a screen reader.
        widget=forms.TextInput(attrs={"aria-label": label}),
        error_messages={"max_length": _("%(name)s：%(what)s不能超过%(limit)s字。") % {
            "name": name,
            "what": what_in_messages or what,
            "limit": limit},
        },
    )


def _choice_field(name, what, choices):
    label = _("%(name)s %(what)s") % {"name": name, "what": what}
    return forms.ChoiceField(
        label=label,
        required=False,
        choices=[("", "—"), *choices],
        widget=forms.Select(attrs={"aria-label": label}),
        error_messages={"invalid_choice": _("%(name)s：%(what)s只能从列表中选择。") % {"name": name, "what": what}},
    )


class MapWordingForm(forms.Form):
    """Map one wording (all its targets) to a catalogue entry.

    The wording, without its "(unit)", becomes an alias, so later imports
    match it by themselves; every unmapped target with that wording is
    linked. A table that already has the chosen indicator is a refusal: one
    indicator appears once per table.
    """

    wording = forms.CharField(max_length=200, widget=forms.HiddenInput)
    indicator = forms.ModelChoiceField(
        label=_("对应指标"), queryset=Indicator.objects.all(), error_messages={"invalid_choice": _("请选择指标目录中的指标。")}
    )

    def clean(self):
        cleaned = super().clean()
        wording, indicator = cleaned.get("wording"), cleaned.get("indicator")
        if not wording or indicator is None:
            return cleaned
        self.alias = split_wording(wording)[0]
        self.targets = [
            target
            for target in Target.objects.filter(indicator__isnull=True).select_related("table__document", "table__prefecture")
            if split_wording(target.wording)[0] == self.alias
        ]
        if not self.targets:
            raise forms.ValidationError(_("没有未匹配的“%(wording)s”：可能已被他人映射，请刷新页面。") % {"wording": wording})
        existing = IndicatorAlias.objects.filter(wording=self.alias).select_related("indicator").first()
        if existing and existing.indicator_id != indicator.pk:
            raise forms.ValidationError(_("“%(alias)s”已是指标“%(name)s”的其他写法，不能再映射到“%(name2)s”。") % {
                "alias": self.alias,
                "name": existing.indicator.name,
                "name2": indicator.name,
            })
        other = Indicator.objects.filter(name=self.alias).exclude(pk=indicator.pk).first()
        if other:
            raise forms.ValidationError(_("“%(alias)s”就是指标“%(name)s”的名称，不能映射到“%(name2)s”。") % {
                "alias": self.alias,
                "name": other.name,
                "name2": indicator.name,
            })
        tables = {target.table_id: target.table for target in self.targets}
        clashes = Target.objects.filter(table_id__in=tables, indicator=indicator).values_list("table_id", flat=True)
        if clashes:
            names = "、".join(sorted({str(tables[pk]) for pk in clashes}))
            raise forms.ValidationError(_("%(names)s 已有指标“%(name)s”，同一张表中一个指标只能出现一次，未做任何映射。") % {
                "names": names,
                "name": indicator.name,
            })
        repeated = len(self.targets) != len(tables)
        if repeated:
            raise forms.ValidationError(_("同一张表中有多行“%(alias)s”，无法都映射到同一指标，请先在表中合并。") % {"alias": self.alias})
        return cleaned

    def save(self):
        indicator = self.cleaned_data["indicator"]
        try:
            with transaction.atomic():
                if indicator.name != self.alias:
                    IndicatorAlias.objects.get_or_create(wording=self.alias, defaults={"indicator": indicator})
                for target in self.targets:
                    target.indicator = indicator
                    # save(), not update(): the typed columns are derived anew
                    # (the catalogue's unit and direction now apply) and the
                    # change is recorded in the target's history.
                    target.save(update_fields=["indicator"])
        except IntegrityError:
            # Someone mapped the same wording or table at the same moment.
            raise forms.ValidationError(_("映射时数据已被他人修改，未做任何更改，请刷新页面后重试。")) from None
        return len(self.targets)
