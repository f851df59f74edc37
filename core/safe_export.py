"""Neutralising spreadsheet formulas in exported text.

A text that starts with = + - @ (or a tab, CR or NUL) is run as a formula by
Excel and LibreOffice when the file is opened. In XLSX we store such text as
a string cell with Excel's own quote prefix, so the value round-trips
unchanged; in CSV there is no cell type, so a leading apostrophe is added.
"""

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
