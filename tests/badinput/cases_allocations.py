"""Bad 附件1 input: the import command, the web upload and its confirmation, the admin's flat line import.

Each workbook is the notice's own table (tests.allocations.workbooks) with
one thing wrong. In that layout the 合计 is row 5, 乌鲁木齐市's eight
counties are rows 6–13 (天山区 first) and its 小计 is row 14.
"""

from collections import OrderedDict
from decimal import Decimal

from tests.allocations.workbooks import Table, write
from tests.badinput import files
from tests.badinput.case import ENCRYPTED, NOT_A_WORKBOOK, Case, cases_of, given, unreadable_files
from tests.badinput.entries import DRAFT_DOCUMENT, NOTICE, Input

URUMQI = "乌鲁木齐市"


def workbook(change=None, *, options=None, flags=(), data=None, **layout):
    def build(ctx):
        table = Table()
        if change:
            change(table)
        return Input(file=write(table, **layout).getvalue(), options=options or {}, flags=flags, data=data or {})

    return build


def many_rows(layout, **fields):
    return lambda ctx: Input(file=ctx.large_files.many_rows(layout), **fields)


def first_line(**cells):
    """Change 天山区, 乌鲁木齐市's first line (row 6): county, amount."""

    def change(table):
        line = table.groups[URUMQI][0]
        line[0] = cells.get("county", line[0])
        line[1] = cells.get("amount", line[1])

    return change


def rename_prefecture(old, new):
    def change(table):
        table.groups = OrderedDict((new if name == old else name, lines) for name, lines in table.groups.items())
        table.subtotals = {new if name == old else name: amount for name, amount in table.subtotals.items()}

    return change


def duplicate_first_line(table):
    table.groups[URUMQI].append(list(table.groups[URUMQI][0]))  # row 14; the 小计 moves to 15


def raise_subtotal(table):
    table.subtotals[URUMQI] += 1


def raise_total(table):
    table.total += 1


def drop_total(table):
    table.total = None


CSV_HEADER = "文号,地州市,县市区,拨付金额,备注"


def columns_csv(header, *rows):
    return given(file=files.csv_bytes(header, *rows), name="lines.csv", format="1")


def lines_csv(*rows):
    return columns_csv(CSV_HEADER, *rows)


command = cases_of("import_allocations", "import_allocations")
upload = cases_of("allocations:import_upload", "allocation_upload")
admin = cases_of("admin:allocationline_import", "admin_lines")

NO_HEADER = "找不到表头行（序号 / 地（州、市）名称 / 县（市、区）名称 / 拨付金额 / 备注）"

CASES = [
    *unreadable_files(command, NO_HEADER),
    command("missing-header", workbook(header=None), NO_HEADER),
    command("wrong-header", workbook(header=("序号", "地区", "县区", "金额（元）", "备注")), NO_HEADER),
    command("extra-sheet", workbook(extra_sheets=("附件1（续）",)), "工作簿中有多个分配表工作表（附件1、附件1（续））"),
    command("text-amount", workbook(first_line(amount="一千二百")), "第6行 乌鲁木齐市/天山区：拨付金额“一千二百”不是数字"),
    command("negative-amount", workbook(first_line(amount=Decimal(-1200))), "第6行 乌鲁木齐市/天山区：拨付金额不能为负数（-1200）"),
    command("20-digit-amount", workbook(first_line(amount=10**19)), "第6行 乌鲁木齐市/天山区：拨付金额过大（10000000000000000000）"),
    command(
        "3-decimal-amount",
        workbook(first_line(amount=Decimal("1200.125"))),
        "第6行 乌鲁木齐市/天山区：拨付金额最多保留2位小数（1200.125）",
    ),
    command("duplicate-row", workbook(duplicate_first_line), "第14行 乌鲁木齐市/天山区：与第6行重复"),
    command("unknown-prefecture", workbook(rename_prefecture(URUMQI, "乌鲁木齐州")), "第6行 乌鲁木齐州：未知的地（州、市）"),
    command(
        "unknown-county",
        workbook(first_line(county="天山县")),
        "第6行 乌鲁木齐市/天山县：乌鲁木齐市 没有名为“天山县”的县（市、区）",
    ),
    command(
        "another-prefectures-county",
        workbook(first_line(county="喀什市")),
        "第6行 乌鲁木齐市/喀什市：乌鲁木齐市 没有名为“喀什市”的县（市、区）",
    ),
    command("subtotal-mismatch", workbook(raise_subtotal), "第14行 乌鲁木齐市 小计 8295 ≠ 各县合计 8294"),
    command("total-mismatch", workbook(raise_total), "第5行 合计 72989 ≠ 各行合计 72988"),
    command("total-missing", workbook(drop_total), "第5行 合计：合计为空"),
    command(
        "formula-amount",
        workbook(first_line(amount="=1000+200")),
        "第6行 拨付金额：公式 =1000+200 没有计算结果，请在 Excel 中打开并保存，或改为数值",
    ),
    command("200000-rows", many_rows("附件1"), "工作表超过", "行的上限，请拆分后再导入"),
    command("date-format", workbook(options={"--date": "2023/06/20"}), "--date “2023/06/20” 不是 YYYY-MM-DD 格式的日期"),
    command("issued-document", workbook(options={"--document": NOTICE}, flags=("--replace",)), f"文号 {NOTICE} 已下达，不能覆盖"),
    command("no-year", workbook(title="就业补助资金分配表", options={"--date": None}), "无法确定年度：请提供发文日期（--date）"),
    upload("not-a-workbook", given(file=files.not_a_workbook()), NOT_A_WORKBOOK),
    upload("csv-extension", given(file=files.not_a_workbook(), name="分配表.csv"), "只能上传 .xlsx 格式的 Excel 文件（附件1 分配表）"),
    upload("zero-bytes", given(file=b""), "上传的文件是空的"),
    upload("encrypted", given(file=files.encrypted()), ENCRYPTED),
    upload("empty-workbook", given(file=files.empty_workbook()), NO_HEADER),
    upload("20MB", given(file=files.oversized(20)), "文件过大（20.0 MB），上传上限为 10.0 MB"),
    upload("200000-rows", many_rows("附件1"), "工作表超过", "行的上限，请拆分后再导入"),
    upload("unknown-county", workbook(first_line(county="天山县")), "第6行 乌鲁木齐市/天山县：乌鲁木齐市 没有名为“天山县”的县（市、区）"),
    upload("subtotal-mismatch", workbook(raise_subtotal), "第14行 乌鲁木齐市 小计 8295 ≠ 各县合计 8294"),
    upload("date-format", workbook(data={"issued_on": "2023-13-45"}), "发文日期不是有效日期，请写成 2023-06-20 的格式"),
    upload("missing-number", workbook(data={"number": ""}), "请填写文号"),
    upload("number-too-long", workbook(data={"number": "新" * 61}), "文号不能超过 60 个字"),
    Case(
        "allocation_confirm-tampered-payload",
        "allocations:import_confirm",
        given(data={"payload": "eyJ0aXRsZSI6IiJ9:forged:signature", "number": "新财社〔2023〕98号"}),
        ("预览数据无效，请重新上传文件",),
    ),
    Case(
        "allocation_confirm-missing-payload",
        "allocations:import_confirm",
        given(data={"number": "新财社〔2023〕98号"}),
        ("确认数据不完整，请重新上传文件",),
    ),
    admin("not-a-workbook", given(file=files.not_a_workbook(), name="lines.xlsx"), NOT_A_WORKBOOK),
    admin("not-utf8-csv", given(file="文号,地州市".encode("gb18030"), name="lines.csv", format="1"), "文件不是 UTF-8 编码的 CSV"),
    admin("encrypted", given(file=files.encrypted(), name="lines.xlsx"), "已加密"),
    admin("zero-bytes", given(file=b"", name="lines.csv", format="1"), "上传的文件是空的"),
    admin("header-only", lines_csv(), "文件中没有数据行（只有表头）"),
    admin("missing-amount-column", columns_csv("文号,地州市,县市区", f"{DRAFT_DOCUMENT},昌吉州,昌吉市"), "第1行（表头）缺少列：拨付金额"),
    admin("missing-number-column", columns_csv("地州市,县市区,拨付金额", "昌吉州,昌吉市,10"), "第1行（表头）缺少列：文号"),
    admin(
        "formula-amount",
        given(file=files.xlsx_rows(CSV_HEADER.split(","), [DRAFT_DOCUMENT, "昌吉州", "昌吉市", "=5+5", None]), name="l.xlsx"),
        "拨付金额 拨付金额为空（如为公式，请先在 Excel 中计算并保存，或改为数值）",
    ),
    admin("text-amount", lines_csv(f"{DRAFT_DOCUMENT},昌吉州,昌吉市,十,"), "拨付金额“十”不是数字"),
    admin("negative-amount", lines_csv(f"{DRAFT_DOCUMENT},昌吉州,昌吉市,-1,"), "拨付金额不能为负数"),
    admin("20-digit-amount", lines_csv(f"{DRAFT_DOCUMENT},昌吉州,昌吉市,12345678901234567890,"), "拨付金额过大（12345678901234567890）"),
    admin("3-decimal-amount", lines_csv(f"{DRAFT_DOCUMENT},昌吉州,昌吉市,1.234,"), "拨付金额最多保留2位小数（1.234）"),
    admin("unknown-prefecture", lines_csv(f"{DRAFT_DOCUMENT},火星州,昌吉市,10,"), "火星州 没有名为“昌吉市”的县（市、区）"),
    admin("unknown-county", lines_csv(f"{DRAFT_DOCUMENT},昌吉州,天山区,10,"), "昌吉州 没有名为“天山区”的县（市、区）"),
    admin("unknown-document", lines_csv("无此文号,昌吉州,昌吉市,10,"), "未知的文号：无此文号"),
    admin(
        "duplicate-row",
        lines_csv(f"{DRAFT_DOCUMENT},昌吉州,昌吉市,10,", f"{DRAFT_DOCUMENT},昌吉州,昌吉市,20,"),
        "与第1行重复（测试〔2023〕1号 / 昌吉州 / 昌吉市），同一行只能出现一次",
    ),
    admin("issued-document", lines_csv(f"{NOTICE},昌吉州,高新区,999,"), f"{NOTICE} 已下达，不能再导入或修改分配明细"),
    admin("20MB", given(file=files.oversized(20), name="lines.xlsx"), "文件过大（20.0 MB），上传上限为 10.0 MB"),
    admin(
        "200000-rows",
        lambda ctx: lines_csv(*(f"{DRAFT_DOCUMENT},昌吉州,昌吉市,{n}," for n in range(1, files.MANY_ROWS + 1)))(ctx),
        "文件超过 5000 行的上限，请拆分后再导入",
    ),
]
