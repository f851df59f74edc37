"""The official 附件2 layout of one target table, written with openpyxl.

Title, year, the header block (资金名称, 主管部门 [+ 实施期], 财政部门 + 地方
主管部门, 总体目标), then 绩效指标 / 一级指标 / 二级指标 / 三级指标 / 指标值 with
the level cells merged down their group. Levels come from the catalogue, not
from where the notice's PDF text happened to put them. Wordings and values are
written exactly as stored; what this writes, targets.workbook.reader reads
back unchanged.
"""

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side

from core.i18n import in_chinese
from core.safe_export import safe_sheet_title, set_text_cell
from targets.models import Level1, Level2

FUND_LABEL = "资金名称"
GOAL_LABEL = "总体目标"
HEADER = ("绩效指标", "一级指标", "二级指标", "三级指标", "指标值")
WIDTHS = {"A": 10, "B": 12, "C": 18, "D": 56, "E": 30}
TABLE_HEADER_ROW = 8
_THIN = Side(style="thin")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_WRAP = Alignment(wrap_text=True, vertical="center")
_CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
_LEVEL1_ORDER = {value: i for i, value in enumerate(Level1.values)}
_LEVEL2_ORDER = {value: i for i, value in enumerate(Level2.values)}


def _sort_key(target):
    indicator = target.indicator
    if indicator is None:
        # Unmapped wordings go last, in their own order.
        return (len(_LEVEL1_ORDER), len(_LEVEL2_ORDER), target.position, target.pk or 0)
    return (_LEVEL1_ORDER[indicator.level1], _LEVEL2_ORDER[indicator.level2], target.position, target.pk or 0)


def grouped_targets(targets):
    """[(一级 label, [(二级 label, [targets])])] in the catalogue's order.

    targets: Targets with their indicator loaded. An unmapped target has no
    level and sits in a last group labelled "".
    """
    groups = []
    for target in sorted(targets, key=_sort_key):
        indicator = target.indicator
        level1 = indicator.get_level1_display() if indicator else ""
        level2 = indicator.get_level2_display() if indicator else ""
        if not groups or groups[-1][0] != level1:
            groups.append((level1, []))
        level2_groups = groups[-1][1]
        if not level2_groups or level2_groups[-1][0] != level2:
            level2_groups.append((level2, []))
        level2_groups[-1][1].append(target)
    return groups


def _text(sheet, row, column, value, alignment=_WRAP):
    cell = set_text_cell(sheet.cell(row=row, column=column), value or None)
    cell.alignment = alignment
    return cell


def _label(sheet, row, column, value):
    _text(sheet, row, column, value, _CENTER).font = Font(bold=True)


def _write_header_block(sheet, table):
    _text(sheet, 1, 1, table.title, _CENTER).font = Font(bold=True, size=16)
    sheet.merge_cells("A1:E1")
    _text(sheet, 2, 1, table.year_label, _CENTER)
    sheet.merge_cells("A2:E2")

    _label(sheet, 3, 1, FUND_LABEL)
    _text(sheet, 3, 2, table.fund_name)
    sheet.merge_cells("B3:E3")

    _label(sheet, 4, 1, table.authority_label)
    _text(sheet, 4, 2, table.authority)
    if table.period_label or table.period:
        # Only the region's table has 实施期, beside the 主管部门.
        sheet.merge_cells("B4:C4")
        _label(sheet, 4, 4, table.period_label)
        _text(sheet, 4, 5, table.period)
    else:
        sheet.merge_cells("B4:E4")

    _label(sheet, 5, 1, table.finance_label)
    _text(sheet, 5, 2, table.finance_department)
    sheet.merge_cells("B5:C5")
    _label(sheet, 5, 4, table.local_label)
    _text(sheet, 5, 5, table.local_department)

    _label(sheet, 6, 1, GOAL_LABEL)
    sheet.merge_cells("A6:A7")
    _text(sheet, 6, 2, table.goal_heading, _CENTER)
    sheet.merge_cells("B6:E6")
    _text(sheet, 7, 2, table.goal_text)
    sheet.merge_cells("B7:E7")
    sheet.row_dimensions[7].height = 60


# The official form is Chinese whatever the interface language.
@in_chinese
def build_workbook(table, targets=None):
    """targets: the table's targets with indicators, if already fetched."""
    if targets is None:
        targets = table.targets.select_related("indicator")
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = safe_sheet_title("附件2")
    for column, width in WIDTHS.items():
        sheet.column_dimensions[column].width = width
    _write_header_block(sheet, table)

    for column, text in enumerate(HEADER, start=1):
        _label(sheet, TABLE_HEADER_ROW, column, text)
    sheet.print_title_rows = f"{TABLE_HEADER_ROW}:{TABLE_HEADER_ROW}"

    row = TABLE_HEADER_ROW
    for level1, level2_groups in grouped_targets(targets):
        level1_first = row + 1
        for level2, group in level2_groups:
            level2_first = row + 1
            for target in group:
                row += 1
                _text(sheet, row, 4, target.wording)
                _text(sheet, row, 5, target.raw_value)
            _text(sheet, level2_first, 3, level2, _CENTER)
            if row > level2_first:
                sheet.merge_cells(start_row=level2_first, start_column=3, end_row=row, end_column=3)
        _text(sheet, level1_first, 2, level1, _CENTER)
        if row > level1_first:
            sheet.merge_cells(start_row=level1_first, start_column=2, end_row=row, end_column=2)
    if row > TABLE_HEADER_ROW:
        # "绩效指标" heads the whole indicator block, as printed.
        sheet.merge_cells(start_row=TABLE_HEADER_ROW, start_column=1, end_row=row, end_column=1)

    for cells in sheet.iter_rows(min_row=3, max_row=row, max_col=len(HEADER)):
        for cell in cells:
            cell.border = _BORDER
    return workbook


def write_workbook(table, target, targets=None):
    """target: a path or a binary file object (an HttpResponse works)."""
    build_workbook(table, targets).save(target)
