"""An id past 2^63 in an admin address: SQLite cannot bind it (OverflowError), the admin must not answer 500.

A list answers as to any other wrong filter: the admin's own redirect to ?e=1. A form page answers 400.
"""

import pytest
from django.contrib import admin
from django.db import connection
from django.test import Client
from django.urls import reverse

# The fault is SQLite's: a Python int past 64 bits cannot be bound there (OverflowError). PostgreSQL
# takes the number and finds no row, so the admin answers its plain empty list.
pytestmark = pytest.mark.skipif(connection.vendor != "sqlite", reason="an overflow only SQLite raises")


HUGE = "99999999999999999999"
LINES = reverse("admin:allocations_allocationline_changelist")
DOCUMENTS = reverse("admin:allocations_allocationdocument_changelist")


@pytest.fixture
def client(region_admin):
    client = Client(raise_request_exception=False)
    client.force_login(region_admin)
    return client


def _redirects_to_the_error_flag(response, url):
    return response.status_code == 302 and response["Location"] == f"{url.split('?')[0]}?e=1"


@pytest.mark.parametrize(
    "url",
    [
        f"{LINES}?document={HUGE}",
        f"{LINES}?document__id__exact={HUGE}",
        f"{LINES}?county__prefecture__id__exact={HUGE}",
        f"{LINES}?document__id__in=1,{HUGE}",
        f"{DOCUMENTS}?parent={HUGE}",
    ],
)
def test_it_answers_a_huge_id_in_a_list_filter_with_the_admins_error_flag(client, url):
    response = client.get(url)

    assert response.status_code != 500
    assert _redirects_to_the_error_flag(response, url) or response.status_code == 200


def test_it_answers_a_huge_id_on_every_admin_list(notice_document, django_user_model):
    # A superuser: it opens every list, the groups' included.
    client = Client(raise_request_exception=False)
    client.force_login(django_user_model.objects.create_superuser("root", password="x-test-only-9"))
    crashed = []
    for model in admin.site._registry:
        url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist") + f"?id__in=1,{HUGE}"
        response = client.get(url)
        if not _redirects_to_the_error_flag(response, url):
            crashed.append(f"{model._meta.label}: {response.status_code}")

    assert crashed == []


def test_it_answers_a_huge_id_among_the_selected_rows(client, notice_document):
    line = notice_document.lines.order_by("pk").first()

    response = client.post(LINES, {"action": "delete_selected", "_selected_action": [line.pk, HUGE], "index": "0"})

    assert _redirects_to_the_error_flag(response, LINES)
    assert notice_document.lines.filter(pk=line.pk).exists()


@pytest.mark.parametrize("method", ["get", "post"])
def test_it_answers_a_huge_id_in_a_form_with_400(client, method, notice_document):
    url = reverse("admin:allocations_allocationline_add")
    if method == "get":
        response = client.get(f"{url}?document={HUGE}")
    else:
        response = client.post(url, {"document": HUGE, "county": HUGE, "amount": "1", "position": "1"})

    assert response.status_code == 400
