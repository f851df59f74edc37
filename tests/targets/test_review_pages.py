"""The review page, its action endpoints and the review queue, through the web."""

import pytest
from django.urls import reverse

from allocations.models import AllocationDocument, DocumentStatus
from targets import review
from targets.importing import HEADER_FIELDS
from targets.models import TableStatus, TargetTable
from tests.allocations.pages import hidden_fields, page, table_rows, visible_text
from tests.targets.review_helpers import table_of

# These tests follow a table from draft through review; the notice issues its tables (targets.reference).
pytestmark = pytest.mark.usefixtures("drafted_tables")

ACTIONS = ["review_submit", "review_approve", "review_return", "review_reopen"]


@pytest.fixture
def urumqi(reference_data):
    return table_of("乌鲁木齐市")


def _url(name, table):
    return reverse(f"targets:{name}", args=[table.pk])


def _fresh(table):
    return TargetTable.objects.get(pk=table.pk)


def _post_from_page(client, table, name, **data):
    """Post the form as the review page drew it: its hidden version included."""
    html = page(client.get(_url("review", table)))
    return client.post(_url(name, table), {**hidden_fields(html, _url(name, table)), **data}, follow=True)


def test_it_shows_the_hr_reviewer_a_submitted_table_with_approve_and_return(
    urumqi, region_admin, hr_reviewer, client_for
):
    review.submit(urumqi, region_admin)

    html = page(client_for(hr_reviewer).get(_url("review", urumqi)))

    text = visible_text(html)
    assert "已提交" in text
    assert "城镇新增就业人数(人)" in text and "103000" in text
    assert f'action="{_url("review_approve", urumqi)}"' in html
    assert f'action="{_url("review_return", urumqi)}"' in html
    assert f'action="{_url("review_submit", urumqi)}"' not in html


def test_it_shows_the_region_admin_only_the_submit_form(urumqi, region_admin, client_for):
    html = page(client_for(region_admin).get(_url("review", urumqi)))

    assert f'action="{_url("review_submit", urumqi)}"' in html
    assert f'action="{_url("review_approve", urumqi)}"' not in html


def test_it_approves_through_the_page(urumqi, region_admin, hr_reviewer, client_for):
    review.submit(urumqi, region_admin)

    response = _post_from_page(client_for(hr_reviewer), urumqi, "review_approve")

    assert response.redirect_chain == [(_url("review", urumqi), 302)]
    assert "乌鲁木齐市绩效目标表已审核通过并锁定。" in visible_text(page(response))
    assert _fresh(urumqi).status == TableStatus.APPROVED


def test_it_walks_submit_return_and_reopen_through_the_pages(urumqi, region_admin, hr_reviewer, client_for, client):
    _post_from_page(client_for(region_admin), urumqi, "review_submit")
    _post_from_page(client_for(hr_reviewer), urumqi, "review_return", reason="失业率目标需与自治区一致")
    _post_from_page(client_for(region_admin), urumqi, "review_submit")
    _post_from_page(client_for(hr_reviewer), urumqi, "review_approve")

    response = _post_from_page(client_for(hr_reviewer), urumqi, "review_reopen", reason="年中调整")

    assert _fresh(urumqi).status == TableStatus.DRAFT
    html = page(response)
    history = html[html.index("审核记录") : html.index("绩效指标（")]
    changes = [(row.cells[1], row.cells[2], row.cells[3]) for row in table_rows(history)]
    assert changes[1:] == [
        ("region_admin", "草稿 → 已提交", ""),
        ("hr_reviewer", "已提交 → 已退回", "失业率目标需与自治区一致"),
        ("region_admin", "已退回 → 已提交", ""),
        ("hr_reviewer", "已提交 → 已审核通过", ""),
        ("hr_reviewer", "已审核通过 → 草稿", "年中调整"),
    ]


def test_it_refuses_a_return_without_a_reason_as_a_message(urumqi, region_admin, hr_reviewer, client_for):
    review.submit(urumqi, region_admin)

    response = _post_from_page(client_for(hr_reviewer), urumqi, "review_return", reason="   ")

    assert response.status_code == 200
    assert "退回必须填写原因。" in visible_text(page(response))
    assert _fresh(urumqi).status == TableStatus.SUBMITTED


def test_it_refuses_a_step_from_a_stale_page(urumqi, region_admin, hr_reviewer, client_for):
    review.submit(urumqi, region_admin)
    client = client_for(hr_reviewer)
    stale = hidden_fields(page(client.get(_url("review", urumqi))), _url("review_approve", urumqi))
    review.return_table(urumqi, hr_reviewer, "请补充")
    review.submit(urumqi, region_admin)

    response = client.post(_url("review_approve", urumqi), stale, follow=True)

    assert "该表已被他人修改，请刷新后重试。" in visible_text(page(response))
    assert _fresh(urumqi).status == TableStatus.SUBMITTED


def test_it_refuses_a_post_without_the_version(urumqi, region_admin, client_for):
    response = client_for(region_admin).post(_url("review_submit", urumqi), {}, follow=True)

    assert "页面已过期，请刷新后重试。" in visible_text(page(response))
    assert _fresh(urumqi).status == TableStatus.DRAFT


def test_it_names_the_status_when_a_step_no_longer_applies(urumqi, hr_reviewer, client_for):
    response = client_for(hr_reviewer).post(_url("review_approve", urumqi), {"version": "1"}, follow=True)

    assert "该表当前状态为“草稿”，不能审核通过" in visible_text(page(response))


@pytest.mark.parametrize("name", ACTIONS)
def test_it_forbids_the_auditor_every_action(urumqi, auditor, client_for, name):
    response = client_for(auditor).post(_url(name, urumqi), {"version": "1", "reason": "审计意见"})

    assert response.status_code == 403
    assert (_fresh(urumqi).status, _fresh(urumqi).version) == (TableStatus.DRAFT, 1)


def test_it_shows_an_officer_their_own_table_read_only(urumqi, officer_urumqi, client_for):
    client = client_for(officer_urumqi)

    html = page(client.get(_url("review", urumqi)))

    assert "草稿" in visible_text(html)
    assert not any(f'action="{_url(name, urumqi)}"' in html for name in ACTIONS)
    assert client.post(_url("review_submit", urumqi), {"version": "1"}).status_code == 403


@pytest.mark.parametrize("name", ["review", *ACTIONS])
def test_it_hides_another_prefectures_table_from_an_officer(urumqi, officer_kashgar, client_for, name):
    client = client_for(officer_kashgar)
    response = client.get(_url(name, urumqi)) if name == "review" else client.post(_url(name, urumqi), {"version": "1"})

    assert response.status_code == 404
    assert client.get(_url("review", table_of("自治区"))).status_code == 404


def _queue(client, **params):
    return client.get(reverse("targets:review_queue"), params)


def test_it_lists_tables_awaiting_review_first(urumqi, region_admin, hr_reviewer, client_for):
    review.submit(urumqi, region_admin)

    response = _queue(client_for(hr_reviewer))

    rows = table_rows(page(response))
    assert len(rows) == 15
    assert rows[0].cells[1:4] == ["乌鲁木齐市", "乌鲁木齐市就业补助资金转移支付绩效目标表", "已提交"]
    assert rows[1].cells[1] == "自治区"


def test_it_filters_the_queue_by_status(urumqi, region_admin, auditor, client_for):
    review.submit(urumqi, region_admin)

    rows = table_rows(page(_queue(client_for(auditor), status="submitted")))

    assert [row.cells[1] for row in rows] == ["乌鲁木齐市"]


def test_it_survives_a_hand_made_filter(reference_data, hr_reviewer, client_for):
    response = _queue(client_for(hr_reviewer), status="nonsense", document="x'; drop")

    assert response.status_code == 200


def test_it_shows_an_officer_only_their_own_table_in_the_queue(officer_kashgar, client_for):
    rows = table_rows(page(_queue(client_for(officer_kashgar))))

    assert [row.cells[1] for row in rows] == ["喀什地区"]


def _documents_with_region_tables(notice_document, count):
    documents = AllocationDocument.objects.bulk_create(
        AllocationDocument(
            number=f"测试〔2024〕{i}号",
            title="测试文件",
            year=2024,
            fund=notice_document.fund,
            direct_mark=notice_document.direct_mark,
            declared_total=1,
            status=DocumentStatus.ISSUED,
        )
        for i in range(count)
    )
    template = table_of("自治区")
    header = {name: getattr(template, name) for name in HEADER_FIELDS}
    TargetTable.objects.bulk_create(
        TargetTable(document=document, status=TableStatus.SUBMITTED, **header) for document in documents
    )


# Every page: the session, the user, and the user's groups (core.permissions asks once per request).
REQUEST = ["session", "user", "user's role groups"]


@pytest.mark.parametrize("extra", [0, 120])
@pytest.mark.parametrize(
    "role, queries",
    [
        (
            "hr_reviewer",
            REQUEST
            + [
                "the count, capped at the export limit + 1 (core.listing)",
                "documents for the filter",
                "prefectures for the 范围 filter",
                "the page of tables with document, prefecture and reviewer",
            ],
        ),
        (
            "officer_urumqi",
            REQUEST
            + [
                "the officer's tables counted, capped at the export limit + 1",
                "officer's prefecture for the header",
                "documents for the filter",
                "the page of tables with document, prefecture and reviewer",
            ],
        ),
    ],
)
def test_it_lists_the_queue_in_constant_queries(
    request, notice_document, client_for, django_assert_num_queries, extra, role, queries
):
    _documents_with_region_tables(notice_document, extra)
    client = client_for(request.getfixturevalue(role))

    with django_assert_num_queries(len(queries)):
        response = _queue(client)

    assert response.status_code == 200
    expected = 15 + extra if role == "hr_reviewer" else 1
    assert response.context["table"].paginator.count == expected


REVIEW_PAGE = [
    "the table with document, prefecture and reviewer",
    "its targets with their indicators",
    "its history with who acted",
    "the indicators the regional table has and this one lacks",
    "the next submitted table in the reviewer's queue",
]


@pytest.mark.parametrize("rounds", [0, 30])
@pytest.mark.parametrize(
    "role, queries", [("hr_reviewer", REQUEST), ("officer_urumqi", REQUEST + ["officer's prefecture for the header"])]
)
def test_it_shows_the_review_page_in_constant_queries(
    urumqi, region_admin, hr_reviewer, request, client_for, django_assert_num_queries, rounds, role, queries
):
    for i in range(rounds):
        review.submit(urumqi, region_admin)
        review.return_table(urumqi, hr_reviewer, f"第{i + 1}次退回")
    client = client_for(request.getfixturevalue(role))

    with django_assert_num_queries(len(queries + REVIEW_PAGE)):
        response = client.get(_url("review", urumqi))

    assert response.status_code == 200
    assert len(response.context["transitions"]) == 1 + 2 * rounds
