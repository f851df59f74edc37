"""The calamine reader gives exactly the rows the openpyxl reader gives.

Each test reads one file both ways and compares every parsed row: its sheet row
number, kind (line, 小计, 合计), prefecture, county, amount (type and digits,
not only value) and note, plus the title and the reader's own errors. The fast
path must really be taken (read_with_calamine is not None), or a test would
only compare openpyxl with itself.
"""

import io
import random
import re
import zipfile
from decimal import Decimal

import pytest
from django.conf import settings
from openpyxl import Workbook

from allocations.workbook import reader
from allocations.workbook.reader import LINE, SUBTOTAL, TOTAL, WorkbookError
from bench.make_workbook import generate, write_official
from core.workbook import DAMAGED_MESSAGE
from tests.allocations import workbooks

SAMPLE = settings.BASE_DIR / "fixtures" / "samples" / "allocation_2023_batch2.xlsx"


def parsed(result):
    return (
        result.title,
        result.errors,
        [(r.row, r.kind, r.prefecture, r.county, type(r.amount).__name__, str(r.amount), r.note) for r in result.rows],
    )


def read_with_openpyxl(source, progress=None):
    # The reference read must not go through calamine, or these tests would
    # compare calamine with itself: any call to it fails the test.
    def refuse(*args, **kwargs):
        raise AssertionError("the reference read went through calamine")

    original = reader.read_with_calamine
    reader.read_with_calamine = refuse
    try:
        return reader.read_with_openpyxl(source, progress)
    finally:
        reader.read_with_calamine = original


def assert_same_rows(source):
    expected = read_with_openpyxl(source)
    fast = reader.read_with_calamine(source)
    assert fast is not None, "calamine declined the file"
    assert parsed(fast) == parsed(expected)
    return fast


def with_formulas(buffer, formulas):
    """The workbook with cells turned into formulas: {"D14": ("SUM(D6:D13)", cached text or None)}."""
    source = zipfile.ZipFile(buffer)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename.startswith("xl/worksheets/sheet"):
                text = data.decode("utf-8")
                for ref, (formula, cached) in formulas.items():
                    value = f"<v>{cached}</v>" if cached is not None else ""
                    text, count = re.subn(rf'<c r="{ref}"[^>]*>.*?</c>', f'<c r="{ref}"><f>{formula}</f>{value}</c>', text)
                    assert count == 1, ref
                data = text.encode("utf-8")
            target.writestr(info, data)
    out.seek(0)
    return out


def test_it_reads_the_sample_workbook_as_the_openpyxl_reader_does():
    fast = assert_same_rows(SAMPLE)
    kinds = [row.kind for row in fast.rows]
    # The notice: 合计, 14 prefectures with their 小计, 100 counties.
    assert (kinds.count(TOTAL), kinds.count(SUBTOTAL), kinds.count(LINE)) == (1, 14, 100)
    # 乌鲁木齐市 is written once in a cell merged down its 8 lines.
    assert [row.prefecture for row in fast.rows[1:9]] == ["乌鲁木齐市"] * 8


def test_it_reads_through_calamine_unless_calamine_declines(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("openpyxl read a file calamine can read")

    monkeypatch.setattr(reader, "read_with_openpyxl", refuse)
    with open(SAMPLE, "rb") as handle:
        result = reader.read_workbook(handle)
    assert parsed(result) == parsed(reader.read_with_calamine(SAMPLE))


def test_it_reads_a_file_object_as_it_reads_a_path():
    with open(SAMPLE, "rb") as handle:
        from_handle = reader.read_with_calamine(handle)
        assert handle.tell() == 0
    assert parsed(from_handle) == parsed(read_with_openpyxl(SAMPLE))


def test_it_reads_a_generated_workbook_as_the_openpyxl_reader_does(tmp_path):
    table = generate(3000, per_prefecture=250, seed=7)
    path = write_official(table, tmp_path / "generated.xlsx")
    fast = assert_same_rows(path)
    lines = [(r.prefecture, r.county, r.amount, r.note) for r in fast.rows if r.kind == LINE]
    assert lines == list(table.lines())
    assert [r.amount for r in fast.rows if r.kind == SUBTOTAL] == [p.subtotal for p in table.prefectures]
    assert [r.amount for r in fast.rows if r.kind == TOTAL] == [table.total]


def _text_numbers(value):
    return f"{value:,}"


def _two_decimals(value):
    return float(value + Decimal("0.25"))


@pytest.mark.parametrize(
    "layout",
    [
        {"merged": False},
        {"page_break_before": ("喀什地区", "和田地区")},
        {"blank_before": ("伊犁州直",)},
        {"subtotal_in_prefecture_column": ("乌鲁木齐市", "哈密市")},
        {"number": _text_numbers},
        {"number": _two_decimals},
        {"header": ("序号", "地(州、市)名称", "县(市、区)名称", "拨付金额(万元)", "备注")},
    ],
    ids=["first-row-only", "page-breaks", "blank-rows", "slipped-subtotal", "text-numbers", "decimals", "loose-header"],
)
def test_it_reads_each_layout_quirk_as_the_openpyxl_reader_does(layout):
    assert_same_rows(workbooks.write(workbooks.Table(), **layout))


def test_it_keeps_row_numbers_when_the_table_starts_below_and_right_of_a1():
    workbook = Workbook()
    sheet = workbook.active
    sheet["C3"] = "2023年中央财政就业补助资金（第二批）分配表"
    for column, text in zip("BCDEF", workbooks.HEADER):
        sheet[f"{column}5"] = text
    sheet["C6"], sheet["D6"], sheet["E6"] = "合计", "全区", 1234.5
    sheet["B7"], sheet["C7"], sheet["D7"], sheet["E7"], sheet["F7"] = 1, "乌鲁木齐市", "天山区", 1234.5, "备注文字"
    sheet["D8"], sheet["E8"] = "小计", 1234.5
    buffer = io.BytesIO()
    workbook.save(buffer)
    fast = assert_same_rows(buffer)
    assert [(r.row, r.kind) for r in fast.rows] == [(6, TOTAL), (7, LINE), (8, SUBTOTAL)]
    assert fast.rows[1].note == "备注文字"


def test_it_reads_amounts_of_up_to_15_significant_digits_as_typed():
    # 万元 with up to 6 decimals (0.01 元) below 10^9: at most 15 digits.
    rng = random.Random(15)
    amounts = [Decimal(rng.randint(0, 10**15 - 1)).scaleb(-rng.randint(0, 6)) for _ in range(2000)]
    amounts += [Decimal("0.01"), Decimal("0.1"), Decimal("999999999.999999"), Decimal("999999999999.99")]
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(list(workbooks.HEADER))
    for index, amount in enumerate(amounts, start=1):
        sheet.append([index, "乌鲁木齐市", f"县{index}", float(amount)])
    buffer = io.BytesIO()
    workbook.save(buffer)
    fast = assert_same_rows(buffer)
    assert [row.amount for row in fast.rows] == amounts


def test_it_refuses_formulas_in_amounts_even_with_cached_values():
    buffer = workbooks.write(workbooks.Table())
    subtotal_rows = [r.row for r in reader.read_workbook(buffer).rows if r.kind == SUBTOTAL]
    cached = {f"D{row}": (f"SUM(D1:D{row - 1})", "8294") for row in subtotal_rows}
    # A cached 72988 beside a formula that computes something else: no reader can tell which is meant.
    cached["D5"] = ("SUM(D6:D200)/2", "72988")
    buffer = with_formulas(buffer, cached)

    assert reader.read_with_calamine(buffer) is None  # calamine sees only the cached values
    result = reader.read_workbook(buffer)
    assert parsed(result) == parsed(read_with_openpyxl(buffer))
    assert "第5行 拨付金额：是公式（=SUM(D6:D200)/2），金额须为数值，请改为数值后再导入。" in result.errors
    assert len(result.errors) == len(subtotal_rows) + 1


def test_it_leaves_a_formula_without_a_cached_value_to_openpyxl():
    buffer = with_formulas(workbooks.write(workbooks.Table()), {"D14": ("SUM(D6:D13)", None)})
    assert reader.read_with_calamine(buffer) is None
    result = reader.read_workbook(buffer)
    assert parsed(result) == parsed(read_with_openpyxl(buffer))
    assert any("公式 =SUM(D6:D13) 没有计算结果" in error for error in result.errors)


def test_it_leaves_a_damaged_sheet_to_openpyxl():
    source = zipfile.ZipFile(workbooks.write(workbooks.Table()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            data = source.read(info.filename)
            target.writestr(info, data[: len(data) // 2] if info.filename.startswith("xl/worksheets/") else data)
    # The streamed scan finds the damage before either reader opens the file.
    for read in (reader.read_with_calamine, reader.read_workbook):
        with pytest.raises(WorkbookError) as error:
            read(out)
        assert str(error.value) == DAMAGED_MESSAGE


@pytest.mark.parametrize(
    "layout",
    [{"header": None}, {"extra_sheets": ("附件1（续）",)}],
    ids=["no-header", "two-table-sheets"],
)
def test_it_refuses_a_table_with_the_openpyxl_readers_message(layout):
    buffer = workbooks.write(workbooks.Table(), **layout)
    with pytest.raises(WorkbookError) as slow:
        read_with_openpyxl(buffer)
    with pytest.raises(WorkbookError) as fast:
        reader.read_with_calamine(buffer)
    assert str(fast.value) == str(slow.value)


def test_it_reports_progress_as_the_openpyxl_reader_does():
    slow, fast = [], []
    read_with_openpyxl(SAMPLE, lambda done, total: slow.append((done, total)))
    assert reader.read_with_calamine(SAMPLE, lambda done, total: fast.append((done, total))) is not None
    assert fast == slow
    assert fast[-1] == (119, 119)
