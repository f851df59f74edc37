"""The factor sheet (因素表), XLSX: what the planning is computed from.

First visible sheet: one row per prefecture; the first column is 地（州、市）
and every other column a factor headed `因素名称（权重）`, e.g.
`城镇新增就业任务（0.4）`. An optional second visible sheet has 地（州、市）,
县（市、区） and the same factor columns, for the split within prefectures.
Title rows above the header are passed over; the rows end at the first row
whose name cells are empty.

Everything wrong is collected and refused together (ImportRefused), each
message naming its sheet, row and column: a missing, negative, non-numeric
or formula value; a heading without a weight; weights that do not sum to 1;
an unknown prefecture or county, or one listed twice. Nothing is written by
reading. The workbook kernel (core.workbook, core.sheet_scan) refuses what
no reader should open: not a workbook, encrypted, too large, too far, a
table only on a hidden sheet.
"""

import re
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from openpyxl.utils import get_column_letter

from core.refusals import ImportRefused
from core.sheet_scan import is_hidden, scan
from core.workbook import WorkbookError, check_file, clean_text, is_formula, reading, to_amount
from planning.factors import Factor
from planning.precision import ZERO

PREFECTURE_HEADING = clean_text("地（州、市）")
COUNTY_HEADING = clean_text("县（市、区）")
# After clean_text (NFKC) full-width brackets are ASCII ones.
_FACTOR_HEADING = re.compile(r"(?P<name>.+)\((?P<weight>[^()]*)\)")
_HEADER_SEARCH_ROWS = 10
ONE = Decimal(1)


@dataclass
class FactorRows:
    factors: list  # [Factor] in column order
    rows: dict  # name (as the sheet writes it, cleaned) -> {factor name: Decimal}
    row_numbers: dict  # name -> row


@dataclass
class FactorSheet:
    prefectures: FactorRows
    counties: FactorRows | None = None  # keys: (prefecture name, county name)
    sheet_titles: list = field(default_factory=list)


def _cell_name(row, column):
    return f"{get_column_letter(column + 1)}{row}"


def _factors_of(title, row_number, texts, first, errors):
    """[Factor] from the headings after the name columns, or None when a heading is unusable."""
    factors, seen = [], set()
    for index in range(first, len(texts)):
        text = texts[index]
        if not text:
            continue
        where = f"工作表“{title}”{_cell_name(row_number, index)} 表头“{text}”"
        match = _FACTOR_HEADING.fullmatch(text)
        if not match:
            errors.append(f"{where}：应为“因素名称（权重）”，如“城镇新增就业任务（0.4）”。")
            continue
        name, weight = match.group("name"), to_amount(match.group("weight"))
        if not isinstance(weight, Decimal) or not ZERO <= weight <= ONE:
            errors.append(f"{where}：权重“{match.group('weight')}”应为 0 到 1 之间的数。")
            continue
        if name in seen:
            errors.append(f"{where}：因素“{name}”重复。")
            continue
        seen.add(name)
        factors.append((index, Factor(name, weight)))
    if not factors and not errors:
        errors.append(f"工作表“{title}”第{row_number}行：没有因素列（表头形如“城镇新增就业任务（0.4）”）。")
    total = sum((factor.weight for _index, factor in factors), ZERO)
    if factors and total != ONE:
        shown = "＋".join(f"{factor.weight.normalize():f}" for _index, factor in factors)
        errors.append(f"工作表“{title}”第{row_number}行：各因素权重之和为 {total.normalize():f}（{shown}），应为 1。")
    return factors


def _read_table(sheet, name_headings, errors):
    """(factor columns, [(row number, names, {factor: value})]) from one sheet."""
    title = sheet.title
    rows = sheet.iter_rows(values_only=True)
    header = None
    for number, values in enumerate(rows, start=1):
        texts = [clean_text(value) for value in values]
        if texts[: len(name_headings)] == list(name_headings):
            header = number, texts
            break
        if number >= _HEADER_SEARCH_ROWS:
            break
    if header is None:
        wanted = "、".join(name_headings)
        errors.append(f"工作表“{title}”：前{_HEADER_SEARCH_ROWS}行中找不到表头行（第一列应为 {wanted}，其后为各因素列）。")
        return [], []
    header_row, texts = header
    columns = _factors_of(title, header_row, texts, len(name_headings), errors)
    found = []
    for number, values in enumerate(rows, start=header_row + 1):
        names = tuple(clean_text(values[i]) if i < len(values) else "" for i in range(len(name_headings)))
        if not any(names):
            if any(value not in (None, "") for value in values):
                errors.append(f"工作表“{title}”第{number}行：缺少{'、'.join(name_headings)}名称。")
                continue
            break
        if not all(names):
            missing = name_headings[names.index("")]
            errors.append(f"工作表“{title}”第{number}行：缺少{missing}名称。")
            continue
        figures = {}
        for index, factor in columns:
            raw = values[index] if index < len(values) else None
            where = f"工作表“{title}”第{number}行 {'/'.join(names)} {_cell_name(number, index)}（{factor.name}）"
            if is_formula(raw):
                errors.append(f"{where}：是公式（{raw}），因素值须为数值。")
                continue
            value = to_amount(raw)
            if value is None:
                errors.append(f"{where}：数值为空。")
            elif not isinstance(value, Decimal):
                errors.append(f"{where}：“{value}”不是数字。")
            elif value < ZERO:
                errors.append(f"{where}：数值 {value.normalize():f} 为负数。")
            else:
                figures[factor.name] = value
        found.append((number, names, figures))
    if columns and not found:
        errors.append(f"工作表“{title}”：表头下没有数据行。")
    return [factor for _index, factor in columns], found


def _visible_sheets(workbook, scanned):
    return [sheet for sheet in workbook.worksheets if not is_hidden(sheet.title, scanned)]


def read_factor_sheet(source, prefectures, counties):
    """A FactorSheet; ImportRefused with every problem found.

    prefectures: {cleaned name: name as stored}; counties: {(prefecture name, cleaned county name): county name}.
    """
    errors = []
    try:
        check_file(source)
        scanned = scan(
            source,
            max_rows=settings.ALLOCATION_IMPORT_MAX_ROWS,
            too_many_rows=f"因素表超过 {settings.ALLOCATION_IMPORT_MAX_ROWS} 行的上限，请拆分后再导入。",
        )
        with reading(source) as workbook:
            sheets = _visible_sheets(workbook, scanned)
            if not sheets:
                raise WorkbookError("工作簿中没有可读取的工作表。")
            factors, found = _read_table(sheets[0], (PREFECTURE_HEADING,), errors)
            county_sheet = None
            if len(sheets) > 1:
                county_sheet = _read_table(sheets[1], (PREFECTURE_HEADING, COUNTY_HEADING), errors)
            titles = [sheet.title for sheet in sheets[:2]]
    except WorkbookError as error:
        raise ImportRefused([str(error)]) from None

    result = FactorSheet(FactorRows(factors, {}, {}), sheet_titles=titles)
    for number, (name,), figures in found:
        known = prefectures.get(name)
        if known is None:
            errors.append(f"工作表“{titles[0]}”第{number}行：未知的地（州、市）“{name}”。")
        elif known in result.prefectures.rows:
            errors.append(f"工作表“{titles[0]}”第{number}行：{known} 重复（第{result.prefectures.row_numbers[known]}行已有）。")
        else:
            result.prefectures.rows[known] = figures
            result.prefectures.row_numbers[known] = number

    if county_sheet is not None:
        county_factors, county_rows = county_sheet
        if county_factors and [(f.name, f.weight) for f in county_factors] != [(f.name, f.weight) for f in factors]:
            errors.append(
                f"工作表“{titles[1]}”的因素列与工作表“{titles[0]}”不同：两表应有相同的“因素名称（权重）”列。"
            )
        result.counties = FactorRows(county_factors, {}, {})
        for number, (prefecture_name, county_name), figures in county_rows:
            prefecture = prefectures.get(prefecture_name)
            where = f"工作表“{titles[1]}”第{number}行"
            if prefecture is None:
                errors.append(f"{where}：未知的地（州、市）“{prefecture_name}”。")
                continue
            county = counties.get((prefecture, county_name))
            if county is None:
                errors.append(f"{where}：{prefecture} 没有名为“{county_name}”的县（市、区）。")
                continue
            if prefecture not in result.prefectures.rows and found:
                # Its counties would be split from a share it never gets.
                errors.append(f"{where}：{prefecture} 不在工作表“{titles[0]}”中，本次不参与分配。")
                continue
            key = (prefecture, county)
            if key in result.counties.rows:
                errors.append(f"{where}：{prefecture}/{county} 重复（第{result.counties.row_numbers[key]}行已有）。")
                continue
            result.counties.rows[key] = figures
            result.counties.row_numbers[key] = number

    # A row with a refused value has fewer figures than factors; it is already named above.
    if errors:
        raise ImportRefused(errors)
    return result
