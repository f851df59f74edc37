"""The change log speaks the auditor's language (issue 14.6): labels, not codes; 万元 with separators; months as months."""

from datetime import date, datetime, timezone

from django.utils import translation

from allocations.models import Prefecture
from feedback.workflow import open_report
from oversight.changelog import field_changes
from tests.core.changes import change
from tests.oversight.test_changelog import log_rows

NOON = datetime(2024, 3, 1, 4, 0, tzinfo=timezone.utc)


def _report_line(notice_document):
    report = open_report(Prefecture.objects.get(name="乌鲁木齐市"), date(2023, 7, 1))
    return report, report.lines.get(document=notice_document)


def test_it_names_the_uses_by_their_labels(notice_document, region_admin, auditor, client_for):
    _report, line = _report_line(notice_document)
    change(line, region_admin, "补填用途", NOON, uses=["vocational_training", "public_welfare_jobs"])

    rows = log_rows(client_for(auditor), date_from="2024-03-01", date_to="2024-03-01")
    changes = rows[0][5]
    assert "职业培训补贴" in changes and "公益性岗位补贴" in changes
    assert "vocational_training" not in changes and "public_welfare_jobs" not in changes


def test_it_writes_a_reports_month_as_a_month(notice_document):
    report, _line = _report_line(notice_document)
    created = report.history.earliest("history_date")
    with translation.override("zh-hans"):
        assert ("月份", "—", "2023年7月") in field_changes(created, None)
    with translation.override("en"):
        # Months are named in English (core.formats.month, issue 14.9).
        assert any(new == "Jul 2023" for _name, _old, new in field_changes(created, None))


def test_it_writes_amounts_with_separators_and_two_decimals(notice_document):
    _report, line = _report_line(notice_document)
    created = line.history.earliest("history_date")
    values = [new for _name, _old, new in field_changes(created, None)]
    assert "8,294.00" in values  # 乌鲁木齐市's 小计 of the notice as the line's 资金金额
