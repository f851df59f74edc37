"""The four role groups and the permissions each carries.

Permissions are granted by rule (app label + action) rather than listed, so
models added by later apps are covered without touching this module.
"""

from django.contrib.auth.models import Group, Permission

from core.models import Role

DOMAIN_APPS = ("allocations", "targets", "feedback")
# Auditors browse everything in the admin, including who the users are.
AUDITOR_APPS = DOMAIN_APPS + ("core", "auth", "admin", "axes")


def _permissions_for(role):
    perms = Permission.objects.select_related("content_type")
    if role == Role.REGION_ADMIN:
        # axes: the region admin sees login lockouts and can lift one.
        return perms.filter(content_type__app_label__in=DOMAIN_APPS + ("core",)) | perms.filter(
            content_type__app_label="axes", codename__regex=r"^(view|delete)_"
        )
    if role == Role.AUDITOR:
        return perms.filter(content_type__app_label__in=AUDITOR_APPS, codename__startswith="view_")
    if role == Role.HR_REVIEWER:
        return perms.filter(content_type__app_label__in=DOMAIN_APPS, codename__startswith="view_")
    # Finance officers work in the app's own pages, never in the admin.
    return perms.none()


def ensure_role_groups(**kwargs):
    for role in Role:
        group, _ = Group.objects.get_or_create(name=role.value)
        group.permissions.set(_permissions_for(role))
