"""附件2 workbooks: the official layout on export, and every table reading back unchanged."""

import io
import json

import openpyxl
import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from openpyxl import Workbook

from allocations.models import AllocationDocument, Prefecture
from targets.importing import HEADER_FIELDS
from targets.models import REGION_SCOPE, Target, TargetTable
from targets.workbook.reader import cell_text, read_workbook

NOTICE = "新财社〔2023〕74号"
COPY = "测试财社〔2023〕99号"
HEADER_ROW = ["绩效指标", "一级指标", "二级指标", "三级指标", "指标值"]


def _export(tmp_path, scope, number=NOTICE):
    path = tmp_path / f"{scope}.xlsx"
    call_command("export_targets", number, "--scope", scope, "-o", str(path), stdout=io.StringIO())
    return path


def _sheet(path):
    return openpyxl.load_workbook(path).active


def _target_rows(sheet):
    return [row for row in sheet.iter_rows(min_row=9, values_only=True)]


def _merged(sheet):
    return {str(cell_range) for cell_range in sheet.merged_cells.ranges}


def _row_of(sheet, wording):
    return next(row[0].row for row in sheet.iter_rows(min_row=9) if row[3].value == wording)


def _merge_covering(sheet, column_letter, row):
    for cell_range in sheet.merged_cells.ranges:
        if cell_range.min_col == cell_range.max_col == openpyxl.utils.column_index_from_string(column_letter):
            if cell_range.min_row <= row <= cell_range.max_row:
                return cell_range
    return None


@pytest.fixture
def copy_document(notice_document):
    return AllocationDocument.objects.create(
        number=COPY, title="复制的分配文件", year=2023, fund=notice_document.fund, declared_total=0
    )


def test_it_exports_the_region_table_in_the_official_layout(notice_document, tmp_path):
    sheet = _sheet(_export(tmp_path, REGION_SCOPE))

    assert sheet["A1"].value == "自治区就业补助资金转移支付绩效目标表"
    assert sheet["A2"].value == "(2023年度)"
    assert [sheet["A3"].value, sheet["B3"].value] == ["资金名称", "就业补助资金"]
    assert [sheet[f"{c}4"].value for c in "ABDE"] == ["省级主管部门", "新疆维吾尔自治区人力资源和社会保障厅", "实施期", "2023年"]
    assert [sheet[f"{c}5"].value for c in "ABDE"] == [
        "地(州、市)级财政部门", "地(州、市)财政局", "地(州、市)级主管部门", "地(州、市)人社局",
    ]
    assert [sheet["A6"].value, sheet["B6"].value] == ["总体目标", "年度目标"]
    assert sheet["B7"].value.startswith("目标1: 资金按规定用于职业培训补贴")
    assert [c.value for c in sheet[8]] == HEADER_ROW
    rows = _target_rows(sheet)
    assert len(rows) == 26
    assert rows[0][1:] == ("产出指标", "数量指标", "享受职业培训补贴人员数量", "超过80万人次")
    assert rows[-1][3:] == ("就业扶持政策经办服务满意度", "≥90%")
    assert {"A1:E1", "A2:E2", "B3:E3", "B4:C4", "B5:C5", "A6:A7", "B6:E6", "B7:E7", "A8:A34"} <= _merged(sheet)
    # 产出指标 over its 15 rows, 数量指标 over 7, 质量 over 6, 时效 over 2.
    assert {"B9:B23", "C9:C15", "C16:C21", "C22:C23", "B24:B25", "C24:C25", "B26:B32", "B33:B34"} <= _merged(sheet)


def test_it_exports_a_prefecture_table_with_values_exactly_as_stored(notice_document, tmp_path):
    sheet = _sheet(_export(tmp_path, "乌鲁木齐市"))

    assert sheet["A1"].value == "乌鲁木齐市就业补助资金转移支付绩效目标表"
    assert [sheet["A4"].value, sheet["B4"].value, sheet["D4"].value] == ["自治区主管部门", "新疆维吾尔自治区人力资源和社会保障厅", None]
    assert "B4:E4" in _merged(sheet)  # no 实施期 on a prefecture's table
    assert [sheet[f"{c}5"].value for c in "ABDE"] == ["各地财政部门", "乌鲁木齐市财政局", "各地主管部门", "乌鲁木齐市人社局"]
    assert sheet["B6"].value == "年度及实施期目标"
    rows = _target_rows(sheet)
    assert len(rows) == 26
    values = {row[3]: row[4] for row in rows}
    # Text, not numbers: "12.3" must not come back as 12.3 or 12.300000000000001.
    assert values["享受职业技能培训补贴人员数量(万人次)"] == "12.3"
    assert values["享受社会保险补贴人员数量(人)"] == "70000"
    assert values["国家级大师工作室建设数量(个)"] == "以自治区最终评审文件为准"
    assert sheet.cell(row=_row_of(sheet, "享受社会保险补贴人员数量(人)"), column=5).data_type == "s"


def test_it_places_rows_under_the_catalogues_levels_not_where_the_notice_text_shifted_them(notice_document, tmp_path):
    # In the notice's text 求职创业补贴发放准确率 sits under 时效指标 and
    # 补贴资金在规定时间内支付到位率 under 成本指标; both belong elsewhere.
    sheet = _sheet(_export(tmp_path, "乌鲁木齐市"))

    accuracy = _merge_covering(sheet, "C", _row_of(sheet, "求职创业补贴发放准确率(%)"))
    paid_on_time = _merge_covering(sheet, "C", _row_of(sheet, "补贴资金在规定时间内支付到位率(%)"))
    standard = _row_of(sheet, "公益性岗位补贴人均标准")

    assert sheet.cell(row=accuracy.min_row, column=3).value == "质量指标"
    assert sheet.cell(row=paid_on_time.min_row, column=3).value == "时效指标"
    assert sheet.cell(row=_merge_covering(sheet, "B", standard).min_row, column=2).value == "成本指标"


def test_it_puts_an_unmapped_wording_last_under_an_empty_level(notice_document, tmp_path):
    table = TargetTable.objects.get(document=notice_document, prefecture__name="乌鲁木齐市")
    Target.objects.create(table=table, wording="新型就业形态劳动者培训人数(人)", raw_value="800", position=0)

    rows = _target_rows(_sheet(_export(tmp_path, "乌鲁木齐市")))

    assert len(rows) == 27
    assert rows[-1][1:] == (None, None, "新型就业形态劳动者培训人数(人)", "800")


def test_it_writes_a_value_that_looks_like_a_formula_as_text(notice_document, copy_document, tmp_path):
    table = TargetTable.objects.get(document=notice_document, prefecture__name="哈密市")
    target = table.targets.get(indicator__code="PUBLIC_JOB_SUBSIDY_STANDARD")
    target.raw_value = "=HYPERLINK(\"http://example.com\",\"点此\")"
    target.save()

    path = _export(tmp_path, "哈密市")
    cell = _sheet(path).cell(row=_row_of(_sheet(path), target.wording), column=5)
    call_command("import_targets", str(path), "--document", COPY, "--scope", "哈密市", stdout=io.StringIO())

    assert cell.data_type == "s" and cell.value == target.raw_value
    assert Target.objects.get(table__document=copy_document, wording=target.wording).raw_value == target.raw_value


def _scopes():
    path = settings.BASE_DIR / "fixtures" / "targets_xincaishe_2023_74.json"
    return [table["scope"] for table in json.loads(path.read_text(encoding="utf-8"))["tables"]]


def _prefecture(scope):
    return None if scope == REGION_SCOPE else Prefecture.objects.get(name=scope)


def test_it_imports_every_exported_table_back_unchanged(notice_document, copy_document, tmp_path):
    scopes = _scopes()
    compared = 0
    for scope in scopes:
        call_command(
            "import_targets", str(_export(tmp_path, scope)), "--document", COPY, "--scope", scope, stdout=io.StringIO()
        )
        original = TargetTable.objects.get(document=notice_document, prefecture=_prefecture(scope))
        copy = TargetTable.objects.get(document=copy_document, prefecture=_prefecture(scope))

        def header(table):
            return {name: getattr(table, name) for name in HEADER_FIELDS}

        def rows(table):
            return sorted(table.targets.values_list("wording", "raw_value", "indicator_id", "operator", "base_number"))

        assert header(copy) == header(original), scope
        assert rows(copy) == rows(original), scope
        compared += len(rows(copy))

    assert len(scopes) == 15
    assert compared == 386


def test_it_refuses_an_unknown_document_or_scope_in_chinese(notice_document, tmp_path):
    with pytest.raises(CommandError, match="找不到文号为 新财社〔2099〕1号 的分配文件"):
        _export(tmp_path, REGION_SCOPE, number="新财社〔2099〕1号")
    with pytest.raises(CommandError, match="范围“火星市”既不是“自治区”，也不是地（州、市）名称"):
        _export(tmp_path, "火星市")


def _quirky_workbook():
    """A hand-made 附件2: decoration rows, full-width labels, blank level
    cells, numbers typed as numbers, a page break, a shifted row."""
    workbook = Workbook()
    sheet = workbook.active
    for row in [
        ["附件2"],
        [],
        ["　伊犁州就业补助资金转移支付绩效目标表　"],
        ["（2023年度）"],
        ["资金名称", None, "就业补助资金"],
        ["自治区主管部门", "新疆维吾尔自治区人力资源和社会保障厅"],
        ["各地财政部门", "伊犁州财政局", None, "各地主管部门", "伊犁州人社局"],
        ["总体目标", "年度及实施期目标"],
        [None, "目标1：资金按规定使用。"],
        [None, "目标2：确保完成年度城镇新增就业目标任务。"],
        ["绩效指标", "一级指标", "二级指标", "三级指标", "指标值"],
        [None, "产出指标", "数量指标", "享受职业技能培训补贴人员数量（万人次）", 19.3],
        [None, None, None, "享受社会保险补贴人员数量(人)", 28000],
        [],
        [None, None, None, "享受公益性岗位补贴人员数量(人)", 5000.0],
        ["伊犁州就业补助资金转移支付绩效目标表"],
        ["绩效指标", "一级指标", "二级指标", "三级指标", "指标值"],
        [None, "成本指标", "补贴资金在规定时间内支付到位率(%)", "≥98%"],
        [None, None, None, "  城镇调查失业率(%)\u00a0", "5.5%以内"],
        ["填表人：张三"],
    ]:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    return buffer


def test_it_reads_a_hand_made_workbook_with_the_usual_quirks():
    result = read_workbook(_quirky_workbook())

    assert result.errors == []
    assert result.header["title"] == "伊犁州就业补助资金转移支付绩效目标表"
    assert result.header["year_label"] == "（2023年度）"
    assert result.header["fund_name"] == "就业补助资金"
    assert (result.header["authority_label"], result.header["authority"]) == ("自治区主管部门", "新疆维吾尔自治区人力资源和社会保障厅")
    assert (result.header["finance_department"], result.header["local_department"]) == ("伊犁州财政局", "伊犁州人社局")
    assert result.header["period_label"] == result.header["period"] == ""
    assert result.header["goal_heading"] == "年度及实施期目标"
    assert result.header["goal_text"] == "目标1：资金按规定使用。\n目标2：确保完成年度城镇新增就业目标任务。"
    assert [(row.row, row.wording, row.raw_value) for row in result.rows] == [
        (12, "享受职业技能培训补贴人员数量（万人次）", "19.3"),
        (13, "享受社会保险补贴人员数量(人)", "28000"),
        (15, "享受公益性岗位补贴人员数量(人)", "5000"),
        (18, "补贴资金在规定时间内支付到位率(%)", "≥98%"),
        (19, "城镇调查失业率(%)", "5.5%以内"),
    ]


@pytest.mark.parametrize(
    "value, text",
    [(12.3, "12.3"), (70000, "70000"), (70000.0, "70000"), (0.955, "0.955"), (None, ""), ("  ≥95% ", "≥95%")],
)
def test_it_reads_a_cell_as_the_text_a_person_sees(value, text):
    assert cell_text(value) == text



def test_it_stops_at_a_long_blank_tail_and_refuses_an_oversized_sheet(monkeypatch):
    from targets.workbook import reader

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["绩效指标", "一级指标", "二级指标", "三级指标", "指标值"])
    sheet.append([None, "产出指标", "数量指标", "城镇新增就业人数(人)", 1])
    sheet.cell(row=1500, column=4).value = "城镇调查失业率(%)"  # far below a blank run: not part of the table
    buffer = io.BytesIO()
    workbook.save(buffer)

    assert [row.wording for row in read_workbook(buffer).rows] == ["城镇新增就业人数(人)"]
    sheet.cell(row=5000, column=4).value = "城镇调查失业率(%)"  # beyond the sheet's limit: refused, naming the cell
    buffer = io.BytesIO()
    workbook.save(buffer)
    with pytest.raises(reader.WorkbookError, match="单元格 [A-Z]+5000 超出范围.*工作表超过 2000 行的上限"):
        read_workbook(buffer)
    monkeypatch.setattr(reader, "MAX_ROWS", 1)
    with pytest.raises(reader.WorkbookError, match="工作表超过 1 行的上限"):
        read_workbook(buffer)
