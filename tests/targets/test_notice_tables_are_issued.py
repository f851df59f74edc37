"""The notice's 15 target tables come issued with it (issue 13.3): locked, open to actuals, their history saying so."""

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command

from targets import review
from targets.models import Actual, Checkpoint, TableStatus, TargetTable
from targets.monitoring import record_actual
from targets.reference import LOADED
from tests.targets.review_helpers import table_of

NOTICE = "新财社〔2023〕74号"


def test_it_loads_the_notices_tables_as_issued_not_as_drafts(reference_data):
    tables = TargetTable.objects.filter(document__number=NOTICE)
    assert tables.count() == 15
    assert set(tables.values_list("status", flat=True)) == {TableStatus.ISSUED}
    assert all(table.is_locked and table.accepts_actuals for table in tables)


def test_it_records_in_history_that_the_table_came_with_the_notice(reference_data):
    table = table_of("乌鲁木齐市")
    first = table.history.order_by("history_date", "history_id").first()
    assert first.status == TableStatus.ISSUED
    assert first.history_change_reason == LOADED
    assert set(table.targets.first().history.values_list("history_change_reason", flat=True)) == {LOADED}


def test_it_takes_actuals_at_once(reference_data, officer_urumqi):
    table = table_of("乌鲁木齐市")
    target = table.targets.filter(number__isnull=False).order_by("position").first()
    actual = record_actual(target, Checkpoint.YEAR_END, target.raw_value, officer_urumqi)
    assert Actual.objects.filter(pk=actual.pk).exists()


def test_it_refuses_to_edit_an_issued_table(reference_data, region_admin):
    table = table_of("乌鲁木齐市")
    target = table.targets.order_by("position").first()
    with pytest.raises(ValidationError, match="锁定"):
        review.edit_targets(table, {target: "1"}, region_admin, table.version)


def test_it_lets_the_hr_reviewer_reopen_an_issued_table(reference_data, hr_reviewer):
    table = review.reopen(table_of("喀什地区"), hr_reviewer, "PDF 提取有误，核对指标值")
    assert table.status == TableStatus.DRAFT and not table.is_locked


def test_it_leaves_a_reopened_table_alone_on_a_second_load(reference_data, hr_reviewer, region_admin):
    table = review.reopen(table_of("喀什地区"), hr_reviewer, "核对")
    target = table.targets.filter(number__isnull=False).order_by("position").first()
    review.edit_targets(table, {target: "99"}, region_admin, table.version)
    call_command("load_reference_data", verbosity=0)
    table.refresh_from_db()
    assert table.status == TableStatus.DRAFT
    assert table.targets.get(pk=target.pk).raw_value == "99"


def test_it_issues_tables_an_earlier_version_loaded_as_untouched_drafts(reference_data):
    TargetTable.objects.filter(document__number=NOTICE).update(status=TableStatus.DRAFT)
    call_command("load_reference_data", verbosity=0)
    assert set(TargetTable.objects.filter(document__number=NOTICE).values_list("status", flat=True)) == {TableStatus.ISSUED}
