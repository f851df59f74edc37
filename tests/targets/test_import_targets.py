"""import_targets: all or nothing, every error named with its row, no traceback."""

import io
import zipfile

import openpyxl
import pytest
from django.core.management import CommandError, call_command

from allocations.models import AllocationDocument
from targets.models import TableStatus, Target, TargetTable

NOTICE = "新财社〔2023〕74号"
COPY = "测试财社〔2023〕99号"
URUMQI = "乌鲁木齐市"


@pytest.fixture
def copy_document(notice_document):
    return AllocationDocument.objects.create(
        number=COPY, title="复制的分配文件", year=2023, fund=notice_document.fund, declared_total=0
    )


@pytest.fixture
def urumqi_workbook(notice_document, tmp_path):
    path = tmp_path / "urumqi.xlsx"
    call_command("export_targets", NOTICE, "--scope", URUMQI, "-o", str(path), stdout=io.StringIO())
    return path


def _edit(path, change):
    workbook = openpyxl.load_workbook(path)
    change(workbook.active)
    workbook.save(path)
    return path


def _row_of(sheet, wording):
    return next(row[0].row for row in sheet.iter_rows(min_row=9) if row[3].value == wording)


def _import(path, *extra, number=COPY, scope=URUMQI):
    out = io.StringIO()
    call_command("import_targets", str(path), "--document", number, "--scope", scope, *extra, stdout=out)
    return out.getvalue()


def _snapshot():
    return (
        list(TargetTable.objects.order_by("pk").values_list("pk", "document_id", "prefecture_id", "status", "version", "title")),
        list(Target.objects.order_by("pk").values_list("pk", "table_id", "wording", "raw_value", "indicator_id")),
    )


def _refused(path, *extra, **kwargs):
    before = _snapshot()
    with pytest.raises(CommandError) as refused:
        _import(path, *extra, **kwargs)
    assert _snapshot() == before, "a refused import wrote something"
    return str(refused.value)


def test_it_imports_a_table_into_a_document(copy_document, urumqi_workbook):
    output = _import(urumqi_workbook)

    table = TargetTable.objects.get(document=copy_document, prefecture__name=URUMQI)
    assert "已导入" in output and "26 项指标" in output
    assert table.status == TableStatus.DRAFT
    assert table.targets.count() == 26
    assert table.targets.filter(indicator__isnull=True).count() == 0
    assert table.targets.get(indicator__code="NEW_URBAN_JOBS").base_number == 103000


def test_it_refuses_a_file_that_is_not_a_workbook(copy_document, tmp_path):
    path = tmp_path / "targets.xlsx"
    path.write_text("三级指标,指标值\n城镇新增就业人数,103000\n", encoding="utf-8")

    message = _refused(path)

    assert "未写入任何数据" in message
    assert "文件不是有效的 Excel 工作簿（.xlsx）" in message
    assert "Traceback" not in message


def test_it_refuses_a_workbook_without_the_indicator_header_row(copy_document, urumqi_workbook):
    _edit(urumqi_workbook, lambda sheet: sheet.delete_rows(8))

    message = _refused(urumqi_workbook)

    assert "找不到指标表头行（绩效指标 / 一级指标 / 二级指标 / 三级指标 / 指标值）" in message


def test_it_names_the_row_of_a_missing_value(copy_document, urumqi_workbook):
    def blank(sheet):
        sheet.cell(row=_row_of(sheet, "城镇新增就业人数(人)"), column=5).value = None
        sheet.cell(row=_row_of(sheet, "公共就业服务满意度(%)"), column=5).value = "  "

    _edit(urumqi_workbook, blank)
    sheet = openpyxl.load_workbook(urumqi_workbook).active

    message = _refused(urumqi_workbook)

    assert "共 2 处错误" in message
    assert f"第{_row_of(sheet, '城镇新增就业人数(人)')}行 城镇新增就业人数(人)：缺少指标值" in message
    assert f"第{_row_of(sheet, '公共就业服务满意度(%)')}行 公共就业服务满意度(%)：缺少指标值" in message


def test_it_refuses_the_same_indicator_twice(copy_document, urumqi_workbook):
    def duplicate(sheet):
        sheet.cell(row=_row_of(sheet, "城镇调查失业率(%)"), column=4).value = "城镇新增就业人数（人）"

    _edit(urumqi_workbook, duplicate)
    sheet = openpyxl.load_workbook(urumqi_workbook).active
    first = _row_of(sheet, "城镇新增就业人数(人)")
    second = _row_of(sheet, "城镇新增就业人数（人）")

    message = _refused(urumqi_workbook)

    assert f"第{second}行 城镇新增就业人数（人）：与第{first}行是同一指标" in message


def test_it_refuses_an_existing_table_without_replace(notice_document, urumqi_workbook):
    message = _refused(urumqi_workbook, number=NOTICE)

    assert f"{NOTICE} {URUMQI} 的绩效目标表已存在。如需覆盖，请选择覆盖（--replace）。" in message


def test_it_replaces_a_draft_table_when_asked(notice_document, drafted_tables, urumqi_workbook):
    table = TargetTable.objects.get(document=notice_document, prefecture__name=URUMQI)
    _edit(urumqi_workbook, lambda sheet: setattr(sheet.cell(row=_row_of(sheet, "城镇新增就业人数(人)"), column=5), "value", 110000))

    _import(urumqi_workbook, "--replace", number=NOTICE)

    table.refresh_from_db()
    assert table.version == 2
    assert table.status == TableStatus.DRAFT  # imported by hand: a draft, unlike the notice's own (targets.reference)
    assert table.targets.count() == 26
    assert table.targets.get(indicator__code="NEW_URBAN_JOBS").raw_value == "110000"


def test_it_never_replaces_an_issued_table(notice_document, urumqi_workbook):
    message = _refused(urumqi_workbook, "--replace", number=NOTICE)

    assert "锁定" in message


def test_it_never_replaces_an_approved_table(notice_document, urumqi_workbook):
    TargetTable.objects.filter(document=notice_document, prefecture__name=URUMQI).update(status=TableStatus.APPROVED)

    message = _refused(urumqi_workbook, "--replace", number=NOTICE)

    assert f"{NOTICE} {URUMQI} 已审核通过并锁定" in message


def test_it_checks_everything_and_writes_nothing_on_a_dry_run(copy_document, urumqi_workbook):
    before = _snapshot()

    output = _import(urumqi_workbook, "--dry-run")

    assert "校验通过（未写入）" in output
    assert _snapshot() == before


def test_it_refuses_a_table_imported_under_another_prefectures_name(copy_document, urumqi_workbook):
    message = _refused(urumqi_workbook, scope="伊犁州")

    assert "表名“乌鲁木齐市就业补助资金转移支付绩效目标表”是乌鲁木齐市的表，与 --scope 伊犁州 不符" in message


def test_it_refuses_a_formula_in_place_of_a_value(copy_document, urumqi_workbook):
    def formula(sheet):
        sheet.cell(row=_row_of(sheet, "失业人员再就业人数(人)"), column=5).value = "=50000+5000"

    _edit(urumqi_workbook, formula)
    row = _row_of(openpyxl.load_workbook(urumqi_workbook).active, "失业人员再就业人数(人)")

    message = _refused(urumqi_workbook)

    assert f"第{row}行 指标值：是公式（=50000+5000），请改为数值或文字。" in message


def test_it_reports_an_unknown_document_scope_or_file_in_chinese(copy_document, urumqi_workbook, tmp_path):
    assert "找不到文号为 新财社〔2099〕1号 的分配文件" in _refused(urumqi_workbook, number="新财社〔2099〕1号")
    assert "范围“火星市”既不是“自治区”" in _refused(urumqi_workbook, scope="火星市")
    assert "无法打开文件" in _refused(tmp_path / "missing.xlsx")


def test_it_keeps_an_unknown_wording_unmapped_and_says_so(copy_document, urumqi_workbook):
    def rename(sheet):
        sheet.cell(row=_row_of(sheet, "公共就业服务满意度(%)"), column=4).value = "公共就业服务群众满意度(%)"

    _edit(urumqi_workbook, rename)

    output = _import(urumqi_workbook)

    assert "1 项未对应指标目录（公共就业服务群众满意度(%)）" in output
    target = Target.objects.get(table__document=copy_document, wording="公共就业服务群众满意度(%)")
    assert target.indicator is None and target.raw_value == "≥85%"


def test_it_refuses_a_damaged_workbook(copy_document, urumqi_workbook, tmp_path):
    damaged = tmp_path / "damaged.xlsx"
    with zipfile.ZipFile(urumqi_workbook) as source, zipfile.ZipFile(damaged, "w") as target:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                data = data[: len(data) // 2]  # cut off mid-sheet
            target.writestr(info, data)

    message = _refused(damaged)

    assert "工作簿已损坏，无法读取" in message
