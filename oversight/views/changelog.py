"""The auditors' change log page and its CSV / XLSX export.

Region-wide roles read it: auditors, region admins and HR reviewers, who see
every prefecture's data anyway and can change nothing here. A finance
officer gets a 403: the log names other prefectures' objects and users.
"""

from django import forms
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

from allocations.models import Prefecture
from core.access import app_user_required
from oversight.changelog import SHANGHAI, historied_models, iter_changes, label_of, log_sources, merged, model_by_label, resolve
from core.models import User
from core.permissions import sees_all_prefectures
from core.listing import EXPORT_PARAM
from core.safe_export import safe_table_export
from django.utils.translation import gettext as _, gettext_lazy

PER_PAGE = 50
EXPORT_LIMIT = 50_000
EXPORT_FORMATS = ("csv", "xlsx")
EXPORT_HEADERS = ["时间（北京时间）", "用户", "对象类型", "对象", "对象ID", "操作", "变更内容（原值 → 新值）", "原因"]


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


def export_rows(changes):
    for change in changes:
        yield [
            change.local_time.strftime("%Y-%m-%d %H:%M:%S"),
            change.user_label,
            str(change.model_name),
            change.object_label,
            change.object_id,
            change.action,
            change.changes_text(),
            change.reason,
        ]


@require_safe
@app_user_required
def changelog(request):
    if not sees_all_prefectures(request.user):
        raise PermissionDenied
    form = ChangeLogFilter(request.GET or None)
    # ?_export= as on every listing; ?format= is the older spelling, still answered.
    wanted = request.GET.get(EXPORT_PARAM) or request.GET.get("format", "")
    context = {"form": form, "export_limit": EXPORT_LIMIT, "errors": []}
    if wanted and wanted not in EXPORT_FORMATS:
        context["errors"].append(_("不支持的导出格式“%(wanted_20)s”，只能导出 CSV 或 XLSX。") % {"wanted_20": wanted[:20]})
    if form.is_bound and not form.is_valid():
        context["errors"] += [message for messages in form.errors.values() for message in messages]
    if context["errors"]:
        return render(request, "oversight/changelog.html", context, status=400)

    sources = log_sources(**form.filters()) if form.is_bound else log_sources()
    if wanted:
        stamp = timezone.now().astimezone(SHANGHAI).strftime("%Y%m%d-%H%M")
        rows = export_rows(iter_changes(sources, EXPORT_LIMIT))
        return safe_table_export(EXPORT_HEADERS, rows, wanted, _("变更记录_%(stamp)s") % {"stamp": stamp}, sheet_title=_("变更记录"))

    page = Paginator(merged(sources), PER_PAGE).get_page(request.GET.get("page"))
    context.update(page=page, changes=resolve(list(page.object_list), sources))
    return render(request, "oversight/changelog.html", context)
