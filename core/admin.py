from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin

from core.models import User


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    # A finance officer is limited to their prefecture: the field belongs next to the groups.
    fieldsets = DjangoUserAdmin.fieldsets + (("所属地（州、市）", {"fields": ("prefecture",)}),)
    add_fieldsets = DjangoUserAdmin.add_fieldsets + (("所属地（州、市）", {"fields": ("prefecture",)}),)
    list_display = ("username", "get_full_name", "prefecture", "is_staff", "is_active")
    list_select_related = ("prefecture",)
    list_filter = DjangoUserAdmin.list_filter + ("prefecture",)
    autocomplete_fields = ("prefecture",)
