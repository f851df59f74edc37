"""The filter of the target-table list, and mapping an unmapped wording to the catalogue."""

import django_filters
from django import forms
from django.db import IntegrityError, transaction

from allocations.models import AllocationDocument, Prefecture
from core.listing import read_once
from core.permissions import scoped_prefecture_id
from targets.models import REGION_SCOPE, Indicator, IndicatorAlias, TableStatus, Target
from targets.values import split_wording
from django.utils.translation import gettext_lazy as _

REGION = "region"


def _documents(request):
    # Only documents that have a table this user may see.
    documents = AllocationDocument.objects.filter(target_tables__isnull=False)
    scope = scoped_prefecture_id(request.user) if request else -1
    if scope is not None:
        documents = documents.filter(target_tables__prefecture_id=scope)
    return documents.distinct().order_by("-year", "number")


class TargetTableFilter(django_filters.FilterSet):
    document = django_filters.ModelChoiceFilter(label=_("分配文件"), queryset=_documents, empty_label=_("全部文件"))
    scope = django_filters.ChoiceFilter(label=_("范围"), empty_label=_("全部范围"), method="filter_scope")
    status = django_filters.ChoiceFilter(label=_("状态"), choices=TableStatus.choices, empty_label=_("全部状态"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.request is not None and scoped_prefecture_id(self.request.user) is not None:
            # An officer has one table per document: their own prefecture's.
            del self.filters["scope"]
        else:
            # Read once: a filtered form reads the choices to validate, then to draw.
            self.filters["scope"].extra["choices"] = read_once(lambda: [(REGION, _(REGION_SCOPE))] + [
                (str(pk), name) for pk, name in Prefecture.objects.order_by("position").values_list("pk", "name")
            ])

    def filter_scope(self, queryset, name, value):
        if value == REGION:
            return queryset.filter(prefecture__isnull=True)
        return queryset.filter(prefecture_id=value)


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
