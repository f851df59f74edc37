"""Feedback figures through the API: the form's rules and its version check, on the officer's own draft only."""

from datetime import date
from decimal import Decimal

import pytest

from allocations.models import Prefecture
from feedback import workflow
from feedback.models import FeedbackLine

JULY = date(2023, 7, 1)


@pytest.fixture
def urumqi_july(notice_document):
    return workflow.open_report(Prefecture.objects.get(name="乌鲁木齐市"), JULY)


def _url(report):
    return f"/api/v1/feedback-reports/{report.pk}/figures/"


def test_it_saves_the_figures_of_a_draft_and_bumps_its_version(urumqi_api, urumqi_july):
    line = urumqi_july.lines.order_by("position").first()
    answer = urumqi_api.post(_url(urumqi_july), {
        "version": urumqi_july.version,
        "lines": [{"id": line.pk, "spent": "100.50", "uses": ["vocational_training"]}],
    }, format="json")
    assert answer.status_code == 200, answer.content
    assert answer.json()["version"] == urumqi_july.version + 1
    line.refresh_from_db()
    assert line.spent == Decimal("100.50") and line.uses == ["vocational_training"]


def test_it_refuses_a_stale_version_with_409_and_writes_nothing(urumqi_api, urumqi_july):
    line = urumqi_july.lines.order_by("position").first()
    body = {"version": urumqi_july.version, "lines": [{"id": line.pk, "spent": "1"}]}
    assert urumqi_api.post(_url(urumqi_july), body, format="json").status_code == 200
    body["lines"][0]["spent"] = "2"
    stale = urumqi_api.post(_url(urumqi_july), body, format="json")
    assert stale.status_code == 409
    assert stale.json()["code"] == "stale" and "已被他人修改" in stale.json()["message"]
    line.refresh_from_db()
    assert line.spent == Decimal("1")


def test_it_names_the_line_and_field_the_rules_refuse(urumqi_api, urumqi_july):
    line = urumqi_july.lines.order_by("position").first()
    over = line.amount + 1
    answer = urumqi_api.post(_url(urumqi_july), {
        "version": urumqi_july.version, "lines": [{"id": line.pk, "spent": str(over)}],
    }, format="json")
    assert answer.status_code == 400, answer.content
    body = answer.json()
    assert body["row"] == line.position and body["field"] == "spent"
    assert line.document_number in body["message"]
    assert FeedbackLine.objects.get(pk=line.pk).spent == line.spent


def test_it_hides_another_prefectures_report_and_refuses_read_only_roles(kashgar_api, api_for, urumqi_july):
    line = urumqi_july.lines.first()
    body = {"version": urumqi_july.version, "lines": [{"id": line.pk, "spent": "1"}]}
    assert kashgar_api.post(_url(urumqi_july), body, format="json").status_code == 404
    assert api_for("hr_reviewer").post(_url(urumqi_july), body, format="json").status_code == 403
    assert api_for("auditor").post(_url(urumqi_july), body, format="json").status_code == 403
    urumqi_july.refresh_from_db()
    assert urumqi_july.version == 1


def test_it_refuses_a_submitted_report_with_409(urumqi_api, urumqi_july, officer_urumqi):
    lines = list(urumqi_july.lines.all())
    workflow.save_lines(urumqi_july, {
        line.pk: {"spent": line.amount, "uses": ["vocational_training"]} for line in lines
    }, officer_urumqi, urumqi_july.version)
    urumqi_july.refresh_from_db()
    workflow.submit(urumqi_july, officer_urumqi)
    urumqi_july.refresh_from_db()
    answer = urumqi_api.post(_url(urumqi_july), {
        "version": urumqi_july.version, "lines": [{"id": lines[0].pk, "spent": "1"}],
    }, format="json")
    assert answer.status_code == 409
    assert answer.json()["code"] == "not_editable"


def test_it_marks_a_line_the_officer_added_and_leaves_its_document_empty(urumqi_api, urumqi_july, officer_urumqi):
    own_fund = {"fund_name": "2023年自治区就业补助资金", "document_number": "新财社〔2023〕12号", "amount": Decimal("500")}
    workflow.save_lines(urumqi_july, {}, officer_urumqi, urumqi_july.version, added=[own_fund])

    lines = urumqi_api.get(f"/api/v1/feedback-reports/{urumqi_july.pk}/").json()["lines"]

    added = [line for line in lines if line["is_added"]]
    assert [(line["document"], line["document_number"], line["amount"]) for line in added] == [
        (None, "新财社〔2023〕12号", "500.00")
    ]
    assert all(line["document"] is not None for line in lines if not line["is_added"])
