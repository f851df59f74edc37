"""After every migrate: the role groups' treasury permissions, and the code table seeded from its fixture.

core.roles grants by app label and knows only the apps of its own time; the
treasury adds its own here rather than have the kernel name an app above it.
The code table is seeded only while it is empty, so a region admin's edits
in the admin are never overwritten by a later migrate.
"""

import json

from django.conf import settings
from simple_history.utils import bulk_create_with_history

from core.models import Role

# Region admins keep the code table and import payments; payments are
# records from the treasury, changed by nobody (PaymentAdmin).
REGION_ADMIN = r"^(view|add|change|delete)_paymentcode$|^(view|add)_payment$|^view_"


def fixture_path():
    return settings.BASE_DIR / "fixtures" / "payment_codes.json"


def seed_codes():
    from treasury.models import PaymentCode

    if PaymentCode.objects.exists():
        return 0
    with open(fixture_path(), encoding="utf-8") as handle:
        codes = json.load(handle)["codes"]
    # With their history rows: the admin's history of a code starts at the fixture.
    bulk_create_with_history([PaymentCode(**item) for item in codes], PaymentCode)
    return len(codes)


def grant_permissions():
    from django.contrib.auth.models import Group, Permission

    perms = Permission.objects.filter(content_type__app_label="treasury")
    granted = {
        Role.REGION_ADMIN: perms.filter(codename__regex=REGION_ADMIN),
        Role.AUDITOR: perms.filter(codename__startswith="view_"),
        Role.HR_REVIEWER: perms.filter(codename__startswith="view_"),
    }
    for role, found in granted.items():
        group = Group.objects.filter(name=role.value).first()
        if group is not None:
            group.permissions.add(*found)


def after_migrate(using="default", **kwargs):
    from django.db import connections

    tables = connections[using].introspection.table_names()
    if "treasury_paymentcode" not in tables:
        return
    grant_permissions()
    seed_codes()
