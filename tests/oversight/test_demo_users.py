import io

import pytest
from django.core.management import CommandError, call_command

from core import permissions
from core.models import User


def test_it_creates_the_five_demo_accounts_and_prints_their_credentials(reference_data):
    out = io.StringIO()
    call_command("create_demo_users", "--password", "demo-pass-1", stdout=out)

    users = {u.username: u for u in User.objects.select_related("prefecture")}
    assert set(users) == {"admin", "auditor", "hr", "officer1", "officer2"}
    assert users["officer1"].prefecture.name == "乌鲁木齐市"
    assert users["officer2"].prefecture.name == "喀什地区"
    assert permissions.is_region_admin(users["admin"])
    assert permissions.is_auditor(users["auditor"]) and users["auditor"].is_staff and not users["auditor"].is_superuser
    assert permissions.is_hr_reviewer(users["hr"])
    assert permissions.is_finance_officer(users["officer1"]) and not users["officer1"].is_staff
    assert all(u.check_password("demo-pass-1") for u in users.values())
    assert "officer1 / demo-pass-1 / 财政业务员（乌鲁木齐市）" in out.getvalue()


def test_it_can_run_twice(reference_data):
    call_command("create_demo_users", stdout=io.StringIO())
    call_command("create_demo_users", stdout=io.StringIO())
    assert User.objects.count() == 5


def test_it_asks_for_the_reference_data_first(empty_database):
    with pytest.raises(CommandError, match="请先运行 python manage.py load_reference_data"):
        call_command("create_demo_users")
