"""A region admin who is not a superuser stays in its role: the user admin manages finance officers only.

The access matrix's region admin column is this non-superuser account; here are the crafted POSTs
the matrix's empty bodies cannot stand for (is_superuser=on, groups=<hr>, user_permissions=…).
"""

import pytest
from django.contrib.auth.models import Group, Permission
from django.urls import reverse
from django.utils import timezone

from allocations.models import Prefecture
from core.models import Role, User
from targets import review
from targets.models import TableStatus, TargetTable
from tests.access.matrix import ROLES

ROLE_FIELDS = {"is_staff", "is_superuser", "groups", "user_permissions"}


def _change(user):
    return reverse("admin:core_user_change", args=[user.pk])


def _group(role):
    return Group.objects.get(name=role)


def _form_data(user, **changes):
    """The change form as the page shows it, with changes; a crafted POST adds fields the page may not have."""
    joined = timezone.localtime(user.date_joined)
    data = {
        "username": user.username,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
        "date_joined_0": joined.strftime("%Y-%m-%d"),
        "date_joined_1": joined.strftime("%H:%M:%S"),
        "prefecture": user.prefecture_id or "",
    }
    if user.is_active:
        data["is_active"] = "on"
    data.update(changes)
    return data


def _escalation():
    """Everything a region admin must not be able to hand out."""
    return {
        "is_superuser": "on",
        "is_staff": "on",
        "groups": [_group(Role.HR_REVIEWER).pk, _group(Role.REGION_ADMIN).pk],
        "user_permissions": [Permission.objects.get(codename="change_group").pk],
    }


def _roles(user):
    user = User.objects.get(pk=user.pk)
    return (
        user.is_superuser,
        user.is_staff,
        set(user.groups.values_list("name", flat=True)),
        set(user.user_permissions.values_list("codename", flat=True)),
    )


def _approved_table(notice_document, region_admin, hr_reviewer):
    table = TargetTable.objects.get(document=notice_document, prefecture__name="乌鲁木齐市")
    return review.approve(review.submit(table, region_admin), hr_reviewer)


def test_it_walks_the_matrix_as_a_region_admin_who_is_not_a_superuser(region_admin):
    assert "region_admin" in ROLES
    assert not region_admin.is_superuser
    assert region_admin.is_staff
    assert set(region_admin.groups.values_list("name", flat=True)) == {Role.REGION_ADMIN}
    assert not region_admin.user_permissions.exists()


def test_it_keeps_a_region_admin_from_lifting_itself_into_hr_and_reopening_a_table(
    region_admin, hr_reviewer, notice_document, drafted_tables, client_for
):
    table = _approved_table(notice_document, region_admin, hr_reviewer)
    client = client_for(region_admin)
    before = _roles(region_admin)

    response = client.post(_change(region_admin), _form_data(region_admin, **_escalation()))
    reopened = client.post(reverse("targets:review_reopen", args=[table.pk]), {"reason": "自己改成人社审核员后重开"})

    assert response.status_code == 403
    assert _roles(region_admin) == before
    assert reopened.status_code == 403
    assert TargetTable.objects.get(pk=table.pk).status == TableStatus.APPROVED


def test_it_lets_a_region_admin_manage_a_finance_officer_but_never_its_roles(region_admin, officer_urumqi, client_for):
    client = client_for(region_admin)
    kashgar = Prefecture.objects.get(name="喀什地区")
    password = "Xinjiang-2023-reset"

    page = client.get(_change(officer_urumqi))
    data = _form_data(officer_urumqi, prefecture=kashgar.pk, **_escalation())
    del data["is_active"]  # unticked: deactivated
    response = client.post(_change(officer_urumqi), data)
    reset = client.post(
        reverse("admin:auth_user_password_change", args=[officer_urumqi.pk]), {"password1": password, "password2": password}
    )

    assert page.status_code == 200
    assert not ROLE_FIELDS & set(page.context["adminform"].form.fields)
    assert (response.status_code, reset.status_code) == (302, 302)
    officer = User.objects.get(pk=officer_urumqi.pk)
    assert not officer.is_active
    assert officer.prefecture == kashgar
    assert officer.check_password(password)
    assert _roles(officer) == (False, False, {Role.FINANCE_OFFICER}, set())


@pytest.mark.parametrize("account", ["hr_reviewer", "auditor", "other_region_admin", "superuser", "region_admin"])
def test_it_shows_every_other_staff_account_read_only_to_a_region_admin(account, request, region_admin, client_for):
    if account == "other_region_admin":
        user = User.objects.create_user("region_admin_2", password="x-test-only-9", is_staff=True)
        user.groups.add(_group(Role.REGION_ADMIN))
    elif account == "superuser":
        user = User.objects.create_superuser("root", password="x-test-only-9")
    else:
        user = request.getfixturevalue(account)
    client = client_for(region_admin)
    before = _roles(user)
    password = reverse("admin:auth_user_password_change", args=[user.pk])
    delete = reverse("admin:core_user_delete", args=[user.pk])

    page = client.get(_change(user))
    changed = client.post(_change(user), _form_data(user, **_escalation(), first_name="改"))
    reset = client.post(password, {"password1": "Xinjiang-2023-reset", "password2": "Xinjiang-2023-reset"})
    deleted = client.post(delete, {"post": "yes"})
    selected = client.post(
        reverse("admin:core_user_changelist"),
        {"action": "delete_selected", "_selected_action": [user.pk], "post": "yes"},
    )

    assert page.status_code == 200
    assert page.context["has_change_permission"] is False
    assert (changed.status_code, reset.status_code, deleted.status_code, selected.status_code) == (403, 403, 403, 403)
    user = User.objects.get(pk=user.pk)
    assert _roles(user) == before
    assert user.first_name == ""
    assert user.check_password("x-test-only-9")


def test_it_makes_every_account_a_region_admin_creates_a_finance_officer_of_a_prefecture(region_admin, client_for):
    client = client_for(region_admin)
    urumqi = Prefecture.objects.get(name="乌鲁木齐市")
    new = {"username": "officer_new", "usable_password": "true", "password1": "Xinjiang-2023-new", "password2": "Xinjiang-2023-new"}

    without_prefecture = client.post(reverse("admin:core_user_add"), {**new, **_escalation()})
    created = client.post(reverse("admin:core_user_add"), {**new, **_escalation(), "prefecture": urumqi.pk})

    assert without_prefecture.status_code == 200
    assert "prefecture" in without_prefecture.context["adminform"].form.errors
    assert created.status_code == 302
    officer = User.objects.get(username="officer_new")
    assert officer.prefecture == urumqi
    assert _roles(officer) == (False, False, {Role.FINANCE_OFFICER}, set())


def test_it_lets_a_superuser_grant_roles_to_others_but_not_to_itself(hr_reviewer, client_for):
    root = User.objects.create_superuser("root", password="x-test-only-9")
    client = client_for(root)

    own = client.post(_change(root), _form_data(root, groups=[_group(Role.HR_REVIEWER).pk]))  # is_superuser unticked
    granted = client.post(
        _change(hr_reviewer), _form_data(hr_reviewer, is_staff="on", groups=[_group(Role.REGION_ADMIN).pk])
    )

    assert own.status_code == 302
    assert _roles(root) == (True, True, set(), set())
    assert granted.status_code == 302
    assert _roles(hr_reviewer) == (False, True, {Role.REGION_ADMIN}, set())


def test_it_keeps_the_role_groups_read_only_to_everyone_but_a_superuser(region_admin, client_for):
    # Even a staff account someone handed the group permissions to: a role is a superuser's to change.
    region_admin.user_permissions.add(*Permission.objects.filter(content_type__app_label="auth", codename__endswith="_group"))
    group = _group(Role.FINANCE_OFFICER)
    client = client_for(User.objects.get(pk=region_admin.pk))
    every_permission = list(Permission.objects.values_list("pk", flat=True))

    page = client.get(reverse("admin:auth_group_change", args=[group.pk]))
    changed = client.post(
        reverse("admin:auth_group_change", args=[group.pk]), {"name": group.name, "permissions": every_permission}
    )
    added = client.post(reverse("admin:auth_group_add"), {"name": "superusers", "permissions": every_permission})

    assert page.status_code == 200
    assert page.context["has_change_permission"] is False
    assert (changed.status_code, added.status_code) == (403, 403)
    assert not group.permissions.exists()
    assert not Group.objects.filter(name="superusers").exists()
    # Only the auditor's role sees the groups at all, and only sees them.
    auth_permissions = {
        role: set(_group(role).permissions.filter(content_type__app_label="auth").values_list("codename", flat=True))
        for role in Role
    }
    assert auth_permissions == {
        Role.FINANCE_OFFICER: set(),
        Role.HR_REVIEWER: set(),
        Role.AUDITOR: {"view_group", "view_permission"},
        Role.REGION_ADMIN: set(),
    }
