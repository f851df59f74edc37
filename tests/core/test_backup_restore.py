"""A dump of all domain data, loaded into an emptied database, gives every row back."""

import io
from datetime import date
from decimal import Decimal

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import connection

from allocations.models import Prefecture
from evaluation.building import build as build_evaluation
from feedback import workflow
from targets.models import Actual, Checkpoint, Target
from tests.treasury.payment_files import sample_path

DOMAIN_APPS = ("core", "allocations", "treasury", "targets", "feedback", "evaluation")
# flush sends post_migrate, which seeds the code table again (treasury/setup.py) under new ids; a restore
# goes into an empty table, as it does after the first migrate of a new database (ids 1…n there).
RESEEDED = ("treasury_paymentcode", "treasury_historicalpaymentcode")


def _everything():
    rows = {}
    for label in DOMAIN_APPS:
        for model in apps.get_app_config(label).get_models():
            rows[model._meta.label] = sorted(model._default_manager.order_by("pk").values_list(), key=lambda r: r[0])
    return rows


def _with_activity(officer, admin):
    call_command("import_payments", str(sample_path()), stdout=io.StringIO())
    report = workflow.open_report(Prefecture.objects.get(name="乌鲁木齐市"), date(2023, 7, 1))
    line = report.lines.get()
    workflow.save_lines(report, {line.pk: {"spent": Decimal("5000"), "uses": ["internship"]}}, officer, report.version)
    workflow.accept(workflow.submit(report, officer), admin)
    target = Target.objects.get(table__prefecture__name="乌鲁木齐市", indicator__code="NEW_URBAN_JOBS")
    Actual(target=target, checkpoint=Checkpoint.MID_YEAR, raw_value="60000", deviation_reason="上半年企业用工回落", improvement_measure="加大岗位开发").save()
    build_evaluation(target.table, 2023)


# A real transaction: PostgreSQL cannot TRUNCATE inside the test's wrapping
# one while constraint triggers are pending.
@pytest.mark.django_db(transaction=True)
def test_it_restores_every_row_from_a_natural_key_dump(officer_urumqi, region_admin, tmp_path):
    _with_activity(officer_urumqi, region_admin)
    before = _everything()
    assert before["feedback.HistoricalFeedbackReport"] and before["targets.HistoricalTarget"] and before["treasury.Payment"]
    assert before["evaluation.Evaluation"] and before["evaluation.IndicatorScore"]

    backup = tmp_path / "backup.xml"
    call_command("dumpdata", *DOMAIN_APPS, natural_foreign=True, format="xml", output=str(backup), verbosity=0)
    call_command("flush", interactive=False, verbosity=0)
    with connection.cursor() as cursor:
        for table in RESEEDED:
            cursor.execute(f"DELETE FROM {table}")
    assert all(not rows for rows in _everything().values())

    call_command("loaddata", str(backup), verbosity=0)

    assert _everything() == before
