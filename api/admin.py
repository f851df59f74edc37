"""API tokens in the admin: a region admin creates one and sees its key once; auditors read the list.

Permissions come from the role (core.permissions), not from Django's per-model
grants: the role groups' rules do not cover this app, and no one but a
region admin may hand out access to the data.
"""

from django.contrib import admin, messages
from django.utils.translation import gettext as _

from api.keys import issue
from api.models import ApiToken
from core.admin import GuardedAdminMixin
from core.permissions import is_auditor, is_region_admin


@admin.register(ApiToken)
class ApiTokenAdmin(GuardedAdminMixin, admin.ModelAdmin):
    list_display = ["name", "role", "prefecture", "prefix", "revoked", "last_used_at", "created_by", "created_at"]
    list_filter = ["role", "revoked"]
    list_select_related = ["prefecture", "created_by"]
    search_fields = ["name", "prefix"]

    def get_fields(self, request, obj=None):
        return ["name", "role", "prefecture"] if obj is None else ["name", "role", "prefecture", "prefix", "revoked", "last_used_at", "created_by", "created_at"]

    def get_readonly_fields(self, request, obj=None):
        # A token's role and prefecture are what it was issued for: a different scope is a new token.
        return [] if obj is None else ["role", "prefecture", "prefix", "last_used_at", "created_by", "created_at"]

    def has_module_permission(self, request):
        return self.has_view_permission(request)

    def has_view_permission(self, request, obj=None):
        return is_region_admin(request.user) or is_auditor(request.user)

    def has_add_permission(self, request):
        return is_region_admin(request.user)

    def has_change_permission(self, request, obj=None):
        return is_region_admin(request.user)

    def has_delete_permission(self, request, obj=None):
        return is_region_admin(request.user)

    def save_model(self, request, obj, form, change):
        if change:
            super().save_model(request, obj, form, change)
            return
        obj.created_by = request.user
        key = issue(obj)
        super().save_model(request, obj, form, change)
        messages.warning(
            request,
            _("令牌“%(name)s”的密钥（只显示这一次，请立即交给调用方妥善保存）：%(key)s") % {"name": obj.name, "key": key},
        )
