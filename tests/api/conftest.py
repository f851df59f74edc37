"""Tokens for the API tests: one per role and scope, each with its client."""

import pytest
from rest_framework.test import APIClient

from allocations.models import Prefecture
from api.keys import issue
from api.models import ApiToken
from core.models import Role


def make_token(creator, role, prefecture_name=None, name=None):
    token = ApiToken(
        name=name or f"{role}-{prefecture_name or 'region'}",
        role=role,
        prefecture=Prefecture.objects.get(name=prefecture_name) if prefecture_name else None,
        created_by=creator,
    )
    key = issue(token)
    token.save()
    return token, key


def token_client(key):
    client = APIClient(raise_request_exception=False)
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
    return client


@pytest.fixture
def api_for(region_admin):
    """api_for(role, prefecture_name=None) -> an APIClient carrying a fresh token of that role and scope."""

    def build(role, prefecture_name=None):
        _token, key = make_token(region_admin, role, prefecture_name)
        return token_client(key)

    return build


@pytest.fixture
def urumqi_api(api_for):
    return api_for(Role.FINANCE_OFFICER, "乌鲁木齐市")


@pytest.fixture
def kashgar_api(api_for):
    return api_for(Role.FINANCE_OFFICER, "喀什地区")


@pytest.fixture
def treasury_api(api_for):
    # The treasury pushes payments: only the region admin's role may import them.
    return api_for(Role.REGION_ADMIN)


# The access matrix's world (the notice, both prefectures' drafts, reports, tables and a payment), for the API matrix.
from tests.access.conftest import access_world  # noqa: E402,F401
