"""Stage 1 of the import: an official-layout 附件1 workbook into plain rows.

Every quirk of the layout is handled here and only here: title and unit rows,
headers repeated after page breaks, blank rows, a prefecture's name in a
merged cell or only on its first row, 小计 rows that slipped a column, and
numbers stored as text. What comes out knows nothing of openpyxl: read_workbook
reads the cells with python-calamine (read_with_calamine, ten times faster,
through core.workbook's openpyxl-shaped sheets) and falls back to openpyxl
(read_with_openpyxl) for what calamine declines; both feed the same parsing
code below. openpyxl stays for everything written.

read_with_calamine() returns None when it cannot promise the openpyxl
reader's answer: calamine cannot open or parse the file (the openpyxl path
owns the messages for damaged files), or an amount comes out empty, which is
either a real gap or a formula Excel never calculated (calamine reads only
cached values; the openpyxl path names the formula in its message). Both
readers see the same float for a number and turn it into the same Decimal
(core.workbook.to_amount), so they agree bit for bit.
"""

import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from django.conf import settings

from core.sheet_scan import only_table_sheet, scan
from core.workbook import (
    CalamineWorkbook,
    WorkbookError,
    available as calamine_available,
    cached_values,
    calamine_errors,
    cell as _cell,
    check_file,
    clean_text,
    formula_refusal,
    header_columns,
    is_formula,
    reading,
    to_amount,
)

LINE = "line"
SUBTOTAL = "subtotal"
TOTAL = "total"

# The header as printed, and the looser spellings real files come with.
HEADER_ALIASES = {
    "position": ("序号",),
    "prefecture": ("地（州、市）名称", "地(州、市)名称", "地州市名称", "地（州、市）", "地州市"),
    "county": ("县（市、区）名称", "县(市、区)名称", "县市区名称", "县（市、区）", "县市区"),
    "amount": ("拨付金额", "拨付金额（万元）", "拨付金额(万元)", "金额"),
    "note": ("备注",),
}
REQUIRED_COLUMNS = ("prefecture", "county", "amount")
HEADER_TEXT = "序号 / 地（州、市）名称 / 县（市、区）名称 / 拨付金额 / 备注"



@dataclass(slots=True)  # 100k of them in a large import: no per-row __dict__
class SheetRow:
    row: int
    kind: str
    prefecture: str = ""
    county: str = ""
    # A Decimal when the cell holds a number (text numbers included);
    # otherwise the raw text, for the validator to report; None when empty.
    amount: object = None
    note: str = ""


@dataclass
class ReadResult:
    title: str = ""
    rows: list = field(default_factory=list)
    errors: list = field(default_factory=list)
    amount_column: int = 3


_normalize = unicodedata.normalize
_join = "".join

# Parentheses fold to ASCII under NFKC, so compare folded forms.
_HEADER_LOOKUP = {clean_text(alias): key for key, aliases in HEADER_ALIASES.items() for alias in aliases}


def _header_columns(values):
    return _header_columns_of_texts([clean_text(value) for value in values])


def _header_columns_of_texts(texts):
    return header_columns(texts, _HEADER_LOOKUP, REQUIRED_COLUMNS)


def _is_decoration(joined):
    """Title, unit and attachment-label rows (their cleaned cells joined), wherever a page break puts them."""
    return joined == "" or joined.startswith("附件") or ("单位" in joined and "万元" in joined) or joined.endswith("分配表")


def _is_table(sheet):
    return any(_header_columns(values) for values in sheet.iter_rows(max_row=30, values_only=True))


def _find_sheet(workbook, scanned):
    return only_table_sheet(
        workbook,
        scanned,
        _is_table,
        f"找不到表头行（{HEADER_TEXT}）。请使用附件1的格式。",
        "工作簿中有多个分配表工作表（%(names)s），请只保留一个后再导入。",
    )


def too_many_rows():
    return f"工作表超过 {settings.ALLOCATION_IMPORT_MAX_ROWS} 行的上限，请拆分后再导入。"


def scan_workbook(source):
    """The streamed check of every sheet against the row and column limits (core.sheet_scan)."""
    check_file(source)
    return scan(source, max_rows=settings.ALLOCATION_IMPORT_MAX_ROWS, too_many_rows=too_many_rows())


def read_workbook(source, progress=None):
    """Read the one allocation sheet into SheetRows. Raises WorkbookError."""
    scanned = scan_workbook(source)
    result = read_with_calamine(source, progress, scanned)
    if result is not None:
        return result
    return read_with_openpyxl(source, progress, scanned)


def read_with_calamine(source, progress=None, scanned=None):
    """A ReadResult equal to read_with_openpyxl's, or None: read it with openpyxl.

    Expects a file that scan_workbook has accepted (its answer is scanned).
    Raises WorkbookError where the openpyxl path would raise the same (no
    table header, several table sheets, too many rows): those come from the
    shared parsing code.
    """
    if not calamine_available():
        return None
    scanned = scan_workbook(source) if scanned is None else scanned
    try:
        workbook = CalamineWorkbook(source)
    except calamine_errors():
        return None
    try:
        sheet = _find_sheet(workbook, scanned)
        if sheet.title in scanned and scanned[sheet.title].formulas:
            # calamine sees only the values Excel cached: the openpyxl path names each formula.
            return None
        result = _read_sheet(sheet, progress)
    except calamine_errors():
        return None
    finally:
        workbook.close()
        if not isinstance(source, (str, Path)):
            source.seek(0)
    if any(row.amount is None for row in result.rows):
        return None
    return result


def read_with_openpyxl(source, progress=None, scanned=None):
    """The reader for what calamine declines, and the reference for its tests."""
    scanned = scan_workbook(source) if scanned is None else scanned
    with reading(source) as workbook:
        sheet = _find_sheet(workbook, scanned)
        result = _read_sheet(sheet, progress)
        formula_rows = [row for row in result.rows if is_formula(row.amount)]
        if formula_rows:
            _refuse_formulas(source, sheet.title, formula_rows, result)
        return result


def _refuse_formulas(source, sheet_title, formula_rows, result):
    # A 小计 written as =SUM(…) is common in real files, but its cached value is not trusted (core.workbook.cached_values).
    column = result.amount_column
    cached = cached_values(source, sheet_title, [(row.row, column) for row in formula_rows])
    for row in formula_rows:
        value = cached.get((row.row, column))
        result.errors.append(formula_refusal(f"第{row.row}行", "拨付金额", row.amount, value))
        row.amount = to_amount(value) if value is not None else None


def _read_sheet(sheet, progress=None):
    result = ReadResult()
    columns = None
    picks = None
    prefecture = ""
    max_rows = settings.ALLOCATION_IMPORT_MAX_ROWS
    rows = result.rows
    no_header_word = _HEADER_LOOKUP.keys().isdisjoint
    total = sheet.max_row if progress else None
    for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
        if number > max_rows:
            raise WorkbookError(f"工作表超过 {max_rows} 行的上限，请拆分后再导入。")
        if progress:
            progress(number, total)
        # Every cell is cleaned once, here, and the rest of the row's reading
        # uses these: clean_text inlined, as it runs on every cell.
        texts = ["" if v is None else _join(_normalize("NFKC", v if v.__class__ is str else str(v)).split()) for v in values]
        header = None if no_header_word(texts) else _header_columns_of_texts(texts)
        if header:
            # The header repeats after each page break; it must not move.
            if columns is None:
                columns = header
                picks = tuple(header.get(key) for key in ("position", "prefecture", "county", "amount", "note"))
                result.amount_column = header["amount"]
            elif header != columns:
                result.errors.append(f"第{number}行：重复的表头与第一个表头的列位置不同。")
            continue
        if columns is None:
            if not result.title and any(texts) and texts[0] and not texts[0].startswith("附件") and "单位" not in "".join(texts):
                result.title = str(values[0]).strip()
            continue
        if _is_decoration(_join(texts)):
            continue
        row = _classify(number, values, texts, columns, picks, prefecture)
        if row.kind == LINE and row.prefecture:
            prefecture = row.prefecture
        rows.append(row)
    if columns is None:
        raise WorkbookError(f"找不到表头行（{HEADER_TEXT}）。请使用附件1的格式。")
    return result


def _classify(number, values, texts, columns, picks, current_prefecture):
    # texts are the cells already cleaned, one for one with values; picks are
    # the header's column indexes (position, prefecture, county, amount, note),
    # None for an optional column the header lacks.
    size = len(values)
    position, prefecture, county, amount, note = picks
    prefecture_text = texts[prefecture] if prefecture < size else ""
    county_text = texts[county] if county < size else ""
    position_text = texts[position] if position is not None and position < size else ""
    note = values[note] if note is not None and note < size else None
    note = "" if note is None else str(note).strip()
    amount = to_amount(values[amount] if amount < size else None)

    if "合计" == prefecture_text or "合计" == county_text or "合计" == position_text:
        return SheetRow(number, TOTAL, amount=amount if amount is not None else _slipped_amount(values, columns))
    if "小计" == prefecture_text or "小计" == county_text or "小计" == position_text:
        # PDF-born files put the 小计 one column left, with its number in
        # the county column: read it where a person would.
        if amount is None:
            amount = _slipped_amount(values, columns)
        return SheetRow(number, SUBTOTAL, prefecture=current_prefecture, amount=amount)
    return SheetRow(number, LINE, prefecture_text or current_prefecture, county_text, amount, note)


def _slipped_amount(values, columns):
    for key in ("county", "prefecture"):
        value = to_amount(_cell(values, columns, key))
        if isinstance(value, Decimal):
            return value
    return None
