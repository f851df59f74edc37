"""Malformed JSON, wrong types, unknown fields and oversized bodies: a 4xx in the one JSON shape, nothing written."""

import pytest
from django.test import override_settings

from treasury.models import Payment

SHAPE = {"code", "message", "field", "row", "errors"}
GOOD_ROW = {
    "voucher": "API-BAD-1", "paid_on": "2023-06-15", "prefecture": "乌鲁木齐市", "county": "天山区",
    "document_number": "新财社〔2023〕74号", "function_code": "2080701", "direct_mark": "01 中央直达资金", "amount": "100.00",
}


def _refused(answer, status, code=None):
    assert answer.status_code == status, answer.content
    assert answer["Content-Type"].startswith("application/json")
    body = answer.json()
    assert SHAPE <= set(body), body
    assert body["message"] and body["errors"]
    if code:
        assert body["code"] == code, body
    return body


def _post(client, body, **extra):
    return client.generic("POST", "/api/v1/payments/", body, content_type="application/json", **extra)


@pytest.mark.parametrize("raw", [b"{", b"[1,", b"{\"payments\": NaN}", b"\xff\xfe", b"payments=1"])
def test_it_refuses_malformed_json(treasury_api, raw, notice_document):
    _refused(_post(treasury_api, raw), 400, "parse_error")
    assert not Payment.objects.exists()


@pytest.mark.parametrize("body, field", [
    ({"payments": "all"}, "payments"),
    ({"payments": [1]}, None),
    ({"payments": [{**GOOD_ROW, "amount": [1]}]}, "amount"),
    ({"payments": [{**GOOD_ROW, "amount": True}]}, "amount"),
    ({"payments": [GOOD_ROW], "dry_run": "yes"}, "dry_run"),
])
def test_it_refuses_wrong_types_naming_the_field(treasury_api, body, field, notice_document):
    found = _refused(treasury_api.post("/api/v1/payments/", body, format="json"), 400)
    assert found["field"] == field
    assert not Payment.objects.exists()


def test_it_refuses_unknown_fields_rather_than_ignoring_them(treasury_api, notice_document):
    found = _refused(treasury_api.post("/api/v1/payments/", {"payments": [GOOD_ROW], "note": 1}, format="json"), 400, "unknown_field")
    assert found["field"] == "note"
    found = _refused(treasury_api.post("/api/v1/payments/", {"payments": [{**GOOD_ROW, "amout": "1"}]}, format="json"), 400, "unknown_field")
    assert (found["field"], found["row"]) == ("amout", 1)
    assert not Payment.objects.exists()


def test_it_refuses_a_row_the_import_refuses_naming_the_batch_row_and_writes_nothing(treasury_api, notice_document):
    rows = [GOOD_ROW, {**GOOD_ROW, "voucher": "API-BAD-2", "amount": "1.234"}]
    found = _refused(treasury_api.post("/api/v1/payments/", {"payments": rows}, format="json"), 400, "refused")
    assert found["row"] == 2 and "第2条" in found["message"]
    assert not Payment.objects.exists()


@override_settings(API_MAX_BODY_BYTES=1000)
def test_it_refuses_an_oversized_body_with_413(treasury_api, notice_document):
    rows = [{**GOOD_ROW, "voucher": f"API-BIG-{i}"} for i in range(20)]
    _refused(treasury_api.post("/api/v1/payments/", {"payments": rows}, format="json"), 413, "too_large")
    assert not Payment.objects.exists()


@override_settings(API_PAYMENT_BATCH_MAX_ROWS=3)
def test_it_refuses_a_batch_over_the_row_limit(treasury_api, notice_document):
    rows = [{**GOOD_ROW, "voucher": f"API-MANY-{i}"} for i in range(4)]
    _refused(treasury_api.post("/api/v1/payments/", {"payments": rows}, format="json"), 400, "too_many_rows")


def test_it_refuses_unknown_and_wrongly_typed_feedback_fields(urumqi_api, notice_document):
    from datetime import date

    from allocations.models import Prefecture
    from feedback import workflow

    report = workflow.open_report(Prefecture.objects.get(name="乌鲁木齐市"), date(2023, 7, 1))
    line = report.lines.first()
    url = f"/api/v1/feedback-reports/{report.pk}/figures/"
    for lines, field in (
        ([{"id": line.pk, "spend": "1"}], "lines.spend"),
        ([{"id": line.pk, "spent": "abc"}], "lines.spent"),
        ([{"id": line.pk, "spent": "1.234"}], "lines.spent"),
        ([{"id": line.pk, "uses": "vocational_training"}], "lines.uses"),
        ([{"id": "x"}], "lines.id"),
    ):
        found = _refused(urumqi_api.post(url, {"version": report.version, "lines": lines}, format="json"), 400)
        assert found["field"] == field and found["row"] == 1, found
    report.refresh_from_db()
    assert report.version == 1


def test_it_answers_json_even_to_a_browser_and_for_unknown_addresses(client_for, region_admin, urumqi_api):
    browser = client_for(region_admin)
    _refused(browser.get("/api/v1/documents/999999999/", HTTP_ACCEPT="text/html"), 404, "not_found")
    _refused(browser.get("/api/v1/no-such-thing/"), 404, "not_found")
    _refused(browser.get("/api/nothing"), 404, "not_found")
    _refused(urumqi_api.delete("/api/v1/documents/"), 405, "method_not_allowed")
    _refused(urumqi_api.get("/api/v1/documents/?status=lost"), 400)
    _refused(urumqi_api.get("/api/v1/documents/?cursor=garbage"), 404)
    _refused(urumqi_api.get("/api/v1/documents/1/flow/?month=2023-13"), 404 if not _exists(1) else 400)


def _exists(pk):
    from allocations.models import AllocationDocument

    return AllocationDocument.objects.filter(pk=pk).exists()


def test_it_answers_401_without_a_valid_token(client, notice_document):
    from rest_framework.test import APIClient

    _refused(client.get("/api/v1/documents/"), 401, "not_authenticated")
    stranger = APIClient()
    stranger.credentials(HTTP_AUTHORIZATION="Bearer jy_not-a-key")
    _refused(stranger.get("/api/v1/documents/"), 401, "authentication_failed")


def test_it_reads_a_body_past_djangos_form_limit_and_answers_in_json(treasury_api, notice_document, settings):
    # DATA_UPLOAD_MAX_MEMORY_SIZE (2.5 MB) guards form posts; the API's own limit is API_MAX_BODY_BYTES.
    assert settings.DATA_UPLOAD_MAX_MEMORY_SIZE < 3_000_000 < settings.API_MAX_BODY_BYTES
    found = _refused(treasury_api.post("/api/v1/payments/", {"payments": [GOOD_ROW], "x": "a" * 3_000_000}, format="json"), 400)
    assert (found["code"], found["field"]) == ("unknown_field", "x")
