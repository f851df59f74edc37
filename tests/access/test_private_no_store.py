"""Pages and exports that carry data are never kept by a shared cache or the browser's disk."""

import pytest
from django.urls import reverse


@pytest.mark.parametrize(
    "url",
    [
        reverse("allocations:document_list"),
        reverse("allocations:document_list") + "?_export=csv",
        reverse("allocations:document_list") + "?_export=xlsx",
        reverse("allocations:prefecture_list"),
        reverse("home"),
        reverse("dashboard_export", args=["allocation", "csv"]),
        reverse("oversight:changelog"),
        reverse("oversight:changelog") + "?_export=csv",
    ],
)
def test_it_marks_data_pages_and_exports_private_and_no_store(url, region_admin, client_for):
    response = client_for(region_admin).get(url)

    assert response.status_code == 200, url
    directives = {part.strip() for part in response["Cache-Control"].split(",")}
    assert {"private", "no-store"} <= directives, response["Cache-Control"]


def test_it_marks_the_document_workbook_private_and_no_store(region_admin, notice_document, client_for):
    response = client_for(region_admin).get(reverse("allocations:document_export", args=[notice_document.pk]))

    assert response.status_code == 200
    directives = {part.strip() for part in response["Cache-Control"].split(",")}
    assert {"private", "no-store"} <= directives
