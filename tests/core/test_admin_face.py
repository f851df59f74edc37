"""The admin looks like the app (issue 14.9): its name in the header, django-axes in Chinese."""

import pytest
from django.urls import reverse

from core.models import User

from tests.allocations.pages import page, visible_text


def test_it_brands_the_admins_header(region_admin, client_for):
    text = visible_text(page(client_for(region_admin).get(reverse("admin:index"))))
    assert "就业补助资金管理 · 管理后台" in text
    assert "Django" not in text


@pytest.fixture
def superuser_client(reference_data, client):
    client.force_login(User.objects.create_superuser("root", password="x-test-only-9"))
    return client


def test_it_names_the_login_protection_in_chinese(superuser_client):
    index = visible_text(page(superuser_client.get(reverse("admin:index"))))
    assert "登录保护" in index and "登录尝试" in index and "登录日志" in index
    assert "Axes" not in index and "Access attempts" not in index
    attempts = visible_text(page(superuser_client.get(reverse("admin:axes_accessattempt_changelist"))))
    assert "尝试时间" in attempts and "Attempt Time" not in attempts
