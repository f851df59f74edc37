from django.conf import settings
from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.core.exceptions import PermissionDenied
from simple_history.admin import SimpleHistoryAdmin

from core.models import User


class HistoryAdmin(SimpleHistoryAdmin):
    """SimpleHistoryAdmin whose "revert" is refused unless it is switched on
    and the user may change the object.

    simple_history saves a POST to a past version's page even when the user
    may merely *view* the history, and SIMPLE_HISTORY_REVERT_DISABLED only
    hides the button: an auditor could write, and anyone could revert an
    approved table's rows.
    """

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if request.method == "POST":
            if getattr(settings, "SIMPLE_HISTORY_REVERT_DISABLED", False):
                raise PermissionDenied
            obj = self.get_object(request, unquote(object_id))
            if obj is None or not self.has_change_permission(request, obj):
                raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    # A finance officer is limited to their prefecture: the field belongs next to the groups.
    fieldsets = DjangoUserAdmin.fieldsets + (("所属地（州、市）", {"fields": ("prefecture",)}),)
    add_fieldsets = DjangoUserAdmin.add_fieldsets + (("所属地（州、市）", {"fields": ("prefecture",)}),)
    list_display = ("username", "get_full_name", "prefecture", "is_staff", "is_active")
    list_select_related = ("prefecture",)
    list_filter = DjangoUserAdmin.list_filter + ("prefecture",)
    autocomplete_fields = ("prefecture",)
