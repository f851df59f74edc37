"""Bad treasury payment files (issue 15): import_payments, the upload page and the admin's import.

Each file is refused whole, naming the row (and the voucher where there is
one), with nothing written. Quirks a treasury export really has (a BOM,
GB18030, full-width digits, thousands separators) are read correctly
(tests/treasury/test_import_files.py); here each comes with a real error, to
show the error is still named at the right row.
"""

import io

import openpyxl
from django.urls import reverse

from tests.badinput import files
from tests.badinput.case import ENCRYPTED, cases_of, given
from tests.badinput.entries import ENTRIES, Command, Input, Page
from tests.treasury.payment_files import HEADER, csv_bytes, row, xlsx_bytes

# The treasury's entry points, registered here beside their cases.
ENTRIES.update({
    "import_payments": Command("import_payments", {}, ("reference_data",)),
    "treasury:upload": Page(lambda ctx, given: reverse("treasury:upload"), "region_admin", ("reference_data",)),
    "admin:payment_import": Page(lambda ctx, given: reverse("admin:treasury_payment_import"), "region_admin", ("reference_data",)),
})

REFUSED = "未写入任何数据"


def csv_file(*rows, encoding="utf-8", **extra):
    return given(file=csv_bytes(rows, encoding), name="payments.csv", **extra)


def xlsx_file(*rows, header=HEADER):
    return given(file=xlsx_bytes(rows, header=header), name="payments.xlsx")


def formula_file():
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(list(HEADER))
    sheet.append(list(row("ZF1")))
    sheet["J2"] = "=1000+0.5"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return given(file=buffer.getvalue(), name="payments.xlsx")


def imported_first(*rows):
    """A file that is imported before the case's own: for a voucher sent again with other content."""

    def build(ctx):
        from django.core.management import call_command

        path = ctx.tmp_path / "earlier.csv"
        path.write_bytes(csv_bytes([row("ZF1", amount="1000.00")]))
        call_command("import_payments", str(path), stdout=io.StringIO())
        return Input(file=csv_bytes(rows), name="payments.csv")

    return build


def over_the_row_limit(ctx):
    # The limit is a setting: lowered to 5, the sixth data row (row 7) is the "1,000,001st".
    ctx.fixture("settings").PAYMENT_IMPORT_MAX_ROWS = 5
    return Input(file=csv_bytes([row(f"ZF{n}") for n in range(6)]), name="payments.csv")


def utf16(ctx):
    return Input(file=csv_bytes([row("ZF1")]).decode("utf-8").encode("utf-16"), name="payments.csv")


HEADER_WITHOUT_AMOUNT = [name for name in HEADER if name != "支付金额（元）"]
command = cases_of("import_payments", "payments")
upload = cases_of("treasury:upload", "payments_upload")
admin_import = cases_of("admin:payment_import", "payments_admin")

CASES = [
    command("encoding-utf16", utf16, "无法识别 CSV 文件的编码", REFUSED),
    command("encoding-gb18030-read-as-utf8", csv_file(row("ZF1"), encoding="gb18030", options={"--encoding": "utf-8"}),
            "第1行附近：不能按 utf-8 编码读取", REFUSED),
    command("encoding-unknown-name", csv_file(row("ZF1"), options={"--encoding": "klingon"}), "不认识的编码“klingon”", REFUSED),
    command("bom-date-format", csv_file(row("ZF1"), row("ZF2", paid_on="2023-13-01"), encoding="utf-8-sig"),
            "第3行（ZF2）：支付日期“2023-13-01”不是日期", REFUSED),
    command("full-width-3-decimal", csv_file(row("ZF1", amount="１２．３４５")), "第2行（ZF1）：支付金额（元）最多保留2位小数（１２．３４５）", REFUSED),
    command("3-decimal-xlsx", xlsx_file(row("ZF1"), row("ZF2", amount=1.005)), "第3行（ZF2）：支付金额（元）最多保留2位小数（1.005）", REFUSED),
    command("thousands-separator-european", csv_file(row("ZF1", amount="1.234,56")), "第2行（ZF1）：支付金额（元）“1.234,56”不是数字", REFUSED),
    command("text-amount", csv_file(row("ZF1", amount="五千")), "第2行（ZF1）：支付金额（元）“五千”不是数字", REFUSED),
    command("20-digit-amount", csv_file(row("ZF1", amount="1" * 20)), "第2行（ZF1）：支付金额（元）过大", REFUSED),
    command("empty-amount", csv_file(row("ZF1", amount="")), "第2行（ZF1）：支付金额（元）为空", REFUSED),
    command("empty-file", given(file=b"", name="payments.csv"), "文件是空的", REFUSED),
    command("header-only", given(file=csv_bytes([]), name="payments.csv"), "文件中没有数据行", REFUSED),
    command("csv-renamed-to-xlsx", given(file=csv_bytes([row("ZF1")]), name="payments.xlsx"),
            "文件不是有效的 Excel 工作簿（.xlsx）。如果是 CSV 文件，请把扩展名改为 .csv", REFUSED),
    command("encrypted", given(file=files.encrypted(), name="payments.xlsx"), ENCRYPTED, REFUSED),
    command("missing-header", xlsx_file(row("ZF1")[:9] + ("王某",), header=HEADER_WITHOUT_AMOUNT), "找不到表头行（支付凭证号 / 支付日期", REFUSED),
    command("duplicate-voucher", csv_file(row("ZF1"), row("ZF1", amount="2.00")), "第3行：支付凭证号 ZF1 与第2行重复，同一文件中每个凭证号只能出现一次", REFUSED),
    command("conflicting-voucher-across-files", imported_first(row("ZF2"), row("ZF1", amount="1000.10")),
            "第3行：支付凭证号 ZF1 已导入过，内容不同（支付金额（元） 已导入为 1000.00，本文件为 1000.10）", REFUSED),
    command("future-date", csv_file(row("ZF1", paid_on="2099-01-01")), "第2行（ZF1）：支付日期2099-01-01 晚于今天", REFUSED),
    command("number-as-date", xlsx_file(row("ZF1", paid_on=45123)), "第2行（ZF1）：支付日期“45123”不是日期", REFUSED),
    command("unknown-prefecture", csv_file(row("ZF1", prefecture="火星市")), "第2行（ZF1）：地（州、市）“火星市”不是已知的地（州、市）", REFUSED),
    command("unknown-county", csv_file(row("ZF1", county="火星区")), "第2行（ZF1）：县（市、区）“火星区”不是 乌鲁木齐市 已知的县（市、区）", REFUSED),
    command("county-of-another-prefecture", csv_file(row("ZF1", county="疏附县")),
            "第2行（ZF1）：县（市、区）“疏附县”不属于 乌鲁木齐市（属于 喀什地区）", REFUSED),
    command("empty-voucher", csv_file(row("ZF1"), row("")), "第3行：支付凭证号为空", REFUSED),
    command("voucher-too-long", csv_file(row("Z" * 61)), "支付凭证号过长（61 个字符，最多 60 个）", REFUSED),
    command("formula-amount", formula_file(), "第2行第10列是公式", REFUSED),
    command("row-limit-1000001-rows", over_the_row_limit, "第7行：文件超过 5 行数据的上限", REFUSED),
    upload("3-decimal-gb18030", csv_file(row("ZF1"), row("ZF2", amount="1.005"), encoding="gb18030"),
           "第3行（ZF2）：支付金额（元）最多保留2位小数（1.005）", "未能导入，未写入任何数据"),
    upload("csv-renamed-to-xlsx", given(file=csv_bytes([row("ZF1")]), name="payments.xlsx"),
           "如果是 CSV 文件，请把扩展名改为 .csv", "未能导入，未写入任何数据"),
    upload("duplicate-voucher", csv_file(row("ZF1"), row("ZF1")), "第3行：支付凭证号 ZF1 与第2行重复，同一文件中每个凭证号只能出现一次", "未能导入，未写入任何数据"),
    admin_import("future-date", csv_file(row("ZF1", paid_on="2099-01-01")), "第2行（ZF1）：支付日期2099-01-01 晚于今天", "未能导入，未写入任何数据"),
]
