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


def rezip(content, change=None, rename=None):
    """The workbook with zip members rewritten (change: {member: text -> text}) and/or moved (rename: {old: new}).

    For hostile sheets built from a real workbook: only the XML a test names differs.
    """
    change = change or {}
    rename = rename or {}
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(content)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info)
            if info.filename in change:
                data = change[info.filename](data.decode("utf-8")).encode("utf-8")
            target.writestr(rename.get(info.filename, info.filename), data)
    return out.getvalue()


def workbook_moved(content):
    """The workbook part at xl/wb.xml, where [Content_Types].xml says it is: openpyxl reads it there, calamine not at all."""
    return rezip(
        content,
        change={"[Content_Types].xml": lambda text: text.replace('PartName="/xl/workbook.xml"', 'PartName="/xl/wb.xml"')},
        rename={"xl/workbook.xml": "xl/wb.xml", "xl/_rels/workbook.xml.rels": "xl/_rels/wb.xml.rels"},
    )


def ods_members(header, row, repeated):
    """The parts of an .ods spreadsheet: header, then row repeated that many times (one element: a few bytes)."""

    def cells(values):
        return "".join(
            f'<table:table-cell office:value-type="float" office:value="{value}"><text:p>{value}</text:p></table:table-cell>'
            if isinstance(value, (int, float))
            else f'<table:table-cell office:value-type="string"><text:p>{escape(str(value))}</text:p></table:table-cell>'
            for value in values
        )

    content = (
        '<?xml version="1.0" encoding="UTF-8"?><office:document-content'
        ' xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"'
        ' xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"'
        ' xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
        '<office:body><office:spreadsheet><table:table table:name="附件1">'
        f"<table:table-row>{cells(header)}</table:table-row>"
        f'<table:table-row table:number-rows-repeated="{repeated}">{cells(row)}</table:table-row>'
        "</table:table></office:spreadsheet></office:body></office:document-content>"
    )
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0">'
        '<manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
        "</manifest:manifest>"
    )
    return {
        "mimetype": "application/vnd.oasis.opendocument.spreadsheet",
        "META-INF/manifest.xml": manifest,
        "content.xml": content,
    }


def with_members(content, members, drop=()):
    """The zip with members added (name: text) and others dropped."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(content)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for name, text in members.items():
            target.writestr(name, text)
        for info in source.infolist():
            if info.filename not in drop and info.filename not in members:
                target.writestr(info.filename, source.read(info))
    return out.getvalue()


def ods(header, row, repeated):
    return with_members(empty_zip(), ods_members(header, row, repeated))


def empty_zip():
    out = io.BytesIO()
    zipfile.ZipFile(out, "w").close()
    return out.getvalue()
