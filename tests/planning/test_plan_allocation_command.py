"""plan_allocation against the notice (issue 16, done-when): the 小计 back exactly, 80,000 in whole 万元, the county split."""

import io
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command

from allocations.models import AllocationDocument, AllocationLine, DocumentStatus, PrefectureSubtotal
from allocations.issuing import issue
from core import clock
from tests.planning.sheets import notice_lines, notice_subtotals, subtotal_sheet, write

pytestmark = pytest.mark.django_db
NEW = "新财社〔2024〕1号"


def plan(tmp_path, total, *extra):
    stdout = io.StringIO()
    call_command("plan_allocation", "--total", str(total), "--factors", write(tmp_path, "f.xlsx", subtotal_sheet()),
                 "--document", NEW, *extra, stdout=stdout)
    return stdout.getvalue()


def printed_amounts(output):
    found = {}
    for line in output.splitlines():
        parts = line.split("\t")
        if len(parts) == 3 and parts[0] != "合计":
            found[parts[0]] = int(parts[2])
    return found


def test_it_reproduces_the_notices_14_subtotals_from_them_as_the_one_factor(reference_data, tmp_path):
    output = plan(tmp_path, 72988)

    expected = {name: int(amount) for name, amount in notice_subtotals()}
    assert printed_amounts(output) == expected
    document = AllocationDocument.objects.get(number=NEW)
    assert document.status == DocumentStatus.DRAFT
    assert dict(PrefectureSubtotal.objects.filter(document=document).values_list("prefecture__name", "declared_amount")) == expected
    # The same split of each 小计 over its counties as the notice itself: every county back.
    lines = dict(AllocationLine.objects.filter(document=document).values_list("county__name", "amount"))
    for counties in notice_lines().values():
        for county, amount in counties:
            assert lines[county] == amount, county


def test_it_gives_80000_as_14_whole_amounts_each_within_1_of_its_exact_share(reference_data, tmp_path):
    amounts = printed_amounts(plan(tmp_path, 80000))

    assert sum(amounts.values()) == 80000
    subtotals = dict(notice_subtotals())
    notice_total = sum(subtotals.values())
    for name, amount in amounts.items():
        exact = Decimal(80000) * subtotals[name] / notice_total
        assert abs(amount - exact) < 1, (name, amount, exact)
    assert len(amounts) == 14


def test_it_splits_80000_over_the_counties_in_the_notices_proportions_within_1_wan(reference_data, tmp_path):
    plan(tmp_path, 80000)

    document = AllocationDocument.objects.get(number=NEW)
    lines = dict(AllocationLine.objects.filter(document=document).values_list("county__name", "amount"))
    subtotals = dict(PrefectureSubtotal.objects.filter(document=document).values_list("prefecture__name", "declared_amount"))
    assert len(lines) == 100
    for prefecture, counties in notice_lines().items():
        before = sum(amount for _c, amount in counties)
        assert sum(lines[c] for c, _a in counties) == subtotals[prefecture]
        for county, amount in counties:
            exact = subtotals[prefecture] * amount / before
            assert abs(lines[county] - exact) < 1, (county, lines[county], exact)
            assert lines[county] == lines[county].to_integral_value()


def test_it_leaves_a_draft_that_the_existing_path_reconciles_and_issues(reference_data, tmp_path):
    plan(tmp_path, 80000)

    document = AllocationDocument.objects.get(number=NEW)
    assert document.reconciliation() == []
    issue(document)
    document.refresh_from_db()
    assert document.status == DocumentStatus.ISSUED
    # No --evaluation-year: the batch is this year's (its title says so, and the importer reads the year from it).
    assert document.year == clock.today().year


def test_it_writes_nothing_on_a_dry_run_and_prints_the_same_lines(reference_data, tmp_path):
    output = plan(tmp_path, 80000, "--dry-run")

    assert not AllocationDocument.objects.filter(number=NEW).exists()
    assert sum(printed_amounts(output).values()) == 80000
    assert "未写入" in output


def test_it_gives_the_same_result_for_the_same_inputs(reference_data, tmp_path):
    first = plan(tmp_path, 80001, "--dry-run")
    second = plan(tmp_path, 80001, "--dry-run")

    assert first == second


def test_it_refuses_a_document_number_already_taken_and_writes_nothing(reference_data, tmp_path):
    stdout = io.StringIO()
    with pytest.raises(CommandError, match="已存在"):
        call_command("plan_allocation", "--total", "80000", "--factors", write(tmp_path, "f.xlsx", subtotal_sheet()),
                     "--document", "新财社〔2023〕74号", stdout=stdout)
    assert AllocationDocument.objects.count() == 1
