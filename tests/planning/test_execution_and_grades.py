"""The inputs read for --evaluation-year (planning/inputs.py): year-end unspent shares from the treasury, grades from evaluation."""

import datetime
import io
from decimal import Decimal

import pytest

from allocations.models import Prefecture
from planning import inputs
from planning.adjustments import EXECUTION, GRADE
from planning.service import run
from tests.planning.sheets import subtotal_sheet
from treasury.models import PaymentSummary

pytestmark = pytest.mark.django_db


def paid(prefecture, wan, month=12, year=2023):
    from allocations.models import AllocationDocument

    PaymentSummary.objects.create(
        document=AllocationDocument.objects.get(number="新财社〔2023〕74号"),
        prefecture=Prefecture.objects.get(name=prefecture),
        county=None,
        use="",
        month=datetime.date(year, month, 1),
        paid_fen=int(Decimal(wan) * 1_000_000),
        payments=1,
    )


def test_it_reads_each_prefectures_unspent_share_at_year_end(reference_data):
    paid("乌鲁木齐市", 4147)  # half of 8,294
    paid("喀什地区", 13342 * 0.8)
    paid("喀什地区", 1000, year=2024, month=1)  # paid after the year: still unspent at its end

    shares = inputs.unspent_shares(2023)

    assert shares["乌鲁木齐市"] == Decimal("0.5")
    assert shares["喀什地区"] == Decimal("0.2")
    assert shares["和田地区"] == Decimal(1)


def test_it_reads_no_unspent_shares_without_any_payment(reference_data):
    assert inputs.unspent_shares(2023) == {}


def test_it_cuts_the_slow_spenders_and_says_so_when_planning_with_an_evaluation_year(reference_data):
    for name, subtotal in (("乌鲁木齐市", 8294), ("喀什地区", 13342)):
        paid(name, subtotal * Decimal("0.9"))

    result = run("80000", io.BytesIO(subtotal_sheet()), evaluation_year=2023)

    by_name = {p.name: p for p in result.plan.prefectures}
    assert [a.kind for a in by_name["乌鲁木齐市"].adjusted.adjustments] == []
    assert [a.kind for a in by_name["和田地区"].adjusted.adjustments] == [EXECUTION]
    assert "年末结余率 100.00% 超过 30%" in by_name["和田地区"].adjusted.adjustments[0].reason
    assert sum(p.amount for p in result.plan.prefectures) == 80000
    # Those who spent gain from the others' cuts after renormalising.
    assert by_name["乌鲁木齐市"].amount > Decimal(80000) * 8294 / 72988
    assert any("绩效评价" in note for note in result.notes)


def test_it_takes_the_evaluations_grades_by_prefecture_name(reference_data, monkeypatch):
    urumqi = Prefecture.objects.get(name="乌鲁木齐市")
    kashgar = Prefecture.objects.get(name="喀什地区")
    monkeypatch.setattr(inputs, "grades_for", lambda document, year: {urumqi.pk: "excellent", kashgar.pk: "poor"})

    assert inputs.grades(2023) == {"乌鲁木齐市": "优", "喀什地区": "差"}
    result = run("80000", io.BytesIO(subtotal_sheet()), evaluation_year=2023)
    by_name = {p.name: p for p in result.plan.prefectures}
    assert [a.kind for a in by_name["乌鲁木齐市"].adjusted.adjustments] == [GRADE]
    assert by_name["喀什地区"].adjusted.adjustments[0].amount < 0


def test_it_finds_no_grades_for_a_year_without_a_regional_document(reference_data):
    assert inputs.grades(2031) == {}
