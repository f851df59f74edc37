"""附件3 (自治区财政资金使用情况跟踪反馈表) as printed, written with openpyxl.

The label, the title, the 地州市 line with the month, the direct-funds mark
and the unit, the header, the 合计 row, one row per line and the notice's
three notes under the table, then the lines a bureau signs and stamps
(填报单位（盖章）, 填报人, 联系电话, 填报日期). 未支出金额, 实际支出进度 and 合计 come from
feedback.progress. The report's version travels in the workbook's custom
properties, so a file filled in from a stale copy is refused on import
instead of overwriting what was saved since. What this writes, reader.py
reads back unchanged.

实际支出进度 is a number (the fraction, 0.6028) shown as a percentage
(60.28%), so a sheet can sum and sort it; the reader also takes the text
"60.28%" of files written before. The form says 勿修改表格式, so what this
app adds rides in the official columns where it can: carried-over money
(结转资金) is marked in its fund name, with its time schedule in a note on the
进度 cell; a line the officer added (说明1) is marked "（自行添加）" after its
fund name ("（自行添加，非直达资金）" when it is not a direct fund); the
approval behind the tenth use is written into 资金支出方向 as
"经自治区人民政府批准的其他支出项目（批准文件：…）". importing.py parses all
three back. The one column of its own is 差异说明 (说明2: why a figure is not
the treasury's), after the official ten, so that the printed form's columns
stay where the notice has them.
"""

from dataclasses import dataclass, field

from django.db import transaction
from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.packaging.custom import IntProperty
from openpyxl.styles import Alignment, Border, Font, Side

from allocations.models import DirectMark, PermittedUse, Prefecture
from allocations.workbook.export import _amount_cell
from core.i18n import in_chinese
from core.safe_export import safe_sheet_titles, set_text_cell
from feedback.added_lines import ADDED_MARK, NOT_DIRECT_TEXT
from feedback.models import FeedbackReport
from feedback.progress import HUNDRED, figures, totals
from feedback.schedule import expected_progress, is_carried_over
from feedback.workbook.options import month_label
from feedback.obligations import received_subtotals
from feedback.workflow import open_report

LABEL = "附件3"
TITLE = "自治区财政资金使用情况跟踪反馈表"
PREFECTURE_LABEL = "地、州、市（单位）名称："
MONTH_LABEL = "填报月份："
MARK_LABEL = "直达资金标识："
UNIT = "单位：万元"
TOTAL_LABEL = "合计"
HEADER = (
    "序号",
    "收到的财政专项资金名称",
    "文号",
    "资金金额",
    "实际支出金额",
    "资金支出方向",
    "未支出金额",
    "实际支出进度",
    "未按计划或预算执行要求支出的原因",
    "整改措施及整改时间",
)
NOTES = (
    "说明：1、地、州、市（单位）根据实际收到财政专项资金情况自行添加行（勿修改表格式）。",
    "2、本表统计财政部门下达的一般公共预算和政府性基金支出情况，资金支出金额以国库集中支付数据为准。",
    "3、请各地、州、市（单位）于每月月末之前，将当月财政资金使用情况反馈至自治区财政厅社会保障处。",
)
# Under the table, as bureaus print, sign and stamp the form: (label, first column, last column).
SIGNATURE = (
    ("填报单位（盖章）：", 1, 3),
    ("填报人：", 4, 5),
    ("联系电话：", 6, 8),
    ("填报日期：", 9, 10),
)
# After the official ten: why 实际支出金额 is not the treasury's figure (FeedbackLine.difference_explanation).
DIFFERENCE_HEADER = "差异说明"
SHEET_HEADER = HEADER + (DIFFERENCE_HEADER,)
DEADLINE_LABEL = "整改时间："
USES_SEPARATOR = "、"
APPROVAL_LABEL = "批准文件："
CARRIED_OVER_MARK = "（结转资金）"
PROGRESS_FORMAT = "0.00%"
HEADER_ROW = 4
WIDTHS = {"A": 6, "B": 30, "C": 20, "D": 12, "E": 12, "F": 28, "G": 12, "H": 12, "I": 30, "J": 30, "K": 30}
_THIN = Side(style="thin")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_WRAP = Alignment(wrap_text=True, vertical="center")


@dataclass
class Sheet:
    prefecture: Prefecture
    month: object
    lines: list = field(default_factory=list)
    # The stored report's version; None when no report is stored yet.
    version: int | None = None


class _Preview(Exception):
    pass


def version_property(prefecture_name, month):
    return f"反馈表版本 {prefecture_name} {month:%Y-%m}"


def measure_text(measure, deadline):
    """整改措施及整改时间 in one cell: "措施（整改时间：2023-09-30）"."""
    if deadline is None:
        return measure
    return f"{measure}（{DEADLINE_LABEL}{deadline:%Y-%m-%d}）"


def uses_text(line):
    """The uses' labels; the tenth carries its approval: "经自治区人民政府批准的其他支出项目（批准文件：…）"."""
    labels = dict(PermittedUse.choices)
    parts = []
    for use in line.uses:
        label = str(labels.get(use, use))
        if use == PermittedUse.OTHER_APPROVED and line.other_use_approval:
            label = f"{label}（{APPROVAL_LABEL}{line.other_use_approval}）"
        parts.append(label)
    return USES_SEPARATOR.join(parts)


def added_mark_text(line):
    """"（自行添加）" after an added line's fund name, with 非直达资金 when it is not a direct fund; "" otherwise."""
    if not line.is_added:
        return ""
    if line.direct_mark:
        return f"（{ADDED_MARK}）"
    return f"（{ADDED_MARK}，{NOT_DIRECT_TEXT}）"


def fund_name_text(line, month):
    """The 收到的财政专项资金名称 cell: the name, marked 结转资金 or 自行添加 as the case is."""
    if is_carried_over(line.document, month):
        return f"{line.fund_name}{CARRIED_OVER_MARK}"
    return f"{line.fund_name}{added_mark_text(line)}"


def schedule_note(line, month):
    """The note on a line's 进度 cell when its time schedule is not the month's own, else ""."""
    expected = expected_progress(month, line.document)
    if is_carried_over(line.document, month):
        return f"结转资金：{line.document.year}年下达，时间进度{expected}%"
    if expected != expected_progress(month):
        return f"自下达月起计算，时间进度{expected}%"
    return ""


# The official form is Chinese whatever the interface language.
@in_chinese
def sheet_for(prefecture, month, *, keep=True):
    """The pre-filled sheet of one prefecture's month.

    keep=True opens the report (workflow.open_report), as the officer's first
    visit would. keep=False is for readers, who write nothing: the report is
    opened inside a savepoint that is rolled back, so they see the very same
    pre-filled lines without a row being created.
    """
    report = FeedbackReport.objects.filter(prefecture=prefecture, month=month).first()
    if report is None and not received_subtotals(prefecture, month).exists():
        # Nothing received by then: nothing to report, and no empty report
        # left behind to show up as a draft in the completeness grid.
        return Sheet(prefecture, month)
    version = report.version if report is not None else None
    if keep:
        report = open_report(prefecture, month)
        return Sheet(prefecture, month, list(report.lines.select_related("document").order_by("position")), report.version)
    sheet = None
    try:
        with transaction.atomic():
            opened = open_report(prefecture, month)
            sheet = Sheet(prefecture, month, list(opened.lines.select_related("document").order_by("position")), version)
            raise _Preview
    except _Preview:
        pass
    return sheet


# The official form is Chinese whatever the interface language.
@in_chinese
def month_sheets(month, *, keep=True):
    return [sheet_for(prefecture, month, keep=keep) for prefecture in Prefecture.objects.order_by("position", "name")]


def _text(sheet, row, column, value):
    return set_text_cell(sheet.cell(row=row, column=column), value)


def marks_text(lines):
    marks = sorted({line.direct_mark for line in lines if line.direct_mark}) or [DirectMark.CENTRAL_DIRECT.value]
    return "、".join(marks)


def _figures_cells(sheet, row, numbers):
    _amount_cell(sheet.cell(row=row, column=4), numbers.amount)
    if numbers.spent is not None:
        _amount_cell(sheet.cell(row=row, column=5), numbers.spent)
    _amount_cell(sheet.cell(row=row, column=7), numbers.unspent)
    if numbers.progress is not None:
        # The fraction as a number: 60.28 (percent) is written 0.6028, shown 60.28%.
        progress = sheet.cell(row=row, column=8, value=numbers.progress / HUNDRED)
        progress.number_format = PROGRESS_FORMAT


def _write_sheet(sheet, data):
    for column, width in WIDTHS.items():
        sheet.column_dimensions[column].width = width
    sheet.page_setup.orientation = "landscape"

    _text(sheet, 1, 1, LABEL)
    title = _text(sheet, 2, 1, TITLE)
    title.font = Font(bold=True, size=16)
    title.alignment = Alignment(horizontal="center")
    sheet.merge_cells("A2:J2")
    _text(sheet, 3, 1, f"{PREFECTURE_LABEL}{data.prefecture.name}")
    sheet.merge_cells("A3:C3")
    _text(sheet, 3, 4, f"{MONTH_LABEL}{month_label(data.month)}")
    sheet.merge_cells("D3:E3")
    _text(sheet, 3, 6, f"{MARK_LABEL}{marks_text(data.lines)}")
    sheet.merge_cells("F3:H3")
    _text(sheet, 3, 10, UNIT)

    for column, text in enumerate(SHEET_HEADER, start=1):
        cell = _text(sheet, HEADER_ROW, column, text)
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, horizontal="center", vertical="center")
    # The header repeats on every printed page, as in the paper notice.
    sheet.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"

    row = HEADER_ROW + 1
    _text(sheet, row, 1, TOTAL_LABEL)
    _figures_cells(sheet, row, totals(data.lines))
    for line in data.lines:
        row += 1
        sheet.cell(row=row, column=1, value=line.position)
        note = schedule_note(line, data.month)
        _text(sheet, row, 2, fund_name_text(line, data.month))
        _text(sheet, row, 3, line.document_number)
        _figures_cells(sheet, row, figures(line.amount, line.spent))
        _text(sheet, row, 6, uses_text(line))
        if note:
            sheet.cell(row=row, column=8).comment = Comment(note, "")
        _text(sheet, row, 9, line.reason)
        _text(sheet, row, 10, measure_text(line.measure, line.measure_deadline))
        _text(sheet, row, 11, line.difference_explanation)
        for column in (2, 6, 9, 10, 11):
            sheet.cell(row=row, column=column).alignment = _WRAP

    for cells in sheet.iter_rows(min_row=HEADER_ROW, max_row=row, max_col=len(SHEET_HEADER)):
        for cell in cells:
            cell.border = _BORDER
    for note in NOTES:
        row += 1
        _text(sheet, row, 1, note)
        sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=len(HEADER))
    _write_signature(sheet, row + 2)


def _write_signature(sheet, row):
    # Left blank after each label: the bureau writes, signs and stamps on the printout.
    sheet.row_dimensions[row].height = 36
    for label, first, last in SIGNATURE:
        cell = _text(sheet, row, first, label)
        cell.alignment = Alignment(vertical="bottom")
        sheet.merge_cells(start_row=row, start_column=first, end_row=row, end_column=last)


# The official form is Chinese whatever the interface language.
@in_chinese
def build_workbook(sheets):
    """One worksheet per Sheet, named after its prefecture.

    The sheet title is only a label: a name Excel would refuse loses those
    characters. The reader finds a prefecture's sheet by the 地州市 line of
    its title block, which carries the name as it is.
    """
    workbook = Workbook()
    workbook.remove(workbook.active)
    titles = safe_sheet_titles(data.prefecture.name for data in sheets)
    for data, title in zip(sheets, titles):
        _write_sheet(workbook.create_sheet(title=title), data)
        if data.version is not None:
            workbook.custom_doc_props.append(
                IntProperty(name=version_property(data.prefecture.name, data.month), value=data.version)
            )
    return workbook


def write_workbook(sheets, target):
    """target: a path or a binary file object."""
    build_workbook(sheets).save(target)
