"""Each token has its own budget of requests (REST_FRAMEWORK's "token" rate); past it, a 429 in the JSON shape."""

from rest_framework.settings import api_settings
from rest_framework.throttling import SimpleRateThrottle

from core.models import Role


def test_it_throttles_each_token_on_its_own(api_for, notice_document, monkeypatch):
    monkeypatch.setattr(SimpleRateThrottle, "THROTTLE_RATES", {**api_settings.DEFAULT_THROTTLE_RATES, "token": "3/minute"})
    busy, other = api_for(Role.HR_REVIEWER), api_for(Role.AUDITOR)
    codes = [busy.get("/api/v1/prefectures/").status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]
    refused = busy.get("/api/v1/prefectures/")
    assert refused.json()["code"] == "throttled"
    assert other.get("/api/v1/prefectures/").status_code == 200
