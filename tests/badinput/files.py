"""The bad files themselves, built in code: nothing large is committed.

Each builder returns bytes; the importer-specific shapes (a 附件1, 附件2 or 附件3
with one thing wrong) start from the notice's own data in cases_*.py.
"""

import io
import zipfile
from xml.sax.saxutils import escape

from openpyxl import Workbook
from openpyxl.utils import get_column_letter

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # what an encrypted .xlsx (or a legacy .xls) starts with
MEGABYTE = 1024 * 1024
MANY_ROWS = 200_000


def not_a_workbook():
    # A CSV saved under an .xlsx name: the commonest wrong file.
    return "序号,地州市,县市区,拨付金额\n1,乌鲁木齐市,天山区,1200\n".encode("utf-8")


def encrypted():
    # Excel's "encrypt with password" wraps the workbook in an OLE container;
    # the header is all a reader sees before it must refuse.
    return OLE_MAGIC + bytes(range(256)) * 64


def workbook_bytes(workbook):
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def empty_workbook():
    return workbook_bytes(Workbook())


def oversized(megabytes=20):
    # A zip signature, so only the size can be what refuses it.
    return b"PK\x03\x04" + b"\0" * (megabytes * MEGABYTE)


def many_rows_workbook(path, header, row, count=MANY_ROWS):
    """count data rows under header. openpyxl takes ~10 s to write 200,000 rows even
    streaming; the sheet XML written by hand takes about one."""
    template = Workbook()
    template.active.title = "附件"
    buffer = io.BytesIO(workbook_bytes(template))
    rows = [_xml_row(1, header)]
    rows.extend(_xml_row(number + 1, row(number)) for number in range(1, count + 1))
    # Excel always writes the <dimension>; without it openpyxl scans the whole sheet to size it.
    size = f'<dimension ref="A1:{get_column_letter(len(header))}{count + 1}"/>'
    sheet = f'<worksheet xmlns="{_SHEET_NS}">{size}<sheetData>{"".join(rows)}</sheetData></worksheet>'
    with zipfile.ZipFile(buffer) as source, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = sheet.encode("utf-8") if info.filename == "xl/worksheets/sheet1.xml" else source.read(info)
            target.writestr(info.filename, data)
    return path


_SHEET_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"


def _xml_cell(value):
    if value is None:
        return "<c/>"
    if isinstance(value, (int, float)):
        return f"<c><v>{value}</v></c>"
    return f'<c t="inlineStr"><is><t>{escape(str(value))}</t></is></c>'


def _xml_row(number, values):
    return f'<row r="{number}">{"".join(_xml_cell(value) for value in values)}</row>'


def csv_bytes(*lines):
    return ("\n".join(lines) + "\n").encode("utf-8")


def xlsx_rows(*rows):
    workbook = Workbook()
    for values in rows:
        workbook.active.append(list(values))
    return workbook_bytes(workbook)


# The header and a data row of each importer's layout, for the 200,000-row files.
MANY_ROWS_LAYOUTS = {
    "附件1": (
        ("序号", "地（州、市）名称", "县（市、区）名称", "拨付金额", "备注"),
        lambda n: [n, "乌鲁木齐市", "天山区", 1, None],
    ),
    "附件2": (
        ("绩效指标", "一级指标", "二级指标", "三级指标", "指标值"),
        lambda n: [None, "产出指标", "数量指标", f"指标{n}(人)", n],
    ),
    "附件3": (
        ("序号", "收到的财政专项资金名称", "文号", "资金金额", "实际支出金额", "资金支出方向", "未支出金额", "实际支出进度",
         "未按计划或预算执行要求支出的原因", "整改措施及整改时间"),
        lambda n: [n, "就业补助资金", f"新财社〔2023〕{n}号", 100, 1, "职业培训补贴", 99, "1%", None, None],
    ),
}


class LargeFiles:
    """Each 200,000-row workbook is written once per test session, on first use."""

    def __init__(self, folder):
        self.folder = folder

    def many_rows(self, layout):
        path = self.folder / f"{layout}_{MANY_ROWS}.xlsx"
        if not path.exists():
            many_rows_workbook(path, *MANY_ROWS_LAYOUTS[layout])
        return path.read_bytes()
