"""The change log's filter form."""

from django import forms
from django.utils.translation import gettext as _, gettext_lazy

from allocations.models import Prefecture
from core.models import User
from oversight.changelog import historied_models, label_of, model_by_label


class UserChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, user):
        full_name = user.get_full_name()
        return f"{full_name}（{user.username}）" if full_name else user.username


class ChangeLogFilter(forms.Form):
    user = UserChoiceField(
        User.objects.order_by("username"),
        label=gettext_lazy("用户"),
        required=False,
        empty_label=gettext_lazy("全部用户"),
        error_messages={"invalid_choice": gettext_lazy("用户：所选用户不存在。")},
    )
    model = forms.ChoiceField(label=gettext_lazy("对象类型"), required=False, error_messages={"invalid_choice": gettext_lazy("对象类型：没有这种对象。")})
    prefecture = forms.ModelChoiceField(
        Prefecture.objects.order_by("position", "name"),
        label=gettext_lazy("地（州、市）"),
        required=False,
        empty_label=gettext_lazy("全部地（州、市）"),
        error_messages={"invalid_choice": gettext_lazy("地（州、市）：所选地（州、市）不存在。")},
    )
    date_from = forms.DateField(
        label=gettext_lazy("起始日期"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": gettext_lazy("起始日期：请按 YYYY-MM-DD 填写，例如 2023-07-01。")},
    )
    date_to = forms.DateField(
        label=gettext_lazy("截止日期"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": gettext_lazy("截止日期：请按 YYYY-MM-DD 填写，例如 2023-07-31。")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["model"].choices = [("", _("全部对象类型"))] + [
            (label_of(model), model._meta.verbose_name) for model in historied_models()
        ]

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and start > end:
            raise forms.ValidationError(_("起始日期不能晚于截止日期。"))
        return cleaned

    def filters(self):
        data = self.cleaned_data
        return {
            "user": data.get("user"),
            "model": model_by_label(data["model"]) if data.get("model") else None,
            "prefecture": data.get("prefecture"),
            "date_from": data.get("date_from"),
            "date_to": data.get("date_to"),
        }
