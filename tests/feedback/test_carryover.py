"""结转资金 (issue 13 point 7): carried-over money is judged against 100%, a mid-year document may
follow its own schedule, and the balances carried over are listed per prefecture with what is due for recovery."""

import io
from datetime import date, datetime
from decimal import Decimal as D
from zoneinfo import ZoneInfo

import openpyxl
import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse

from allocations.models import AllocationDocument, Prefecture, ScheduleBasis
from core import clock
from feedback import workflow
from feedback.carryover import CarryoverStatus, balances, recovery_cutoff, years_later
from feedback.models import ReportStatus
from feedback.schedule import expected_progress, is_carried_over, is_lagging
from tests.allocations.pages import page, table_rows, visible_text

SHANGHAI = ZoneInfo("Asia/Shanghai")
JULY = date(2023, 7, 1)
JANUARY_2024 = date(2024, 1, 1)
NOTICE = "新财社〔2023〕74号"


@pytest.fixture
def urumqi(reference_data):
    return Prefecture.objects.get(name="乌鲁木齐市")


@pytest.fixture
def frozen(monkeypatch):
    """freeze(day): core.clock.today answers day."""

    def freeze(day):
        monkeypatch.setattr(clock, "today", lambda: day)
        return day

    return freeze


def _fill(report, user, **values):
    line = report.lines.get()
    return workflow.save_lines(report, {line.pk: values}, user, report.version)


def _accepted(prefecture, month, spent, officer, reviewer):
    """A month's report filled in with spent, submitted and accepted."""
    report = workflow.open_report(prefecture, month)
    values = {"spent": D(spent), "uses": ["vocational_training"]}
    if is_lagging(D(spent) / report.lines.get().amount * 100, month, report.lines.get().document):
        values.update(reason="项目尚在公示期", measure="加快拨付", measure_deadline=date(month.year + 1, 12, 31))
    report = _fill(report, officer, **values)
    report = workflow.submit(report, officer, at=datetime(month.year, month.month, 20, 10, tzinfo=SHANGHAI))
    return workflow.accept(report, reviewer)


# The rule (feedback.schedule)


def test_it_expects_money_of_its_own_year_at_month_over_twelve(notice_document):
    assert not is_carried_over(notice_document, JULY)
    assert expected_progress(JULY, notice_document) == D("58.33")
    assert expected_progress(date(2023, 12, 1), notice_document) == D("100.00")


def test_it_expects_carried_over_money_at_100_from_january(notice_document):
    assert is_carried_over(notice_document, JANUARY_2024)
    assert expected_progress(JANUARY_2024, notice_document) == D("100.00")
    assert expected_progress(JANUARY_2024) == D("8.33")  # the month's own schedule is unchanged
    assert is_lagging(D("99.99"), JANUARY_2024, notice_document)
    assert not is_lagging(D("99.99"), JANUARY_2024)


def test_it_spreads_a_mid_year_document_from_its_issue_month_when_asked(notice_document):
    notice_document.schedule_basis = ScheduleBasis.FROM_ISSUE  # issued 2023-06-05: June to December, 7 months

    assert expected_progress(date(2023, 6, 1), notice_document) == D("14.29")
    assert expected_progress(JULY, notice_document) == D("28.57")
    assert expected_progress(date(2023, 12, 1), notice_document) == D("100.00")
    assert expected_progress(JANUARY_2024, notice_document) == D("100.00")  # carried over all the same


def test_it_keeps_month_over_twelve_for_every_existing_document(notice_document):
    assert AllocationDocument.objects.get(number=NOTICE).schedule_basis == ScheduleBasis.CALENDAR


# The report page and the workflow


def test_it_expects_the_2023_line_at_100_on_urumqis_2024_01_report(officer_urumqi, urumqi, client_for, frozen):
    frozen(date(2024, 1, 15))
    report = _fill(workflow.open_report(urumqi, JANUARY_2024), officer_urumqi, spent=D("5000"), uses=["vocational_training"])

    html = page(client_for(officer_urumqi).get(reverse("feedback:report_detail", args=[report.pk])))

    line = report.lines.get()
    assert line.document_number == NOTICE
    assert f'data-expected="100.00" data-line="{line.pk}"' in html
    assert 'data-role="lag" hidden' not in html  # 60.28% lags behind 100%, not behind January's 8.33%
    text = visible_text(html)
    assert "结转资金，时间进度 100.00%" in text
    assert "结转资金）时间进度为100%" in text


def test_it_asks_a_reason_for_carried_over_money_below_100(officer_urumqi, urumqi):
    report = _fill(workflow.open_report(urumqi, JANUARY_2024), officer_urumqi, spent=D("5000"), uses=["vocational_training"])

    with pytest.raises(ValidationError) as refused:
        workflow.submit(report, officer_urumqi)

    assert (
        f"第1行 {NOTICE}：支出进度 60.28% 低于时间进度 100.00%（结转资金），须填写未按计划支出的原因"
        in refused.value.messages
    )


def test_it_submits_carried_over_money_spent_in_full_without_a_reason(officer_urumqi, urumqi):
    report = _fill(workflow.open_report(urumqi, JANUARY_2024), officer_urumqi, spent=D("8294"), uses=["vocational_training"])

    assert workflow.submit(report, officer_urumqi).status == ReportStatus.SUBMITTED


def test_it_marks_carried_over_money_in_the_attachment_3_export(officer_urumqi, urumqi, tmp_path):
    _fill(workflow.open_report(urumqi, JANUARY_2024), officer_urumqi, spent=D("5000"), uses=["vocational_training"])
    path = tmp_path / "out.xlsx"
    call_command("export_feedback", "--prefecture", "乌鲁木齐市", "--month", "2024-01", "-o", str(path), stdout=io.StringIO())

    sheet = openpyxl.load_workbook(path).worksheets[0]
    assert sheet["B6"].value == "2023年中央财政就业补助资金（第二批）（结转资金）"
    assert sheet["H6"].value == 0.6028
    assert sheet["H6"].comment.text == "结转资金：2023年下达，时间进度100.00%"
    # A document of the month's own year carries no note.
    july = tmp_path / "july.xlsx"
    call_command("export_feedback", "--prefecture", "乌鲁木齐市", "--month", "2023-07", "-o", str(july), stdout=io.StringIO())
    assert openpyxl.load_workbook(july).worksheets[0]["H6"].comment is None


# The balances carried over


def test_it_flags_money_for_recovery_two_years_after_issue():
    assert years_later(date(2023, 6, 5)) == date(2025, 6, 5)
    assert years_later(date(2024, 2, 29)) == date(2026, 3, 1)
    assert recovery_cutoff(date(2025, 6, 5)) == date(2023, 6, 5)
    assert recovery_cutoff(date(2028, 2, 29)) == date(2026, 2, 28)


def test_it_computes_each_prefectures_balance_from_its_last_accepted_report(officer_urumqi, region_admin, urumqi):
    _accepted(urumqi, date(2023, 11, 1), "5000", officer_urumqi, region_admin)
    _accepted(urumqi, date(2023, 12, 1), "6000", officer_urumqi, region_admin)
    # A later report not yet accepted does not count.
    _fill(workflow.open_report(urumqi, JANUARY_2024), officer_urumqi, spent=D("7000"), uses=["vocational_training"])

    rows = {row.prefecture.name: row for row in balances(Prefecture.objects.all(), date(2024, 3, 1))}

    assert len(rows) == 14
    own = rows["乌鲁木齐市"]
    assert (own.declared_amount, own.spent, own.spent_month, own.balance) == (D("8294"), D("6000"), date(2023, 12, 1), D("2294"))
    assert own.status == CarryoverStatus.CARRIED
    kashgar = rows["喀什地区"]
    assert (kashgar.spent, kashgar.balance) == (None, D("13342"))  # nothing accepted: the whole share


def test_it_lists_no_money_of_the_current_year(reference_data):
    assert not balances(Prefecture.objects.all(), date(2023, 12, 31)).exists()


def test_it_flags_unspent_money_for_recovery_on_the_second_anniversary_of_issue(officer_urumqi, region_admin, urumqi):
    _accepted(urumqi, date(2023, 12, 1), "8294", officer_urumqi, region_admin)

    def statuses(today):
        return {row.prefecture.name: row.status for row in balances(Prefecture.objects.all(), today)}

    assert set(statuses(date(2025, 6, 4)).values()) == {CarryoverStatus.CARRIED, CarryoverStatus.SPENT}
    on_the_day = statuses(date(2025, 6, 5))
    assert on_the_day["乌鲁木齐市"] == CarryoverStatus.SPENT  # spent in full: nothing to take back
    assert on_the_day["喀什地区"] == CarryoverStatus.RECOVERY


def _page_rows(response):
    return [row for row in table_rows(page(response)) if row.prefecture]


def test_it_shows_the_region_every_prefecture_and_flags_recovery(region_admin, client_for, frozen):
    frozen(date(2025, 6, 5))

    response = client_for(region_admin).get(reverse("feedback:carryover"))

    assert response.status_code == 200
    rows = _page_rows(response)
    assert [row.prefecture for row in rows] == list(Prefecture.objects.order_by("position").values_list("name", flat=True))
    urumqi = rows[0]
    assert urumqi.cells[1] == NOTICE
    assert urumqi.cells[5:] == ["8,294.00", "—", "—", "8,294.00", "2025年6月5日", "应收回"]
    assert reverse("feedback:carryover") in page(response)  # the feedback menu links it


def test_it_shows_an_officer_only_their_own_prefecture(officer_urumqi, client_for, frozen):
    frozen(date(2024, 3, 1))
    client = client_for(officer_urumqi)

    rows = _page_rows(client.get(reverse("feedback:carryover")))
    assert [row.prefecture for row in rows] == ["乌鲁木齐市"]
    assert rows[0].cells[-1] == "结转使用中"
    kashgar = Prefecture.objects.get(name="喀什地区")
    asked = client.get(reverse("feedback:carryover"), {"prefecture": kashgar.pk})
    assert "喀什地区" not in [row.prefecture for row in _page_rows(asked)]


def test_it_filters_by_status_and_exports_what_it_shows(region_admin, officer_urumqi, urumqi, client_for, frozen):
    _accepted(urumqi, date(2023, 12, 1), "8294", officer_urumqi, region_admin)
    frozen(date(2025, 6, 5))
    client = client_for(region_admin)

    due = _page_rows(client.get(reverse("feedback:carryover"), {"status": CarryoverStatus.RECOVERY}))
    assert len(due) == 13 and "乌鲁木齐市" not in [row.prefecture for row in due]
    exported = client.get(reverse("feedback:carryover"), {"status": CarryoverStatus.SPENT, "_export": "csv"})
    text = b"".join(exported.streaming_content if exported.streaming else [exported.content]).decode("utf-8-sig")
    assert "乌鲁木齐市" in text and "已全部支出" in text and "喀什地区" not in text


def test_it_reads_the_balances_in_a_fixed_number_of_queries(region_admin, client_for, frozen, django_assert_num_queries):
    frozen(date(2025, 6, 5))
    client = client_for(region_admin)
    client.get(reverse("feedback:carryover"))  # the session and the user, warmed as on any page
    # session, user, the user's groups (role checks, the scope of the prefectures),
    # the capped count of the rows, the prefecture choices of the filter,
    # the page of rows (each with its prefecture, document and fund joined, the last accepted spend and its
    # month in subqueries). A region-wide user has no prefecture of their own for the page header to read.
    with django_assert_num_queries(6):
        assert client.get(reverse("feedback:carryover")).status_code == 200


@pytest.mark.parametrize("role", ["officer_urumqi", "region_admin"])
def test_it_shows_the_carried_over_money_in_english_to_an_english_user(role, request, urumqi, client_for, frozen):
    from tests.core.test_language import data_strings, untranslated, visible_parts

    frozen(date(2025, 6, 5))
    user = request.getfixturevalue(role)
    user.language = "en"
    user.save(update_fields=["language"])
    report = workflow.open_report(urumqi, JANUARY_2024)
    client = client_for(user)

    data = data_strings()
    for url in (reverse("feedback:carryover"), reverse("feedback:report_detail", args=[report.pk])):
        html = page(client.get(url))
        assert '<html lang="en">' in html
        assert untranslated(visible_parts(html), data) == [], url
    assert "Carried over, time schedule 100.00%" in visible_text(html)
