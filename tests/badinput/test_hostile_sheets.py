"""What the streamed sheet scan decides before any reader builds a sheet (the corpus covers each importer's refusal).

- A cell at XFD1048576 is refused in bounded memory: calamine would have asked for 512 GB.
- Only visible sheets are read: a hidden sheet's figures never reach the database.
"""

import tracemalloc
from decimal import Decimal
from io import BytesIO

import openpyxl
import pytest

from allocations.workbook.reader import read_workbook
from core.workbook import WorkbookError
from feedback.models import FeedbackLine
from tests.allocations.workbooks import Table, write
from tests.badinput.cases_sheets import hidden_decoy_first, hiding, rewrite, with_far_cell
from tests.feedback.workbook_files import export_urumqi, fill, run_import

pytestmark = pytest.mark.django_db


def test_it_refuses_the_last_cell_of_a_sheet_in_bounded_memory():
    hostile = BytesIO(rewrite(write(Table()).getvalue(), change_sheet=with_far_cell))

    tracemalloc.start()
    try:
        with pytest.raises(WorkbookError) as refused:
            read_workbook(hostile)
        _size, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()

    assert "工作表“附件1”的单元格 XFD1048576 超出范围" in str(refused.value)
    assert peak < 100 * 1024 * 1024


def test_it_refuses_a_column_beyond_the_official_layouts():
    far_right = lambda text: text.replace("</sheetData>", '<row r="7"><c r="BA7"><v>1</v></c></row></sheetData>', 1)  # noqa: E731

    with pytest.raises(WorkbookError, match="单元格 BA7 超出范围：官方格式不超过 50 列"):
        read_workbook(BytesIO(rewrite(write(Table()).getvalue(), change_sheet=far_right)))


def test_it_reads_the_visible_sheet_not_a_hidden_one_placed_first(officer_urumqi, urumqi_july, tmp_path):
    path = export_urumqi(tmp_path)
    fill(path, spent=3)
    hidden_decoy_first(path)
    assert openpyxl.load_workbook(path).sheetnames[0] == "隐藏"

    run_import(path)

    assert list(FeedbackLine.objects.filter(report=urumqi_july).values_list("spent", flat=True)) == [Decimal("3.00")]


def test_it_passes_over_a_hidden_sheet_beside_the_visible_table():
    workbook = openpyxl.load_workbook(write(Table()))
    workbook.create_sheet("备用").sheet_state = "hidden"
    buffer = BytesIO()
    workbook.save(buffer)

    assert read_workbook(buffer).rows


@pytest.mark.parametrize("state", ["hidden", "veryHidden"])
def test_it_names_the_hidden_sheet_that_holds_the_only_table(state):
    workbook = openpyxl.load_workbook(write(Table()))
    workbook.create_sheet("说明")
    buffer = BytesIO()
    workbook.save(buffer)
    hidden = BytesIO(rewrite(buffer.getvalue(), change_workbook=hiding(state)))

    with pytest.raises(WorkbookError, match="工作表“附件1”是隐藏的，请取消隐藏"):
        read_workbook(hidden)
