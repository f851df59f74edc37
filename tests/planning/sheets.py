"""Factor sheets and deduction files for the planning tests, built with openpyxl (nothing committed)."""

import io
import json
from decimal import Decimal

from django.conf import settings
from openpyxl import Workbook

NOTICE = "新财社〔2023〕74号"


def notice():
    with open(settings.BASE_DIR / "fixtures" / "allocation_xincaishe_2023_74.json", encoding="utf-8") as handle:
        return json.load(handle)


def notice_subtotals():
    """[(prefecture, Decimal 小计)] in the notice's order."""
    return [(row["prefecture"], Decimal(row["amount"])) for row in notice()["subtotals"]]


def notice_lines():
    """{prefecture: [(county, Decimal amount)]} in the notice's order."""
    found = {}
    for line in notice()["lines"]:
        found.setdefault(line["prefecture"], []).append((line["county"], Decimal(line["amount"])))
    return found


def workbook_bytes(sheets):
    """sheets: [(title, [row, …])] -> .xlsx bytes; the first sheet first."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    for title, rows in sheets:
        sheet = workbook.create_sheet(title)
        for row in rows:
            sheet.append(list(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def factor_sheet(headings, rows, county_rows=None, county_headings=None):
    """A factor sheet: headings like ["城镇新增就业任务（0.4）"], rows [(prefecture, value, …)]."""
    sheets = [("地州市因素", [["地（州、市）", *headings], *rows])]
    if county_rows is not None:
        sheets.append(("县市区因素", [["地（州、市）", "县（市、区）", *(county_headings or headings)], *county_rows]))
    return workbook_bytes(sheets)


def subtotal_sheet():
    """One factor (weight 1): each prefecture's 小计 in the notice."""
    return factor_sheet(["上批分配额（1）"], notice_subtotals())


def deductions_file(rows, header=("地（州、市）", "扣减金额（万元）", "扣减原因", "来源文号")):
    return workbook_bytes([("扣减", [list(header), *rows])])


def write(tmp_path, name, data):
    path = tmp_path / name
    path.write_bytes(data)
    return str(path)
