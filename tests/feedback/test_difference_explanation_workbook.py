"""说明2's 差异说明 through the 附件3 workbook: exported in its own column after the notice's ten, imported back,
and a figure that differs from the treasury's is refused without one, naming the row."""

from decimal import Decimal

import openpyxl
import pytest
from django.core.management.base import CommandError

from allocations.models import Prefecture
from feedback import workflow
from tests.feedback.workbook_files import FIRST_LINE_ROW, JULY, export_urumqi, fill, rows, run_import, urumqi_report
from tests.treasury.conftest import run
from tests.treasury.payment_files import sample_path

K = 10  # the column's index in a row read back


@pytest.fixture
def july(officer_urumqi):
    # The sample's payments: 乌鲁木齐市 paid 5,000.00 万元 under 新财社〔2023〕74号 by the end of July.
    run("import_payments", str(sample_path()))
    return workflow.open_report(Prefecture.objects.get(name="乌鲁木齐市"), JULY)


def _line():
    return urumqi_report().lines.get()


def _refused(path):
    with pytest.raises(CommandError) as refused:
        run_import(path)
    return str(refused.value)


def test_it_exports_the_explanation_in_its_own_column(july, officer_urumqi, tmp_path):
    line = july.lines.get()
    workflow.save_lines(july, {line.pk: {"spent": Decimal("4800"), "difference_explanation": "200万元退回待国库更正"}}, officer_urumqi, july.version)

    sheet = rows(export_urumqi(tmp_path))

    assert sheet[3][K] == "差异说明"
    assert sheet[FIRST_LINE_ROW - 1][4] == 4800
    assert sheet[FIRST_LINE_ROW - 1][K] == "200万元退回待国库更正"


def test_it_refuses_a_differing_figure_without_an_explanation_naming_the_row(july, tmp_path):
    path = fill(export_urumqi(tmp_path), spent=4800)

    refused = _refused(path)

    assert "工作表第6行（新财社〔2023〕74号）：实际支出金额 4,800.00 与国库集中支付数 5,000.00 不一致，请填写差异说明" in refused
    assert _line().spent == Decimal("5000.00")  # the treasury's pre-filled figure, untouched


def test_it_imports_a_differing_figure_with_its_explanation(july, tmp_path):
    path = fill(export_urumqi(tmp_path), spent=4800, difference_explanation="退回200万元")

    run_import(path)

    assert (_line().spent, _line().difference_explanation) == (Decimal("4800.00"), "退回200万元")


def test_it_clears_an_explanation_emptied_in_the_sheet_when_the_figure_agrees(july, officer_urumqi, tmp_path):
    line = july.lines.get()
    workflow.save_lines(july, {line.pk: {"spent": Decimal("4800"), "difference_explanation": "退回"}}, officer_urumqi, july.version)
    path = fill(export_urumqi(tmp_path), spent=5000, difference_explanation=None)

    run_import(path)

    assert (_line().spent, _line().difference_explanation) == (Decimal("5000.00"), "")


def test_it_leaves_the_explanation_alone_when_the_sheet_has_no_such_column(july, officer_urumqi, tmp_path):
    # The notice's own layout has ten columns: a file filled in on it says nothing about explanations.
    line = july.lines.get()
    workflow.save_lines(july, {line.pk: {"spent": Decimal("4800"), "difference_explanation": "退回"}}, officer_urumqi, july.version)
    path = export_urumqi(tmp_path)
    workbook = openpyxl.load_workbook(path)
    workbook.worksheets[0].delete_cols(K + 1)
    workbook.save(path)
    path = fill(path, reason="进度慢")

    run_import(path)

    assert (_line().difference_explanation, _line().reason) == ("退回", "进度慢")


def test_it_round_trips_the_explanation_unchanged(july, officer_urumqi, tmp_path):
    line = july.lines.get()
    workflow.save_lines(july, {line.pk: {"spent": Decimal("4800"), "difference_explanation": "退回 200 万元；待更正"}}, officer_urumqi, july.version)
    first = export_urumqi(tmp_path, "first.xlsx")

    output = run_import(first)

    assert "1 行（0 行有修改）" in output
    assert _line().difference_explanation == "退回 200 万元；待更正"
    assert rows(export_urumqi(tmp_path, "second.xlsx"))[4:] == rows(first)[4:]
