"""Neutralising spreadsheet formulas in exported text.

A text that starts with = + - @ (or a tab, CR or NUL) is run as a formula by
Excel and LibreOffice when the file is opened. In XLSX we store such text as
a string cell with Excel's own quote prefix, so the value round-trips
unchanged; in CSV there is no cell type, so a leading apostrophe is added.
"""

import csv
import io

from django.http import HttpResponse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell

DANGEROUS_PREFIXES = ("=", "+", "-", "@", "\t", "\r", "\0")


def is_dangerous(value):
    return isinstance(value, str) and value.startswith(DANGEROUS_PREFIXES)


def set_text_cell(cell, value):
    """Assign text to an openpyxl cell without letting it become a formula."""
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


CSV_TYPE = "text/csv; charset=utf-8"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def safe_table_export(headers, rows, file_format, filename, sheet_title="Sheet1"):
    """An HttpResponse with the rows as CSV or XLSX, every text cell neutralised.

    rows: iterables of cell values; text goes through csv_safe (CSV) or
    set_text_cell (XLSX), other values are written as they are. The XLSX is
    written in openpyxl's write-only mode, so a long export stays small in memory.
    """
    if file_format == "csv":
        buffer = io.StringIO()
        # The byte-order mark lets Excel open the file as UTF-8 instead of mangling the Chinese.
        buffer.write("\ufeff")
        writer = csv.writer(buffer)
        writer.writerow(headers)
        for row in rows:
            writer.writerow([csv_safe(cell) if isinstance(cell, str) else cell for cell in row])
        content, content_type = buffer.getvalue(), CSV_TYPE
    elif file_format == "xlsx":
        workbook = Workbook(write_only=True)
        sheet = workbook.create_sheet(sheet_title)
        sheet.append(headers)
        for row in rows:
            sheet.append([_xlsx_cell(sheet, cell) for cell in row])
        buffer = io.BytesIO()
        workbook.save(buffer)
        content, content_type = buffer.getvalue(), XLSX_TYPE
    else:
        raise ValueError(_("不支持的导出格式：%(file_format)s") % {"file_format": file_format})
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(True, f"{filename}.{file_format}")
    return response


def _xlsx_cell(sheet, value):
    if isinstance(value, str):
        return set_text_cell(WriteOnlyCell(sheet), value)
    return value
