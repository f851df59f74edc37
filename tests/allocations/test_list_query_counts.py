"""Every list page costs the same number of queries at 10 rows and at 1,000.

Each expected count is spelled out as the list of the queries the page runs,
so a change in the count says which query came or went.
"""

from decimal import Decimal

import pytest
from django.urls import reverse

from allocations.models import (
    AllocationDocument,
    AllocationLine,
    County,
    CountyKind,
    DocumentStatus,
    Prefecture,
    PrefectureSubtotal,
)

SIZES = [10, 1000]
# Every page: the session, the user, and the user's groups (core.permissions asks once per request).
REQUEST = ["session", "user", "user's role groups"]
# An officer's page also shows their prefecture's name in the header (core.context_processors).
OFFICER = ["officer's prefecture for the header"]


def _documents(fund, count, county, start=1):
    """count regional documents, each giving 10 to one county, with its 小计."""
    documents = AllocationDocument.objects.bulk_create(
        AllocationDocument(
            number=f"测试〔2024〕{start + i}号",
            title="测试文件",
            year=2024,
            fund=fund,
            direct_mark=fund.direct_mark,
            declared_total=Decimal("10"),
            status=DocumentStatus.ISSUED,
        )
        for i in range(count)
    )
    AllocationLine.objects.bulk_create(
        AllocationLine(document=document, county=county, amount=Decimal("10"), position=1) for document in documents
    )
    PrefectureSubtotal.objects.bulk_create(
        PrefectureSubtotal(document=document, prefecture=county.prefecture, declared_amount=Decimal("10"))
        for document in documents
    )
    return documents


def _counties(prefecture, count):
    return County.objects.bulk_create(
        County(prefecture=prefecture, name=f"测试县{i}", kind=CountyKind.COUNTY, position=100 + i) for i in range(count)
    )


def _document_with_lines(fund, counties):
    document = AllocationDocument.objects.create(
        number="测试〔2024〕大表",
        title="测试大表",
        year=2024,
        fund=fund,
        declared_total=Decimal(len(counties)),
        status=DocumentStatus.ISSUED,
    )
    AllocationLine.objects.bulk_create(
        AllocationLine(document=document, county=county, amount=Decimal("1"), position=i)
        for i, county in enumerate(counties, start=1)
    )
    PrefectureSubtotal.objects.create(
        document=document, prefecture=counties[0].prefecture, declared_amount=Decimal(len(counties))
    )
    return document


@pytest.fixture
def urumqi(reference_data):
    return Prefecture.objects.get(name="乌鲁木齐市")


@pytest.fixture
def tianshan(urumqi):
    return County.objects.get(prefecture=urumqi, name="天山区")


@pytest.mark.parametrize("rows", SIZES)
@pytest.mark.parametrize(
    "role, queries",
    [
        (
            "region_admin",
            REQUEST
            + [
                "the count, capped at the export limit + 1 (core.listing)",
                "prefectures for the filter",
                "years for the filter",
                "the page of documents",
            ],
        ),
        (
            "officer_urumqi",
            REQUEST
            + [
                "the visible documents counted, capped at the export limit + 1",
                *OFFICER,
                "years for the filter",
                "the page of documents, with the officer's 小计 as a subquery",
            ],
        ),
    ],
)
def test_it_lists_documents_in_constant_queries(
    rows, role, queries, request, notice_document, tianshan, client_for, django_assert_num_queries
):
    _documents(notice_document.fund, rows, tianshan)
    client = client_for(request.getfixturevalue(role))

    with django_assert_num_queries(len(queries)):
        response = client.get(reverse("allocations:document_list"))

    assert response.status_code == 200
    assert response.context["table"].paginator.count == rows + 1


@pytest.mark.parametrize("rows", SIZES)
@pytest.mark.parametrize(
    "role, queries",
    [
        (
            "region_admin",
            REQUEST
            + [
                "the count, capped at the export limit + 1 (core.listing)",
                "prefectures for the filter",
                "the page of prefectures, each figure a correlated subquery",
            ],
        ),
        (
            "officer_urumqi",
            REQUEST + ["the count, capped at the export limit + 1 (core.listing)", *OFFICER, "their one prefecture with its figures"],
        ),
    ],
)
def test_it_lists_prefectures_in_constant_queries(
    rows, role, queries, request, notice_document, client_for, django_assert_num_queries
):
    prefectures = Prefecture.objects.bulk_create(Prefecture(name=f"测试地区{i}", position=100 + i) for i in range(rows))
    counties = County.objects.bulk_create(
        County(prefecture=prefecture, name="测试县", kind=CountyKind.COUNTY) for prefecture in prefectures
    )
    AllocationLine.objects.bulk_create(
        AllocationLine(document=notice_document, county=county, amount=Decimal("1"), position=200 + i)
        for i, county in enumerate(counties)
    )
    client = client_for(request.getfixturevalue(role))

    with django_assert_num_queries(len(queries)):
        response = client.get(reverse("allocations:prefecture_list"))

    assert response.status_code == 200
    assert response.context["table"].paginator.count == (rows + 14 if role == "region_admin" else 1)


@pytest.mark.parametrize("rows", SIZES)
@pytest.mark.parametrize(
    "role, queries",
    [
        (
            "region_admin",
            REQUEST
            + [
                "the prefecture",
                "its documents counted, capped at the export limit + 1",
                "its lines counted, capped at the export limit + 1",
                "the page of documents with their sums",
                "the page of lines",
            ],
        ),
        (
            "officer_urumqi",
            REQUEST
            + [
                "the prefecture",
                "its documents counted, capped at the export limit + 1",
                "its lines counted, capped at the export limit + 1",
                *OFFICER,
                "the page of documents with their sums",
                "the page of lines",
            ],
        ),
    ],
)
def test_it_shows_a_prefecture_in_constant_queries(
    rows, role, queries, request, notice_document, urumqi, tianshan, client_for, django_assert_num_queries
):
    _documents(notice_document.fund, rows, tianshan)
    client = client_for(request.getfixturevalue(role))

    with django_assert_num_queries(len(queries)):
        response = client.get(reverse("allocations:prefecture_detail", args=[urumqi.pk]))

    assert response.status_code == 200
    assert response.context["line_table"].paginator.count == rows + 8


@pytest.mark.parametrize("rows", SIZES)
@pytest.mark.parametrize(
    "role, queries",
    [
        ("region_admin", []),
        ("officer_urumqi", OFFICER),
    ],
)
def test_it_shows_a_document_in_constant_queries(
    rows, role, queries, request, notice_document, urumqi, client_for, django_assert_num_queries
):
    document = _document_with_lines(notice_document.fund, _counties(urumqi, rows))
    queries = REQUEST + [
        "the document with its fund, parent and issuer",
        "its 小计 rows",
        "its lines with county and prefecture",
        "reconciliation: Σ lines per prefecture",
        "reconciliation: the declared 小计",
        "the fund's item-level subjects",
        "已转下达: Σ re-allocated per prefecture",
        "已转下达: the re-allocation documents",
        *queries,
    ]
    client = client_for(request.getfixturevalue(role))

    with django_assert_num_queries(len(queries)):
        response = client.get(reverse("allocations:document_detail", args=[document.pk]))

    assert response.status_code == 200
    assert len([row for row in response.context["table"].data if row["kind"] == "line"]) == rows
