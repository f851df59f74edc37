"""Each dashboard chart's numbers as CSV / XLSX, limited like the board itself."""

import csv
import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from core.models import User
from tests.oversight.dashboard_helpers import allocated_by_prefecture, block, demo_activity  # noqa: F401 (demo_activity is a fixture)

pytestmark = pytest.mark.django_db


def _csv(response):
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def test_it_exports_the_same_allocation_numbers_as_the_table(auditor, client_for):
    client = client_for(auditor)
    table = block(client.get("/"), "allocation")["table"]

    rows = _csv(client.get("/dashboard/allocation.csv"))
    assert rows[0] == table.headers
    exported = {name: Decimal(amount) for name, amount in rows[1:]}
    assert exported == {name: amount for name, amount in table.rows} | {"合计": table.total[1]}
    assert exported["喀什地区"] == allocated_by_prefecture()["喀什地区"]

    sheet = load_workbook(io.BytesIO(client.get("/dashboard/allocation.xlsx").content)).active
    values = list(sheet.iter_rows(values_only=True))
    assert values[0] == tuple(table.headers)
    assert {row[0]: Decimal(str(row[1])) for row in values[1:]} == exported


def test_it_exports_only_the_officers_own_prefecture(officer_urumqi, client_for, demo_activity):
    client = client_for(officer_urumqi)

    spend = _csv(client.get("/dashboard/spend-progress.csv"))
    assert [row[0] for row in spend[1:]] == ["时间进度", "乌鲁木齐市"]
    grid = _csv(client.get("/dashboard/completeness.csv"))
    assert [row[0] for row in grid[1:]] == ["乌鲁木齐市"]
    assert "喀什地区" not in client.get("/dashboard/fund-lines.csv").content.decode("utf-8-sig")
    # The region-wide charts are not on an officer's board.
    assert client.get("/dashboard/allocation.csv").status_code == 404
    assert client.get("/dashboard/attainment.xlsx").status_code == 404


def test_it_refuses_unknown_charts_formats_and_users_without_a_role(auditor, client_for, reference_data):
    client = client_for(auditor)
    assert client.get("/dashboard/allocation.pdf").status_code == 404
    assert client.get("/dashboard/nothing.csv").status_code == 404
    assert client.post("/dashboard/allocation.csv").status_code == 405

    nobody = User.objects.create_user(username="nobody", password="x-test-only-9")
    assert client_for(nobody).get("/dashboard/allocation.csv").status_code == 403
    assert client_for(nobody).get("/").status_code == 403


def test_it_sends_anonymous_visitors_to_the_login_page(client, reference_data):
    response = client.get("/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert client.get("/dashboard/allocation.csv").status_code == 302
