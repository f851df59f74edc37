"""The official 附件1 layout, written with openpyxl.

It mirrors the printed table: the attachment label, the title, the unit row,
the header, the 合计 row, then each prefecture's lines with its name in a
vertically merged cell and its 小计 row. The direct-funds mark stands in the
title block. What this writes, the reader reads back unchanged.
"""

from collections import OrderedDict
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side

from core.i18n import in_chinese
from core.safe_export import safe_sheet_title, set_text_cell

HEADER = ("序号", "地（州、市）名称", "县（市、区）名称", "拨付金额", "备注")
WIDTHS = {"A": 6, "B": 18, "C": 24, "D": 12, "E": 10}
_THIN = Side(style="thin")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
FIRST_TABLE_ROW = 4


def table_title(document):
    if document.table_title:
        return document.table_title
    return f"{document.year}年{document.fund.name}分配表"


def _number(amount):
    # Whole amounts as integers, as the notice prints them; others exact.
    amount = Decimal(amount)
    return int(amount) if amount == amount.to_integral_value() else amount.normalize()


def _amount_cell(cell, amount):
    cell.value = _number(amount)
    cell.number_format = "#,##0" if isinstance(cell.value, int) else "#,##0.00"


def grouped_lines(document):
    """[(prefecture, [lines], declared 小计)] in the notice's order."""
    groups = OrderedDict()
    lines = document.lines.select_related("county__prefecture").order_by(
        "county__prefecture__position", "position", "county__position"
    )
    for line in lines:
        groups.setdefault(line.county.prefecture, []).append(line)
    subtotals = {s.prefecture_id: s.declared_amount for s in document.subtotals.all()}
    return [(prefecture, lines, subtotals.get(prefecture.pk)) for prefecture, lines in groups.items()]


def _text(sheet, row, column, value):
    # Every text cell, names and titles included: a user's "=…" stays text.
    return set_text_cell(sheet.cell(row=row, column=column), value)


BLANK_TITLE = "____年就业补助资金分配表"
BLANK_MARK = "01 中央直达资金"


def _title_block(title, mark):
    """A workbook with the form's label, title, mark, unit and header: everything above the figures."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = safe_sheet_title("附件1")
    for column, width in WIDTHS.items():
        sheet.column_dimensions[column].width = width

    _text(sheet, 1, 1, "附件1")
    cell = _text(sheet, 2, 1, title)
    cell.font = Font(bold=True, size=16)
    cell.alignment = Alignment(horizontal="center")
    sheet.merge_cells("A2:E2")
    _text(sheet, 3, 1, f"直达资金标识：{mark}")
    _text(sheet, 3, 4, "单位：万元")
    for column, text in enumerate(HEADER, start=1):
        _text(sheet, FIRST_TABLE_ROW, column, text).font = Font(bold=True)
    # The header repeats on every printed page, as in the paper notice.
    sheet.print_title_rows = f"{FIRST_TABLE_ROW}:{FIRST_TABLE_ROW}"
    return workbook, sheet


# The official form is Chinese whatever the interface language.
@in_chinese
def build_blank_workbook():
    """The 附件1 form with nothing filled in, for the import page: fill in the 合计, lines and 小计, then upload."""
    workbook, sheet = _title_block(BLANK_TITLE, BLANK_MARK)
    for cells in sheet.iter_rows(min_row=FIRST_TABLE_ROW, max_row=FIRST_TABLE_ROW, max_col=len(HEADER)):
        for cell in cells:
            cell.border = _BORDER
    return workbook


# The official form is Chinese whatever the interface language.
@in_chinese
def build_workbook(document):
    workbook, sheet = _title_block(table_title(document), document.direct_mark)

    row = FIRST_TABLE_ROW + 1
    _text(sheet, row, 2, "合计")
    _text(sheet, row, 3, "全区")
    _amount_cell(sheet.cell(row=row, column=4), document.declared_total)

    serial = 0
    for prefecture, lines, subtotal in grouped_lines(document):
        first = row + 1
        for line in lines:
            row += 1
            serial += 1
            sheet.cell(row=row, column=1, value=serial)
            _text(sheet, row, 3, line.county.name)
            _amount_cell(sheet.cell(row=row, column=4), line.amount)
            if line.note:
                _text(sheet, row, 5, line.note)
        name_cell = _text(sheet, first, 2, prefecture.name)
        name_cell.alignment = Alignment(vertical="center")
        if row > first:
            sheet.merge_cells(start_row=first, start_column=2, end_row=row, end_column=2)
        row += 1
        _text(sheet, row, 3, "小计")
        if subtotal is not None:
            _amount_cell(sheet.cell(row=row, column=4), subtotal)

    for cells in sheet.iter_rows(min_row=FIRST_TABLE_ROW, max_row=row, max_col=len(HEADER)):
        for cell in cells:
            cell.border = _BORDER
    return workbook


def write_workbook(document, target):
    """target: a path or a binary file object (an HttpResponse works)."""
    build_workbook(document).save(target)
