"""The issue's examples: a prefecture meeting every numeric target with 100% execution, and 城镇新增就业 at half."""

import io
from decimal import ROUND_HALF_UP, Decimal

from django.core.management import call_command

from evaluation.building import build
from evaluation.models import Method
from targets.models import Operator
from tests.evaluation.helpers import CITY_JOBS, NOTICE, URUMQI, pay, record_year_end, table_of


def _csv_rows():
    out = io.StringIO()
    call_command("evaluate_performance", NOTICE, "--year", "2023", "--format", "csv", stdout=out)
    lines = out.getvalue().splitlines()
    header = lines[0].split(",")
    return header, {line.split(",")[0]: dict(zip(header, line.split(","))) for line in lines[1:]}


def test_it_scores_a_prefecture_meeting_every_target_100_minus_what_waits_for_a_reviewer(reference_data):
    table = table_of()
    record_year_end(table)
    pay(table)

    header, rows = _csv_rows()

    evaluation = build(table, 2023)
    text_rows = [row for row in evaluation.scores.all() if row.target.operator == Operator.TEXT]
    waiting = sum((row.weight for row in text_rows), Decimal(0))
    assert header == ["prefecture", "score", "grade", "execution_rate", "unscored"]
    assert text_rows, "the notice's 乌鲁木齐市 table has text targets"
    assert Decimal(rows[URUMQI]["score"]) == Decimal(100) - waiting
    assert rows[URUMQI]["execution_rate"] == "100.00"
    text_names = [row.wording for row in sorted(text_rows, key=lambda row: row.position)]
    assert rows[URUMQI]["unscored"].split(";") == text_names
    assert all(row.method == Method.REVIEWER for row in text_rows)


def test_it_takes_half_the_weight_of_city_jobs_at_half_its_target(reference_data):
    table = table_of()
    target = table.targets.get(indicator__name=CITY_JOBS)
    record_year_end(table, {CITY_JOBS: f"{target.base_number / 2:f}人"})
    pay(table)

    evaluation = build(table, 2023)

    row = evaluation.scores.get(target=target)
    assert row.score == row.weight / 2
    full = build(table, 2023).score  # unchanged inputs give the same total
    others_met = Decimal(100) - sum((r.weight for r in evaluation.scores.filter(score__isnull=True)), Decimal(0))
    # 83.95 − 4.29/2 = 81.805: rounded half up once, at the total.
    assert full == (others_met - row.weight / 2).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    assert full == Decimal("81.81")  # 乌鲁木齐市: 100 − 17.05 awaiting a reviewer (83.95) − 2.145


def test_it_writes_one_row_per_prefecture_in_the_notices_order(reference_data):
    from allocations.models import Prefecture

    header, rows = _csv_rows()

    assert list(rows) == list(Prefecture.objects.filter(target_tables__document__number=NOTICE).order_by("position").values_list("name", flat=True))
    assert len(rows) == 14
    # Nothing recorded anywhere else: no actual, no payment, so nothing is earned but what awaits a reviewer.
    assert {row["score"] for name, row in rows.items()} == {"0.00"}
    assert {row["grade"] for row in rows.values()} == {"差"}
