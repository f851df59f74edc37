"""Bad 附件2 input: the import_targets command and the admin's flat target import;
and bare 双监控 figures a hundredfold off their target, typed on the 双监控 page.

The workbooks are 乌鲁木齐市's table of the notice as export_targets writes
it: header row 8, 城镇新增就业人数(人) = 103000 on row 26, 城镇调查失业率(%) on
row 27, 失业人员再就业人数(人) on row 29; column D is 三级指标, E is 指标值.
"""

import io

import openpyxl
from django.core.management import call_command
from django.urls import reverse

from targets.models import REGION_SCOPE, Checkpoint, TableStatus, TargetTable
from tests.badinput import files
from tests.badinput.case import ENCRYPTED, NOT_A_WORKBOOK, cases_of, given, unreadable_files
from tests.badinput.entries import ENTRIES, NOTICE, URUMQI, Input, Page
from tests.targets.review_helpers import table_of, target_of

NO_HEADER = "找不到指标表头行（绩效指标 / 一级指标 / 二级指标 / 三级指标 / 指标值）"
JOBS = "城镇新增就业人数(人)"


def urumqi_workbook(change=None, **fields):
    def build(ctx):
        path = ctx.tmp_path / "exported.xlsx"
        call_command("export_targets", NOTICE, "--scope", URUMQI, "-o", str(path), stdout=io.StringIO())
        workbook = openpyxl.load_workbook(path)
        if change:
            change(workbook)
        return Input(file=files.workbook_bytes(workbook), **fields)

    return build


def cells(**values):
    """Set cells of the one sheet by coordinate: cells(E26=None)."""

    def change(workbook):
        for coordinate, value in values.items():
            workbook.active[coordinate] = value

    return change


def delete_header(workbook):
    workbook.active.delete_rows(8)


def copy_sheet(workbook):
    workbook.copy_worksheet(workbook.active)


FLAT_HEADER = "文号,范围,三级指标,指标值"


def flat_csv(*rows):
    return given(file=files.csv_bytes(FLAT_HEADER, *rows), name="targets.csv", format="1")


def approved_urumqi(ctx):
    TargetTable.objects.filter(document__number=NOTICE, prefecture__name=URUMQI).update(status=TableStatus.APPROVED)
    return Input(file=files.csv_bytes(FLAT_HEADER, f"{NOTICE},{URUMQI},{JOBS},110000"), name="t.csv", format="1")


def figure(scope, indicator, value, checkpoint=Checkpoint.YEAR_END, **inputs):
    """One 双监控 figure typed against one target of a table that takes figures, every other row blank.

    inputs: the row's other inputs by prefix (forecast="10.5").
    """

    def build(ctx):
        if scope == REGION_SCOPE:
            # Issued or drafted by load_reference_data: the region's table is made to take figures here.
            TargetTable.objects.filter(document__number=NOTICE, prefecture=None).update(status=TableStatus.APPROVED)
        else:
            ctx.fixture("urumqi_approved")
        target = target_of(table_of(scope), indicator)
        row = {"value": value, **inputs}
        return Input(data={"checkpoint": checkpoint, **{f"{prefix}_{target.pk}": text for prefix, text in row.items()}})

    return build


# The region's own table takes its figures from the region's admin; entries.py's
# targets:monitoring is 乌鲁木齐市's officer on 乌鲁木齐市's table.
REGION_MONITORING = "targets:monitoring_region"
ENTRIES.setdefault(
    REGION_MONITORING,
    Page(lambda ctx, given: reverse("targets:monitoring", args=[table_of(REGION_SCOPE).pk]), "region_admin", ("reference_data",)),
)

command = cases_of("import_targets", "import_targets")
admin = cases_of("admin:target_import", "admin_targets")
monitoring = cases_of("targets:monitoring", "monitoring")
region_monitoring = cases_of(REGION_MONITORING, "monitoring_region")

CASES = [
    *unreadable_files(command, NO_HEADER),
    command("missing-header", urumqi_workbook(delete_header), NO_HEADER),
    command("wrong-header", urumqi_workbook(cells(E8="目标值")), NO_HEADER),
    command("extra-sheet", urumqi_workbook(copy_sheet), "工作簿中有多个绩效目标表工作表（附件2、附件2 Copy）"),
    command("missing-fund-name", urumqi_workbook(cells(B3=None)), "表头：缺少资金名称"),
    command("missing-value", urumqi_workbook(cells(E26=None)), f"第26行 {JOBS}：缺少指标值"),
    command("value-over-200-characters", urumqi_workbook(cells(E26="超过" + "1" * 200)), f"第26行 {JOBS}：内容超过200字"),
    command(
        "20-digit-value",
        urumqi_workbook(cells(E26="1" * 20)),
        f"第26行 {JOBS}：指标值“{'1' * 20}”的数字超出可记录的范围",
    ),
    command(
        "5-decimal-value",
        urumqi_workbook(cells(E27="5.12345%以内")),
        "第27行 城镇调查失业率(%)：指标值“5.12345%以内”的数字超出可记录的范围",
    ),
    command("duplicate-indicator", urumqi_workbook(cells(D27="城镇新增就业人数（人）")), "第27行 城镇新增就业人数（人）：与第26行是同一指标"),
    command("formula-value", urumqi_workbook(cells(E29="=50000+5000")), "第29行 指标值：是公式（=50000+5000），请改为数值或文字"),
    command("unknown-scope", urumqi_workbook(options={"--scope": "火星市"}), "范围“火星市”既不是“自治区”，也不是地（州、市）名称"),
    command("unknown-document", urumqi_workbook(options={"--document": "新财社〔2099〕1号"}), "找不到文号为 新财社〔2099〕1号 的分配文件"),
    command("another-prefectures-table", urumqi_workbook(options={"--scope": "伊犁州"}), "是乌鲁木齐市的表，与 --scope 伊犁州 不符"),
    command("existing-table", urumqi_workbook(options={"--document": NOTICE}), f"{NOTICE} {URUMQI} 的绩效目标表已存在"),
    command(
        "200000-rows",
        lambda ctx: Input(file=ctx.large_files.many_rows("附件2")),
        "工作表超过 2000 行的上限，不像是一张绩效目标表",
    ),
    admin("not-a-workbook", given(file=files.not_a_workbook(), name="targets.xlsx"), NOT_A_WORKBOOK),
    admin("encrypted", given(file=files.encrypted(), name="targets.xlsx"), ENCRYPTED),
    admin("header-only", flat_csv(), "文件中没有数据行（只有表头）"),
    admin(
        "missing-value-column",
        given(file=files.csv_bytes("文号,范围,三级指标", f"{NOTICE},{URUMQI},{JOBS}"), name="t.csv", format="1"),
        "第1行（表头）缺少列：指标值",
    ),
    admin("unknown-scope", flat_csv(f"{NOTICE},火星市,{JOBS},110000"), "范围“火星市”既不是“自治区”，也不是地（州、市）名称"),
    admin("unknown-document", flat_csv(f"新财社〔2099〕1号,{URUMQI},{JOBS},110000"), "找不到文号为 新财社〔2099〕1号 的分配文件"),
    admin("missing-value", flat_csv(f"{NOTICE},{URUMQI},{JOBS},"), "缺少指标值"),
    admin("approved-table", approved_urumqi, "绩效目标表已审核通过并锁定，不能导入或修改指标"),
    admin(
        "duplicate-row",
        flat_csv(f"{NOTICE},{URUMQI},{JOBS},110000", f"{NOTICE},{URUMQI},城镇新增就业人数（人）,120000"),
        "与第1行重复",
    ),
    admin("20-digit-value", flat_csv(f"{NOTICE},{URUMQI},{JOBS},{'1' * 20}"), "数值 确认总共不超过 18 个数字"),
    admin("wording-over-200-characters", flat_csv(f"{NOTICE},{URUMQI},{'指' * 201},1"), "三级指标 确保该变量包含不超过 200 字符"),
    admin("20MB", given(file=files.oversized(20), name="targets.xlsx"), "文件过大（20.0 MB），上传上限为 10.0 MB"),
    admin(
        "200000-rows",
        # Short rows: at 50 bytes a row, 200,000 rows would be refused by size before rows are counted.
        lambda ctx: flat_csv(*(f"{NOTICE},,{n},1" for n in range(1, files.MANY_ROWS + 1)))(ctx),
        "文件超过 5000 行的上限",
    ),
    # A figure without a unit is read in the target's; a hundredfold off, it is refused with both readings.
    region_monitoring(
        "bare-head-count-against-wan",
        figure(REGION_SCOPE, "城镇新增就业人数", "300000"),
        "城镇新增就业人数：“300000”按“万人”理解为300000万人，是否应为30万人？",
        "请在数字后写明单位（如“300000人”或“30万人”）",
    ),
    monitoring(
        "bare-head-count-against-wan-ren-ci",
        figure(URUMQI, "享受职业技能培训补贴人员数量", "50000"),
        "享受职业技能培训补贴人员数量：“50000”按“万人次”理解为50000万人次，是否应为5万人次？",
    ),
    region_monitoring(
        "rate-as-a-fraction",
        figure(REGION_SCOPE, "符合政策规定的毕业年度高校毕业生享受求职创业补贴比例", "0.96"),
        "符合政策规定的毕业年度高校毕业生享受求职创业补贴比例：“0.96”按“%”理解为0.96%，是否应为96%？",
    ),
    monitoring(
        "bare-forecast-against-persons",
        figure(URUMQI, "城镇新增就业人数", "5.2万人", Checkpoint.MID_YEAR, forecast="10.5"),
        "城镇新增就业人数：全年预计完成值“10.5”按“人”理解为10.5人，是否应为10.5万人？",
    ),
]
