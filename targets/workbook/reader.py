"""Stage 1 of a target-table import: an official-layout 附件2 workbook into plain rows.

Every quirk of the layout is handled here and only here: the title and year
rows, the header block in whatever columns it sits, merged or blank level
cells, blank and decoration rows, the header repeated after a page break,
full-width characters in labels, values stored as numbers (12.3 stays
"12.3", 70000 never becomes "70000.0"), and rows the PDF text shifted one
column left. What comes out is a header dict and TargetRows, for
targets.importing.check_targets.
"""

import re
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils import translation

from core.sheet_scan import only_table_sheet, scan
from core.workbook import WorkbookError, check_file, clean_text, header_columns, reading
from targets.importing import HEADER_FIELDS, TargetRow
from targets.models import Level1, Level2

MAX_ROWS = 2000
MAX_BLANK_RUN = 500
HEADER_TEXT = "绩效指标 / 一级指标 / 二级指标 / 三级指标 / 指标值"
COLUMN_LABELS = {"一级指标": "level1", "二级指标": "level2", "三级指标": "wording", "指标值": "value"}
# The workbook is the official Chinese form whatever the interface language.
with translation.override("zh-hans"):
    LEVEL_LABELS = {clean_text(str(label)) for label in Level1.labels + Level2.labels}
_YEAR = re.compile(r"^[(]?\d{4}年度[)]?$")


def too_many_rows():
    return f"工作表超过 {MAX_ROWS} 行的上限，不像是一张绩效目标表。"


@dataclass
class ReadResult:
    header: dict = field(default_factory=lambda: dict.fromkeys(HEADER_FIELDS, ""))
    rows: list = field(default_factory=list)
    errors: list = field(default_factory=list)


def cell_text(value):
    """A cell as the text a person reads in it: numbers without a trailing ".0"."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        # repr() is the shortest text that round-trips: 12.3 -> "12.3".
        value = Decimal(repr(value))
    if isinstance(value, Decimal):
        if not value.is_finite():
            return str(value)
        if value == value.to_integral_value():
            return str(value.quantize(Decimal(1)))
        return format(value.normalize(), "f")
    return str(value).strip()


def _table_columns(texts):
    return header_columns(texts, COLUMN_LABELS, ("wording", "value"))


def _is_table(sheet):
    return any(_table_columns([clean_text(v) for v in values]) for values in sheet.iter_rows(max_row=60, values_only=True))


def _find_sheet(workbook, scanned):
    return only_table_sheet(
        workbook,
        scanned,
        _is_table,
        f"找不到指标表头行（{HEADER_TEXT}）。请使用附件2的格式。",
        "工作簿中有多个绩效目标表工作表（%(names)s），请每个文件只保留一张表后再导入。",
    )


def read_workbook(source, progress=None):
    """Read the one target sheet. Raises WorkbookError when there is none to read."""
    check_file(source)
    scanned = scan(source, max_rows=MAX_ROWS, too_many_rows=too_many_rows())
    with reading(source) as workbook:
        return _read_sheet(_find_sheet(workbook, scanned), progress)


def _read_sheet(sheet, progress=None):
    result = ReadResult()
    block = []
    columns = None
    filled = blank_run = 0
    for number, cells in enumerate(sheet.iter_rows(), start=1):
        if progress:
            progress(number, sheet.max_row)
        values = [getattr(cell, "value", None) for cell in cells]
        folded = [clean_text(v) for v in values]
        if not any(folded):
            blank_run += 1
            if blank_run > MAX_BLANK_RUN:
                # Formatting applied to whole columns makes a sheet "end" at
                # row 1048576: the table is long over by then.
                break
            continue
        blank_run = 0
        filled += 1
        if filled > MAX_ROWS:
            raise WorkbookError(too_many_rows())
        found = _table_columns(folded)
        if found:
            if columns is None:
                columns = found
            # A header repeated after a page break is skipped.
            continue
        if columns is None:
            block.append([(index, cell_text(v)) for index, v in enumerate(values) if cell_text(v)])
            continue
        row = _target_row(number, cells, values, columns, result.errors)
        if row is not None:
            result.rows.append(row)
    if columns is None:
        raise WorkbookError(f"找不到指标表头行（{HEADER_TEXT}）。请使用附件2的格式。")
    _read_header_block(block, result.header)
    return result


def _is_decoration(texts):
    joined = "".join(clean_text(t) for t in texts)
    return (
        joined == ""
        or joined.startswith("附件")
        or joined.startswith("单位:")
        or joined.endswith("绩效目标表")
        or bool(_YEAR.match(joined))
    )


def _target_row(number, cells, values, columns, errors):
    def at(key):
        index = columns.get(key)
        return values[index] if index is not None and index < len(values) else None

    value_index = columns["value"]
    value_cell = cells[value_index] if value_index < len(cells) else None
    if getattr(value_cell, "data_type", None) == "f":
        errors.append(f"第{number}行 指标值：是公式（{value_cell.value}），请改为数值或文字。")
        return None
    level_texts = [cell_text(at("level1")), cell_text(at("level2"))]
    wording, raw = cell_text(at("wording")), cell_text(at("value"))
    if _is_decoration(level_texts + [wording, raw]):
        return None
    # A level cell holding something other than a level's name is a wording
    # (or value) that slipped one column left: read it where a person would.
    content = [text for text in level_texts if text and clean_text(text) not in LEVEL_LABELS]
    if content and not (wording and raw):
        items = content + [text for text in (wording, raw) if text]
        if len(items) >= 2:
            wording, raw = items[-2], items[-1]
        else:
            wording = items[0]
    if not wording and not raw:
        return None
    return TargetRow(number, wording, raw)


def _is_label(text):
    folded = clean_text(text)
    return len(folded) <= 30 and (
        folded in ("资金名称", "总体目标", "实施期")
        or folded.endswith(("主管部门", "财政部门"))
    )


def _pairs(cells):
    """(label, value) for each label of a header row; a label with no value gets ""."""
    pairs = []
    for _index, text in cells:
        if _is_label(text):
            pairs.append([text, ""])
        elif pairs and not pairs[-1][1]:
            pairs[-1][1] = text
    return pairs


def _read_header_block(block, header):
    goal_lines = None
    for cells in block:
        texts = [text for _index, text in cells]
        if goal_lines is not None:
            goal_lines.extend(texts)
            continue
        if not cells:
            continue
        pairs = _pairs(cells)
        if not pairs:
            folded = clean_text("".join(texts))
            if _YEAR.match(folded):
                header["year_label"] = header["year_label"] or texts[0]
            elif not header["title"] and not folded.startswith("附件"):
                header["title"] = texts[0]
            continue
        has_finance = any(clean_text(label).endswith("财政部门") for label, _ in pairs)
        for label, value in pairs:
            folded = clean_text(label)
            if folded == "资金名称":
                header["fund_name"] = value
            elif folded == "实施期":
                header["period_label"], header["period"] = label, value
            elif folded.endswith("财政部门"):
                header["finance_label"], header["finance_department"] = label, value
            elif folded.endswith("主管部门"):
                if has_finance or header["authority_label"]:
                    header["local_label"], header["local_department"] = label, value
                else:
                    header["authority_label"], header["authority"] = label, value
            elif folded == "总体目标":
                goal_lines = [value] if value else []
    if goal_lines:
        # A heading (年度目标) sits beside the label when the goal follows below it.
        if len(goal_lines) > 1:
            header["goal_heading"] = goal_lines[0]
            goal_lines = goal_lines[1:]
        header["goal_text"] = "\n".join(goal_lines)
