"""说明1 through the 附件3 workbook: an added line is exported marked 自行添加, and a row that is no document of
this system comes back as an added line with its amount; malformed rows are refused naming the row."""

from datetime import date
from decimal import Decimal

import openpyxl
import pytest
from django.core.management.base import CommandError

from feedback import workflow
from feedback.models import FeedbackReport, Settlement
from tests.feedback.workbook_files import FIRST_LINE_ROW, JULY, export_urumqi, fill, rows, run_import, urumqi_report

ADDED_ROW = FIRST_LINE_ROW + 1
OWN_FUND = {"fund_name": "2023年自治区就业补助资金", "document_number": "新财社〔2023〕12号", "amount": Decimal("500")}


@pytest.fixture
def july(officer_urumqi):
    return workflow.open_report(officer_urumqi.prefecture, JULY)


def _add(report, user, **values):
    report.refresh_from_db()
    return workflow.save_lines(report, {}, user, report.version, added=[{**OWN_FUND, **values}])


def _lines(report=None):
    """Everything a line is, as a round trip must keep it."""
    report = report or urumqi_report()
    return list(
        report.lines.order_by("position").values_list(
            "position", "document_id", "fund_name", "document_number", "amount", "direct_mark", "spent", "uses",
            "reason", "measure", "measure_deadline", "difference_explanation",
        )
    )


def _refused(path):
    with pytest.raises(CommandError) as refused:
        run_import(path)
    return str(refused.value)


def _new_row(path, fund_name, number, amount, spent=None):
    return fill(path, row=ADDED_ROW, fund_name=fund_name, document_number=number, amount=amount, spent=spent)


def _insert_row(path, at=ADDED_ROW):
    """A blank row under the first line, as a bureau adds one in Excel (openpyxl moves cells, not merges: unmerge the notes)."""
    workbook = openpyxl.load_workbook(path)
    sheet = workbook.worksheets[0]
    for merged in [merged for merged in sheet.merged_cells.ranges if merged.min_row >= at]:
        sheet.unmerge_cells(str(merged))
    sheet.insert_rows(at)
    workbook.save(path)
    return path


def test_it_exports_an_added_line_marked_after_its_fund_name(july, officer_urumqi, tmp_path):
    _add(july, officer_urumqi, spent=Decimal("100"), uses=["vocational_training"])
    _add(july, officer_urumqi, fund_name="地方资金", document_number="乌财社〔2023〕5号", amount=Decimal("20"), direct_mark="")

    sheet = rows(export_urumqi(tmp_path))

    assert sheet[FIRST_LINE_ROW][:5] == [2, "2023年自治区就业补助资金（自行添加）", "新财社〔2023〕12号", 500, 100]
    assert sheet[FIRST_LINE_ROW + 1][:4] == [3, "地方资金（自行添加，非直达资金）", "乌财社〔2023〕5号", 20]
    # 合计 counts them: 8,294 + 500 + 20.
    assert sheet[4][3] == 8814


def test_it_round_trips_added_lines_unchanged(july, officer_urumqi, tmp_path):
    system = july.lines.get()
    workflow.save_lines(july, {system.pk: {"spent": Decimal("5000"), "uses": ["vocational_training"]}}, officer_urumqi, july.version)
    _add(july, officer_urumqi, spent=Decimal("100"), uses=["social_insurance"], reason="到位晚", measure="加快", measure_deadline=date(2023, 9, 30))
    _add(july, officer_urumqi, fund_name="地方资金", document_number="乌财社〔2023〕5号", amount=Decimal("20.5"), direct_mark="")
    before = _lines()
    first = export_urumqi(tmp_path, "first.xlsx")

    output = run_import(first)

    assert "3 行（0 行有修改）" in output
    assert _lines() == before
    assert rows(export_urumqi(tmp_path, "second.xlsx"))[4:] == rows(first)[4:]


def test_it_imports_a_row_that_is_no_system_document_as_an_added_line(officer_urumqi, tmp_path):
    path = _new_row(_insert_row(export_urumqi(tmp_path)), "2023年自治区就业补助资金", "新财社〔2023〕12号", 500, spent=120)

    output = run_import(path)

    assert "2 行（1 行有修改）" in output
    added = urumqi_report().lines.get(document__isnull=True)
    assert (added.position, added.fund_name, added.document_number, added.amount, added.spent, added.direct_mark) == (
        2, "2023年自治区就业补助资金", "新财社〔2023〕12号", Decimal("500"), Decimal("120"), "01 中央直达资金",
    )
    assert rows(export_urumqi(tmp_path, "again.xlsx"))[ADDED_ROW - 1][1] == "2023年自治区就业补助资金（自行添加）"


def test_it_reads_the_mark_of_a_fund_that_is_not_a_direct_fund(officer_urumqi, tmp_path):
    path = _new_row(_insert_row(export_urumqi(tmp_path)), "地方资金（自行添加，非直达资金）", "乌财社〔2023〕5号", "20")

    run_import(path)

    added = urumqi_report().lines.get(document__isnull=True)
    assert (added.fund_name, added.direct_mark) == ("地方资金", "")


def test_it_changes_an_added_lines_amount_from_the_sheet(july, officer_urumqi, tmp_path):
    _add(july, officer_urumqi)
    path = fill(export_urumqi(tmp_path), row=ADDED_ROW, amount=650)

    run_import(path)

    assert july.lines.get(document__isnull=True).amount == Decimal("650")


@pytest.mark.parametrize(
    "fund_name, amount, message",
    [
        (None, 500, "工作表第7行（新财社〔2023〕12号）：文号不是本系统下达的资金，按自行添加的资金（说明1）导入，须填写收到的财政专项资金名称"),
        ("自治区资金", None, "工作表第7行（新财社〔2023〕12号）：文号不是本系统下达的资金，按自行添加的资金（说明1）导入，须填写资金金额"),
        ("自治区资金", "五百", "工作表第7行（新财社〔2023〕12号）：资金金额“五百”不是数字"),
        ("自治区资金", -5, "工作表第7行（新财社〔2023〕12号）：资金金额不能为负数"),
        ("自治区资金", 0, "工作表第7行（新财社〔2023〕12号）：自行添加的资金，资金金额须大于0（文件中为 0.00）"),
    ],
)
def test_it_refuses_a_malformed_new_row_naming_it_and_writes_nothing(officer_urumqi, tmp_path, fund_name, amount, message):
    path = _new_row(_insert_row(export_urumqi(tmp_path)), fund_name, "新财社〔2023〕12号", amount)
    before = _lines()

    refused = _refused(path)

    assert message in refused
    assert _lines() == before


def test_it_refuses_a_row_over_its_added_amount_naming_the_sheet_row(officer_urumqi, tmp_path):
    path = _new_row(_insert_row(export_urumqi(tmp_path)), "自治区资金", "新财社〔2023〕12号", 500, spent=600)

    refused = _refused(path)

    assert "工作表第7行（新财社〔2023〕12号）：实际支出金额 600.00 超过资金金额 500.00" in refused
    assert urumqi_report().lines.filter(document__isnull=True).count() == 0


def test_it_refuses_a_system_document_of_the_prefecture_as_an_added_row(officer_urumqi, notice_document, tmp_path):
    # Settled in June: July lists no line for it; a row for it is still not the bureau's own fund.
    Settlement.objects.create(document=notice_document, prefecture=officer_urumqi.prefecture, closed_on=date(2023, 6, 30), reason="清算")
    workflow.open_report(officer_urumqi.prefecture, JULY)
    path = _insert_row(export_urumqi(tmp_path), at=FIRST_LINE_ROW)
    path = fill(path, row=FIRST_LINE_ROW, position=1, fund_name="就业补助资金", document_number="新财社〔2023〕74号", amount=8294)

    refused = _refused(path)

    assert "工作表第6行（新财社〔2023〕74号）：文号 新财社〔2023〕74号 是本系统已下达给乌鲁木齐市的分配文件，不能自行添加" in refused
    assert urumqi_report().lines.count() == 0


def test_it_keeps_an_added_line_the_sheet_leaves_out(july, officer_urumqi, tmp_path):
    _add(july, officer_urumqi)
    path = export_urumqi(tmp_path)
    workbook = openpyxl.load_workbook(path)
    workbook.worksheets[0].delete_rows(ADDED_ROW)
    workbook.save(path)

    run_import(path)

    assert FeedbackReport.objects.get(pk=july.pk).lines.filter(document__isnull=True).count() == 1
