import io

import openpyxl
from django.core.management import call_command

from allocations.models import AllocationDocument, AllocationLine
from core.safe_export import csv_safe

NEW = "测试财社〔2023〕2号"


def _export(number, tmp_path):
    path = tmp_path / "out.xlsx"
    call_command("export_allocations", number, "-o", str(path), stdout=io.StringIO())
    return openpyxl.load_workbook(path).active


def _cells(sheet):
    return {
        (cell.row, cell.column): cell.value
        for row in sheet.iter_rows()
        for cell in row
        if cell.value is not None
    }


def test_it_exports_the_notice_in_the_official_layout(notice_document, tmp_path):
    sheet = _export(notice_document.number, tmp_path)

    assert sheet["A1"].value == "附件1"
    assert sheet["A2"].value == "2023年中央财政就业补助资金（第二批）分配表"
    assert sheet["A3"].value == "直达资金标识：01 中央直达资金"
    assert sheet["D3"].value == "单位：万元"
    assert [c.value for c in sheet[4]] == ["序号", "地（州、市）名称", "县（市、区）名称", "拨付金额", "备注"]
    assert [c.value for c in sheet[5]][1:4] == ["合计", "全区", 72988]
    subtotals = [(row[3].value) for row in sheet.iter_rows(min_row=6) if row[2].value == "小计"]
    assert len(subtotals) == 14
    assert subtotals[0] == 8294 and subtotals[-1] == 7908
    serials = [row[0].value for row in sheet.iter_rows(min_row=6) if isinstance(row[0].value, int)]
    assert serials == list(range(1, 101))
    assert "B6:B13" in {str(r) for r in sheet.merged_cells.ranges}  # 乌鲁木齐市's eight lines


def test_it_keeps_same_named_counties_under_their_own_prefecture(notice_document, tmp_path):
    sheet = _export(notice_document.number, tmp_path)
    prefecture = None
    placed = {}
    for row in sheet.iter_rows(min_row=6, values_only=True):
        prefecture = row[1] or prefecture
        if row[2] in ("高新区", "经开区"):
            placed[row[2]] = (prefecture, row[3])
    assert placed == {"高新区": ("昌吉州", 50), "经开区": ("喀什地区", 400)}


def test_it_exports_an_imported_sample_back_identically(reference_data, sample_workbook_path, tmp_path):
    call_command("import_allocations", str(sample_workbook_path), "--document", NEW, stdout=io.StringIO())
    exported = _export(NEW, tmp_path)
    original = openpyxl.load_workbook(sample_workbook_path).active

    differences = {
        key: (original_value, _cells(exported).get(key))
        for key, original_value in _cells(original).items()
        if _cells(exported).get(key) != original_value
    }
    added = set(_cells(exported)) - set(_cells(original))

    assert differences == {}
    assert added == {(3, 1)}  # the direct-funds mark in the title block
    assert sorted(map(str, exported.merged_cells.ranges)) == sorted(map(str, original.merged_cells.ranges))


def test_it_imports_its_own_export_back_unchanged(notice_document, tmp_path):
    path = tmp_path / "notice.xlsx"
    call_command("export_allocations", notice_document.number, "-o", str(path), stdout=io.StringIO())
    call_command("import_allocations", str(path), "--document", NEW, stdout=io.StringIO())

    def lines(number):
        return list(
            AllocationLine.objects.filter(document__number=number)
            .order_by("position")
            .values_list("county_id", "amount", "note", "position")
        )

    assert lines(NEW) == lines(notice_document.number)
    copy = AllocationDocument.objects.get(number=NEW)
    assert copy.declared_total == notice_document.declared_total
    assert list(copy.subtotals.values_list("prefecture_id", "declared_amount")) == list(
        notice_document.subtotals.values_list("prefecture_id", "declared_amount")
    )


def test_it_neutralises_a_formula_in_a_note_and_keeps_its_text(notice_document, tmp_path):
    formula = '=HYPERLINK("http://example.invalid","点击")'
    notice_document.lines.filter(county__name="天山区").update(note=formula)

    sheet = _export(notice_document.number, tmp_path)

    cell = sheet["E6"]
    assert cell.value == formula
    assert cell.data_type == "s"
    assert cell.quotePrefix is True
    assert csv_safe(formula) == "'" + formula


def test_it_says_which_number_it_cannot_find(reference_data, tmp_path):
    import pytest
    from django.core.management import CommandError

    with pytest.raises(CommandError, match="找不到文号为 不存在〔2023〕9号 的分配文件"):
        call_command("export_allocations", "不存在〔2023〕9号", "-o", str(tmp_path / "x.xlsx"))
