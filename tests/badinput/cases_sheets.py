"""Hostile sheets, through every workbook importer: a cell at XFD1048576, and tables on hidden sheets.

One cell at the last address of a sheet made python-calamine ask for 512 GB
and abort the process; each importer must refuse it from the streamed scan
(core.sheet_scan), naming the sheet and the cell. A table only on a hidden
sheet is refused, naming the sheet.
"""

import re
import zipfile
from io import BytesIO

import openpyxl

from tests.allocations.workbooks import Table, write
from tests.badinput import files
from tests.badinput.case import cases_of
from tests.badinput.cases_feedback import urumqi_file
from tests.badinput.cases_targets import urumqi_workbook
from tests.badinput.entries import NOTICE, URUMQI

FAR_CELL = '<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>'


def rewrite(content, change_sheet=None, change_workbook=None):
    """The workbook with its first sheet's XML and/or workbook.xml passed through a change."""
    out = BytesIO()
    with zipfile.ZipFile(BytesIO(content)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info)
            if change_sheet and info.filename == "xl/worksheets/sheet1.xml":
                data = change_sheet(data.decode("utf-8")).encode("utf-8")
            if change_workbook and info.filename == "xl/workbook.xml":
                data = change_workbook(data.decode("utf-8")).encode("utf-8")
            target.writestr(info, data)
    return out.getvalue()


def with_far_cell(text):
    # The cell alone: the <dimension> is left as the writer made it, so only the cell gives it away.
    return re.sub(r"</sheetData>", FAR_CELL + "</sheetData>", text, count=1)


def hiding(state):
    def change(text):
        first = re.search(r"<sheet [^>]*>", text)
        tag = re.sub(r'\sstate="[^"]*"', "", first.group(0)).replace("<sheet ", f'<sheet state="{state}" ', 1)
        return text[: first.start()] + tag + text[first.end():]

    return change


def altered(build, **changes):
    def altered_build(ctx):
        given = build(ctx)
        given.file = rewrite(given.file, **changes)
        return given

    return altered_build


def hidden_decoy_first(path):
    """The 附件3 export with a copy of its sheet, 777 spent on its first line, hidden and placed first."""
    workbook = openpyxl.load_workbook(path)
    decoy = workbook.copy_worksheet(workbook.worksheets[0])
    decoy.title = "隐藏"
    decoy["E6"] = 777
    workbook.move_sheet(decoy, offset=-len(workbook.sheetnames) + 1)
    decoy.sheet_state = "hidden"
    workbook.active = 1
    workbook.save(path)


def allocation_workbook(ctx):
    from tests.badinput.entries import Input

    return Input(file=write(Table()).getvalue())


def flat_lines(ctx):
    from tests.badinput.entries import DRAFT_DOCUMENT, Input

    content = files.xlsx_rows(("文号", "地州市", "县市区", "拨付金额", "备注"), (DRAFT_DOCUMENT, URUMQI, "天山区", 100, ""))
    return Input(file=content, name="lines.xlsx")


def flat_targets(ctx):
    from tests.badinput.entries import Input

    content = files.xlsx_rows(("文号", "范围", "三级指标", "指标值"), (NOTICE, URUMQI, "城镇新增就业人数(人)", 110000))
    return Input(file=content, name="targets.xlsx")


FAR = ("工作表“", "的单元格 XFD1048576 超出范围")


allocations_command = cases_of("import_allocations", "import_allocations")
allocations_upload = cases_of("allocations:import_upload", "allocation_upload")
targets_command = cases_of("import_targets", "import_targets")
feedback_command = cases_of("import_feedback", "import_feedback")
feedback_upload = cases_of("feedback:report_upload", "feedback_upload")
lines_admin = cases_of("admin:allocationline_import", "admin_lines")
targets_admin = cases_of("admin:target_import", "admin_targets")

CASES = [
    allocations_command("far-cell", altered(allocation_workbook, change_sheet=with_far_cell), *FAR),
    allocations_upload("far-cell", altered(allocation_workbook, change_sheet=with_far_cell), *FAR),
    targets_command("far-cell", altered(urumqi_workbook(), change_sheet=with_far_cell), *FAR),
    feedback_command("far-cell", altered(urumqi_file(), change_sheet=with_far_cell), *FAR),
    feedback_upload("far-cell", altered(urumqi_file(), change_sheet=with_far_cell), *FAR),
    lines_admin("far-cell", altered(flat_lines, change_sheet=with_far_cell), *FAR),
    targets_admin("far-cell", altered(flat_targets, change_sheet=with_far_cell), *FAR),
    allocations_command("hidden-table", altered(allocation_workbook, change_workbook=hiding("hidden")), "工作表“", "是隐藏的，请取消隐藏"),
    allocations_upload("very-hidden-table", altered(allocation_workbook, change_workbook=hiding("veryHidden")), "工作表“", "是隐藏的，请取消隐藏"),
    targets_command("hidden-table", altered(urumqi_workbook(), change_workbook=hiding("hidden")), "工作表“", "是隐藏的，请取消隐藏"),
    feedback_command("very-hidden-table", altered(urumqi_file(), change_workbook=hiding("veryHidden")), "工作表“", "是隐藏的，请取消隐藏"),
    feedback_upload("hidden-table", altered(urumqi_file(), change_workbook=hiding("hidden")), "工作表“", "是隐藏的，请取消隐藏"),
    lines_admin("hidden-sheet", altered(flat_lines, change_workbook=hiding("hidden")), "工作表“", "是隐藏的，请取消隐藏"),
]
