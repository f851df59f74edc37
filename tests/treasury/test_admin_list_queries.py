"""The admin's payment list runs the same queries for 3 payments as for a page of 100 out of 240."""

import pytest

from tests.treasury.conftest import run
from tests.treasury.payment_files import csv_bytes, row, sample_path, write

COUNTIES = ["天山区", "沙依巴克区", "达坂城区", "乌鲁木齐县"]


@pytest.mark.parametrize("sample", [False, True])
def test_it_lists_payments_in_the_same_queries_however_many(sample, region_admin, client_for, django_assert_num_queries, tmp_path):
    if sample:
        run("import_payments", str(sample_path()))
    run("import_payments", str(write(tmp_path, "few.csv", csv_bytes([row(f"ZA{n}", county=COUNTIES[n]) for n in range(3)]))))
    client = client_for(region_admin)
    client.get("/admin/treasury/payment/")  # the session, the user and its groups, warmed

    # 1 session, 2 user, 3 the user's groups (role checks), 4 the user's own permissions, 5 its groups' permissions,
    # 6 the prefecture filter's choices, 7 the count (on SQLite; PostgreSQL's planner estimate, EstimatedCountPaginator,
    # is one query too), 8 the page of payments with prefecture, county and the county's prefecture joined.
    with django_assert_num_queries(8):
        response = client.get("/admin/treasury/payment/")
    assert response.status_code == 200
