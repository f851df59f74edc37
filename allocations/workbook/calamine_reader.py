"""Stage 1 again, with python-calamine (Rust) reading the cells instead of openpyxl.

The parsing is not repeated here: this module hands reader.py's own
_find_sheet and _read_sheet a sheet that looks like an openpyxl read-only one
(title, max_row, iter_rows(values_only=True)), with every cell value shaped as
openpyxl would give it. So merged prefecture cells (calamine, like openpyxl in
read-only mode, gives the name only in the top-left cell and empty below; the
parser carries the current prefecture down), 小计 and 合计 rows, repeated
headers and text numbers are handled by the very same code.

read_with_calamine() returns None when it cannot promise the openpyxl
reader's answer; the caller then reads the file with openpyxl:
- calamine cannot open or parse the file (the openpyxl path owns the messages
  for damaged files);
- an amount comes out empty. That is either a real gap, or a formula Excel
  never calculated: calamine reads only cached values and cannot tell the two
  apart, while the openpyxl path names the formula in its message.

Known differences that remain, both in calamine's favour and neither in any
file the project has seen: a formula in a *text* column (地州市, 县市区, 备注)
is read here as its computed value, by openpyxl as the formula text; and a
sheet whose stored <dimension> is wrong is read whole here, while openpyxl in
read-only mode trusts the dimension.

Numbers: an .xlsx stores every number as the decimal text of an IEEE double;
calamine and openpyxl both parse that text into the same double (correctly
rounded), so they see the very same float. It then goes through reader's
to_amount, i.e. Decimal(repr(value)), exactly as in the openpyxl path, so the
two readers agree bit for bit. This does not round to the column's 2 places:
rounding would silently accept 12.345, which check_amount must refuse.
Why repr is exact for amounts in 万元: repr gives the shortest decimal text
that reads back as the same double. Every decimal of at most 15 significant
digits survives the trip decimal -> double -> decimal (DBL_DIG = 15), so
two different such decimals never share a double and repr returns the number
that was typed. 15 digits cover every amount the model can hold (14 digits,
2 decimals) and any amount below 10^9 万元 written with up to 6 decimals.
The limit, stated honestly: a number with 16 or 17 significant digits is
not kept by Excel either; and a value Excel computed (=0.1+0.2, then pasted
as a value) may be stored as 0.30000000000000004, which both readers return
as such and check_amount then refuses for its decimals.
"""

import datetime
import zipfile
from pathlib import Path

from allocations.workbook import reader

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
    """Just enough of an openpyxl read-only worksheet for reader._read_sheet."""

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


def _calamine_errors():
    import python_calamine

    return (python_calamine.CalamineError, OSError, ValueError, EOFError, zipfile.BadZipFile)


def read_with_calamine(source, progress=None):
    """A ReadResult equal to reader.read_with_openpyxl's, or None: read it with openpyxl.

    Expects a file that reader._check_file has accepted. Raises WorkbookError
    where the openpyxl path would raise the same (no table header, several
    table sheets, too many rows): those come from the shared parsing code.
    """
    if not available():
        return None
    try:
        workbook = CalamineWorkbook(source)
    except _calamine_errors():
        return None
    try:
        sheet = reader._find_sheet(workbook)
        result = reader._read_sheet(sheet, progress)
    except _calamine_errors():
        return None
    finally:
        workbook.close()
        if not isinstance(source, (str, Path)):
            source.seek(0)
    if any(row.amount is None for row in result.rows):
        return None
    return result

