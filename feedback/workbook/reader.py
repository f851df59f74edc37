"""Stage 1 of the import: a filled-in 附件3 workbook into plain rows.

Every quirk of the file is handled here: the title block, headers repeated
after page breaks, blank rows, the printed template's empty numbered rows,
full-width digits, numbers typed as text, NBSP, formulas, and the notes under
the table. What comes out knows nothing of openpyxl; matching rows to the
report and the rules are stage 2 (importing.py).
"""

import re
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from core.sheet_scan import scan, visible_only
from core.workbook import (
    WorkbookError,
    cached_values,
    cell as _cell,
    check_file,
    clean_text,
    formula_refusal,
    header_columns,
    is_formula,
    reading,
    to_amount,
)
from feedback.progress import CENT, HUNDRED
from feedback.workbook.export import MONTH_LABEL, PREFECTURE_LABEL, SIGNATURE, version_property

__all__ = ["FeedbackRow", "ReadResult", "WorkbookError", "read_workbook"]

HEADER_ALIASES = {
    "position": ("序号",),
    "fund_name": ("收到的财政专项资金名称", "财政专项资金名称", "资金名称"),
    "document_number": ("文号",),
    "amount": ("资金金额",),
    "spent": ("实际支出金额",),
    "uses": ("资金支出方向",),
    "unspent": ("未支出金额",),
    "progress": ("实际支出进度",),
    "reason": ("未按计划或预算执行要求支出的原因", "未按计划支出的原因", "原因"),
    "measure": ("整改措施及整改时间", "整改措施"),
    # Not one of the official ten: a file without it (the notice's own blank form) leaves the explanations alone.
    "difference_explanation": ("差异说明", "差异说明（与国库集中支付数不一致时填写）"),
}
REQUIRED_COLUMNS = ("document_number", "amount", "spent", "uses", "reason", "measure")
HEADER_TEXT = "序号 / 收到的财政专项资金名称 / 文号 / 资金金额 / 实际支出金额 / 资金支出方向 / …"
SIGNATURE_START = clean_text(SIGNATURE[0][0])[:4]  # "填报单位", whatever the bureau wrote after it
# A prefecture has a handful of lines; this only stops a runaway file.
MAX_ROWS = 5000


def too_many_rows():
    return f"工作表超过 {MAX_ROWS} 行的上限，请检查是否选错了文件。"


def _header_key(value):
    # "资金金额（万元）" and "实际支出进度(%)" are the same columns.
    return re.sub(r"\((万元|%)\)$", "", clean_text(value))


_HEADER_LOOKUP = {_header_key(alias): key for key, aliases in HEADER_ALIASES.items() for alias in aliases}
_DEADLINE = re.compile(r"[（(]?\s*整改(?:时间|期限)\s*[:：]\s*([^）)]*?)\s*[）)]?\s*$")


@dataclass
class FeedbackRow:
    row: int
    document_number: str = ""
    fund_name: str = ""
    # Decimal when the cell holds a number (text numbers included); the raw
    # text otherwise, for stage 2 to report; None when empty.
    amount: object = None
    spent: object = None
    uses: str = ""
    # 实际支出进度 in percent (60.28), read from the number 0.6028 this app
    # writes or the text "60.28%" it wrote before; the text as found when it is
    # neither; None when empty. Derived, so stage 2 recomputes it and never
    # trusts it: read so that both forms of the column are understood.
    progress: object = None
    reason: str = ""
    measure: str = ""
    deadline: str = ""  # as written; stage 2 parses it
    # 差异说明 as written; None when the sheet has no such column (then the stored one stays).
    difference_explanation: str | None = None


@dataclass
class ReadResult:
    sheet_title: str = ""
    prefecture_name: str = ""  # from the title block, when it names one
    month_text: str = ""
    version: int | None = None  # the report version the file was exported from
    rows: list = field(default_factory=list)
    errors: list = field(default_factory=list)
    columns: dict = field(default_factory=dict)


def text(value):
    """A free-text cell as written, with NBSP and the ends' spaces gone."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):
        return value.isoformat()
    return str(value).replace("\xa0", " ").replace("\u3000", " ").strip()


def to_progress(value):
    """实际支出进度 as a percent Decimal: 0.6028 (a number, as exported) and "60.28%" (text) both give 60.28."""
    try:
        return _progress(value)
    except (InvalidOperation, ValueError):
        # An infinity or a number past Decimal's precision: kept as found, like any unreadable text.
        return text(value)


def _progress(value):
    if value is None or isinstance(value, bool):
        return None if value is None else str(value)
    if isinstance(value, (int, float, Decimal)):
        return _percent(to_amount(value))
    written = clean_text(value)
    if written == "":
        return None
    if written.endswith("%"):
        number = to_amount(written[:-1])
        return number.quantize(CENT, rounding=ROUND_HALF_UP) if isinstance(number, Decimal) else text(value)
    number = to_amount(written)
    # A number typed as text is the fraction, as a number cell holds it.
    return _percent(number) if isinstance(number, Decimal) else text(value)


def _percent(fraction):
    return (fraction * HUNDRED).quantize(CENT, rounding=ROUND_HALF_UP)


def split_measure(value):
    """整改措施及整改时间 -> (measure, deadline text)."""
    if isinstance(value, (date, datetime)):
        return "", text(value)
    written = text(value)
    found = _DEADLINE.search(written)
    if not found:
        return written, ""
    measure = written[: found.start()].rstrip(" ;；,，。")
    return measure, found.group(1).strip()


def _header_columns(values):
    return header_columns([_header_key(value) for value in values], _HEADER_LOOKUP, REQUIRED_COLUMNS)


def _title_value(texts, label):
    folded = clean_text(label)
    for cell in texts:
        if cell.startswith(folded):
            return cell[len(folded):]
    return None


def _header_prefecture(sheet):
    """(True, the 地（州、市）of its title block) for a sheet with the table's header; (False, "") otherwise."""
    prefecture = ""
    for values in sheet.iter_rows(max_row=30, values_only=True):
        texts = [clean_text(v) for v in values]
        prefecture = _title_value(texts, PREFECTURE_LABEL) or prefecture
        if _header_columns(values):
            return True, prefecture
    return False, ""


def _sheets_with_header(workbook, scanned):
    def is_table(sheet):
        return _header_prefecture(sheet)[0]

    found = []
    for sheet in visible_only(workbook.worksheets, scanned, is_table):
        has_header, prefecture = _header_prefecture(sheet)
        if has_header:
            found.append((sheet, prefecture))
    return found


def _pick_sheet(workbook, prefecture_name, scanned):
    found = _sheets_with_header(workbook, scanned)
    if not found:
        raise WorkbookError(f"找不到表头行（{HEADER_TEXT}）。请使用附件3的格式。")
    if len(found) == 1:
        return found[0][0]
    wanted = clean_text(prefecture_name)
    for sheet, named in found:
        if wanted and (named == wanted or clean_text(sheet.title) == wanted):
            return sheet
    names = "、".join(sheet.title for sheet, _ in found)
    raise WorkbookError(f"工作簿中有多个反馈表工作表（{names}），其中没有 {prefecture_name} 的工作表。")


def _version(workbook, prefecture_name, month):
    if not prefecture_name or month is None:
        return None
    wanted = version_property(prefecture_name, month)
    for prop in workbook.custom_doc_props:
        if prop.name == wanted and isinstance(prop.value, int):
            return prop.value
    return None


def read_workbook(source, prefecture_name="", month=None, progress=None):
    """Read the prefecture's 附件3 sheet into FeedbackRows. Raises WorkbookError.

    prefecture_name picks the sheet of a region-wide workbook; with month, it
    also finds the version the sheet was exported from.
    """
    check_file(source)
    scanned = scan(source, max_rows=MAX_ROWS, too_many_rows=too_many_rows())
    with reading(source) as workbook:
        sheet = _pick_sheet(workbook, prefecture_name, scanned)
        result = _read_sheet(sheet, progress)
        result.version = _version(workbook, result.prefecture_name or prefecture_name, month)
        formulas = [(row, name) for row in result.rows for name in ("amount", "spent") if is_formula(getattr(row, name))]
        if formulas:
            _refuse_formulas(source, sheet.title, formulas, result)
        return result


def _refuse_formulas(source, sheet_title, formulas, result):
    # An amount must be a number, not a formula whose cached value is trusted (core.workbook.cached_values).
    cached = cached_values(source, sheet_title, [(row.row, result.columns[name]) for row, name in formulas])
    for row, name in formulas:
        value = cached.get((row.row, result.columns[name]))
        label = "资金金额" if name == "amount" else "实际支出金额"
        result.errors.append(formula_refusal(f"工作表第{row.row}行", label, getattr(row, name), value))
        setattr(row, name, to_amount(value))


def _read_sheet(sheet, progress=None):
    result = ReadResult(sheet_title=sheet.title)
    columns = None
    for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
        if number > MAX_ROWS:
            raise WorkbookError(too_many_rows())
        if progress:
            progress(number, sheet.max_row)
        texts = [clean_text(v) for v in values]
        joined = "".join(texts)
        header = _header_columns(values)
        if header:
            # The header repeats after each page break; it must not move.
            if columns is None:
                columns = header
            elif header != columns:
                result.errors.append(f"工作表第{number}行：重复的表头与第一个表头的列位置不同。")
            continue
        if columns is None or (not clean_text(_cell(values, columns, "document_number")) and _is_decoration(joined)):
            name = _title_value(texts, PREFECTURE_LABEL)
            month = _title_value(texts, MONTH_LABEL)
            result.prefecture_name = name or result.prefecture_name
            result.month_text = month or result.month_text
            continue
        if joined.startswith(("说明", SIGNATURE_START)) and not clean_text(_cell(values, columns, "document_number")):
            break  # the notes, or the lines the bureau signs (填报单位（盖章）…), close the table
        row = _row(number, values, columns)
        if row is not None:
            result.rows.append(row)
    if columns is None:
        raise WorkbookError(f"找不到表头行（{HEADER_TEXT}）。请使用附件3的格式。")
    result.columns = columns
    return result


def _is_decoration(joined):
    """Label, title and title-block rows, wherever a page break puts them."""
    return (
        joined == ""
        or joined.startswith("附件")
        or joined.endswith("跟踪反馈表")
        or joined.startswith(clean_text(PREFECTURE_LABEL))
        or ("单位" in joined and "万元" in joined)
    )


def _row(number, values, columns):
    position = clean_text(_cell(values, columns, "position"))
    fund_name = text(_cell(values, columns, "fund_name"))
    if "合计" in (position, clean_text(fund_name)):
        return None  # computed, never read back
    measure, deadline = split_measure(_cell(values, columns, "measure"))
    row = FeedbackRow(
        row=number,
        document_number=text(_cell(values, columns, "document_number")),
        fund_name=fund_name,
        amount=to_amount(_cell(values, columns, "amount")),
        spent=to_amount(_cell(values, columns, "spent")),
        uses=text(_cell(values, columns, "uses")),
        progress=to_progress(_cell(values, columns, "progress")),
        reason=text(_cell(values, columns, "reason")),
        measure=measure,
        deadline=deadline,
        difference_explanation=text(_cell(values, columns, "difference_explanation")) if "difference_explanation" in columns else None,
    )
    filled = (
        row.document_number, row.fund_name, row.amount, row.spent, row.uses, row.reason, row.measure, row.deadline,
        row.difference_explanation,
    )
    if not any(value not in ("", None) for value in filled):
        return None  # a blank row, or the printed template's numbered empty row
    return row

