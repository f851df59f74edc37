"""Neutralising spreadsheet formulas in exported text, and safe sheet and file names.

A text that starts with = + - @ (or a tab, CR or NUL) is run as a formula by
Excel and LibreOffice when the file is opened. In XLSX we store such text as
a string cell with Excel's own quote prefix, so the value round-trips
unchanged; in CSV there is no cell type, so a leading apostrophe is added.

Every workbook the app writes puts its text through set_text_cell, names its
sheets with safe_sheet_title(s) and its download with attachment_header: a name
typed by a user (a prefecture's, a document number) can neither run as a
formula, nor make openpyxl refuse the sheet title, nor steer the browser's
file name.
"""

import csv
import io
import os
import re

from django.http import HttpResponse
from django.utils.functional import Promise
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

DANGEROUS_PREFIXES = ("=", "+", "-", "@", "\t", "\r", "\n", "\0")


def is_dangerous(value):
    return isinstance(value, str) and value.startswith(DANGEROUS_PREFIXES)


def set_text_cell(cell, value):
    """Assign text to an openpyxl cell without letting it become a formula.

    Control characters XLSX cannot store are left out of the cell.
    """
    if isinstance(value, Promise):
        value = str(value)
    if isinstance(value, str):
        # XML cannot hold these control characters: openpyxl would refuse the
        # cell and the whole download would fail over one stray byte.
        value = ILLEGAL_CHARACTERS_RE.sub("", value)
    cell.value = value
    if is_dangerous(value):
        # openpyxl turns any str starting with "=" into a formula on assignment.
        cell.data_type = "s"
        cell.quotePrefix = True
    return cell


def csv_safe(value):
    return "'" + value if is_dangerous(value) else value


def quote_formula(value):
    """Prefix "'" to dangerous text so the cell is read as text; unquote_formula undoes it.

    Text already made of "'"s before a dangerous character gets one more, so
    that undoing the quote gives back exactly what was exported.
    """
    if isinstance(value, str) and is_dangerous(value.lstrip("'")):
        return "'" + value
    return value


def unquote_formula(value):
    if isinstance(value, str) and value.startswith("'") and is_dangerous(value.lstrip("'")):
        return value[1:]
    return value


# Excel refuses these in a sheet name, and one that starts or ends with "'".
_SHEET_TITLE_UNSAFE = re.compile(r"[\[\]:*?/\\\x00-\x1f\x7f]")
SHEET_TITLE_MAX = 31
# Excel keeps a sheet named "History" for its change tracking.
_RESERVED_SHEET_TITLES = {"history"}


def _utf16_length(text):
    return len(text.encode("utf-16-le")) // 2


def _cap(text, limit):
    # Excel counts a sheet name's length in UTF-16 units, not characters.
    while _utf16_length(text) > limit:
        text = text[:-1]
    return text


def _trim_title(text):
    return text.strip().strip("'").strip()


def safe_sheet_title(name, taken=(), fallback="Sheet"):
    """A sheet title Excel and openpyxl accept, not among taken (compared case-insensitively).

    The characters Excel forbids are dropped, the title is cut to 31 and a
    title already taken gets " (2)", " (3)" … The real name belongs in the
    sheet's cells: a reader must not rely on the title being the name.
    """
    title = _trim_title(_cap(_trim_title(_SHEET_TITLE_UNSAFE.sub("", str(name))), SHEET_TITLE_MAX)) or fallback
    used = {str(existing).casefold() for existing in taken} | _RESERVED_SHEET_TITLES
    candidate, number = title, 1
    while candidate.casefold() in used:
        number += 1
        suffix = f" ({number})"
        candidate = _trim_title(_cap(title, SHEET_TITLE_MAX - len(suffix))) + suffix
    return candidate


def safe_sheet_titles(names, fallback="Sheet"):
    """safe_sheet_title for a workbook's sheets at once, in order.

    A name Excel accepts as it is keeps it; the others are cleaned into a
    title that is no other sheet's name, so that a reader matching a sheet
    by its title never takes the cleaned "昌吉州:" for the real 昌吉州.
    """
    names = [str(name) for name in names]
    reserved = {}
    for index, name in enumerate(names):
        if safe_sheet_title(name) == name:
            reserved.setdefault(name.casefold(), index)
    taken = set(reserved)
    titles = []
    for index, name in enumerate(names):
        if reserved.get(name.casefold()) == index:
            titles.append(name)
            continue
        title = safe_sheet_title(name, taken, fallback)
        taken.add(title.casefold())
        titles.append(title)
    return titles


# Refused in a file name by Windows, macOS or Linux, with the control characters.
_FILENAME_UNSAFE = re.compile(r'[/\\:*?"<>|\x00-\x1f\x7f]')
_RESERVED_FILENAMES = {"con", "prn", "aux", "nul"} | {f"{port}{n}" for port in ("com", "lpt") for n in range(1, 10)}
# 80 Chinese characters are 240 bytes of UTF-8: under the 255 most file systems allow.
FILENAME_STEM_MAX = 80


def safe_filename(name, fallback="export"):
    """A download's file name with nothing a file system refuses or reads as a path: each unsafe character becomes "_"."""
    stem, extension = os.path.splitext(_FILENAME_UNSAFE.sub("_", str(name)))
    stem = stem.strip(" .")[:FILENAME_STEM_MAX].rstrip(" .") or fallback
    if stem.casefold() in _RESERVED_FILENAMES:
        stem = "_" + stem
    return stem + extension


def attachment_header(filename):
    """The Content-Disposition of a download, its file name made safe first."""
    return content_disposition_header(True, safe_filename(filename))


CSV_TYPE = "text/csv; charset=utf-8"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def safe_table_export(headers, rows, file_format, filename, sheet_title="Sheet1"):
    """An HttpResponse with the rows as CSV or XLSX, every text cell neutralised (safe_table_content)."""
    return table_file_response(safe_table_content(headers, rows, file_format, sheet_title), file_format, filename)


def safe_table_content(headers, rows, file_format, sheet_title="Sheet1"):
    """(content, content type) of the rows as CSV or XLSX, every text cell neutralised.

    rows: iterables of cell values; text goes through csv_safe (CSV) or
    set_text_cell (XLSX), other values are written as they are. The XLSX is
    written in openpyxl's write-only mode, so a long export stays small in memory.
    """
    if file_format == "csv":
        buffer = io.StringIO()
        # The byte-order mark lets Excel open the file as UTF-8 instead of mangling the Chinese.
        buffer.write("\ufeff")
        writer = csv.writer(buffer)
        writer.writerow(_csv_row(headers))
        for row in rows:
            writer.writerow(_csv_row(row))
        return buffer.getvalue(), CSV_TYPE
    if file_format == "xlsx":
        workbook = Workbook(write_only=True)
        sheet = workbook.create_sheet(safe_sheet_title(sheet_title))
        sheet.append([_xlsx_cell(sheet, cell) for cell in headers])
        for row in rows:
            sheet.append([_xlsx_cell(sheet, cell) for cell in row])
        buffer = io.BytesIO()
        workbook.save(buffer)
        return buffer.getvalue(), XLSX_TYPE
    raise ValueError(_("不支持的导出格式：%(file_format)s") % {"file_format": file_format})


def table_file_response(content_and_type, file_format, filename):
    content, content_type = content_and_type
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = attachment_header(f"{filename}.{file_format}")
    return response


def _csv_row(row):
    return [csv_safe(str(cell)) if isinstance(cell, (str, Promise)) else cell for cell in row]


def _xlsx_cell(sheet, value):
    if isinstance(value, (str, Promise)):
        return set_text_cell(WriteOnlyCell(sheet), value)
    return value
