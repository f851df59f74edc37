"""A share's reporting obligation ends: at the fund's end date, once spent in full and accepted, or when settled (清算)."""

from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError

from allocations.models import AllocationDocument, Prefecture
from feedback import workflow
from feedback.completeness import ACCEPTED, MISSING, NOT_REQUIRED, grid, overdue
from feedback.models import Settlement
from feedback.obligations import default_end, fund_end, obligations, received_subtotals
from feedback.reminders import outstanding

SHANGHAI = ZoneInfo("Asia/Shanghai")
NOTICE = "新财社〔2023〕74号"


@pytest.fixture
def urumqi(reference_data):
    return Prefecture.objects.get(name="乌鲁木齐市")


@pytest.fixture
def notice(reference_data):
    return AllocationDocument.objects.get(number=NOTICE)


def _statuses(prefecture, year, today):
    return [cell.status for cell in grid(year, today, Prefecture.objects.filter(pk=prefecture.pk))[0][1]]


def _report_spending(prefecture, month, share, by, reviewer=None):
    """Open, fill (share of each line's amount), submit; accept when a reviewer is given."""
    report = workflow.open_report(prefecture, month)
    changes = {}
    for line in report.lines.all():
        changes[line.pk] = {
            "spent": (line.amount * share).quantize(Decimal("0.01")),
            "uses": ["vocational_training"],
            "reason": "项目尚在实施",
            "measure": "加快拨付",
            "measure_deadline": date(month.year + 1, 6, 30),
        }
    workflow.save_lines(report, changes, by, report.version)
    report.refresh_from_db()
    report = workflow.submit(report, by, at=datetime(month.year, month.month, 20, tzinfo=SHANGHAI))
    if reviewer is not None:
        workflow.accept(report, reviewer)
    return report


def test_it_ends_a_fund_at_the_end_of_the_following_year_by_default(urumqi, notice):
    assert notice.use_until is None
    assert fund_end(notice) == default_end(2023) == date(2024, 12, 31)

    assert _statuses(urumqi, 2024, date(2025, 6, 1)) == [MISSING] * 12
    assert _statuses(urumqi, 2025, date(2026, 6, 1)) == [NOT_REQUIRED] * 12
    assert received_subtotals(urumqi, date(2024, 12, 1)).count() == 1
    assert received_subtotals(urumqi, date(2025, 1, 1)).count() == 0


def test_it_ends_a_fund_at_its_own_end_date(urumqi, notice):
    notice.use_until = date(2023, 10, 15)
    notice.save()

    assert _statuses(urumqi, 2023, date(2024, 6, 1)) == [NOT_REQUIRED] * 5 + [MISSING] * 5 + [NOT_REQUIRED] * 2
    assert [f"{item.month:%Y-%m}" for item in overdue(date(2024, 6, 1), Prefecture.objects.filter(pk=urumqi.pk))] == [
        "2023-10", "2023-09", "2023-08", "2023-07", "2023-06"
    ]


def test_it_ends_a_share_after_the_accepted_month_that_shows_it_fully_spent(urumqi, officer_urumqi, region_admin):
    _report_spending(urumqi, date(2023, 6, 1), Decimal("0.5"), officer_urumqi, region_admin)
    _report_spending(urumqi, date(2023, 7, 1), Decimal("1"), officer_urumqi, region_admin)

    assert _statuses(urumqi, 2023, date(2024, 1, 15)) == [NOT_REQUIRED] * 5 + [ACCEPTED, ACCEPTED] + [NOT_REQUIRED] * 5
    assert overdue(date(2024, 1, 15), Prefecture.objects.filter(pk=urumqi.pk)) == []
    # Opening August pre-fills nothing: the fund is spent.
    assert list(received_subtotals(urumqi, date(2023, 8, 1))) == []
    assert received_subtotals(urumqi, date(2023, 7, 1)).count() == 1


def test_it_keeps_a_fully_spent_share_owed_until_its_report_is_accepted(urumqi, officer_urumqi):
    _report_spending(urumqi, date(2023, 6, 1), Decimal("1"), officer_urumqi)  # submitted, not yet accepted

    assert _statuses(urumqi, 2023, date(2023, 8, 15))[6] == MISSING
    assert received_subtotals(urumqi, date(2023, 7, 1)).count() == 1


def test_it_ends_a_share_after_the_month_it_was_settled(urumqi, notice, region_admin):
    Settlement.objects.create(
        document=notice, prefecture=urumqi, closed_on=date(2023, 8, 20), reason="项目终止，余额收回", closed_by=region_admin
    )
    kashgar = Prefecture.objects.get(name="喀什地区")

    assert _statuses(urumqi, 2023, date(2024, 1, 15)) == [NOT_REQUIRED] * 5 + [MISSING] * 3 + [NOT_REQUIRED] * 4
    assert _statuses(kashgar, 2023, date(2024, 1, 15)) == [NOT_REQUIRED] * 5 + [MISSING] * 7
    assert received_subtotals(urumqi, date(2023, 9, 1)).count() == 0
    assert received_subtotals(urumqi, date(2023, 8, 1)).count() == 1
    # The reminders chase only what is owed.
    chased = {(item.prefecture.name, item.month) for item in outstanding([date(2023, 9, 1)])}
    assert ("喀什地区", date(2023, 9, 1)) in chased
    assert ("乌鲁木齐市", date(2023, 9, 1)) not in chased
    # The history keeps who closed it.
    assert Settlement.history.get().history_type == "+"


def test_it_reads_every_prefectures_obligation_in_two_queries(urumqi, notice, region_admin, django_assert_num_queries):
    Settlement.objects.create(document=notice, prefecture=urumqi, closed_on=date(2023, 9, 1), reason="清算", closed_by=region_admin)

    # The shares running to their fund's end, grouped by prefecture and end; the settled or spent-out ones.
    with django_assert_num_queries(2):
        owed = obligations(Prefecture.objects.all())

    assert owed.spans[urumqi.pk] == [(date(2023, 6, 1), date(2023, 9, 1))]
    assert len(owed.spans) == 14
    assert owed.owes(urumqi.pk, date(2023, 9, 1)) and not owed.owes(urumqi.pk, date(2023, 10, 1))


def test_it_refuses_a_settlement_without_a_reason_or_a_share(urumqi, notice, region_admin):
    empty = Prefecture.objects.create(name="测试地区", position=99)

    with pytest.raises(ValidationError) as refused:
        Settlement(document=notice, prefecture=urumqi, closed_on=date(2023, 9, 1), reason="  ").full_clean()
    assert "清算必须填写原因。" in refused.value.message_dict["reason"]

    with pytest.raises(ValidationError) as refused:
        Settlement(document=notice, prefecture=empty, closed_on=date(2023, 9, 1), reason="清算").full_clean()
    assert refused.value.message_dict["prefecture"] == [f"测试地区 在 {NOTICE} 中没有分配资金，无需清算。"]

    with pytest.raises(ValidationError) as refused:
        Settlement(document=notice, prefecture=urumqi, closed_on=date(2023, 1, 1), reason="清算").full_clean()
    assert "清算日期不能早于发文日期。" in refused.value.message_dict["closed_on"]


def test_it_joins_a_prefectures_shares_into_the_months_it_owes():
    from feedback.obligations import Obligations

    owed = Obligations({1: [(date(2023, 6, 1), date(2023, 9, 1)), (date(2023, 10, 1), date(2024, 2, 1)),
                            (date(2023, 7, 1), date(2023, 8, 1)), (date(2025, 3, 1), date(2025, 4, 1))]})

    # Adjacent and nested spans are one; a gap stays a gap.
    assert owed.spans[1] == [(date(2023, 6, 1), date(2024, 2, 1)), (date(2025, 3, 1), date(2025, 4, 1))]
    assert owed.months(1, date(2024, 1, 1), date(2025, 12, 1)) == [
        date(2024, 1, 1), date(2024, 2, 1), date(2025, 3, 1), date(2025, 4, 1)
    ]
    assert not owed.owes(1, date(2024, 3, 1)) and owed.owes(1, date(2025, 4, 1))
    assert owed.first_month(1) == date(2023, 6, 1) and owed.first_month(2) is None
    assert owed.years() == [2023, 2024, 2025]
