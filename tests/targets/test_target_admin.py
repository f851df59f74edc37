"""The targets admin: the auditor reads everything and writes nothing; an
approved table is read-only for everyone; the flat target import/export."""

from decimal import Decimal

import pytest
import tablib
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from targets.models import Actual, Checkpoint, Indicator, IndicatorAlias, TableStatus, Target, TargetTable
from targets.resources import TargetResource

# These tests follow a table from draft through review; the notice issues its tables (targets.reference).
pytestmark = pytest.mark.usefixtures("drafted_tables")

NOTICE = "新财社〔2023〕74号"
MODELS = (Indicator, IndicatorAlias, TargetTable, Target, Actual)
HISTORY_MODELS = (TargetTable, Target, Actual)
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
COLUMNS = ["文号", "范围", "一级指标", "二级指标", "三级指标", "指标值", "比较", "数值", "单位", "基本单位数值", "基本单位"]


def _name(model, page):
    return f"admin:targets_{model._meta.model_name}_{page}"


@pytest.fixture
def actual(notice_document):
    target = Target.objects.get(table__document=notice_document, table__prefecture__name="乌鲁木齐市", indicator__code="NEW_URBAN_JOBS")
    return Actual.objects.create(target=target, checkpoint=Checkpoint.MID_YEAR, raw_value="110000")


@pytest.fixture
def urumqi_table(notice_document):
    return TargetTable.objects.get(document=notice_document, prefecture__name="乌鲁木齐市")


def _rows():
    return {model: model.objects.order_by("pk").first() for model in MODELS}


def _counts():
    return {model: model.objects.count() for model in MODELS}


def test_it_gives_the_auditor_view_and_nothing_else_on_every_targets_model(auditor):
    codenames = set(
        Permission.objects.filter(group__user=auditor, content_type__app_label="targets").values_list("codename", flat=True)
    )

    for model in MODELS:
        name = model._meta.model_name
        assert f"view_{name}" in codenames
        assert not {f"add_{name}", f"change_{name}", f"delete_{name}"} & codenames
    assert {"view_historicaltarget", "view_historicaltargettable", "view_historicalactual"} <= codenames


def test_it_lets_the_auditor_browse_every_targets_page(auditor, actual, client_for):
    client = client_for(auditor)

    for model, row in _rows().items():
        assert client.get(reverse(_name(model, "changelist"))).status_code == 200, model
        assert client.get(reverse(_name(model, "change"), args=[row.pk])).status_code == 200, model
    for model in HISTORY_MODELS:
        row = model.objects.order_by("pk").first()
        assert client.get(reverse(_name(model, "history"), args=[row.pk])).status_code == 200, model
    assert client.get(reverse("admin:targets_target_export")).status_code == 200


def test_it_refuses_every_write_by_the_auditor(auditor, actual, client_for):
    client = client_for(auditor)
    before = _counts()

    for model, row in _rows().items():
        assert client.post(reverse(_name(model, "change"), args=[row.pk]), {}).status_code == 403, model
        assert client.post(reverse(_name(model, "add")), {}).status_code == 403, model
        assert client.post(reverse(_name(model, "delete"), args=[row.pk]), {"post": "yes"}).status_code == 403, model
    for model in HISTORY_MODELS:
        row = model.objects.order_by("pk").first()
        version = row.history.order_by("history_id").first()
        url = reverse(_name(model, "simple_history"), args=[row.pk, version.history_id])
        # simple_history alone would save this "revert" for a mere viewer.
        assert client.post(url, {}).status_code == 403, model

    assert _counts() == before


def test_it_keeps_the_target_import_from_the_auditor(auditor, client_for):
    client = client_for(auditor)
    url = reverse("admin:targets_target_import")

    assert client.get(url).status_code == 403
    assert client.post(url, {"format": "0", "resource": "0"}).status_code == 403
    assert url not in client.get(reverse("admin:targets_target_changelist")).content.decode()


def test_it_shows_an_approved_table_read_only_even_to_the_region_admin(region_admin, urumqi_table, client_for):
    urumqi_table.status = TableStatus.APPROVED
    urumqi_table.save()
    target = urumqi_table.targets.order_by("position").first()
    client = client_for(region_admin)

    page = client.get(reverse("admin:targets_targettable_change", args=[urumqi_table.pk]))

    assert page.status_code == 200
    assert 'name="targets-0-raw_value"' not in page.content.decode()  # the rows are shown, not offered for editing
    assert "享受职业技能培训补贴人员数量(万人次)" in page.content.decode()
    assert client.post(reverse("admin:targets_targettable_change", args=[urumqi_table.pk]), {}).status_code == 403
    assert client.post(reverse("admin:targets_target_change", args=[target.pk]), {}).status_code == 403
    assert client.post(reverse("admin:targets_target_delete", args=[target.pk]), {"post": "yes"}).status_code == 403
    version = target.history.first()
    assert client.post(reverse("admin:targets_target_simple_history", args=[target.pk, version.history_id]), {}).status_code == 403
    assert urumqi_table.targets.count() == 26


def test_it_lets_the_region_admin_edit_a_draft_tables_target(region_admin, urumqi_table, client_for):
    target = urumqi_table.targets.get(indicator__code="NEW_URBAN_JOBS")
    url = reverse("admin:targets_target_change", args=[target.pk])
    data = {"table": urumqi_table.pk, "indicator": target.indicator_id, "wording": target.wording, "raw_value": "≥110000", "position": target.position}

    client = client_for(region_admin)
    table_page = client.get(reverse("admin:targets_targettable_change", args=[urumqi_table.pk])).content.decode()

    response = client.post(url, data)

    assert 'name="targets-0-raw_value"' in table_page
    assert response.status_code == 302
    target.refresh_from_db()
    assert (target.raw_value, target.operator, target.base_number) == ("≥110000", ">=", 110000)


def test_it_refuses_a_second_target_for_an_indicator_in_the_admin(region_admin, urumqi_table, client_for):
    data = {"table": urumqi_table.pk, "indicator": "", "wording": "城镇新增就业人数（人）", "raw_value": "1", "position": 99}

    response = client_for(region_admin).post(reverse("admin:targets_target_add"), data)

    assert response.status_code == 200
    assert "已有指标“城镇新增就业人数”" in response.content.decode()
    assert urumqi_table.targets.count() == 26


def _dataset(*rows):
    return tablib.Dataset(*rows, headers=["文号", "范围", "三级指标", "指标值"])


def test_it_exports_targets_flat_with_their_typed_reading(notice_document):
    dataset = TargetResource().export(Target.objects.filter(table__document=notice_document))

    assert dataset.headers == COLUMNS
    assert len(dataset) == 386
    row = next(r for r in dataset.dict if r["范围"] == "乌鲁木齐市" and r["三级指标"] == "享受职业技能培训补贴人员数量(万人次)")
    assert [row[c] for c in COLUMNS] == [NOTICE, "乌鲁木齐市", "产出指标", "数量指标", "享受职业技能培训补贴人员数量(万人次)", "12.3", "不低于", Decimal("12.3"), "万人次", Decimal("123000"), "人次"]
    region = next(r for r in dataset.dict if r["范围"] == "自治区" and r["三级指标"] == "年末高校毕业生总体就业率")
    assert (region["指标值"], region["比较"], region["数值"]) == ("保持稳定", "文字（不可量化）", "")


def test_it_imports_flat_rows_by_natural_key(urumqi_table):
    result = TargetResource().import_data(
        _dataset(
            [NOTICE, "乌鲁木齐市", "城镇新增就业人数（人）", 110000.0],
            [NOTICE, "乌鲁木齐市", "新型就业形态劳动者培训人数(人)", 800],
        ),
        dry_run=False,
    )

    assert not result.has_errors() and not result.has_validation_errors()
    assert urumqi_table.targets.count() == 27
    # Found through the catalogue although spelled with full-width brackets; the new spelling is kept.
    updated = urumqi_table.targets.get(indicator__code="NEW_URBAN_JOBS")
    assert (updated.wording, updated.raw_value, updated.base_number) == ("城镇新增就业人数（人）", "110000", 110000)
    added = urumqi_table.targets.get(wording="新型就业形态劳动者培训人数(人)")
    assert (added.indicator, added.raw_value, added.position, added.base_unit) == (None, "800", 27, "人")


def test_it_refuses_flat_rows_for_an_approved_or_unknown_table(urumqi_table):
    urumqi_table.status = TableStatus.APPROVED
    urumqi_table.save()
    before = list(Target.objects.order_by("pk").values_list("pk", "raw_value"))

    result = TargetResource().import_data(
        _dataset(
            [NOTICE, "乌鲁木齐市", "城镇新增就业人数(人)", "1"],
            [NOTICE, "火星市", "城镇新增就业人数(人)", "1"],
            ["新财社〔2099〕1号", "自治区", "城镇新增就业人数", "1"],
            [NOTICE, "自治区", "城镇新增就业人数", ""],
        ),
        dry_run=False,
    )

    errors = {row.number: " ".join(row.error.messages) for row in result.invalid_rows}
    assert "已审核通过并锁定" in errors[1]
    assert "范围“火星市”既不是“自治区”" in errors[2]
    assert "找不到文号为 新财社〔2099〕1号 的分配文件" in errors[3]
    assert "缺少指标值" in errors[4]
    assert list(Target.objects.order_by("pk").values_list("pk", "raw_value")) == before


def test_it_imports_an_xlsx_of_targets_through_the_admin(region_admin, urumqi_table, client_for):
    dataset = _dataset([NOTICE, "乌鲁木齐市", "城镇新增就业人数(人)", 104000], [NOTICE, "乌鲁木齐市", "享受职业技能培训补贴人员数量(万人次)", 12.5])
    upload = SimpleUploadedFile("targets.xlsx", dataset.export("xlsx"), content_type=XLSX_TYPE)
    client = client_for(region_admin)

    preview = client.post(reverse("admin:targets_target_import"), {"import_file": upload, "format": "0", "resource": "0"})
    assert preview.status_code == 200
    assert not preview.context["result"].has_errors() and not preview.context["result"].has_validation_errors()
    confirmed = client.post(reverse("admin:targets_target_process_import"), preview.context["confirm_form"].initial)

    assert confirmed.status_code == 302
    values = dict(urumqi_table.targets.filter(indicator__code__in=["NEW_URBAN_JOBS", "TRAINING_RECIPIENTS"]).values_list("indicator__code", "raw_value"))
    assert values == {"NEW_URBAN_JOBS": "104000", "TRAINING_RECIPIENTS": "12.5"}
    assert urumqi_table.targets.count() == 26
    assert urumqi_table.targets.get(indicator__code="TRAINING_RECIPIENTS").history.count() == 2


@pytest.mark.parametrize("revert_disabled, status, value", [(True, 403, "103000"), (False, 302, "1")])
def test_it_lets_the_region_admin_revert_a_draft_target_only_when_reverting_is_on(
    revert_disabled, status, value, region_admin, urumqi_table, client_for, settings
):
    settings.SIMPLE_HISTORY_REVERT_DISABLED = revert_disabled
    target = urumqi_table.targets.get(indicator__code="NEW_URBAN_JOBS")
    version = target.history.first()
    url = reverse("admin:targets_target_simple_history", args=[target.pk, version.history_id])
    data = {"table": urumqi_table.pk, "indicator": target.indicator_id, "wording": target.wording, "raw_value": "1", "position": 1}

    response = client_for(region_admin).post(url, data)

    assert response.status_code == status
    target.refresh_from_db()
    assert target.raw_value == value
