import io
import subprocess
import sys
from decimal import Decimal

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from allocations.models import AllocationDocument, AllocationLine, PrefectureSubtotal
from tests.allocations import workbooks

NEW = "测试财社〔2023〕1号"


def _import(path, *args):
    out = io.StringIO()
    call_command("import_allocations", str(path), "--document", NEW, *args, stdout=out)
    return out.getvalue()


def _refused(path, *args):
    with pytest.raises(CommandError) as error:
        _import(path, *args)
    return str(error.value)


def _stored():
    return (
        list(AllocationDocument.objects.order_by("pk").values_list("number", "status", "declared_total", "title")),
        list(AllocationLine.objects.order_by("pk").values_list("document_id", "county_id", "amount", "note")),
        list(PrefectureSubtotal.objects.order_by("pk").values_list("document_id", "prefecture_id", "declared_amount")),
    )


def test_it_imports_the_sample_workbook_under_a_new_number(reference_data, sample_workbook_path):
    output = _import(sample_workbook_path, "--title", "测试标题", "--date", "2023-06-05")

    assert output.strip() == f"已导入 {NEW}：100 行，14 个地（州、市），合计 72988 万元"
    document = AllocationDocument.objects.get(number=NEW)
    assert (document.title, document.year, document.batch, document.status) == ("测试标题", 2023, 2, "draft")
    assert document.table_title == "2023年中央财政就业补助资金（第二批）分配表"
    assert document.lines.count() == 100
    assert document.reconciliation() == []
    assert document.direct_mark == "01 中央直达资金"
    kashgar_zone = document.lines.get(county__prefecture__name="喀什地区", county__name="经开区")
    assert kashgar_zone.amount == Decimal("400")


@pytest.mark.parametrize(
    "quirk",
    [
        {"merged": False},
        {"number": lambda v: f"{v:,.0f}"},
        {"number": lambda v: str(int(v)).translate(str.maketrans("0123456789", "０１２３４５６７８９"))},
        {"number": lambda v: f"\u00a0{int(v)} "},
        {"page_break_before": ("克拉玛依市", "克州")},
        {"blank_before": ("伊犁州", "和田地区")},
        {"subtotal_in_prefecture_column": ("阿克苏地区", "和田地区")},
    ],
    ids=["name-on-first-row-only", "thousands-separators", "full-width-digits", "nbsp-and-spaces", "repeated-header", "blank-rows", "subtotal-slipped-left"],
)
def test_it_reads_the_layout_as_real_files_come(reference_data, tmp_path, quirk):
    path = workbooks.save(workbooks.write(workbooks.Table(), **quirk), tmp_path)

    _import(path)

    document = AllocationDocument.objects.get(number=NEW)
    assert document.lines.count() == 100
    assert document.lines_total() == Decimal("72988")
    assert document.subtotals.get(prefecture__name="和田地区").declared_amount == Decimal("7908")


def test_it_reads_a_subtotal_written_as_a_formula_from_its_cached_value(reference_data, tmp_path):
    import openpyxl

    workbook = openpyxl.load_workbook(workbooks.write(workbooks.Table()))
    workbook.active["D14"] = "=SUM(D6:D13)"
    path = tmp_path / "formula.xlsx"
    workbook.save(path)

    message = _refused(path)

    # openpyxl stores no computed value, as a program-written file would.
    assert "第14行 拨付金额：公式 =SUM(D6:D13) 没有计算结果" in message


def _table_with(change):
    table = workbooks.Table()
    change(table)
    return table


BAD_TABLES = {
    "unknown-county": (
        lambda t: t.groups["乌鲁木齐市"].__setitem__(0, ["高新区", Decimal("1200"), ""]),
        "第6行 乌鲁木齐市/高新区：乌鲁木齐市 没有名为“高新区”的县（市、区）",
    ),
    "unknown-prefecture": (
        lambda t: t.groups.__setitem__("不存在州", t.groups.pop("哈密市")),
        "第118行 不存在州：未知的地（州、市）",
    ),
    "negative-amount": (
        lambda t: t.groups["哈密市"].__setitem__(0, ["伊州区", Decimal("-2370"), ""]),
        "第64行 哈密市/伊州区：拨付金额不能为负数（-2370）",
    ),
    "text-amount": (
        lambda t: t.groups["哈密市"].__setitem__(0, ["伊州区", "两千三百七十", ""]),
        "第64行 哈密市/伊州区：拨付金额“两千三百七十”不是数字",
    ),
    "over-precise-amount": (
        lambda t: t.groups["哈密市"].__setitem__(0, ["伊州区", Decimal("2370.001"), ""]),
        "第64行 哈密市/伊州区：拨付金额最多保留2位小数（2370.001）",
    ),
    "empty-amount": (
        lambda t: t.groups["哈密市"].__setitem__(0, ["伊州区", None, ""]),
        "第64行 哈密市/伊州区：拨付金额为空",
    ),
    "duplicate-county": (
        lambda t: t.groups["哈密市"].append(["伊州区", Decimal("0"), ""]),
        "第65行 哈密市/伊州区：与第64行重复",
    ),
    "subtotal-mismatch": (
        lambda t: t.subtotals.__setitem__("伊犁州", Decimal("8864")),
        "第27行 伊犁州 小计 8864 ≠ 各县合计 8846",
    ),
    "total-mismatch": (
        lambda t: setattr(t, "total", Decimal("72989")),
        "第5行 合计 72989 ≠ 各行合计 72988",
    ),
    "missing-subtotal": (
        lambda t: t.subtotals.pop("哈密市"),
        "哈密市 缺少小计（各县合计 2370）",
    ),
    "missing-total": (
        lambda t: setattr(t, "total", None),
        "第5行 合计：合计为空",
    ),
}


@pytest.mark.parametrize("case", BAD_TABLES, ids=list(BAD_TABLES))
def test_it_refuses_a_bad_table_and_writes_nothing(reference_data, tmp_path, case):
    change, expected = BAD_TABLES[case]
    path = workbooks.save(workbooks.write(_table_with(change)), tmp_path)
    before = _stored()

    message = _refused(path)

    assert expected in message
    assert "未写入任何数据" in message
    assert _stored() == before


def test_it_lists_every_error_not_only_the_first(reference_data, tmp_path):
    def two_errors(table):
        table.groups["哈密市"][0][1] = "abc"
        table.groups["克州"][0][0] = "不存在市"

    path = workbooks.save(workbooks.write(_table_with(two_errors)), tmp_path)

    message = _refused(path)

    assert "共 2 处错误" in message
    assert "哈密市/伊州区：拨付金额“abc”不是数字" in message
    assert "克州 没有名为“不存在市”的县（市、区）" in message


@pytest.mark.parametrize(
    "content, expected",
    [
        (b"this is not a workbook", "文件不是有效的 Excel 工作簿（.xlsx）"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504, "旧版 .xls 格式或已加密"),
        (b"PK\x03\x04broken zip", "文件不是有效的 Excel 工作簿（.xlsx）"),
    ],
    ids=["text-file", "encrypted-or-xls", "truncated-zip"],
)
def test_it_refuses_a_file_that_is_not_a_workbook(reference_data, tmp_path, content, expected):
    path = tmp_path / "bad.xlsx"
    path.write_bytes(content)
    before = _stored()

    assert expected in _refused(path)
    assert _stored() == before


def test_it_refuses_a_workbook_without_the_header(reference_data, tmp_path):
    path = workbooks.save(workbooks.write(workbooks.Table(), header=("编号", "地区", "县", "金额", "说明")), tmp_path)

    assert "找不到表头行（序号 / 地（州、市）名称 / 县（市、区）名称 / 拨付金额 / 备注）" in _refused(path)


def test_it_refuses_an_empty_workbook(reference_data, tmp_path):
    from openpyxl import Workbook

    path = tmp_path / "empty.xlsx"
    Workbook().save(path)

    assert "找不到表头行" in _refused(path)


def test_it_refuses_two_allocation_sheets_in_one_workbook(reference_data, tmp_path):
    path = workbooks.save(workbooks.write(workbooks.Table(), extra_sheets=("附件1（副本）",)), tmp_path)

    assert "工作簿中有多个分配表工作表（附件1、附件1（副本））" in _refused(path)


def test_it_refuses_an_existing_number_unless_replacing_a_draft(reference_data, sample_workbook_path, tmp_path):
    _import(sample_workbook_path)
    before = _stored()
    assert f"文号 {NEW} 已存在。如需覆盖草稿，请选择覆盖（--replace）。" in _refused(sample_workbook_path)
    assert _stored() == before

    changed = workbooks.Table()
    changed.groups["哈密市"][0][1] = Decimal("2000")
    changed.subtotals["哈密市"] = Decimal("2000")
    changed.total = Decimal("72618")
    _import(workbooks.save(workbooks.write(changed), tmp_path), "--replace")

    document = AllocationDocument.objects.get(number=NEW)
    assert document.declared_total == Decimal("72618")
    assert document.lines.count() == 100
    assert document.lines.get(county__name="伊州区").amount == Decimal("2000")


def test_it_never_replaces_an_issued_document(notice_document, sample_workbook_path):
    before = _stored()
    with pytest.raises(CommandError) as error:
        call_command("import_allocations", str(sample_workbook_path), "--document", notice_document.number, "--replace")
    assert f"文号 {notice_document.number} 已下达，不能覆盖。" in str(error.value)
    assert _stored() == before


def test_it_writes_nothing_on_a_dry_run(reference_data, sample_workbook_path):
    before = _stored()

    output = _import(sample_workbook_path, "--dry-run")

    assert "校验通过（未写入）" in output
    assert "100 行，14 个地（州、市），合计 72988 万元" in output
    assert _stored() == before


def test_it_reports_an_existing_number_on_a_dry_run_too(notice_document, sample_workbook_path):
    with pytest.raises(CommandError) as error:
        call_command("import_allocations", str(sample_workbook_path), "--document", notice_document.number, "--dry-run")
    assert "已存在" in str(error.value)


def test_it_refuses_a_date_in_the_wrong_format(reference_data, sample_workbook_path):
    assert "--date “2023/06/05” 不是 YYYY-MM-DD 格式的日期" in _refused(sample_workbook_path, "--date", "2023/06/05")


def test_it_exits_non_zero_without_a_traceback(tmp_path):
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(b"not a workbook")
    result = subprocess.run(
        [sys.executable, "manage.py", "import_allocations", str(bad), "--document", NEW],
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "文件不是有效的 Excel 工作簿（.xlsx）" in result.stderr
    assert "Traceback" not in result.stderr + result.stdout
