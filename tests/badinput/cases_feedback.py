"""Bad 附件3 input: the import_feedback command and the report page's upload.

The workbook is 乌鲁木齐市's July 2023 report as export_feedback writes it:
header row 4, 合计 row 5, its one line (新财社〔2023〕74号, 资金金额 8294) on
row 6, the notes from row 7. Columns as tests.feedback.workbook_files.COLUMNS.
"""

from decimal import Decimal

import openpyxl

from allocations.models import Prefecture
from feedback import workflow
from tests.badinput import files
from tests.badinput.case import ENCRYPTED, NOT_A_WORKBOOK, cases_of, given, unreadable_files
from tests.badinput.entries import NOTICE, URUMQI, Input
from tests.feedback.workbook_files import FIRST_LINE_ROW, JULY, export, export_urumqi, fill

LINE = f"工作表第{FIRST_LINE_ROW}行（{NOTICE}）"
NO_HEADER = "找不到表头行（序号 / 收到的财政专项资金名称 / 文号 / 资金金额 / 实际支出金额 / 资金支出方向 / …）"


def urumqi_file(change=None, options=None, **cells):
    """乌鲁木齐市's exported July sheet, with cells of the line set by column name."""

    def build(ctx):
        path = export_urumqi(ctx.tmp_path)
        if cells:
            fill(path, **cells)
        if change:
            workbook = openpyxl.load_workbook(path)
            change(workbook.active)
            workbook.save(path)
        return Input(file=path.read_bytes(), options=options or {})

    return build


def duplicate_line(sheet):
    sheet.insert_rows(FIRST_LINE_ROW + 1)
    for column in range(1, sheet.max_column + 1):
        sheet.cell(FIRST_LINE_ROW + 1, column).value = sheet.cell(FIRST_LINE_ROW, column).value


def other_prefectures_only(ctx):
    # The region-wide export, without 乌鲁木齐市's own sheet.
    path = export(ctx.tmp_path, name="region.xlsx")
    workbook = openpyxl.load_workbook(path)
    del workbook[URUMQI]
    return Input(file=files.workbook_bytes(workbook))


def kashgar_file(ctx):
    return Input(file=export(ctx.tmp_path, "--prefecture", "喀什地区").read_bytes())


def june_file(ctx):
    return Input(file=export(ctx.tmp_path, "--prefecture", URUMQI, month="2023-06").read_bytes())


def saved_after_export(ctx):
    # Someone saves the report after this file was exported from it.
    path = fill(export_urumqi(ctx.tmp_path), spent=5000, uses="职业培训补贴")
    report = workflow.open_report(Prefecture.objects.get(name=URUMQI), JULY)
    line = report.lines.get()
    workflow.save_lines(report, {line.pk: {"spent": Decimal("100")}}, ctx.fixture("officer_urumqi"), report.version)
    return Input(file=path.read_bytes())


command = cases_of("import_feedback", "import_feedback")
upload = cases_of("feedback:report_upload", "feedback_upload")

CASES = [
    *unreadable_files(command, NO_HEADER),
    command("missing-header", urumqi_file(lambda sheet: sheet.delete_rows(4)), NO_HEADER),
    command("wrong-header", urumqi_file(lambda sheet: setattr(sheet["E4"], "value", "支出金额")), NO_HEADER),
    command("extra-sheets", other_prefectures_only, "工作簿中有多个反馈表工作表（", f"其中没有 {URUMQI} 的工作表"),
    command("text-spent", urumqi_file(spent="五千"), f"{LINE}：实际支出金额“五千”不是数字"),
    command("negative-spent", urumqi_file(spent=-5), f"{LINE}：实际支出金额不能为负数（-5）"),
    command("20-digit-spent", urumqi_file(spent=10**19), f"{LINE}：实际支出金额过大（10000000000000000000）"),
    command("3-decimal-spent", urumqi_file(spent=5000.125), f"{LINE}：实际支出金额最多保留2位小数（5000.125）"),
    command("spent-over-amount", urumqi_file(spent=9000), f"{LINE}：实际支出金额 9,000.00 超过资金金额 8,294.00"),
    command("duplicate-row", urumqi_file(duplicate_line), f"工作表第{FIRST_LINE_ROW + 1}行（{NOTICE}）：文号重复，已在工作表第6行出现"),
    # 说明1: a 文号 that is no document of this system is a fund the bureau added, which needs its name and amount.
    command(
        "added-row-without-amount",
        urumqi_file(document_number="新财社〔2099〕1号", amount=None),
        f"工作表第{FIRST_LINE_ROW}行（新财社〔2099〕1号）：文号不是本系统下达的资金，按自行添加的资金（说明1）导入，须填写资金金额",
    ),
    command(
        "added-row-without-name",
        urumqi_file(document_number="新财社〔2099〕1号", fund_name=None),
        f"工作表第{FIRST_LINE_ROW}行（新财社〔2099〕1号）：文号不是本系统下达的资金，按自行添加的资金（说明1）导入，须填写收到的财政专项资金名称",
    ),
    command(
        "added-row-zero-amount",
        urumqi_file(document_number="新财社〔2099〕1号", amount=0),
        f"工作表第{FIRST_LINE_ROW}行（新财社〔2099〕1号）：自行添加的资金，资金金额须大于0（文件中为 0.00）",
    ),
    command("amount-changed", urumqi_file(amount=9000), f"{LINE}：资金金额与分配不符（文件中为 9000，分配为 8294），资金金额不能修改"),
    command(
        "formula-spent",
        urumqi_file(spent="=1000*5"),
        f"工作表第{FIRST_LINE_ROW}行 实际支出金额：公式 =1000*5 没有计算结果",
    ),
    command(
        "deadline-format",
        urumqi_file(spent=1000, uses="职业培训补贴", reason="进度慢", measure="加强督导（整改时间：2023.09.30）"),
        f"{LINE}：整改时间“2023.09.30”不是有效日期，请写成 2023-09-30、2023/09/30 或 2023年9月30日",
    ),
    command("unknown-use", urumqi_file(spent=1000, uses="买车"), f"{LINE}：资金支出方向“买车”无法识别"),
    # The tenth use (附件2 目标1) names its approval in the same cell: 附件3 has no column for it.
    command(
        "other-use-without-approval",
        urumqi_file(spent=5000, uses="经自治区人民政府批准的其他支出项目"),
        f"{LINE}：资金支出方向含“经自治区人民政府批准的其他支出项目”，须在同一单元格写明批准文件",
    ),
    command(
        "approval-without-other-use",
        urumqi_file(spent=5000, uses="职业培训补贴（批准文件：新政函〔2023〕12号）"),
        f"{LINE}：资金支出方向写了批准文件“新政函〔2023〕12号”，但没有“经自治区人民政府批准的其他支出项目”",
    ),
    command(
        "approval-too-long",
        urumqi_file(spent=5000, uses=f"其他（批准文件：{'新' * 201}）"),
        f"{LINE}：批准文件不能超过 200 字（现为 201 字）",
    ),
    command("future-month", urumqi_file(options={"--month": "2099-01"}), "2099-01 尚未到来，不能处理未来月份的反馈表"),
    command("month-format", urumqi_file(options={"--month": "2023/07"}), "月份“2023/07”格式不对，请写成 YYYY-MM"),
    command("unknown-prefecture", urumqi_file(options={"--prefecture": "火星州"}), "找不到地（州、市）“火星州”"),
    command("another-prefectures-file", kashgar_file, f"这是 喀什地区 的反馈表，不是 {URUMQI} 的，未导入"),
    command("another-months-file", june_file, "这是 2023年6月 的反馈表，不是 2023年7月 的，未导入"),
    command("saved-since-export", saved_after_export, "在这份工作簿导出之后已被他人修改", "为避免覆盖他人的修改，未导入"),
    command(
        "200000-rows",
        lambda ctx: Input(file=ctx.large_files.many_rows("附件3")),
        "工作表超过 5000 行的上限，请检查是否选错了文件",
    ),
    upload("not-a-workbook", given(file=files.not_a_workbook()), NOT_A_WORKBOOK),
    upload("csv-extension", given(file=files.not_a_workbook(), name="反馈表.csv"), "只能上传 .xlsx 格式的 Excel 文件（附件3 反馈表）"),
    upload("encrypted", given(file=files.encrypted()), ENCRYPTED),
    upload("20MB", given(file=files.oversized(20)), "文件过大（20.0 MB），上传上限为 10.0 MB"),
    upload("text-spent", urumqi_file(spent="五千"), f"{LINE}：实际支出金额“五千”不是数字"),
    upload(
        "deadline-format",
        urumqi_file(spent=1000, uses="职业培训补贴", reason="进度慢", measure="加强督导（整改时间：2023.13.45）"),
        f"{LINE}：整改时间“2023.13.45”不是有效日期",
    ),
    upload(
        "other-use-without-approval",
        urumqi_file(spent=5000, uses="其他支出项目"),
        f"{LINE}：资金支出方向含“经自治区人民政府批准的其他支出项目”，须在同一单元格写明批准文件",
    ),
    upload(
        "200000-rows",
        lambda ctx: Input(file=ctx.large_files.many_rows("附件3")),
        "工作表超过 5000 行的上限",
    ),
]
