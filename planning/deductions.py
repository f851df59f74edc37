"""The deductions file (审计和督查检查发现问题扣减), XLSX: one row per finding.

Columns 地（州、市）, 扣减金额（万元）, 扣减原因, 来源文号; the header may sit
below title rows. Every row needs all four: a deduction without its reason
and the document that found the problem cannot be traced, so it is refused.
Whether a deduction is larger than the prefecture's share is decided later
(planning/adjustments.py), once the share is known.
"""

from django.conf import settings

from core.amounts import amount_or_problem
from core.refusals import ImportRefused
from core.sheet_scan import is_hidden, scan
from core.workbook import WorkbookError, check_file, clean_text, header_columns, is_formula, reading
from planning.adjustments import Deduction
from planning.precision import ZERO

HEADINGS = {
    clean_text("地（州、市）"): "prefecture",
    clean_text("扣减金额（万元）"): "amount",
    clean_text("扣减金额"): "amount",
    clean_text("扣减原因"): "reason",
    clean_text("原因"): "reason",
    clean_text("来源文号"): "source",
    clean_text("文号"): "source",
}
REQUIRED = ("prefecture", "amount", "reason", "source")
_HEADER_SEARCH_ROWS = 10


def read_deductions(source, prefectures):
    """[Deduction] in file order; ImportRefused naming each bad row. prefectures: {cleaned name: name}."""
    errors, found = [], []
    try:
        check_file(source)
        scanned = scan(
            source,
            max_rows=settings.ALLOCATION_IMPORT_MAX_ROWS,
            too_many_rows=f"扣减表超过 {settings.ALLOCATION_IMPORT_MAX_ROWS} 行的上限，请拆分后再导入。",
        )
        with reading(source) as workbook:
            sheets = [sheet for sheet in workbook.worksheets if not is_hidden(sheet.title, scanned)]
            if not sheets:
                raise WorkbookError("扣减表中没有可读取的工作表。")
            title = sheets[0].title
            rows = sheets[0].iter_rows(values_only=True)
            columns = None
            for number, values in enumerate(rows, start=1):
                columns = header_columns([clean_text(value) for value in values], HEADINGS, REQUIRED)
                if columns or number >= _HEADER_SEARCH_ROWS:
                    break
            if not columns:
                raise WorkbookError(
                    f"扣减表工作表“{title}”：前{_HEADER_SEARCH_ROWS}行中找不到表头行（地（州、市）、扣减金额（万元）、扣减原因、来源文号）。"
                )
            for number, values in enumerate(rows, start=number + 1):
                cells = {key: values[index] if index < len(values) else None for key, index in columns.items()}
                if all(value in (None, "") for value in cells.values()):
                    break
                found.append((number, cells))
    except WorkbookError as error:
        raise ImportRefused([str(error)]) from None

    deductions = []
    for number, cells in found:
        where = f"扣减表第{number}行"
        name = clean_text(cells["prefecture"])
        prefecture = prefectures.get(name)
        if not name:
            errors.append(f"{where}：缺少地（州、市）名称。")
        elif prefecture is None:
            errors.append(f"{where}：未知的地（州、市）“{name}”。")
        if is_formula(cells["amount"]):
            errors.append(f"{where} 扣减金额：是公式（{cells['amount']}），金额须为数值。")
            continue
        amount, problem = amount_or_problem(cells["amount"], "扣减金额")
        if problem:
            errors.append(f"{where}：{problem}")
        elif amount is None:
            errors.append(f"{where}：扣减金额为空。")
        elif amount <= ZERO:
            errors.append(f"{where}：扣减金额应大于 0。")
        reason = str(cells["reason"] or "").strip()
        source_number = str(cells["source"] or "").strip()
        if not reason:
            errors.append(f"{where}：缺少扣减原因。")
        if not source_number:
            errors.append(f"{where}：缺少来源文号。")
        if prefecture and amount and amount > ZERO and reason and source_number and not problem:
            deductions.append(Deduction(prefecture, amount, reason, source_number, number))
    if not found and not errors:
        errors.append("扣减表表头下没有数据行。")
    if errors:
        raise ImportRefused(errors)
    return deductions
