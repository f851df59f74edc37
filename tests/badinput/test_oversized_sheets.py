"""Sheets that reach too far by ways other than a plain XFD1048576 (core.sheet_scan refuses them all).

Each of these got past the streamed scan: a reader went on to read cells
the scan never checked, and python-calamine to build a grid of gigabytes
(the process aborts: no exception), or the scan itself held the whole part
in memory:

- a reference past Excel's own last cell: A99999999 (8 digits), AAAA60 (4 letters);
- cells without an address, which sit right of the one before;
- a sheet part outside xl/worksheets/, which the relationship points to all the same;
- hundreds of thousands of <mergeCell> elements, kept in memory by the scan;
- cells (or the whole sheet, or workbook.xml) in a namespace other than the
  main one: calamine matches an element by its name without the prefix;
- a part named in another case than the relationship names it (calamine
  finds it regardless of case), or by a path calamine takes unresolved
  ("worksheets/../w/one.xml"), or with an entity in the target (calamine
  takes it as written, the scan as parsed);
- the workbook part somewhere other than xl/workbook.xml, where openpyxl
  finds it through [Content_Types].xml;
- a cell reference on a row's first cell, which moves calamine's column but
  not its row: the cells without an address after it are on the row's own
  (far) row;
- .ods parts (or an .xlsb's), which calamine reads when it cannot open the
  file as .xlsx: one row repeated a million times is 1 KB of XML.

The scan's own answer is checked first in each test, so on a scan that lets
the file through the test fails there, before calamine can abort the run.
"""

import re
import tracemalloc
from io import BytesIO

import pytest

from allocations.workbook.reader import read_workbook, scan_workbook
from core.sheet_scan import OTHER_FORMAT_MESSAGE
from core.workbook import DAMAGED_MESSAGE, WorkbookError
from tests.allocations.workbooks import Table, write
from tests.badinput import files
from tests.badinput.case import Context, cases_of
from tests.badinput.cases_feedback import urumqi_file
from tests.badinput.cases_sheets import flat_lines, flat_targets
from tests.badinput.cases_targets import urumqi_workbook
from tests.badinput.entries import Input
from tests.badinput.refusal import refused_clearly

pytestmark = pytest.mark.django_db

SHEET = "xl/worksheets/sheet1.xml"
RELS = "xl/_rels/workbook.xml.rels"
WORKBOOK = "xl/workbook.xml"
MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
STRICT = "http://purl.oclc.org/ooxml/spreadsheetml/main"
MEGABYTE = 1024 * 1024


def appended(row_xml):
    return lambda text: text.replace("</sheetData>", row_xml + "</sheetData>", 1)


EIGHT_DIGITS = appended('<row r="60"><c r="A99999999"><v>1</v></c></row>')
FOUR_LETTERS = appended('<row r="60"><c r="AAAA60"><v>1</v></c></row>')
# 100,000 cells without an address on one row: calamine puts them in columns 1..100000.
ADDRESSLESS = appended('<row r="60">' + "<c/>" * 100_000 + "</row>")
FAR_CELL = appended('<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>')


def far_cell_in(namespace_attribute):
    return appended(f'<row {namespace_attribute} r="1048576"><c r="XFD1048576"><v>1</v></c></row>')


def allocation(change_sheet=None, **more):
    return files.rezip(write(Table()).getvalue(), change={SHEET: change_sheet} if change_sheet else {}, **more)


def moved_part(content):
    """The sheet part at xl/data/one.xml, with the relationship pointing there."""
    return files.rezip(
        content,
        change={RELS: lambda text: text.replace("worksheets/sheet1.xml", "data/one.xml")},
        rename={SHEET: "xl/data/one.xml"},
    )


def _refused_by_scan(content):
    with pytest.raises(WorkbookError) as refused:
        scan_workbook(BytesIO(content))
    return str(refused.value)


def test_it_refuses_a_row_number_past_the_last_row_of_excel():
    content = allocation(EIGHT_DIGITS)

    assert "工作表“附件1”的单元格 A99999999 超出范围" in _refused_by_scan(content)
    tracemalloc.start()
    try:
        with pytest.raises(WorkbookError, match="工作表“附件1”的单元格 A99999999 超出范围"):
            read_workbook(BytesIO(content))
        _size, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 100 * MEGABYTE


def test_it_refuses_a_column_past_the_last_column_of_excel():
    content = allocation(FOUR_LETTERS)

    assert "工作表“附件1”的单元格 AAAA60 超出范围：官方格式不超过 50 列" in _refused_by_scan(content)
    with pytest.raises(WorkbookError, match="单元格 AAAA60 超出范围"):
        read_workbook(BytesIO(content))


def test_it_counts_the_columns_of_cells_without_an_address():
    content = allocation(ADDRESSLESS)

    assert "工作表“附件1”的第 60 行第 51 个单元格超出范围：官方格式不超过 50 列" in _refused_by_scan(content)
    with pytest.raises(WorkbookError, match="第 60 行第 51 个单元格超出范围"):
        read_workbook(BytesIO(content))


def test_it_scans_a_sheet_part_wherever_the_relationship_puts_it():
    content = moved_part(allocation(FAR_CELL))

    assert "工作表“附件1”的单元格 XFD1048576 超出范围" in _refused_by_scan(content)
    with pytest.raises(WorkbookError, match="工作表“附件1”的单元格 XFD1048576 超出范围"):
        read_workbook(BytesIO(content))


def test_it_calls_a_cell_address_no_reader_understands_damaged():
    content = allocation(appended('<row r="60"><c r=" XFD1048576"><v>1</v></c></row>'))

    assert _refused_by_scan(content) == DAMAGED_MESSAGE


def test_it_scans_many_merged_cells_in_bounded_memory():
    merges = "<mergeCells>" + '<mergeCell ref="A1:B2"/>' * 400_000 + "</mergeCells>"
    content = allocation(lambda text: re.sub(r"<mergeCells.*?</mergeCells>", "", text, flags=re.S).replace(
        "</sheetData>", "</sheetData>" + merges, 1
    ))

    tracemalloc.start()
    try:
        scan_workbook(BytesIO(content))
        _size, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 100 * MEGABYTE


def test_it_quotes_a_very_long_reference_shortened():
    content = allocation(appended('<row r="60"><c r="A' + "9" * 5000 + '"><v>1</v></c></row>'))

    message = _refused_by_scan(content)

    assert "工作表“附件1”的单元格 A9999999999999999999… 超出范围" in message
    assert len(message) < 200


def _target(new):
    return lambda text: text.replace('Target="/xl/worksheets/sheet1.xml"', f'Target="{new}"')


ELSEWHERE = {
    "cells-in-another-default-namespace": dict(change={SHEET: far_cell_in('xmlns="urn:other"')}),
    "cells-with-a-prefix-of-another-namespace": dict(
        change={SHEET: appended('<o:row xmlns:o="urn:other" r="1048576"><o:c r="XFD1048576"><o:v>1</o:v></o:c></o:row>')}
    ),
    "sheet-in-the-strict-namespace": dict(change={SHEET: lambda text: FAR_CELL(text).replace(MAIN, STRICT)}),
    "workbook-in-the-strict-namespace": dict(change={SHEET: FAR_CELL, WORKBOOK: lambda text: text.replace(MAIN, STRICT)}),
    "relationships-in-another-namespace": dict(
        change={SHEET: FAR_CELL, RELS: lambda text: text.replace("http://schemas.openxmlformats.org/package/2006/relationships", "urn:other")}
    ),
    "target-in-another-case": dict(change={SHEET: FAR_CELL, RELS: _target("/xl/worksheets/SHEET1.xml")}),
    "part-in-another-case": dict(change={SHEET: FAR_CELL}, rename={SHEET: "xl/Worksheets/Sheet1.xml"}),
    "target-taken-unresolved": dict(change={SHEET: FAR_CELL, RELS: _target("worksheets/../w/one.xml")}, rename={SHEET: "xl/worksheets/../w/one.xml"}),
}


@pytest.mark.parametrize("where", ELSEWHERE, ids=list(ELSEWHERE))
def test_it_scans_the_cells_wherever_calamine_would_read_them(where):
    content = files.rezip(write(Table()).getvalue(), **ELSEWHERE[where])

    assert "工作表“附件1”的单元格 XFD1048576 超出范围" in _refused_by_scan(content)
    with pytest.raises(WorkbookError, match="工作表“附件1”的单元格 XFD1048576 超出范围"):
        read_workbook(BytesIO(content))


def test_it_scans_the_workbook_part_where_the_content_types_put_it():
    content = files.workbook_moved(allocation(FAR_CELL))

    assert "工作表“附件1”的单元格 XFD1048576 超出范围" in _refused_by_scan(content)
    with pytest.raises(WorkbookError, match="工作表“附件1”的单元格 XFD1048576 超出范围"):
        read_workbook(BytesIO(content))


def test_it_calls_an_entity_in_a_workbook_relationship_damaged():
    # calamine would look for the part named as written, "sheet&amp;1.xml"; parsed, it is "sheet&1.xml".
    content = files.rezip(
        write(Table()).getvalue(),
        change={SHEET: FAR_CELL, RELS: _target("worksheets/sheet&amp;1.xml")},
        rename={SHEET: "xl/worksheets/sheet&amp;1.xml"},
    )

    assert _refused_by_scan(content) == DAMAGED_MESSAGE


def test_it_puts_a_cell_without_an_address_on_the_row_it_is_in():
    # calamine: A1 moves the column only; the next cell is B1048576, a grid of a million rows.
    content = allocation(appended('<row r="1048576"><c r="A1"><v>1</v></c><c><v>2</v></c></row>'))

    assert "工作表“附件1”的第 1048576 行超出范围" in _refused_by_scan(content)
    with pytest.raises(WorkbookError, match="工作表“附件1”的第 1048576 行超出范围"):
        read_workbook(BytesIO(content))


ALLOCATION_HEADER = files.MANY_ROWS_LAYOUTS["附件1"][0]
ALLOCATION_LINE = ["1", "乌鲁木齐市", "天山区", 1, ""]


def _ods():
    return files.ods(ALLOCATION_HEADER, ALLOCATION_LINE, 20_000)


def _ods_behind_an_xlsx():
    # Without its relationships calamine cannot open the .xlsx, and reads the .ods parts instead.
    return files.with_members(
        write(Table()).getvalue(), files.ods_members(ALLOCATION_HEADER, ALLOCATION_LINE, 20_000), drop=(RELS,)
    )


def _xlsb_part_in_an_xlsx():
    return files.with_members(write(Table()).getvalue(), {"xl/workbook.bin": "\0" * 64})


OTHER_FORMATS = {"ods": _ods, "ods-behind-an-xlsx": _ods_behind_an_xlsx, "xlsb-part-in-an-xlsx": _xlsb_part_in_an_xlsx}


@pytest.mark.parametrize("build", OTHER_FORMATS.values(), ids=list(OTHER_FORMATS))
def test_it_refuses_what_calamine_would_read_as_another_format(build):
    # An .ods row repeated a million times, or columns thousands of times, is
    # a grid of gigabytes to calamine, in parts this scan does not read.
    content = build()

    assert _refused_by_scan(content) == OTHER_FORMAT_MESSAGE
    with pytest.raises(WorkbookError) as refused:
        read_workbook(BytesIO(content))
    assert str(refused.value) == OTHER_FORMAT_MESSAGE


# Every importer, driven as a person would, refuses these naming sheet and cell and writes nothing.


def _altered(build, change):
    def altered_build(ctx):
        given = build(ctx)
        given.file = files.rezip(given.file, change={SHEET: change})
        return given

    return altered_build


def _allocation_input(ctx):
    return Input(file=write(Table()).getvalue())


def _rebuilt(build, rebuild):
    def rebuilt_build(ctx):
        given = build(ctx)
        given.file = rebuild(given.file)
        return given

    return rebuilt_build


# Beyond every importer's row limit, yet near enough that a scan which misses
# it lets calamine build only a small grid: the test fails, the run goes on.
NEAR_FAR_ROW = '<row {} r="20000"><c r="A20000"><v>1</v></c></row>'


def _in_another_namespace(content):
    return files.rezip(content, change={SHEET: appended(NEAR_FAR_ROW.format('xmlns="urn:other"'))})


def _in_a_moved_workbook(content):
    return files.workbook_moved(files.rezip(content, change={SHEET: appended(NEAR_FAR_ROW.format(""))}))


FAR_ROW = ("工作表“", "的单元格 A99999999 超出范围")
NEAR_FAR = ("工作表“", "的单元格 A20000 超出范围")
CASES = [
    cases_of("import_allocations", "import_allocations")("far-row", _altered(_allocation_input, EIGHT_DIGITS), *FAR_ROW),
    cases_of("allocations:import_upload", "allocation_upload")("far-row", _altered(_allocation_input, EIGHT_DIGITS), *FAR_ROW),
    cases_of("allocations:import_upload", "allocation_upload")(
        "addressless", _altered(_allocation_input, ADDRESSLESS), "工作表“附件1”的第 60 行第 51 个单元格超出范围"
    ),
    cases_of("import_targets", "import_targets")("far-row", _altered(urumqi_workbook(), EIGHT_DIGITS), *FAR_ROW),
    cases_of("import_feedback", "import_feedback")("far-row", _altered(urumqi_file(), EIGHT_DIGITS), *FAR_ROW),
    cases_of("feedback:report_upload", "feedback_upload")("far-row", _altered(urumqi_file(), EIGHT_DIGITS), *FAR_ROW),
    cases_of("admin:allocationline_import", "admin_lines")("far-row", _altered(flat_lines, EIGHT_DIGITS), *FAR_ROW),
    cases_of("admin:target_import", "admin_targets")("four-letters", _altered(flat_targets, FOUR_LETTERS), "的单元格 AAAA60 超出范围"),
    cases_of("import_allocations", "import_allocations")("other-namespace", _rebuilt(_allocation_input, _in_another_namespace), *NEAR_FAR),
    cases_of("allocations:import_upload", "allocation_upload")(
        "other-namespace", _rebuilt(_allocation_input, _in_another_namespace), *NEAR_FAR
    ),
    cases_of("import_targets", "import_targets")("moved-workbook", _rebuilt(urumqi_workbook(), _in_a_moved_workbook), *NEAR_FAR),
    cases_of("import_feedback", "import_feedback")("moved-workbook", _rebuilt(urumqi_file(), _in_a_moved_workbook), *NEAR_FAR),
    cases_of("feedback:report_upload", "feedback_upload")("moved-workbook", _rebuilt(urumqi_file(), _in_a_moved_workbook), *NEAR_FAR),
    cases_of("admin:allocationline_import", "admin_lines")("moved-workbook", _rebuilt(flat_lines, _in_a_moved_workbook), *NEAR_FAR),
    cases_of("admin:target_import", "admin_targets")("moved-workbook", _rebuilt(flat_targets, _in_a_moved_workbook), *NEAR_FAR),
    cases_of("allocations:import_upload", "allocation_upload")(
        "ods", lambda ctx: Input(file=_ods()), "文件不是 .xlsx 格式（像是 .xlsb 或 .ods"
    ),
]


@pytest.mark.parametrize("case", CASES, ids=[case.id for case in CASES])
def test_it_refuses_it_through_every_importer_and_writes_nothing(case, request, tmp_path, large_files):
    refused_clearly(case, Context(request, tmp_path, large_files))
