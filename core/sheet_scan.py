"""A streamed look at a workbook's XML before any reader builds a sheet.

python-calamine builds a sheet as a dense grid from its first to its last
cell: one cell at XFD1048576 in a 5 KB file asks for 512 GB and aborts the
process (not an exception: the worker dies). openpyxl trusts <dimension>.
So every importer first reads the sheet parts here, element by element,
keeping nothing but the position it is at, and refuses a sheet whose used
range or any cell lies beyond the reader's limits, naming the sheet and the
cell. The same pass records which sheets are hidden and which cells hold
formulas, which the readers need and calamine cannot tell them.

The scan protects only as far as it sees what the loosest reader sees.
calamine matches an element by its name with the prefix dropped,
whatever namespace that stands for (a cell in another namespace is still a
cell to it); finds a part by its name regardless of case; takes a
relationship's target as written, with "xl/" put before it. openpyxl finds
the workbook part through [Content_Types].xml and resolves a target
relative to it. So names are read here as written (expat without namespace
processing) and matched without their prefix, and each target is looked
for, regardless of case, wherever either reader would look.
"""

import posixpath
import re
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from xml.parsers import expat

from openpyxl.xml.constants import XLSM, XLSX, XLTM, XLTX

from core.workbook import DAMAGED_MESSAGE, WorkbookError

# The official layouts (附件1/2/3) use fewer than 30 columns.
MAX_COLUMNS = 50

_WORKBOOK_TYPES = {XLSX, XLSM, XLTX, XLTM}
_CHUNK = 64 * 1024
# Any number of letters and digits: a reference past Excel's own last cell
# (A99999999, AAAA1) is not a damaged one to calamine, which builds its grid
# out to it all the same. ASCII digits only, as calamine reads them.
_REF = re.compile(r"\$?([A-Za-z]+)\$?([0-9]+)$")
# Beyond any limit; spares the arithmetic on a reference thousands of characters long.
_FAR = 10**9

# What python-calamine reads as an .xlsb or .ods workbook when it cannot
# open the file as .xlsx, which a file can be made to make it do: parts this
# scan cannot read, with rows and columns that repeat a million times.
_OTHER_FORMATS = ("xl/workbook.bin", "content.xml", "mimetype")
OTHER_FORMAT_MESSAGE = "文件不是 .xlsx 格式（像是 .xlsb 或 .ods 等其他格式的表格），请在 Excel 中另存为 .xlsx 后再导入。"

_FORMULAS_KEPT = 100
_ROW, _CELL, _FORMULA, _RANGE = 1, 2, 3, 4
_KINDS = {"row": _ROW, "c": _CELL, "f": _FORMULA, "dimension": _RANGE, "mergeCell": _RANGE}


@dataclass
class Sheet:
    name: str
    part: str
    state: str = "visible"  # as in workbook.xml: visible, hidden or veryHidden
    # (row, column), both from 1, of the first cells holding a formula: enough
    # to know there are some, and a sheet of nothing but formulas stays small.
    formulas: set = field(default_factory=set)

    @property
    def hidden(self):
        return self.state != "visible"


class _Damaged(Exception):
    pass


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
    letters, digits = found.groups()
    row = int(digits) if len(digits) <= 9 else _FAR
    return row, column_number(letters) if len(letters) <= 3 else _FAR


def _shown(ref):
    # The reference as the message quotes it: a hostile one can be very long.
    return ref if len(ref) <= 20 else ref[:20] + "…"


def _local(name):
    # "x:c" and "c" are one element to calamine, whatever x stands for.
    return name.rpartition(":")[2]


def _no_dtd(*_args):
    # Excel writes none; a DTD's entities can expand a few bytes into gigabytes.
    raise _Damaged


def _parse(archive, info, start, end=None, raw=None):
    """Feed a part to expat a chunk at a time: nothing of it is kept but what the handlers keep."""
    # Without namespace processing expat reports each name as written ("x:c"), as calamine reads it.
    parser = expat.ParserCreate()
    parser.StartDoctypeDeclHandler = _no_dtd
    parser.StartElementHandler = start
    if end is not None:
        parser.EndElementHandler = end
    with archive.open(info) as part:
        while chunk := part.read(_CHUNK):
            if raw is not None:
                raw(chunk)
            parser.Parse(chunk, False)
    parser.Parse(b"", True)


def _members(archive):
    # calamine finds a part by its name regardless of (ASCII) case, and a zip may hold one name twice.
    found = {}
    for info in archive.infolist():
        found.setdefault(info.filename.lower(), []).append(info)
    return found


def _workbook_parts(archive, members):
    """Every part a reader may take for the workbook: calamine's fixed xl/workbook.xml, openpyxl's from the content types."""
    names = {"xl/workbook.xml"}

    def start(name, attrs):
        kind = _local(name)
        if attrs.get("ContentType") in _WORKBOOK_TYPES:
            if kind == "Override":
                # openpyxl drops the first character, the leading "/".
                names.add(attrs.get("PartName", "")[1:])
            elif kind == "Default":
                names.add("xl/workbook.xml")

    for info in members.get("[content_types].xml", ()):
        _parse(archive, info, start)
    return names


def _no_raw_difference(chunk):
    # calamine takes a relationship's Id and Target as written, the others as
    # parsed: with an entity in one they would look for different parts.
    # Excel writes none in a workbook's relationships.
    if b"&" in chunk:
        raise _Damaged


def _relationships(archive, members, rels_path):
    targets = {}

    def start(name, attrs):
        if _local(name) == "Relationship":
            rel_id, target = attrs.get("Id", ""), attrs.get("Target", "")
            if " " in rel_id or " " in target:
                # Parsing turns a tab or line break there into a space; calamine keeps it.
                raise _Damaged
            targets.setdefault(rel_id, []).append(target)

    for info in members.get(rels_path.lower(), ()):
        _parse(archive, info, start, raw=_no_raw_difference)
    return targets


def _candidates(target, parent):
    # As written: openpyxl takes an external target so, a newer calamine one starting "xl/".
    yield target
    # openpyxl: relative to the workbook part's folder.
    yield target[1:] if target.startswith("/") else posixpath.normpath(posixpath.join(parent, target))
    # calamine: "xl/" put before it, unresolved ("xl/worksheets/../x.xml" is a name in the zip like any other).
    yield target[1:] if target.startswith("/xl/") else "xl/" + target


def _sheets(archive, members):
    """[(Sheet, [ZipInfo of each part a reader may read for it])] in workbook order."""
    sheets = []
    seen = set()
    read = set()
    for workbook_name in sorted(_workbook_parts(archive, members)):
        for workbook in members.get(workbook_name.lower(), ()):
            if id(workbook) in read:
                continue
            read.add(id(workbook))
            listed = []

            def start(name, attrs, listed=listed):
                if _local(name) == "sheet":
                    # calamine takes r:id (or relationships:id), openpyxl the id in the
                    # relationships namespace, whatever its prefix: every "id" is followed.
                    ids = [value for key, value in attrs.items() if _local(key) == "id"]
                    listed.append((attrs.get("name", ""), attrs.get("state", "visible"), ids))

            _parse(archive, workbook, start)
            rels_folder, rels_name = posixpath.split(workbook_name)
            targets = _relationships(archive, members, posixpath.join(rels_folder, "_rels", rels_name + ".rels"))
            for name, state, ids in listed:
                if name.casefold() in seen:
                    # Excel never writes two sheets of one name. openpyxl renames the
                    # second, and a hidden sheet's state would be looked up under the
                    # other's name: its figures would be read as visible.
                    raise _Damaged
                seen.add(name.casefold())
                parts = []
                for rel_id in ids:
                    for target in targets.get(rel_id, ()):
                        for candidate in _candidates(target, rels_folder):
                            for info in members.get(candidate.lower(), ()):
                                if info not in parts:
                                    parts.append(info)
                sheets.append((Sheet(name, parts[0].filename if parts else "", state), parts))
    return sheets


def _too_far(sheet, ref, row, column, too_many_rows):
    if ref is None:
        if column > MAX_COLUMNS:
            return WorkbookError(
                f"工作表“{sheet.name}”的第 {row} 行第 {column} 个单元格超出范围：官方格式不超过 {MAX_COLUMNS} 列"
                f"（{column_letters(MAX_COLUMNS)} 列），请删除多余的内容后再导入。"
            )
        if row >= _FAR:
            return WorkbookError(f"工作表“{sheet.name}”中有一行的行号过大，超出范围：{too_many_rows}")
        return WorkbookError(f"工作表“{sheet.name}”的第 {row} 行超出范围：{too_many_rows}")
    ref = _shown(ref)
    if column > MAX_COLUMNS:
        return WorkbookError(
            f"工作表“{sheet.name}”的单元格 {ref} 超出范围：官方格式不超过 {MAX_COLUMNS} 列（{column_letters(MAX_COLUMNS)} 列），"
            "请删除多余的内容后再导入。"
        )
    row_text = f"第 {row} 行" if row < _FAR else "行号过大"
    return WorkbookError(f"工作表“{sheet.name}”的单元格 {ref} 超出范围（{row_text}）：{too_many_rows}")


def _scan_sheet(archive, info, sheet, max_rows, too_many_rows):
    # Positions as calamine counts them: a row without r follows the one
    # before (its number moves on at </row>), a cell without r sits right of
    # the one before, and a cell's own r moves the column, not the row.
    kinds = {}
    row = 1
    column = 0
    cell = None  # the position of the cell being read, for a formula inside it
    # Only a row that names itself beyond the limit is refused as a row: the
    # drawing anchors of form controls hold <xdr:row> elements too, below the table.
    far_row = False

    def check_range(ref):
        for end in ref.split(":"):
            where = _position(end)
            if where is not None and (where[0] > max_rows or where[1] > MAX_COLUMNS):
                raise _too_far(sheet, end, where[0], where[1], too_many_rows)

    def start(name, attrs):
        nonlocal row, column, cell, far_row
        kind = kinds.get(name)
        if kind is None:
            kind = kinds[name] = _KINDS.get(_local(name), 0)
        if not kind:
            return
        if kind == _CELL:
            ref = attrs.get("r")
            if ref is None:
                column += 1
                if row > max_rows or column > MAX_COLUMNS:
                    raise _too_far(sheet, None, row, column, too_many_rows)
                cell = (row, column)
            else:
                where = _position(ref)
                if where is None:
                    # calamine and openpyxl refuse such a cell too; said here before either builds anything.
                    raise _Damaged
                if where[0] > max_rows or where[1] > MAX_COLUMNS:
                    raise _too_far(sheet, ref, where[0], where[1], too_many_rows)
                column = where[1]
                cell = where
        elif kind == _ROW:
            given = attrs.get("r")
            if given is not None:
                if not (given.isascii() and given.isdigit()):
                    raise _Damaged
                row = int(given) if len(given) <= 9 else _FAR
                far_row = row > max_rows
        elif kind == _FORMULA:
            if cell is not None and len(sheet.formulas) < _FORMULAS_KEPT:
                sheet.formulas.add(cell)
            # A shared or array formula names the range it covers.
            check_range(attrs.get("ref", ""))
        else:
            check_range(attrs.get("ref", ""))

    def end(name):
        nonlocal row, column, cell
        kind = kinds[name]
        if kind == _CELL:
            cell = None
        elif kind == _ROW:
            if far_row:
                # Checked at its end, so that a cell beyond the limit is named by its own reference.
                raise _too_far(sheet, None, row, 1, too_many_rows)
            row += 1
            column = 0

    _parse(archive, info, start, end)


def scan(source, *, max_rows, too_many_rows):
    """{sheet name: Sheet} for every sheet, or WorkbookError for one that reaches too far.

    Expects a file that core.workbook.check_file has accepted (a zip within
    the size limits). too_many_rows is the reader's own message for a sheet
    with more rows than it takes.
    """
    if not isinstance(source, (str, Path)):
        source.seek(0)
    try:
        with zipfile.ZipFile(source) as archive:
            members = _members(archive)
            if any(name in members for name in _OTHER_FORMATS):
                raise WorkbookError(OTHER_FORMAT_MESSAGE)
            sheets = _sheets(archive, members)
            scanned = set()
            for sheet, parts in sheets:
                for info in parts:
                    # Two sheets pointing at one part: it is read once.
                    if id(info) not in scanned:
                        scanned.add(id(info))
                        _scan_sheet(archive, info, sheet, max_rows, too_many_rows)
    except (_Damaged, expat.ExpatError, zipfile.BadZipFile, zlib.error, KeyError, ValueError, EOFError, RuntimeError, NotImplementedError):
        # Damaged or hostile XML, or a member zipfile cannot open: the readers say "damaged".
        raise WorkbookError(DAMAGED_MESSAGE) from None
    finally:
        if not isinstance(source, (str, Path)):
            source.seek(0)
    return {sheet.name: sheet for sheet, _parts in sheets}


def visible_only(worksheets, scanned, is_table):
    """The worksheets to read: hidden ones are passed over; refused when only a hidden one holds the table."""
    shown = [sheet for sheet in worksheets if not is_hidden(sheet.title, scanned)]
    if not any(is_table(sheet) for sheet in shown):
        for sheet in worksheets:
            if is_hidden(sheet.title, scanned) and is_table(sheet):
                raise WorkbookError(f"工作表“{sheet.title}”是隐藏的，请取消隐藏（或删除该工作表）后再导入。")
    return shown


def only_table_sheet(workbook, scanned, is_table, missing, several):
    """The one visible sheet that holds a table; `several` names the others with %(names)s."""
    found = [sheet for sheet in visible_only(workbook.worksheets, scanned, is_table) if is_table(sheet)]
    if not found:
        raise WorkbookError(missing)
    if len(found) > 1:
        raise WorkbookError(several % {"names": "、".join(sheet.title for sheet in found)})
    return found[0]


def is_hidden(title, scanned):
    found = scanned.get(title)
    if found is None:
        # A sheet the scan did not see under that name was not scanned either: it is not read.
        raise WorkbookError(DAMAGED_MESSAGE)
    return found.hidden
