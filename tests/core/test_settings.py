import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from config.env import env_bool, env_int

GOOD_KEY = "k" * 20 + "-production-secret-for-tests-only-0123456789"


def _start(**env):
    clean = {k: v for k, v in os.environ.items() if k not in ("DEBUG", "SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL")}
    clean.update(env)
    return subprocess.run(
        [sys.executable, "-c", "import django; django.setup(); from django.conf import settings; print(settings.DEBUG)"],
        cwd=settings.BASE_DIR,
        env={**clean, "DJANGO_SETTINGS_MODULE": "config.settings"},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_it_uses_zero_configuration_defaults_for_development():
    result = _start()
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "True"


def test_it_refuses_to_start_in_production_without_a_real_secret_key():
    result = _start(DEBUG="0", ALLOWED_HOSTS="funds.example.cn", DATABASE_URL="postgres://u@127.0.0.1/db")
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_it_refuses_production_without_allowed_hosts():
    result = _start(DEBUG="0", SECRET_KEY=GOOD_KEY, DATABASE_URL="postgres://u@127.0.0.1/db")
    assert "ALLOWED_HOSTS must be set" in result.stderr


def test_it_starts_in_production_with_its_settings():
    result = _start(DEBUG="0", SECRET_KEY=GOOD_KEY, ALLOWED_HOSTS="funds.example.cn", DATABASE_URL="postgres://u@127.0.0.1/db")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False"


def test_it_rejects_a_boolean_it_cannot_read(monkeypatch):
    monkeypatch.setenv("DEBUG", "maybe")
    with pytest.raises(ImproperlyConfigured, match="DEBUG must be one of"):
        env_bool("DEBUG")
    monkeypatch.setenv("CONN_MAX_AGE", "ten")
    with pytest.raises(ImproperlyConfigured, match="CONN_MAX_AGE must be an integer"):
        env_int("CONN_MAX_AGE", 0)


def test_it_speaks_chinese_in_the_shanghai_time_zone():
    assert (settings.LANGUAGE_CODE, settings.TIME_ZONE) == ("zh-hans", "Asia/Shanghai")
