"""generate_national_data: synthetic national-scale data, with tiny knobs here."""

import hashlib
from datetime import date
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db.models import Sum
from django.urls import reverse
from django.utils import timezone

from allocations.models import (
    AllocationDocument,
    AllocationLine,
    County,
    DocumentStatus,
    Prefecture,
    PrefectureSubtotal,
    Province,
)
from allocations.reconcile import reconcile_document
from national.plan import make_plan
from feedback.models import FeedbackLine, FeedbackReport, ReportStatus
from feedback.schedule import month_end
from feedback.validation import report_errors
from feedback.workflow import previous_accepted_spent
from targets.models import Indicator, Target, TargetTable
from targets.rollup import RollupVerdict, rollup

KNOBS = dict(provinces=2, prefectures_per_province=2, counties_per_prefecture=3, years=2, documents_per_year=3)
NOTICE = "新财社〔2023〕74号"


def generate(**options):
    out = StringIO()
    call_command("generate_national_data", **{**KNOBS, **options}, stdout=out)
    return out.getvalue()


def generated_documents():
    return AllocationDocument.objects.filter(number__startswith="国模〔")


def generated_prefectures():
    return Prefecture.objects.filter(province__code__startswith="N")


def digest():
    """Everything generated, by natural keys only (ids and timestamps of the run aside)."""
    parts = [
        list(Province.objects.filter(code__startswith="N").order_by("code").values_list("code", "name", "position")),
        list(generated_prefectures().order_by("position").values_list("name", "province__code", "position")),
        list(County.objects.filter(prefecture__in=generated_prefectures()).order_by("prefecture__position", "position")
             .values_list("prefecture__name", "name", "kind")),
        list(generated_documents().order_by("number").values_list("number", "title", "issued_on", "declared_total")),
        list(AllocationLine.objects.filter(document__in=generated_documents()).order_by("document__number", "position")
             .values_list("document__number", "county__name", "amount")),
        list(FeedbackReport.objects.filter(prefecture__in=generated_prefectures()).order_by("prefecture__position", "month")
             .values_list("prefecture__name", "month", "status", "on_time", "submitted_at", "return_reason")),
        list(FeedbackLine.objects.filter(report__prefecture__in=generated_prefectures())
             .order_by("report__prefecture__position", "report__month", "position")
             .values_list("document_number", "amount", "spent", "uses", "reason", "measure_deadline")),
        list(Target.objects.filter(table__document__in=generated_documents())
             .order_by("table__document__number", "table__prefecture__position", "position")
             .values_list("table__prefecture__name", "wording", "raw_value")),
    ]
    return hashlib.sha256(repr(parts).encode()).hexdigest()


def notice_snapshot():
    notice = AllocationDocument.objects.get(number=NOTICE)
    return (
        notice.declared_total,
        notice.status,
        sorted(notice.lines.values_list("county__prefecture__name", "county__name", "amount", "position")),
        sorted(notice.subtotals.values_list("prefecture__name", "declared_amount")),
        sorted(Prefecture.objects.exclude(province__code__startswith="N").values_list("name", "position", "province__name")),
        sorted(TargetTable.objects.filter(document=notice).values_list("title", "status")),
        Target.objects.filter(table__document=notice).count(),
    )


def test_it_plans_the_same_country_for_the_same_seed():
    assert make_plan(seed=7, **KNOBS) == make_plan(seed=7, **KNOBS)
    assert make_plan(seed=7, **KNOBS) != make_plan(seed=8, **KNOBS)


def test_it_plans_the_national_scale_by_default():
    plan = make_plan()

    assert (len(plan.provinces), len(plan.prefectures), plan.county_count) == (31, 330, 2900)
    assert len(plan.documents) * plan.county_count >= 500_000
    assert len({p.name for p in plan.prefectures}) == 330


def test_it_creates_what_the_knobs_ask_for(reference_data):
    output = generate()

    documents = generated_documents()
    assert generated_prefectures().count() == 4
    assert County.objects.filter(prefecture__in=generated_prefectures()).count() == 12
    assert documents.count() == 6
    assert PrefectureSubtotal.objects.filter(document__in=documents).count() == 6 * 4
    assert AllocationLine.objects.filter(document__in=documents).count() == 6 * 12
    assert set(documents.values_list("status", "direct_mark", "parent", "issuer").distinct()) == {
        (DocumentStatus.ISSUED, "01 中央直达资金", None, None)
    }
    assert set(documents.values_list("fund__name", flat=True)) == {"就业补助资金"}
    # One target table per prefecture and one for the issuing level, on each year's first document.
    tables = TargetTable.objects.filter(document__in=documents)
    assert tables.count() == 2 * (4 + 1)
    assert Target.objects.filter(table__in=tables).count() == tables.count() * Indicator.objects.count()
    assert "分配明细：72" in output


def test_it_lists_in_a_report_the_documents_of_its_year_so_far_and_of_the_year_before(reference_data):
    generate()

    issued = list(generated_documents().values_list("number", "issued_on", "year"))
    reports = FeedbackReport.objects.filter(prefecture__in=generated_prefectures())
    assert reports.exists()
    for report in reports:
        expected = {
            number for number, issued_on, year in issued
            if year == report.month.year - 1 or (year == report.month.year and issued_on <= month_end(report.month))
        }
        assert set(report.lines.values_list("document_number", flat=True)) == expected
        subtotals = dict(PrefectureSubtotal.objects.filter(prefecture=report.prefecture).values_list("document__number", "declared_amount"))
        assert all(line.amount == subtotals[line.document_number] for line in report.lines.all())


def test_it_gives_the_same_data_for_the_same_seed_and_other_data_for_another(reference_data):
    generate(seed=11)
    first = digest()

    generate(seed=11, replace=True)
    assert digest() == first

    generate(seed=12, replace=True)
    assert digest() != first


def test_it_reconciles_every_document(reference_data):
    generate()

    for document in generated_documents():
        assert reconcile_document(document) == []
        assert document.declared_total == document.lines.aggregate(total=Sum("amount"))["total"]


def test_it_makes_the_prefecture_targets_add_up_to_the_issuing_level(reference_data):
    generate()

    for document in generated_documents().filter(batch=1):
        verdicts = {line.indicator.code: line.verdict for line in rollup(document).lines}
        assert RollupVerdict.SHORTFALL not in verdicts.values()
        assert verdicts["NEW_URBAN_JOBS"] == verdicts["TRAINING_RECIPIENTS"] == RollupVerdict.CONSISTENT


def test_it_writes_only_what_the_models_and_the_workflow_accept(reference_data):
    generate()

    prefectures = generated_prefectures()
    documents = generated_documents()
    objects = [
        *Province.objects.filter(code__startswith="N"), *prefectures, *County.objects.filter(prefecture__in=prefectures),
        *documents, *PrefectureSubtotal.objects.filter(document__in=documents),
        *AllocationLine.objects.filter(document__in=documents),
        *FeedbackReport.objects.filter(prefecture__in=prefectures),
        *FeedbackLine.objects.filter(report__prefecture__in=prefectures),
        *TargetTable.objects.filter(document__in=documents), *Target.objects.filter(table__document__in=documents),
    ]
    for obj in objects:
        obj.full_clean()
    for target in Target.objects.filter(table__document__in=documents).select_related("indicator"):
        stored = (target.operator, target.number, target.unit, target.base_number, target.base_unit)
        target.derive()
        assert (target.operator, target.number, target.unit, target.base_number, target.base_unit) == stored
    for report in FeedbackReport.objects.filter(prefecture__in=prefectures):
        lines = list(report.lines.select_related("report").order_by("position"))
        submitted = report.status != ReportStatus.DRAFT
        assert report_errors(lines, previous_accepted_spent(report), submitting=submitted) == [], report
        assert all(line.spent is None or line.spent <= line.amount for line in lines)
        assert (report.submitted_at is not None) == submitted
        if submitted:
            assert report.on_time == (timezone.localdate(report.submitted_at) <= report.due_date)
        if report.status in (ReportStatus.ACCEPTED, ReportStatus.RETURNED):
            assert report.reviewed_at > report.submitted_at
        assert bool(report.return_reason) == (report.status == ReportStatus.RETURNED)


def test_it_leaves_the_notice_data_unchanged(reference_data):
    before = notice_snapshot()

    generate()
    generate(replace=True, seed=3)

    assert notice_snapshot() == before
    notice = AllocationDocument.objects.get(number=NOTICE)
    assert notice.declared_total == 72988
    assert Prefecture.objects.exclude(province__code__startswith="N").count() == 14
    assert set(notice.subtotals.values_list("prefecture__province__name", flat=True)) == {"新疆维吾尔自治区"}


def test_it_refuses_a_second_run_without_replace(reference_data):
    generate()
    before = digest()

    with pytest.raises(CommandError, match="--replace"):
        generate()

    assert digest() == before


def test_it_replaces_only_generated_data(reference_data):
    generate(seed=1)

    output = generate(seed=2, replace=True)

    # Exactly the second seed's country, nothing left of the first.
    assert set(generated_prefectures().values_list("name", flat=True)) == {p.name for p in make_plan(seed=2, **KNOBS).prefectures}
    assert Province.objects.count() == 1 + 2
    assert AllocationDocument.objects.count() == 1 + 6
    assert FeedbackLine.objects.exclude(report__prefecture__in=generated_prefectures()).count() == 0
    assert "已删除以前生成的数据" in output


def test_it_asks_for_the_reference_data_first(empty_database):
    with pytest.raises(CommandError, match="load_reference_data"):
        generate()


def test_it_renders_pages_of_a_generated_prefecture_that_has_no_officer(reference_data, region_admin, client_for):
    generate()
    client = client_for(region_admin)
    prefecture = generated_prefectures().order_by("position").first()
    document = generated_documents().order_by("-issued_on").first()
    report = FeedbackReport.objects.filter(prefecture=prefecture, status=ReportStatus.SUBMITTED).first() or \
        FeedbackReport.objects.filter(prefecture=prefecture).order_by("-month").first()
    last_year = document.year

    pages = [
        reverse("home"),
        reverse("feedback:completeness") + f"?year={last_year}",
        reverse("feedback:overdue"),
        reverse("feedback:review_queue"),
        reverse("feedback:report_detail", args=[report.pk]),
        reverse("allocations:prefecture_detail", args=[prefecture.pk]),
        reverse("allocations:document_detail", args=[document.pk]),
        reverse("oversight:object_history", args=["allocations", "allocationdocument", document.pk]),
        reverse("oversight:changelog"),
    ]
    for url in pages:
        assert client.get(url).status_code == 200, url
    grid = client.get(reverse("feedback:completeness") + f"?year={last_year}").content.decode()
    assert prefecture.name in grid


def test_it_starts_the_reports_with_the_first_document(reference_data):
    generate()

    first_issue = generated_documents().order_by("issued_on").first().issued_on
    first_month = FeedbackReport.objects.filter(prefecture__in=generated_prefectures()).order_by("month").first().month
    assert first_month == date(first_issue.year, first_issue.month, 1)
