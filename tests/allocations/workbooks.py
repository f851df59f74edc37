"""Builds 附件1 workbooks in memory for tests, from the notice's own data.

Each test takes the notice's table, changes what it is about, and writes it in
the official layout with the quirk it wants to exercise.
"""

import io
import json
from collections import OrderedDict
from decimal import Decimal

from django.conf import settings
from openpyxl import Workbook

HEADER = ("序号", "地（州、市）名称", "县（市、区）名称", "拨付金额", "备注")
TITLE = "2023年中央财政就业补助资金（第二批）分配表"


class Table:
    def __init__(self):
        path = settings.BASE_DIR / "fixtures" / "allocation_xincaishe_2023_74.json"
        data = json.loads(path.read_text(encoding="utf-8"))
        self.groups = OrderedDict()
        for line in data["lines"]:
            self.groups.setdefault(line["prefecture"], []).append([line["county"], Decimal(line["amount"]), line["note"]])
        self.subtotals = {item["prefecture"]: Decimal(item["amount"]) for item in data["subtotals"]}
        self.total = Decimal(data["declared_total"])


def write(
    table,
    *,
    merged=True,
    number=lambda value: int(value) if value == value.to_integral_value() else float(value),
    page_break_before=(),
    blank_before=(),
    subtotal_in_prefecture_column=(),
    header=HEADER,
    title=TITLE,
    extra_sheets=(),
):
    """Returns a BytesIO holding the workbook."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "附件1"
    sheet.append(["附件1"])
    sheet.append([title])
    sheet.append([None, None, None, "单位：万元"])
    if header:
        sheet.append(list(header))
    sheet.append([None, "合计", "全区", number(table.total) if table.total is not None else None])
    serial = 0
    for prefecture, lines in table.groups.items():
        if prefecture in page_break_before:
            sheet.append([title])
            sheet.append([None, None, None, "单位：万元"])
            sheet.append(list(header))
        if prefecture in blank_before:
            sheet.append([])
        first = sheet._current_row + 1  # max_row ignores an appended blank row
        for index, (county, amount, note) in enumerate(lines):
            serial += 1
            shown = prefecture if index == 0 else None
            sheet.append([serial, shown, county, number(amount) if isinstance(amount, Decimal) else amount, note or None])
        if merged and len(lines) > 1:
            sheet.merge_cells(start_row=first, start_column=2, end_row=sheet._current_row, end_column=2)
        subtotal = table.subtotals.get(prefecture)
        if subtotal is not None:
            value = number(subtotal) if isinstance(subtotal, Decimal) else subtotal
            if prefecture in subtotal_in_prefecture_column:
                sheet.append([None, "小计", value])
            else:
                sheet.append([None, None, "小计", value])
    for name in extra_sheets:
        other = workbook.create_sheet(name)
        other.append(list(HEADER))
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    return buffer


def save(buffer, tmp_path, name="upload.xlsx"):
    path = tmp_path / name
    path.write_bytes(buffer.getvalue())
    return str(path)
