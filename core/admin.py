from axes import admin as axes_admin
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.conf import settings
from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.contrib.admin.views.main import ERROR_FLAG
from django.contrib.auth.admin import GroupAdmin as DjangoGroupAdmin, UserAdmin as DjangoUserAdmin
from django.contrib.auth.models import Group
from django.core.exceptions import BadRequest, PermissionDenied
from django.core.paginator import Paginator
from django.db import connections
from django.http import HttpResponseRedirect
from django.template.response import SimpleTemplateResponse
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy
from simple_history.admin import SimpleHistoryAdmin

from core import admin_formats
from core.models import Role, User

admin_formats.install()

# The admin is part of the app: the same name in its header and title.
admin.site.site_header = gettext_lazy("就业补助资金管理 · 管理后台")
admin.site.site_title = gettext_lazy("就业补助资金管理")
admin.site.index_title = gettext_lazy("管理后台")
# Below this many rows COUNT(*) is cheap (a few ms on PostgreSQL) and the admin shows the exact count.
ESTIMATE_ABOVE = 100_000


def _whole_table(queryset):
    # Nothing that could change the number of rows: no filter, search, distinct, union, slice or annotation.
    query = queryset.query
    return not (
        query.where or query.distinct or query.combinator or query.annotations or query.is_sliced or query.extra
    )


class EstimatedCountPaginator(Paginator):
    """The admin's paginator: the unfiltered list of a big table is counted by PostgreSQL's estimate.

    COUNT(*) over a million feedback lines takes ~45 ms on every changelist
    load; the planner's estimate (pg_class, scaled to the table's present
    size as the planner does it) takes none. The same query counts exactly
    when the table is small or never analysed, and a filtered list is
    always counted exactly. templates/admin/pagination.html says "约" when
    the figure is an estimate.
    """

    estimated = False

    @cached_property
    def count(self):
        queryset = self.object_list
        connection = connections[queryset.db]
        if connection.vendor != "postgresql" or not _whole_table(queryset):
            return super().count
        table = connection.ops.quote_name(queryset.model._meta.db_table)
        # One query either way: PostgreSQL runs the uncorrelated COUNT(*) only when the CASE reaches it.
        sql = f"""
            SELECT c.reltuples >= %s,
                   CASE WHEN c.reltuples >= %s THEN
                            (c.reltuples / GREATEST(c.relpages, 1)
                             * (pg_relation_size(c.oid) / current_setting('block_size')::int))::bigint
                        ELSE (SELECT COUNT(*) FROM {table}) END
            FROM pg_class c WHERE c.oid = %s::regclass
        """
        with connection.cursor() as cursor:
            cursor.execute(sql, [ESTIMATE_ABOVE, ESTIMATE_ABOVE, table])
            self.estimated, count = cursor.fetchone()
        return count


def _rendered(response):
    # Rendered here, not by the handler later, so that a query the template runs fails inside the view.
    if isinstance(response, SimpleTemplateResponse) and not response.is_rendered:
        response.render()
    return response


class GuardedAdminMixin:
    """What every ModelAdmin of the site shares, Django's and django-axes's included.

    An id past 2^63 in a filter (?document=…), a selection or a form's
    foreign key cannot be bound on SQLite (OverflowError): the list answers
    as to any other wrong filter (?e=1), a form page with 400. Actions are
    offered only to those who may change or delete here: an auditor sees none.
    """

    def changelist_view(self, request, extra_context=None):
        try:
            return _rendered(super().changelist_view(request, extra_context))
        except OverflowError:
            return HttpResponseRedirect(f"{request.path}?{ERROR_FLAG}=1")

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return _rendered(super().changeform_view(request, object_id, form_url, extra_context))
        except OverflowError:
            raise BadRequest("编号超出范围。") from None

    def get_actions(self, request):
        if not (self.has_change_permission(request) or self.has_delete_permission(request)):
            return {}
        return super().get_actions(request)


class HistoryAdmin(GuardedAdminMixin, SimpleHistoryAdmin):
    """SimpleHistoryAdmin whose "revert" is refused unless it is switched on
    and the user may change the object.

    simple_history saves a POST to a past version's page even when the user
    may merely *view* the history, and SIMPLE_HISTORY_REVERT_DISABLED only
    hides the button: an auditor could write, and anyone could revert an
    approved table's rows.
    """

    paginator = EstimatedCountPaginator

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if request.method == "POST":
            if getattr(settings, "SIMPLE_HISTORY_REVERT_DISABLED", False):
                raise PermissionDenied
            obj = self.get_object(request, unquote(object_id))
            if obj is None or not self.has_change_permission(request, obj):
                raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)


# Who may grant these may grant anything: only a superuser, and never to itself.
ROLE_FIELDS = ("is_staff", "is_superuser", "groups", "user_permissions")
PREFECTURE_FIELDSET = ("所属地（州、市）", {"fields": ("prefecture",)})
# What a region admin sees of the accounts it manages: no role, no permission, no staff flag.
# Django's own headings (个人信息, 权限, 重要日期), translated both ways.
_ACCOUNT, _PERSONAL, _PERMISSIONS, _DATES = DjangoUserAdmin.fieldsets
OFFICER_FIELDSETS = (
    _ACCOUNT,
    _PERSONAL,
    (_PERMISSIONS[0], {"fields": ("is_active",)}),
    PREFECTURE_FIELDSET,
    _DATES,
)


def is_plain_officer(user):
    """A finance officer's account and nothing more: the only kind a region admin manages."""
    if user.is_superuser or user.is_staff or user.user_permissions.exists():
        return False
    return not user.groups.exclude(name=Role.FINANCE_OFFICER).exists()


@admin.register(User)
class UserAdmin(GuardedAdminMixin, DjangoUserAdmin):
    """Users: a superuser manages every account; a region admin creates,
    binds, deactivates and resets the passwords of finance officers only.

    The region admin's form has no role fields at all, so a crafted POST
    (is_superuser=on, groups=…) finds nothing to write. Every other account,
    its own included, is read-only to it (the change POST and the password
    page answer 403), and nobody changes their own roles: with the HR role a
    region admin could reopen an approved target table.
    """

    # A finance officer is limited to their prefecture: the field belongs next to the groups.
    fieldsets = DjangoUserAdmin.fieldsets + (PREFECTURE_FIELDSET,)
    add_fieldsets = DjangoUserAdmin.add_fieldsets + (PREFECTURE_FIELDSET,)
    list_display = ("username", "get_full_name", "prefecture", "is_staff", "is_active")
    list_select_related = ("prefecture",)
    list_filter = DjangoUserAdmin.list_filter + ("prefecture",)
    autocomplete_fields = ("prefecture",)

    def _manages(self, request, user):
        if request.user.is_superuser:
            return True
        return user.pk != request.user.pk and is_plain_officer(user)

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or self._manages(request, obj))

    def has_delete_permission(self, request, obj=None):
        allowed = super().has_delete_permission(request, obj)
        return allowed and (obj is None or self._manages(request, obj))

    def get_fieldsets(self, request, obj=None):
        if obj is None or request.user.is_superuser or not self.has_change_permission(request, obj):
            # A page shown read-only may show everything.
            return super().get_fieldsets(request, obj)
        return OFFICER_FIELDSETS

    def get_readonly_fields(self, request, obj=None):
        readonly = tuple(super().get_readonly_fields(request, obj))
        if obj is not None and obj.pk == request.user.pk:
            return readonly + ROLE_FIELDS
        return readonly

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        if not request.user.is_superuser and "prefecture" in form.base_fields:
            # Whatever a region admin creates or edits is a finance officer, and an officer works for a prefecture.
            form.base_fields["prefecture"].required = True
        return form

    def save_model(self, request, obj, form, change):
        if not request.user.is_superuser:
            obj.is_staff = obj.is_superuser = False
        super().save_model(request, obj, form, change)
        if not change and not request.user.is_superuser:
            obj.groups.add(Group.objects.get(name=Role.FINANCE_OFFICER))


# Groups are the roles themselves (core.roles sets their permissions on every migrate).
admin.site.unregister(Group)


@admin.register(Group)
class GroupAdmin(GuardedAdminMixin, DjangoGroupAdmin):
    def has_add_permission(self, request):
        return request.user.is_superuser

    def has_change_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser


class AccessAttemptAdmin(GuardedAdminMixin, axes_admin.AccessAttemptAdmin):
    # django-axes's "clean up expired attempts" fails on every request (it reads
    # request.axes_attempt_time, set only on a login) and asks for no permission;
    # axes already cleans expired attempts at every login, logout and failure.
    actions = ()


class AccessLogAdmin(GuardedAdminMixin, axes_admin.AccessLogAdmin):
    pass


class AccessFailureLogAdmin(GuardedAdminMixin, axes_admin.AccessFailureLogAdmin):
    pass


# django-axes registers its own admins (importing axes.admin above did it); these replace them.
for model, model_admin in (
    (AccessAttempt, AccessAttemptAdmin),
    (AccessLog, AccessLogAdmin),
    (AccessFailureLog, AccessFailureLogAdmin),
):
    if admin.site.is_registered(model):
        admin.site.unregister(model)
        admin.site.register(model, model_admin)
