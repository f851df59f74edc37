"""The workbook kernel: what every official-layout reader (附件1, 附件2, 附件3) and the flat import share.

Here: the limits checked before a reader opens anything (legacy .xls and
encrypted files, non-zip files, the unzipped size), opening with openpyxl,
python-calamine's sheets shaped as openpyxl's read-only ones (so one parser
serves both readers), text cleaning (full-width characters, NBSP) and numbers
stored as text. Each app's reader keeps only its own layout's rules: which
header it looks for, which rows are decoration, what a row means.
"""

import datetime
import re
import unicodedata
import zipfile
from contextlib import contextmanager
from decimal import Decimal, InvalidOperation
from pathlib import Path

from django.conf import settings

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # legacy .xls, or an encrypted .xlsx


# openpyxl reads a read-only sheet lazily: a damaged part of the file
# (ElementTree's ParseError is a SyntaxError) only shows up while reading.
LAZY_READ_ERRORS = (SyntaxError, ValueError, KeyError, EOFError, zipfile.BadZipFile)
DAMAGED_MESSAGE = "工作簿已损坏，无法读取。请在 Excel 中打开并另存为 .xlsx 后再导入。"


class WorkbookError(Exception):
    """The file cannot be read as the table it should hold at all; the message says why."""


_normalize = unicodedata.normalize
_join = "".join


def clean_text(value):
    """NFKC folds full-width digits and letters; NBSP and inner spaces go."""
    if value is None:
        return ""
    text = value if value.__class__ is str else str(value)
    # str.split() splits on exactly what the regex \s matches (both use
    # Py_UNICODE_ISSPACE), at a quarter of re.sub's cost: this runs on every
    # cell of a 100k-line sheet.
    return _join(_normalize("NFKC", text).split())


# ASCII digits only: \d would also take other scripts' digits ("١٢٣"), which no
# officer means as an amount; core.amounts then refuses the text as written.
_NUMBER = re.compile(r"[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)")


def to_amount(value):
    """A cell value as Decimal when it is a number; else the text as found."""
    if value is None:
        return None
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        # repr() is the shortest text that round-trips: 1834.0 -> '1834.0'.
        return Decimal(repr(value))
    if isinstance(value, Decimal):
        return value
    text = clean_text(value)
    if text == "":
        return None
    compact = text.replace(",", "").replace("，", "")
    if _NUMBER.fullmatch(compact):
        try:
            return Decimal(compact)
        except InvalidOperation:
            pass
    return str(value).strip()


def check_file(source):
    """Refuse what openpyxl should never be asked to open."""
    if isinstance(source, (str, Path)):
        handle = open(source, "rb")
        close = True
    else:
        handle = source
        close = False
    try:
        handle.seek(0)
        head = handle.read(8)
        handle.seek(0)
        if head == _OLE_MAGIC:
            raise WorkbookError("文件是旧版 .xls 格式或已加密（设有密码），请另存为不加密的 .xlsx 后再导入。")
        if not zipfile.is_zipfile(handle):
            raise WorkbookError("文件不是有效的 Excel 工作簿（.xlsx）。")
        handle.seek(0)
        with zipfile.ZipFile(handle) as archive:
            uncompressed = sum(info.file_size for info in archive.infolist())
        if uncompressed > settings.ALLOCATION_UPLOAD_MAX_UNCOMPRESSED_BYTES:
            limit_mb = settings.ALLOCATION_UPLOAD_MAX_UNCOMPRESSED_BYTES // (1024 * 1024)
            raise WorkbookError(f"工作簿解压后超过 {limit_mb} MB 的上限，请拆分后再导入。")
        handle.seek(0)
    finally:
        if close:
            handle.close()


def open_openpyxl(source, data_only):
    import openpyxl
    from openpyxl.utils.exceptions import InvalidFileException

    if not isinstance(source, (str, Path)):
        source.seek(0)
    try:
        return openpyxl.load_workbook(source, read_only=True, data_only=data_only)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, ValueError, OSError, TypeError):
        raise WorkbookError("文件不是有效的 Excel 工作簿（.xlsx），或已损坏。") from None


@contextmanager
def reading(source):
    """The workbook open in openpyxl for the block: damage that its lazy reading meets is a WorkbookError."""
    workbook = open_openpyxl(source, data_only=False)
    try:
        yield workbook
    except LAZY_READ_ERRORS:
        raise WorkbookError(DAMAGED_MESSAGE) from None
    finally:
        workbook.close()


def is_formula(value):
    return isinstance(value, str) and value.startswith("=")


def cached_values(source, sheet_title, cells):
    """{(row, column): the value Excel cached} for formula cells (rows from 1, columns from 0).

    An amount must be a number: the cached value need not be what the formula
    computes (another program may have edited the cells it reads), and a
    hidden difference would be stored as the figure. So the readers refuse a
    formula, and give the cached value only to say what it was.
    """
    wanted = {}
    for row, column in cells:
        wanted.setdefault(row, []).append(column)
    found = {}
    cached = open_openpyxl(source, data_only=True)
    try:
        for number, values in enumerate(cached[sheet_title].iter_rows(values_only=True), start=1):
            for column in wanted.get(number, ()):
                found[(number, column)] = values[column] if column < len(values) else None
    finally:
        cached.close()
    return found


def formula_refusal(where, label, formula, cached):
    if cached is None:
        return f"{where} {label}：公式 {formula} 没有计算结果，请在 Excel 中打开并保存，或改为数值。"
    return f"{where} {label}：是公式（{formula}），金额须为数值，请改为数值后再导入。"


def header_columns(keys, lookup, required):
    """{column key: index of its first heading} when every required key is there, else None: not a header row.

    keys: each cell's text as the layout compares it; lookup: heading text -> column key.
    """
    columns = {}
    for index, text in enumerate(keys):
        key = lookup.get(text)
        if key and key not in columns:
            columns[key] = index
    return columns if all(key in columns for key in required) else None


def cell(values, columns, key):
    # The value under a header key, None where the row is shorter than the header.
    index = columns.get(key)
    if index is None or index >= len(values):
        return None
    return values[index]


# Integral floats below 2**53 are exact integers; openpyxl returns them as
# int (Excel writes "1200", never "1200.0"), larger ones stay floats there too.
_EXACT_INT = float(2**53)


def available():
    try:
        import python_calamine  # noqa: F401
    except ImportError:
        return False
    return True


def _like_openpyxl(values):
    # calamine: "" for an empty cell, float for every number, date for a
    # date-only cell; openpyxl read-only: None, int when integral, datetime.
    row = []
    for value in values:
        kind = value.__class__
        if kind is str:
            row.append(value if value else None)
        elif kind is float:
            row.append(int(value) if value.is_integer() and -_EXACT_INT < value < _EXACT_INT else value)
        elif kind is datetime.date:
            row.append(datetime.datetime(value.year, value.month, value.day))
        else:
            row.append(value)
    return tuple(row)


class CalamineSheet:
    """Just enough of an openpyxl read-only worksheet for the readers' parsing code."""

    def __init__(self, workbook, name):
        self._workbook = workbook
        self.title = name
        self._sheet = None
        self._max_row = None

    def _load(self):
        # calamine parses a whole sheet at once; keep it for the second pass.
        if self._sheet is None:
            self._sheet = self._workbook.get_sheet_by_name(self.title)
            end = self._sheet.end
            self._max_row = end[0] + 1 if end else 0
        return self._sheet

    @property
    def max_row(self):
        # Asked once a row when there is a progress bar.
        self._load()
        return self._max_row

    def iter_rows(self, max_row=None, values_only=True):
        assert values_only, "only values are read"
        sheet = self._load()
        start = sheet.start
        if start is None:
            return
        if start == (0, 0):
            # Lazy: Python rows are built one at a time from calamine's grid.
            rows = sheet.iter_rows()
        else:
            # Row numbers are what error messages cite. iter_rows() starts at
            # row 1 but at the first used column; to_python(skip_empty_area=
            # False) is documented to keep both, at the cost of one big list.
            rows = sheet.to_python(skip_empty_area=False, nrows=max_row)
        for number, values in enumerate(rows, start=1):
            if max_row is not None and number > max_row:
                return
            yield _like_openpyxl(values)


class CalamineWorkbook:
    def __init__(self, source):
        import python_calamine

        if isinstance(source, (str, Path)):
            self._book = python_calamine.CalamineWorkbook.from_path(str(source))
        else:
            source.seek(0)
            self._book = python_calamine.CalamineWorkbook.from_filelike(source)
        # Chart and macro sheets are not worksheets to openpyxl either.
        self.worksheets = [
            CalamineSheet(self._book, meta.name)
            for meta in self._book.sheets_metadata
            if meta.typ == python_calamine.SheetTypeEnum.WorkSheet
        ]

    def close(self):
        self._book.close()


def calamine_errors():
    import python_calamine

    return (python_calamine.CalamineError, OSError, ValueError, EOFError, zipfile.BadZipFile)
