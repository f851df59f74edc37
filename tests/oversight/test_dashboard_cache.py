"""The dashboard's charts are cached under the data version: fewer queries, never stale."""

from decimal import Decimal

from django.db import connection
from django.test.utils import CaptureQueriesContext

from feedback.models import FeedbackLine
from feedback.progress import percent
from tests.oversight.dashboard_helpers import demo_activity  # noqa: F401 — fixture

from oversight.dashboard.cache import data_version


def _queries(client):
    with CaptureQueriesContext(connection) as captured:
        response = client.get("/")
    assert response.status_code == 200
    return len(captured), response.content.decode()


def test_it_draws_the_charts_once_for_the_same_data(region_admin, client_for, demo_activity):  # noqa: F811
    client = client_for(region_admin)
    first, first_html = _queries(client)
    second, second_html = _queries(client)
    # The spend sums, the completeness grid, the allocation and attainment
    # queries are not run again; the session, role and version queries are.
    assert second < first
    assert 'id="chart-spend-progress"' in second_html
    assert first_html.count('class="dash-card dash-chart"') == second_html.count('class="dash-card dash-chart"') == 4


def test_it_draws_again_after_an_officer_saves_figures(officer_urumqi, client_for, demo_activity):  # noqa: F811
    client = client_for(officer_urumqi)
    # The board shows the latest submitted or accepted report (a returned one is being corrected).
    line = (
        FeedbackLine.objects.filter(
            report__prefecture=officer_urumqi.prefecture, spent__isnull=False, report__status__in=["submitted", "accepted"]
        )
        .order_by("-report__month", "position")
        .first()
    )
    new_spent = (line.amount * Decimal("0.4321")).quantize(Decimal("0.01"))
    shown = f"{percent(new_spent, line.amount):.2f}%"
    before_version = data_version()
    _count, before = _queries(client)
    assert shown not in before
    line.spent = new_spent
    line.save(update_fields=["spent"])
    assert data_version() != before_version
    _count, after = _queries(client)
    assert shown in after


def test_it_keeps_each_language_apart(region_admin, client_for, demo_activity):  # noqa: F811
    client = client_for(region_admin)
    _count, chinese = _queries(client)
    region_admin.language = "en"
    region_admin.save(update_fields=["language"])
    _count, english = _queries(client)
    assert "各地（州、市）资金分配" in chinese
    assert "各地（州、市）资金分配" not in english
