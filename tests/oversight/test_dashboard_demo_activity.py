"""load_demo_activity: labelled demo data, through the workflow, the same on every run."""

import io

import pytest
from django.core.management import call_command

from feedback.models import FeedbackLine, FeedbackReport, ReportStatus
from targets.models import Actual, TableStatus, TargetTable

pytestmark = pytest.mark.django_db


def _snapshot():
    return (
        list(FeedbackReport.objects.order_by("pk").values_list("prefecture_id", "month", "status", "version")),
        list(FeedbackLine.objects.order_by("pk").values_list("report_id", "spent")),
        list(Actual.objects.order_by("pk").values_list("target_id", "raw_value", "verdict")),
        list(TargetTable.objects.order_by("pk").values_list("status", "version")),
        FeedbackReport.history.count(),
        Actual.history.count(),
    )


def test_it_creates_reports_in_mixed_states_and_some_actuals(region_admin, hr_reviewer):
    out = io.StringIO()
    call_command("load_demo_activity", stdout=out)

    assert "演示数据" in out.getvalue()
    statuses = set(FeedbackReport.objects.values_list("status", flat=True))
    assert {ReportStatus.ACCEPTED, ReportStatus.SUBMITTED, ReportStatus.RETURNED} <= statuses
    returned = FeedbackReport.objects.get(status=ReportStatus.RETURNED)
    assert returned.return_reason and "演示数据" in returned.return_reason
    assert FeedbackReport.objects.filter(status=ReportStatus.SUBMITTED, on_time=False).exists()
    assert Actual.objects.exists()
    assert TargetTable.objects.filter(status=TableStatus.SUBMITTED).exists()


def test_it_changes_nothing_the_second_time(region_admin, hr_reviewer):
    call_command("load_demo_activity", verbosity=0)
    first = _snapshot()
    out = io.StringIO()
    call_command("load_demo_activity", stdout=out)

    assert _snapshot() == first
    assert "新写入资金使用反馈表 0 份，绩效目标实际完成值 0 条" in out.getvalue()


def test_it_needs_the_demo_users(reference_data):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="create_demo_users"):
        call_command("load_demo_activity", verbosity=0)
    assert not FeedbackReport.objects.exists()
