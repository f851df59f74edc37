"""The deadline of 转下达: REALLOCATION_DUE_DAYS after the parent's 发文日期, the overdue list, and the share on time.

新财社〔2023〕74号 was issued on 2023-06-05: with the default 30 days its 小计
are due on 2023-07-05 and overdue from 2023-07-06. The day is frozen by
patching core.clock.today.
"""

from datetime import date, timedelta
from decimal import Decimal as D

import pytest
from django.urls import reverse

from allocations.issuing import issue
from allocations.models import AllocationDocument, AllocationLine, County, DocumentStatus, Prefecture, PrefectureSubtotal
from allocations.reallocation import ProposedLine, create_reallocation
from allocations.timeliness import due_date, overdue, overdue_subtotals, passed_on_in_time
from core import clock
from tests.allocations.pages import page, table_rows, visible_text
from tests.allocations.reallocation_helpers import DUE, IN_TIME, NOTICE_ISSUED_ON
from tests.allocations.test_reallocation_pages import URUMQI_SPLIT

OVERDUE = reverse("allocations:reallocation_overdue")
DAY_30 = NOTICE_ISSUED_ON + timedelta(days=30)
DAY_31 = NOTICE_ISSUED_ON + timedelta(days=31)
REQUEST = ["session", "user", "user's role groups"]
OFFICER = ["officer's prefecture for the header"]


@pytest.fixture
def urumqi(reference_data):
    return Prefecture.objects.get(name="乌鲁木齐市")


@pytest.fixture
def frozen(monkeypatch):
    """frozen(day): core.clock.today answers day from now on."""

    def freeze(day):
        monkeypatch.setattr(clock, "today", lambda: day)

    return freeze


def _pass_on(parent, prefecture, split, number, issued_on, issued=True):
    lines = [ProposedLine(County.objects.get(prefecture=prefecture, name=name), D(amount)) for name, amount in split.items()]
    document = create_reallocation(parent, prefecture, number, "关于转下达就业补助资金的通知", lines, issued_on)
    if issued:
        issue(document)
    return document


def _first(split, count):
    return dict(list(split.items())[:count])


def _rest(split, count):
    return dict(list(split.items())[count:])


def _rows(user, day, parent):
    return overdue(overdue_subtotals(AllocationDocument.objects.visible_to(user), Prefecture.objects.visible_to(user), day), day)


def _row(rows, name):
    [row] = [row for row in rows if row.prefecture.name == name]
    return row


def test_it_is_due_reallocation_due_days_after_the_parents_issue_date(notice_document, settings):
    assert due_date(notice_document) == date(2023, 7, 5) == DUE
    settings.REALLOCATION_DUE_DAYS = 10
    assert due_date(notice_document) == date(2023, 6, 15)


def test_it_lists_an_overdue_reallocation_31_days_after_the_parents_issue_date_and_not_at_30(
    notice_document, urumqi, region_admin, officer_urumqi, client_for, frozen
):
    # 乌鲁木齐市 passes two of its eight counties on in time; the other six are still due.
    _pass_on(notice_document, urumqi, _first(URUMQI_SPLIT, 2), "乌财社〔2023〕12号", IN_TIME)
    client = client_for(officer_urumqi)

    frozen(DAY_30)
    on_day_30 = client.get(OVERDUE)
    frozen(DAY_31)
    on_day_31 = client.get(OVERDUE)

    assert table_rows(page(on_day_30))[0].cells == ["没有逾期未转下达的资金。"]
    [row] = table_rows(page(on_day_31))
    assert row.prefecture == "乌鲁木齐市"
    assert row.cells == ["乌鲁木齐市", "新财社〔2023〕74号", "2023年6月5日", "2023年7月5日", "8,294.00", "3,034.00", "36.58%", "5,260.00", "1"]


def test_it_lists_every_prefecture_that_passed_nothing_on_to_region_wide_roles(notice_document, region_admin, hr_reviewer, auditor, client_for, frozen):
    frozen(DAY_31 + timedelta(days=9))

    for user in (region_admin, hr_reviewer, auditor):
        rows = table_rows(page(client_for(user).get(OVERDUE, {"per_page": 50})))
        assert len(rows) == 14
        assert {row.cells[-1] for row in rows} == {"10"}
        assert {row.cells[6] for row in rows} == {"0%"}


def test_it_shows_an_officer_only_their_own_prefecture(notice_document, officer_kashgar, client_for, frozen):
    frozen(DAY_31)

    rows = table_rows(page(client_for(officer_kashgar).get(OVERDUE)))

    assert [row.prefecture for row in rows] == ["喀什地区"]
    assert "乌鲁木齐市" not in visible_text(page(client_for(officer_kashgar).get(OVERDUE)))


def test_it_leaves_out_a_prefecture_that_passed_all_on_in_time(notice_document, urumqi, region_admin, frozen):
    _pass_on(notice_document, urumqi, _first(URUMQI_SPLIT, 5), "乌财社〔2023〕12号", IN_TIME)
    _pass_on(notice_document, urumqi, _rest(URUMQI_SPLIT, 5), "乌财社〔2023〕13号", DUE)  # the last day on time

    rows = _rows(region_admin, DAY_31, notice_document)

    assert "乌鲁木齐市" not in [row.prefecture.name for row in rows]
    assert passed_on_in_time(notice_document, DAY_31)[urumqi.pk] == D("100.00")


def test_it_counts_a_draft_as_nothing_passed_on(notice_document, urumqi, region_admin):
    _pass_on(notice_document, urumqi, URUMQI_SPLIT, "乌财社〔2023〕12号", IN_TIME, issued=False)

    row = _row(_rows(region_admin, DAY_31, notice_document), "乌鲁木齐市")

    assert (row.remaining, row.in_time_percent, row.days_late) == (D("8294"), D("0.00"), 1)


def test_it_keeps_a_prefecture_that_passed_on_late_with_the_days_it_was_late(notice_document, urumqi, region_admin):
    _pass_on(notice_document, urumqi, _first(URUMQI_SPLIT, 2), "乌财社〔2023〕12号", IN_TIME)
    _pass_on(notice_document, urumqi, _rest(URUMQI_SPLIT, 2), "乌财社〔2023〕13号", date(2023, 7, 10))

    row = _row(_rows(region_admin, date(2023, 8, 1), notice_document), "乌鲁木齐市")

    # All passed on, five days late: still listed, for its share on time; nothing left to pass on.
    assert (row.remaining, row.completed_on, row.days_late) == (D("0"), date(2023, 7, 10), 5)
    assert row.in_time_percent == D("36.58")  # 3034 / 8294


def test_it_computes_the_share_passed_on_in_time_per_prefecture(notice_document, urumqi):
    kashgar = Prefecture.objects.get(name="喀什地区")
    _pass_on(notice_document, urumqi, {"天山区": "1200", "米东区": "1500"}, "乌财社〔2023〕12号", IN_TIME)
    _pass_on(notice_document, urumqi, {"水磨沟区": "2100"}, "乌财社〔2023〕13号", date(2023, 7, 6))  # a day late
    _pass_on(notice_document, kashgar, {"莎车县": "2169"}, "喀地财社〔2023〕5号", DUE)

    shares = passed_on_in_time(notice_document, date(2023, 9, 1))

    assert len(shares) == 14
    assert shares[urumqi.pk] == D("32.55")  # 2700 / 8294; 水磨沟区 came late
    assert shares[kashgar.pk] == D("16.26")  # 2169 / 13342
    assert shares[Prefecture.objects.get(name="伊犁州").pk] == D("0.00")


def test_it_counts_a_reallocation_dated_after_today_as_not_yet_passed_on(notice_document, urumqi, region_admin):
    _pass_on(notice_document, urumqi, URUMQI_SPLIT, "乌财社〔2023〕12号", date(2023, 7, 20))

    before = _row(_rows(region_admin, date(2023, 7, 10), notice_document), "乌鲁木齐市")
    after = _row(_rows(region_admin, date(2023, 7, 21), notice_document), "乌鲁木齐市")

    assert (before.remaining, before.days_late) == (D("8294"), 5)
    assert (after.remaining, after.days_late) == (D("0"), 15)


def test_it_follows_the_setting(notice_document, region_admin, settings):
    settings.REALLOCATION_DUE_DAYS = 10

    assert _rows(region_admin, date(2023, 6, 15), notice_document) == []
    assert len(_rows(region_admin, date(2023, 6, 16), notice_document)) == 14


def test_it_gives_no_share_for_a_document_without_a_deadline(notice_document):
    AllocationDocument.objects.filter(pk=notice_document.pk).update(issued_on=None)
    notice_document.refresh_from_db()

    assert passed_on_in_time(notice_document) == {}


def test_it_filters_by_document_and_exports_the_share_as_a_number(notice_document, urumqi, region_admin, client_for, frozen):
    frozen(DAY_31)
    _pass_on(notice_document, urumqi, _first(URUMQI_SPLIT, 2), "乌财社〔2023〕12号", IN_TIME)
    client = client_for(region_admin)

    filtered = table_rows(page(client.get(OVERDUE, {"document": notice_document.pk, "prefecture": urumqi.pk})))
    exported = client.get(OVERDUE, {"prefecture": urumqi.pk, "_export": "csv"})

    assert [row.prefecture for row in filtered] == ["乌鲁木齐市"]
    text = b"".join(exported.streaming_content if exported.streaming else [exported.content]).decode("utf-8-sig")
    assert "按期转下达比例（%）" in text
    assert ",36.58," in text


def test_it_shows_the_overdue_list_in_english(notice_document, officer_urumqi, region_admin, client_for, frozen):
    from tests.core.test_language import data_strings, untranslated, visible_parts

    frozen(DAY_31)
    data = data_strings()
    for user in (officer_urumqi, region_admin):
        user.language = "en"
        user.save(update_fields=["language"])
        html = client_for(user).get(OVERDUE).content.decode()
        assert '<html lang="en">' in html
        assert untranslated(visible_parts(html), data) == []


def test_it_links_the_overdue_list_from_the_document_pages(notice_document, officer_urumqi, client_for):
    client = client_for(officer_urumqi)

    assert OVERDUE in client.get(reverse("allocations:document_list")).content.decode()
    assert f"{OVERDUE}?document={notice_document.pk}" in client.get(
        reverse("allocations:document_detail", args=[notice_document.pk])
    ).content.decode()


def _documents(fund, count, county):
    """count issued regional documents dated like the notice, each giving 10 to one county, with its 小计."""
    documents = AllocationDocument.objects.bulk_create(
        AllocationDocument(
            number=f"测试〔2023〕{100 + i}号",
            title="测试文件",
            year=2023,
            fund=fund,
            direct_mark=fund.direct_mark,
            declared_total=D("10"),
            status=DocumentStatus.ISSUED,
            issued_on=NOTICE_ISSUED_ON,
        )
        for i in range(count)
    )
    AllocationLine.objects.bulk_create(AllocationLine(document=d, county=county, amount=D("10"), position=1) for d in documents)
    PrefectureSubtotal.objects.bulk_create(
        PrefectureSubtotal(document=d, prefecture=county.prefecture, declared_amount=D("10")) for d in documents
    )


@pytest.mark.parametrize("rows", [10, 1000])
@pytest.mark.parametrize(
    "role, queries, expected",
    [
        (
            "region_admin",
            REQUEST
            + [
                "prefectures for the filter",
                "documents for the filter",
                "the due 小计 of the visible documents and prefectures, with document and prefecture",
                "what was passed on: Σ issued re-allocation lines per parent, prefecture and 发文日期",
            ],
            14,
        ),
        (
            "officer_urumqi",
            REQUEST
            + [
                *OFFICER,
                "documents for the filter",
                "the due 小计 of the visible documents and prefectures, with document and prefecture",
                "what was passed on: Σ issued re-allocation lines per parent, prefecture and 发文日期",
            ],
            1,
        ),
    ],
)
def test_it_lists_overdue_reallocations_in_constant_queries(
    rows, role, queries, expected, request, notice_document, urumqi, client_for, frozen, django_assert_num_queries
):
    _documents(notice_document.fund, rows, County.objects.get(prefecture=urumqi, name="天山区"))
    client = client_for(request.getfixturevalue(role))
    frozen(DAY_31)

    with django_assert_num_queries(len(queries)):
        response = client.get(OVERDUE)

    assert response.status_code == 200
    assert response.context["table"].paginator.count == rows + expected
