"""The 绩效自评表 workbook of one evaluation, in the layout of the central template (财预〔2020〕10号):
the fund block (预算数, 执行数, 分值, 执行率, 得分), the year's goal, then one row per 三级 indicator
(一级, 二级, 三级, 年度指标值, 全年实际完成值, 分值, 得分, 计分说明), and the total with its grade.
"""

from io import BytesIO

from django.utils.functional import Promise
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side

from core.i18n import in_chinese
from core.safe_export import safe_sheet_title, set_text_cell
from evaluation.models import Group

_WRAP = Alignment(wrap_text=True, vertical="center")
_CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
_THIN = Side(style="thin")
_BOX = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
HEADINGS = ["一级指标", "二级指标", "三级指标", "年度指标值", "全年实际完成值", "分值", "得分", "计分说明"]
COLUMNS = len(HEADINGS)


def _put(sheet, row, column, value, alignment=_WRAP, bold=False):
    cell = sheet.cell(row=row, column=column)
    if isinstance(value, (str, Promise)):
        set_text_cell(cell, value)
    else:
        cell.value = value
    cell.alignment = alignment
    cell.border = _BOX
    if bold:
        cell.font = Font(bold=True)
    return cell


def _level2(row):
    indicator = row.target.indicator if row.target_id else None
    return indicator.get_level2_display() if indicator else ""


@in_chinese
def build_workbook(evaluation):
    table = evaluation.table
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = safe_sheet_title(f"{evaluation.prefecture.name}绩效自评表", fallback="绩效自评表")
    title = sheet.cell(row=1, column=1)
    set_text_cell(title, f"{evaluation.prefecture.name}{table.fund_name}转移支付区域绩效自评表")
    title.font, title.alignment = Font(bold=True, size=16), _CENTER
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=COLUMNS)
    set_text_cell(sheet.cell(row=2, column=1), f"（{evaluation.year}年度）").alignment = _CENTER
    sheet.merge_cells(start_row=2, start_column=1, end_row=2, end_column=COLUMNS)

    _put(sheet, 3, 1, "项目名称", _CENTER, True)
    _put(sheet, 3, 2, table.fund_name)
    _put(sheet, 3, 4, "文号", _CENTER, True)
    _put(sheet, 3, 5, table.document.number)
    _put(sheet, 4, 1, "主管部门", _CENTER, True)
    _put(sheet, 4, 2, table.authority)
    _put(sheet, 4, 4, "地（州、市）", _CENTER, True)
    _put(sheet, 4, 5, evaluation.prefecture.name)

    _put(sheet, 5, 1, "资金情况（万元）", _CENTER, True)
    sheet.merge_cells("A5:A6")
    for column, heading in enumerate(["全年预算数", "全年执行数", "分值", "执行率（%）", "得分", "支出来源"], start=2):
        _put(sheet, 5, column, heading, _CENTER, True)
    rate = evaluation.execution_rate
    for column, value in enumerate(
        [evaluation.allocated, evaluation.spent, evaluation.weight_execution, rate if rate is not None else "—",
         evaluation.execution_score, evaluation.spent_source],
        start=2,
    ):
        _put(sheet, 6, column, value)

    _put(sheet, 7, 1, "年度总体目标", _CENTER, True)
    _put(sheet, 7, 2, table.goal_text)
    sheet.merge_cells(start_row=7, start_column=2, end_row=7, end_column=COLUMNS)
    sheet.row_dimensions[7].height = 60

    for column, heading in enumerate(HEADINGS, start=1):
        _put(sheet, 8, column, heading, _CENTER, True)
    row_number = 9
    rows = list(evaluation.scores.select_related("target__indicator").order_by("position"))
    for group in Group:
        members = [row for row in rows if row.group == group]
        if not members:
            continue
        first = row_number
        for row in members:
            _put(sheet, row_number, 1, group.label)
            _put(sheet, row_number, 2, _level2(row))
            _put(sheet, row_number, 3, row.wording)
            _put(sheet, row_number, 4, row.target_raw)
            _put(sheet, row_number, 5, row.actual_raw or "—")
            _put(sheet, row_number, 6, row.weight)
            _put(sheet, row_number, 7, row.score if row.score is not None else "待评分")
            _put(sheet, row_number, 8, row.reason or row.note)
            row_number += 1
        if row_number - 1 > first:
            sheet.merge_cells(start_row=first, start_column=1, end_row=row_number - 1, end_column=1)
    _put(sheet, row_number, 1, "总分", _CENTER, True)
    sheet.merge_cells(start_row=row_number, start_column=1, end_row=row_number, end_column=5)
    _put(sheet, row_number, 6, 100)
    _put(sheet, row_number, 7, evaluation.score, bold=True)
    _put(sheet, row_number, 8, f"等级：{evaluation.get_grade_display()}", bold=True)
    for letter, width in zip("ABCDEFGH", (12, 14, 40, 18, 18, 8, 10, 36)):
        sheet.column_dimensions[letter].width = width
    return workbook


def workbook_bytes(evaluation):
    buffer = BytesIO()
    build_workbook(evaluation).save(buffer)
    return buffer.getvalue()
