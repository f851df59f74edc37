"""Payment files for the tests, built from the sample (fixtures/samples/payments_2023_06_07.xlsx) or from rows given."""

import csv
import io
from pathlib import Path

import openpyxl
from django.conf import settings

HEADER = (
    "支付凭证号", "支付日期", "地（州、市）", "县（市、区）", "预算单位", "指标文号", "功能分类科目", "经济分类科目",
    "直达资金标识", "支付金额（元）", "收款人",
)
NOTICE = "新财社〔2023〕74号"
MARK = "01 中央直达资金"


def sample_path():
    return Path(settings.BASE_DIR) / "fixtures" / "samples" / "payments_2023_06_07.xlsx"


def sample_rows():
    """The sample's data rows as tuples of cell values (amounts are floats, as Excel keeps them)."""
    workbook = openpyxl.load_workbook(sample_path(), read_only=True)
    try:
        rows = list(workbook.active.iter_rows(values_only=True))
    finally:
        workbook.close()
    return [tuple(row) for row in rows[1:]]


def row(voucher, *, paid_on="2023-07-10", prefecture="乌鲁木齐市", county="天山区", unit="天山区人力资源和社会保障局",
        document=NOTICE, function="2080702", economic="51301", mark=MARK, amount="1000.00", payee="王某"):
    return (voucher, paid_on, prefecture, county, unit, document, function, economic, mark, amount, payee)


def csv_bytes(rows, encoding="utf-8", header=HEADER):
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(header)
    for values in rows:
        writer.writerow(["" if value is None else (repr(value) if isinstance(value, float) else value) for value in values])
    return buffer.getvalue().encode(encoding)


def xlsx_bytes(rows, header=HEADER, title="国库集中支付明细"):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = title
    sheet.append(list(header))
    for values in rows:
        sheet.append(list(values))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def write(tmp_path, name, content):
    path = tmp_path / name
    path.write_bytes(content)
    return path
