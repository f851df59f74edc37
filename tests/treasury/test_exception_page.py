"""The exceptions page: auditors and region admins, filterable, exportable, a fixed number of queries."""

import pytest

from tests.treasury.payment_files import csv_bytes, row, write

URL = "/treasury/exceptions/"


@pytest.fixture
def flagged(import_file, tmp_path):
    rows = [
        row("ZF1", mark=""),
        row("ZF2", function="2010101"),
        row("ZF3", prefecture="喀什地区", county="疏附县", document="新财社〔2023〕999号"),
    ]
    import_file(write(tmp_path, "payments.csv", csv_bytes(rows)))


@pytest.mark.parametrize("role, status", [
    ("officer_urumqi", 403), ("hr_reviewer", 403), ("auditor", 200), ("region_admin", 200),
])
def test_it_opens_for_auditors_and_region_admins_only(flagged, client_for, request, role, status):
    assert client_for(request.getfixturevalue(role)).get(URL).status_code == status


def test_it_filters_by_kind_and_prefecture(flagged, client_for, auditor):
    from allocations.models import Prefecture

    client = client_for(auditor)
    kashgar = Prefecture.objects.get(name="喀什地区").pk

    by_kind = client.get(URL, {"kind": "missing_direct_mark"}).content.decode()
    by_prefecture = client.get(URL, {"prefecture": kashgar}).content.decode()

    assert "ZF1" in by_kind and "ZF2" not in by_kind
    assert "ZF3" in by_prefecture and "ZF1" not in by_prefecture


def test_it_exports_the_filtered_list(flagged, client_for, region_admin):
    response = client_for(region_admin).get(URL, {"kind": "not_employment_subsidy", "_export": "csv"})

    text = response.content.decode("utf-8-sig")
    assert response.status_code == 200
    assert "ZF2" in text and "not_employment_subsidy" in text and "ZF1" not in text


@pytest.mark.parametrize("extra", [0, 30])
def test_it_runs_the_same_queries_however_many_exceptions(flagged, client_for, auditor, django_assert_num_queries, import_file, tmp_path, extra):
    if extra:
        import_file(write(tmp_path, "more.csv", csv_bytes([row(f"ZM{n}", mark="") for n in range(extra)])))
    client = client_for(auditor)
    client.get(URL)  # the session and the user's groups, warmed

    # 1 session, 2 user, 3 the user's groups (role checks), 4 the capped count, 5 the page of exceptions with
    # their payments, prefectures and counties (one join), 6 the prefecture filter's choices.
    with django_assert_num_queries(6):
        response = client.get(URL)
    assert response.status_code == 200
