import os
import subprocess
import sys
from unittest import mock

from django.conf import settings
from django.db import OperationalError
from django.urls import reverse

from core.models import User

PRODUCTION = {
    "DEBUG": "0",
    "SECRET_KEY": "p" * 20 + "-a-real-production-secret-for-the-deploy-check-0123456789",
    "ALLOWED_HOSTS": "funds.example.cn",
    "DATABASE_URL": "postgres://app@127.0.0.1:5432/funds",
}


def _login(client, username, password):
    return client.post(reverse("login"), {"username": username, "password": password}, REMOTE_ADDR="10.0.0.7")


def test_it_locks_a_username_after_five_failures_from_one_address(client, officer_urumqi, officer_kashgar):
    for _ in range(4):
        assert _login(client, "officer_urumqi", "wrong").status_code == 200
    assert _login(client, "officer_urumqi", "wrong").status_code == 429
    locked = _login(client, "officer_urumqi", "x-test-only-9")
    assert locked.status_code == 429
    assert "登录已被暂时锁定" in locked.content.decode()

    # Someone else in the same office is not locked out with them.
    other = _login(client, "officer_kashgar", "x-test-only-9")
    assert other.status_code == 302


def test_it_logs_in_with_the_right_password(client, officer_urumqi):
    response = _login(client, "officer_urumqi", "x-test-only-9")
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(officer_urumqi.pk)


def test_it_answers_503_in_chinese_when_the_database_is_down(client, region_admin):
    client.force_login(region_admin)
    with mock.patch("allocations.models.AllocationDocumentQuerySet.visible_to", side_effect=OperationalError("down")):
        response = client.get(reverse("allocations:document_list"))
    assert response.status_code == 503
    body = response.content.decode()
    assert "系统暂时无法连接数据库" in body
    assert "Traceback" not in body and "OperationalError" not in body


def test_it_sends_a_content_security_policy(client, region_admin):
    client.force_login(region_admin)
    policy = client.get(reverse("allocations:document_list"))["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy.split("script-src")[1].split(";")[0]
    assert "frame-ancestors 'none'" in policy


def test_it_passes_the_deploy_check_with_production_settings():
    # DJANGO_ALLOW_ASYNC_UNSAFE belongs to the browser tests, never to production.
    env = {k: v for k, v in os.environ.items() if k not in PRODUCTION and k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=settings.BASE_DIR,
        env={**env, **PRODUCTION},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


def test_it_keeps_sessions_and_csrf_cookies_secure_in_production():
    env = {k: v for k, v in os.environ.items() if k not in PRODUCTION}
    code = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_HSTS_SECONDS >= 31536000, s.SECURE_SSL_REDIRECT)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=settings.BASE_DIR,
        env={**env, **PRODUCTION, "DJANGO_SETTINGS_MODULE": "config.settings"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.stdout.split() == ["True", "True", "True", "True"], result.stderr
    assert User  # the user model imports under production settings too
