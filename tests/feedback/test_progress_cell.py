"""附件3's 实际支出进度 (issue 13 point 9): a number shown as a percentage, read back in both forms."""

from decimal import Decimal as D

import openpyxl
import pytest

from feedback import workflow
from feedback.workbook.reader import read_workbook, to_progress
from tests.feedback.workbook_files import JULY, export_urumqi, fill, run_import, urumqi_report


@pytest.fixture
def spent_5000(officer_urumqi):
    report = workflow.open_report(officer_urumqi.prefecture, JULY)
    line = report.lines.get()
    return workflow.save_lines(report, {line.pk: {"spent": D("5000"), "uses": ["vocational_training"]}}, officer_urumqi, report.version)


def test_it_exports_urumqis_july_progress_as_the_number_0_6028(spent_5000, tmp_path):
    sheet = openpyxl.load_workbook(export_urumqi(tmp_path)).worksheets[0]

    for cell in (sheet["H5"], sheet["H6"]):  # 合计 and the line
        assert cell.value == 0.6028
        assert cell.data_type == "n"
        assert cell.number_format == "0.00%"  # shown as 60.28%


@pytest.mark.parametrize(
    "value, percent",
    [(0.6028, D("60.28")), ("60.28%", D("60.28")), ("６０.２８％", D("60.28")), (" 60.28 % ", D("60.28")), (1, D("100.00")), (0, D("0.00"))],
)
def test_it_reads_the_progress_written_as_a_number_or_as_text(value, percent):
    assert to_progress(value) == percent


@pytest.mark.parametrize("value", [None, "", "  "])
def test_it_reads_an_empty_progress_as_none(value):
    assert to_progress(value) is None


@pytest.mark.parametrize("value", ["过半", "1e999%", "9" * 60 + "%", True])
def test_it_keeps_an_unreadable_progress_as_found(value):
    assert to_progress(value) == str(value)


def test_it_reads_back_the_new_number_and_the_old_text(spent_5000, tmp_path):
    new = export_urumqi(tmp_path)
    old = fill(export_urumqi(tmp_path, name="old.xlsx"), progress="60.28%")

    assert [row.progress for row in read_workbook(new).rows] == [D("60.28")]
    assert [row.progress for row in read_workbook(old).rows] == [D("60.28")]


def test_it_imports_a_file_with_either_form_and_recomputes_the_progress(spent_5000, tmp_path):
    # The column is derived: a stale or odd figure in it changes nothing, the spend decides.
    for name, progress in (("number.xlsx", 0.6028), ("text.xlsx", "60.28%"), ("stale.xlsx", "12.00%")):
        run_import(fill(export_urumqi(tmp_path, name=name), spent=6000, progress=progress))
        assert urumqi_report().lines.get().spent == D("6000")
