"""A treasury payment file, XLSX or CSV, read as a stream of (row number, {column key: raw value}).

Nothing holds the file whole: openpyxl reads the sheet in read-only mode,
a CSV is decoded as it is read. The encoding of a CSV is found by a first
pass that only decodes (UTF-8, with or without BOM, then GB18030, which
government systems export as "GBK"); a wrong guess fails loudly, never
decodes with errors ignored. Headings are matched through aliases after
NFKC folding, so 地（州、市） and 地(州、市) are one heading.
"""

import codecs
import csv
import io
from pathlib import Path

from django.conf import settings

from core.sheet_scan import only_table_sheet, scan
from core.workbook import WorkbookError, check_file, clean_text, header_columns, reading

VOUCHER, PAID_ON, PREFECTURE, COUNTY, UNIT = "voucher", "paid_on", "prefecture", "county", "budget_unit"
DOCUMENT, FUNCTION, ECONOMIC, MARK, AMOUNT, PAYEE = (
    "document_number", "function_code", "economic_code", "direct_mark", "amount", "payee",
)

# The heading each column is named by in messages, then the other names it goes by.
ALIASES = {
    VOUCHER: ("支付凭证号", "凭证号", "支付凭证编号", "凭证编号"),
    PAID_ON: ("支付日期", "付款日期", "日期"),
    PREFECTURE: ("地（州、市）", "地州市", "地（州、市）名称"),
    COUNTY: ("县（市、区）", "县市区", "县（市、区）名称"),
    UNIT: ("预算单位", "预算单位名称"),
    DOCUMENT: ("指标文号", "文号", "指标文件文号"),
    FUNCTION: ("功能分类科目", "功能科目", "功能分类科目编码", "支出功能分类科目"),
    ECONOMIC: ("经济分类科目", "经济科目", "经济分类科目编码", "政府经济分类科目"),
    MARK: ("直达资金标识", "直达标识"),
    AMOUNT: ("支付金额（元）", "支付金额", "金额（元）", "实付金额", "实付金额（元）", "金额"),
    PAYEE: ("收款人", "收款人名称", "收款人全称"),
}
LABELS = {key: names[0] for key, names in ALIASES.items()}
LOOKUP = {clean_text(name): key for key, names in ALIASES.items() for name in names}
REQUIRED = (VOUCHER, PAID_ON, PREFECTURE, COUNTY, DOCUMENT, FUNCTION, MARK, AMOUNT)
# A title or a unit line may stand above the heading row.
HEADER_SEARCH_ROWS = 10
_CHUNK = 1 << 16

NO_HEADER = "找不到表头行（{}）。".format(" / ".join(LABELS[key] for key in REQUIRED))
EMPTY_FILE = "文件是空的，没有可导入的内容。"
NOT_XLSX = "文件不是有效的 Excel 工作簿（.xlsx）。如果是 CSV 文件，请把扩展名改为 .csv 后再导入。"


def max_rows():
    return settings.PAYMENT_IMPORT_MAX_ROWS


def too_many_rows():
    return f"文件超过 {max_rows():,} 行数据的上限，请拆分后再导入。"


def _header_key(value):
    # A BOM read as text (an --encoding utf-8 file that has one) is not part of the heading.
    return clean_text(value).lstrip("\ufeff")


def _columns(values):
    return header_columns([_header_key(v) for v in values], LOOKUP, REQUIRED)


def _data_rows(rows):
    """Find the heading row in the first rows, then yield (row number, {key: value}) for each non-empty row."""
    columns = None
    for number, values in rows:
        if columns is None:
            columns = _columns(values)
            if columns is None and number >= HEADER_SEARCH_ROWS:
                raise WorkbookError(NO_HEADER)
            continue
        if not any(v is not None and str(v).strip() for v in values):
            continue
        yield number, {key: (values[index] if index < len(values) else None) for key, index in columns.items()}
    if columns is None:
        raise WorkbookError(NO_HEADER)


def is_xlsx(source, name):
    suffix = Path(str(name or "")).suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        return True
    if suffix in (".csv", ".txt"):
        return False
    head = _head(source)
    return head.startswith(b"PK")


def _head(source):
    if isinstance(source, (str, Path)):
        with open(source, "rb") as handle:
            return handle.read(8)
    source.seek(0)
    head = source.read(8)
    source.seek(0)
    return head


def _size(source):
    if isinstance(source, (str, Path)):
        return Path(source).stat().st_size
    source.seek(0, io.SEEK_END)
    size = source.tell()
    source.seek(0)
    return size


def read_rows(source, name, encoding=None):
    """(description of the file, a generator of data rows); WorkbookError for what cannot be read at all."""
    if _size(source) == 0:
        raise WorkbookError(EMPTY_FILE)
    if is_xlsx(source, name):
        return "XLSX", _xlsx_rows(source)
    chosen = detect_encoding(source, encoding)
    return f"CSV（{chosen}）", _csv_rows(source, chosen)


# ---- XLSX


def _is_table(sheet):
    rows = sheet.iter_rows(max_row=HEADER_SEARCH_ROWS, values_only=True)
    return any(_columns(values) for values in rows)


def _xlsx_rows(source):
    try:
        check_file(source)
    except WorkbookError as refused:
        if "不是有效的 Excel" in str(refused):
            raise WorkbookError(NOT_XLSX) from None
        raise
    # Past the limit by the heading's rows at most; _limited counts data rows exactly.
    scanned = scan(source, max_rows=max_rows() + HEADER_SEARCH_ROWS, too_many_rows=too_many_rows())
    return _sheet_rows(source, scanned)


def _sheet_rows(source, scanned):
    with reading(source) as workbook:
        sheet = only_table_sheet(
            workbook, scanned, _is_table, NO_HEADER, "工作簿中有多个支付明细工作表（%(names)s），请每次只导入一个。"
        )
        formulas = sorted(scanned[sheet.title].formulas)
        if formulas:
            row, column = formulas[0]
            raise WorkbookError(
                f"工作表“{sheet.title}”第{row}行第{column}列是公式：支付数据须为数值和文字，请改为数值后再导入。"
            )
        yield from _limited(_data_rows(enumerate(sheet.iter_rows(values_only=True), start=1)))


def _limited(rows):
    limit = max_rows()
    for count, (number, values) in enumerate(rows, start=1):
        if count > limit:
            raise WorkbookError(f"第{number}行：{too_many_rows()}")
        yield number, values


# ---- CSV


def _open_binary(source):
    if isinstance(source, (str, Path)):
        return open(source, "rb"), True
    source.seek(0)
    return source, False


def _decodes(source, encoding, limit=None):
    """Whether the file decodes strictly, or its first limit bytes do when a limit is given."""
    handle, close = _open_binary(source)
    decoder = codecs.getincrementaldecoder(encoding)("strict")
    left = limit
    try:
        while chunk := handle.read(_CHUNK if left is None else min(_CHUNK, left)):
            decoder.decode(chunk)
            if left is not None:
                left -= len(chunk)
                if not left:
                    return True  # a character cut at the limit is not an error
        decoder.decode(b"", final=True)
        return True
    except UnicodeDecodeError:
        return False
    finally:
        if close:
            handle.close()
        else:
            handle.seek(0)


def detect_encoding(source, given=None, limit=None):
    if given:
        try:
            return codecs.lookup(given).name
        except LookupError:
            raise WorkbookError(f"不认识的编码“{given}”，请使用 utf-8、utf-8-sig 或 gb18030。") from None
    for encoding in ("utf-8-sig", "gb18030"):
        if _decodes(source, encoding, limit):
            return encoding
    raise WorkbookError("无法识别 CSV 文件的编码（既不是 UTF-8 也不是 GB18030/GBK），请另存为“CSV UTF-8（逗号分隔）”后再导入。")


def _csv_records(source, encoding):
    handle, close = _open_binary(source)
    text = io.TextIOWrapper(handle, encoding=encoding, errors="strict", newline="")
    number = 0
    try:
        for number, values in enumerate(csv.reader(text), start=1):
            yield number, [value if value.strip() else None for value in values]
    except UnicodeDecodeError:
        raise WorkbookError(f"第{number + 1}行附近：不能按 {encoding} 编码读取，请确认文件的编码后再导入。") from None
    except csv.Error as broken:
        raise WorkbookError(f"第{number + 1}行：CSV 格式有误（{broken}）。") from None
    finally:
        text.detach()
        if close:
            handle.close()


def _csv_rows(source, encoding):
    yield from _limited(_data_rows(_csv_records(source, encoding)))


# ---- For the PostgreSQL fast path (treasury.staging)

FAST_ENCODINGS = ("utf-8-sig", "utf-8", "gb18030")


# A fast path guesses from the file's first megabyte, not a whole decoding pass: a byte further on that
# the guess cannot decode fails it, and the Python path, which decodes the whole file first, reads the file.
_SNIFF = 1 << 20


def heading_first(source, name, encoding=None):
    """(encoding, ({column key: index}, fields), binary handle just past the heading line, whether to close it).

    None unless the file is a CSV in one of FAST_ENCODINGS whose first line is
    the heading, alone on it (a title above it: the Python path finds it).
    """
    if is_xlsx(source, name) or _size(source) == 0:
        return None
    chosen = detect_encoding(source, encoding, limit=_SNIFF)
    if chosen not in FAST_ENCODINGS:
        return None
    handle, close = _open_binary(source)
    columns = None
    try:
        line = handle.readline(1 << 16)
        records = list(csv.reader(io.StringIO(line.decode(chosen), newline=""))) if line.endswith(b"\n") else []
        if len(records) == 1:
            columns = _columns([value if value.strip() else None for value in records[0]])
    finally:
        if columns is None and close:
            handle.close()
    return None if columns is None else (chosen, (columns, len(records[0])), handle, close)
