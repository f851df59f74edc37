"""A streamed look at a workbook's XML before any reader builds a sheet.

python-calamine builds a sheet as a dense grid from its first to its last
cell: one cell at XFD1048576 in a 5 KB file asks for 512 GB and aborts the
process (not an exception: the worker dies). openpyxl trusts <dimension>.
So every importer first reads the sheet parts here, element by element,
keeping nothing but the position it is at, and refuses a sheet whose used
range or any cell lies beyond the reader's limits, naming the sheet and the
cell. The same pass records which sheets are hidden and which cells hold
formulas, which the readers need and calamine cannot tell them.
"""

import posixpath
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from defusedxml.ElementTree import iterparse

from core.workbook import WorkbookError

# The official layouts (附件1/2/3) use fewer than 30 columns.
MAX_COLUMNS = 50

_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
_PKG_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_REF = re.compile(r"\$?([A-Za-z]{1,3})\$?(\d{1,7})$")


@dataclass
class Sheet:
    name: str
    part: str
    state: str = "visible"  # as in workbook.xml: visible, hidden or veryHidden
    formulas: set = field(default_factory=set)  # (row, column), both from 1

    @property
    def hidden(self):
        return self.state != "visible"


def column_number(letters):
    number = 0
    for letter in letters.upper():
        number = number * 26 + ord(letter) - 64
    return number


def column_letters(number):
    letters = ""
    while number:
        number, rest = divmod(number - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _position(ref):
    found = _REF.match(ref or "")
    if not found:
        return None
    return int(found.group(2)), column_number(found.group(1))


def _sheets(archive):
    names = set(archive.namelist())
    if "xl/workbook.xml" not in names:
        return []
    targets = {}
    if "xl/_rels/workbook.xml.rels" in names:
        with archive.open("xl/_rels/workbook.xml.rels") as rels:
            for _event, element in iterparse(rels):
                if element.tag == f"{_PKG_REL}Relationship":
                    target = element.get("Target", "")
                    path = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join("xl", target))
                    targets[element.get("Id")] = path
    sheets = []
    with archive.open("xl/workbook.xml") as workbook:
        for _event, element in iterparse(workbook):
            if element.tag == f"{_MAIN}sheet":
                part = targets.get(element.get(_REL), "")
                if part in names and "/worksheets/" in f"/{part}":
                    sheets.append(Sheet(element.get("name", ""), part, element.get("state", "visible")))
    return sheets


def _too_far(sheet, ref, row, column, max_rows, too_many_rows):
    if ref is None:
        return WorkbookError(f"工作表“{sheet.name}”的第 {row} 行超出范围：{too_many_rows}")
    if column > MAX_COLUMNS:
        return WorkbookError(
            f"工作表“{sheet.name}”的单元格 {ref} 超出范围：官方格式不超过 {MAX_COLUMNS} 列（{column_letters(MAX_COLUMNS)} 列），"
            "请删除多余的内容后再导入。"
        )
    return WorkbookError(f"工作表“{sheet.name}”的单元格 {ref} 超出范围（第 {row} 行）：{too_many_rows}")


def _scan_sheet(archive, sheet, max_rows, too_many_rows):
    row = 0
    rows_parent = None
    with archive.open(sheet.part) as part:
        for event, element in iterparse(part, events=("start", "end")):
            tag = element.tag
            if event == "start":
                if tag == f"{_MAIN}sheetData":
                    rows_parent = element
                elif tag == f"{_MAIN}row":
                    row = int(element.get("r") or row + 1)
                continue
            if tag == f"{_MAIN}c":
                where = _position(element.get("r"))
                if where is not None:
                    cell_row, column = where
                    if cell_row > max_rows or column > MAX_COLUMNS:
                        raise _too_far(sheet, element.get("r"), cell_row, column, max_rows, too_many_rows)
                    if element.find(f"{_MAIN}f") is not None:
                        sheet.formulas.add(where)
            elif tag == f"{_MAIN}row":
                if row > max_rows:
                    # A row beyond the limit whose cells carry no address (those name themselves above).
                    raise _too_far(sheet, None, row, 1, max_rows, too_many_rows)
                if rows_parent is not None:
                    # Finished rows are dropped at once: memory stays flat however long the sheet.
                    rows_parent.clear()
            elif tag in (f"{_MAIN}dimension", f"{_MAIN}mergeCell"):
                for ref in element.get("ref", "").split(":"):
                    where = _position(ref)
                    if where is not None and (where[0] > max_rows or where[1] > MAX_COLUMNS):
                        raise _too_far(sheet, ref, where[0], where[1], max_rows, too_many_rows)


def scan(source, *, max_rows, too_many_rows):
    """{sheet name: Sheet} for every worksheet, or WorkbookError for one that reaches too far.

    Expects a file that core.workbook.check_file has accepted (a zip within
    the size limits). too_many_rows is the reader's own message for a sheet
    with more rows than it takes.
    """
    if not isinstance(source, (str, Path)):
        source.seek(0)
    try:
        with zipfile.ZipFile(source) as archive:
            sheets = _sheets(archive)
            for sheet in sheets:
                _scan_sheet(archive, sheet, max_rows, too_many_rows)
    except (zipfile.BadZipFile, KeyError, SyntaxError, ValueError, EOFError):
        # Damaged or hostile XML (defusedxml refuses entities): the readers say "damaged".
        from core.workbook import DAMAGED_MESSAGE

        raise WorkbookError(DAMAGED_MESSAGE) from None
    finally:
        if not isinstance(source, (str, Path)):
            source.seek(0)
    return {sheet.name: sheet for sheet in sheets}


def visible_only(worksheets, scanned, is_table):
    """The worksheets to read: hidden ones are passed over; refused when only a hidden one holds the table."""
    shown = [sheet for sheet in worksheets if not _is_hidden(sheet, scanned)]
    if not any(is_table(sheet) for sheet in shown):
        for sheet in worksheets:
            if _is_hidden(sheet, scanned) and is_table(sheet):
                raise WorkbookError(f"工作表“{sheet.title}”是隐藏的，请取消隐藏（或删除该工作表）后再导入。")
    return shown


def _is_hidden(sheet, scanned):
    found = scanned.get(sheet.title)
    return found is not None and found.hidden
