"""Tokens: created by a region admin in the admin, the key shown once and stored hashed, revocable, last use recorded."""

import re

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from allocations.models import Prefecture
from api.keys import digest
from api.models import ApiToken
from api.principal import principal
from core.models import Role
from tests.api.conftest import make_token, token_client


def test_it_shows_the_key_once_on_creation_and_stores_only_its_digest(client_for, region_admin, notice_document):
    admin = client_for(region_admin)
    answer = admin.post("/admin/api/apitoken/add/", {
        "name": "国库集中支付系统", "role": Role.REGION_ADMIN, "prefecture": "",
    })
    assert answer.status_code == 302, answer.content.decode()[:2000]
    # Shown on the page the admin is sent to, once.
    shown = admin.get(answer["Location"]).content.decode()
    key = re.search(r"(jy_[\w-]+)", shown).group(1)
    token = ApiToken.objects.get(name="国库集中支付系统")
    assert token.key_hash == digest(key) and key not in token.key_hash
    assert token.created_by == region_admin
    assert not any(key in str(value) for value in ApiToken.objects.values_list().get())
    # No page shows it again.
    assert key not in admin.get(f"/admin/api/apitoken/{token.pk}/change/").content.decode()
    assert token_client(key).get("/api/v1/documents/").status_code == 200


def test_it_lets_only_a_region_admin_create_tokens(client_for, auditor, hr_reviewer, officer_urumqi):
    for user in (auditor, hr_reviewer, officer_urumqi):
        answer = client_for(user).post("/admin/api/apitoken/add/", {"name": "x", "role": Role.REGION_ADMIN})
        assert answer.status_code in (302, 403)
    assert not ApiToken.objects.exists()


def test_it_refuses_a_revoked_token_and_records_the_last_use(region_admin, notice_document):
    token, key = make_token(region_admin, Role.HR_REVIEWER)
    assert token.last_used_at is None
    assert token_client(key).get("/api/v1/prefectures/").status_code == 200
    token.refresh_from_db()
    assert token.last_used_at is not None and timezone.now() - token.last_used_at < timezone.timedelta(minutes=1)
    token.revoked = True
    token.save()
    answer = token_client(key).get("/api/v1/prefectures/")
    assert answer.status_code == 401 and answer.json()["message"] == "令牌已被吊销。"


def test_it_binds_an_officer_token_to_a_prefecture_and_no_other_role(region_admin):
    urumqi = Prefecture.objects.get(name="乌鲁木齐市")
    for role, prefecture in ((Role.FINANCE_OFFICER, None), (Role.AUDITOR, urumqi)):
        with pytest.raises(IntegrityError), transaction.atomic():
            ApiToken.objects.create(name=f"bad-{role}", role=role, prefecture=prefecture, key_hash=f"h-{role}", created_by=region_admin)


def test_it_never_gives_a_token_more_than_its_role(region_admin, api_for, notice_document):
    # The creator is a region admin; the HR token still reads only, and its stand-in user cannot be saved over the admin.
    hr = api_for(Role.HR_REVIEWER)
    assert hr.post("/api/v1/payments/", {"payments": []}, format="json").status_code == 403
    token, _key = make_token(region_admin, Role.HR_REVIEWER, name="hr-2")
    stand_in = principal(token)
    assert not stand_in.is_superuser and not stand_in.is_staff
    with pytest.raises(RuntimeError):
        stand_in.save()
