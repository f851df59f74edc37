"""Every scoped model answers visible_to(user): an officer's rows are their prefecture's, region-wide roles see all.

The views ask only this; the change log places deleted rows by the same prefecture_paths.
"""

from datetime import date

import pytest

from allocations.models import AllocationLine, County, Prefecture, PrefectureSubtotal
from feedback.models import FeedbackLine, FeedbackReport
from feedback.workflow import open_report
from oversight.changelog import prefecture_q
from targets.models import Actual, Checkpoint, Target, TargetTable

pytestmark = pytest.mark.django_db

SCOPED = [Prefecture, County, PrefectureSubtotal, AllocationLine, TargetTable, Target, Actual, FeedbackReport, FeedbackLine]


@pytest.fixture
def rows_in_two_prefectures(notice_document):
    for name in ("乌鲁木齐市", "喀什地区"):
        prefecture = Prefecture.objects.get(name=name)
        open_report(prefecture, date(2023, 7, 1))
        table = TargetTable.objects.get(document=notice_document, prefecture=prefecture)
        Actual.objects.create(
            target=table.targets.order_by("position").first(), checkpoint=Checkpoint.YEAR_END, raw_value="1",
            deviation_reason="测试", improvement_measure="测试",
        )


def _prefectures_of(model, rows):
    path = model.prefecture_paths[0]
    return set(rows.values_list(f"{path}__name" if path else "name", flat=True))


@pytest.mark.parametrize("model", [m for m in SCOPED if hasattr(m.objects, "visible_to")], ids=lambda m: m.__name__)
def test_it_shows_an_officer_only_their_prefectures_rows(model, rows_in_two_prefectures, officer_urumqi):
    visible = model.objects.visible_to(officer_urumqi)
    assert visible.exists()
    assert _prefectures_of(model, visible) == {"乌鲁木齐市"}


@pytest.mark.parametrize("model", [m for m in SCOPED if hasattr(m.objects, "visible_to")], ids=lambda m: m.__name__)
def test_it_shows_region_wide_roles_every_row(model, rows_in_two_prefectures, auditor):
    assert model.objects.visible_to(auditor).count() == model.objects.count()
    assert {"乌鲁木齐市", "喀什地区"} <= _prefectures_of(model, model.objects.all())


def test_it_hides_a_draft_documents_targets_from_the_officer(rows_in_two_prefectures, notice_document, officer_urumqi):
    notice_document.status = "draft"
    notice_document.save(update_fields=["status"])
    assert not Target.objects.visible_to(officer_urumqi).exists()
    assert not Actual.objects.visible_to(officer_urumqi).exists()


def test_it_shows_an_officer_without_a_prefecture_nothing(rows_in_two_prefectures, officer_urumqi):
    officer_urumqi.prefecture = None
    for model in (FeedbackLine, Target, Actual, AllocationLine):
        assert not model.objects.visible_to(officer_urumqi).exists(), model


@pytest.mark.parametrize("model", SCOPED, ids=lambda m: m.__name__)
def test_it_places_history_rows_by_the_same_paths(model, rows_in_two_prefectures):
    urumqi = Prefecture.objects.get(name="乌鲁木齐市")
    history = model.history.model
    in_urumqi = history.objects.filter(prefecture_q(model, urumqi.pk))
    live_ids = set(model.objects.in_prefecture(urumqi.pk).values_list("pk", flat=True)) if hasattr(
        model.objects, "in_prefecture"
    ) else set(model.objects.filter(**{f"{model.prefecture_paths[0]}": urumqi}).values_list("pk", flat=True))
    # Bulk-loaded rows have no history: every history row found is a live row of 乌鲁木齐市.
    assert set(in_urumqi.values_list("id", flat=True)) <= live_ids
    if model in (FeedbackReport, FeedbackLine, Actual):  # written here, so with history
        assert in_urumqi.exists()
        kashgar = Prefecture.objects.get(name="喀什地区")
        assert not in_urumqi.filter(id__in=history.objects.filter(prefecture_q(model, kashgar.pk)).values("id")).exists()
