"""Hidden sheets are not read, however the file is arranged (core.sheet_scan knows each sheet's state).

test_hostile_sheets covers a hidden sheet placed first, a hidden sheet beside
the table, and a table only on a hidden sheet. Here: the same through names,
where a sheet's state was looked up by its name. Two sheets of one name
(Excel never writes that; openpyxl renames the second on reading) made the
hidden one's state be taken from the visible one, and its figures stored.
And the same where the scan did not find workbook.xml (at another path, as
[Content_Types].xml allows, or in the strict namespace): a sheet it knew
nothing of was taken for a visible one.
"""

import re
from decimal import Decimal
from io import BytesIO

import openpyxl
import pytest
from openpyxl.chart import BarChart, Reference
from django.core.management import CommandError

from allocations.workbook.reader import read_workbook
from core.workbook import DAMAGED_MESSAGE, WorkbookError
from feedback.models import FeedbackLine
from tests.allocations.workbooks import Table, write
from tests.badinput import files
from tests.badinput.case import Context, cases_of
from tests.badinput.cases_sheets import flat_lines, flat_targets, hidden_decoy_first, hiding
from tests.badinput.refusal import refused_clearly
from tests.feedback.workbook_files import export_urumqi, fill, run_import

pytestmark = pytest.mark.django_db

WORKBOOK = "xl/workbook.xml"


def renamed_second_sheet(name):
    """workbook.xml with its second <sheet> given the first one's name."""

    def change(text):
        tags = list(re.finditer(r"<sheet [^>]*>", text))
        second = tags[1]
        tag = re.sub(r'name="[^"]*"', f'name="{name}"', second.group(0), count=1)
        return text[: second.start()] + tag + text[second.end():]

    return change


def test_it_refuses_a_hidden_table_named_as_the_visible_sheet():
    workbook = openpyxl.load_workbook(write(Table()))
    workbook.worksheets[0].sheet_state = "hidden"
    workbook.create_sheet("说明")["A1"] = "请勿修改"
    workbook.active = 1
    buffer = BytesIO()
    workbook.save(buffer)
    # Both sheets called 附件1: the hidden table first, the visible notes second.
    content = files.rezip(buffer.getvalue(), change={WORKBOOK: renamed_second_sheet("附件1")})

    with pytest.raises(WorkbookError) as refused:
        read_workbook(BytesIO(content))

    assert str(refused.value) == DAMAGED_MESSAGE


def test_it_stores_no_hidden_figure_from_a_decoy_named_as_the_real_sheet(officer_urumqi, urumqi_july, tmp_path):
    path = export_urumqi(tmp_path)
    fill(path, spent=3)
    real = openpyxl.load_workbook(path).worksheets[0].title
    hidden_decoy_first(path)
    # The hidden decoy renamed to the real sheet's name: two sheets of one name, the hidden one first.
    content = files.rezip(path.read_bytes(), change={WORKBOOK: lambda text: text.replace('name="隐藏"', f'name="{real}"', 1)})
    path.write_bytes(content)

    with pytest.raises(CommandError, match="工作簿已损坏"):
        run_import(path)

    assert not FeedbackLine.objects.filter(report=urumqi_july, spent=Decimal("777")).exists()


def test_it_stores_no_hidden_figure_from_a_workbook_part_kept_elsewhere(officer_urumqi, urumqi_july, tmp_path):
    path = export_urumqi(tmp_path)
    fill(path, spent=3)
    hidden_decoy_first(path)
    path.write_bytes(files.workbook_moved(path.read_bytes()))

    run_import(path)

    assert list(FeedbackLine.objects.filter(report=urumqi_july).values_list("spent", flat=True)) == [Decimal("3.00")]


def _hidden_only_table():
    workbook = openpyxl.load_workbook(write(Table()))
    workbook.create_sheet("说明")
    buffer = BytesIO()
    workbook.save(buffer)
    return files.rezip(buffer.getvalue(), change={WORKBOOK: hiding("hidden")})


def test_it_names_the_hidden_table_of_a_workbook_part_kept_elsewhere():
    with pytest.raises(WorkbookError, match="工作表“附件1”是隐藏的，请取消隐藏"):
        read_workbook(BytesIO(files.workbook_moved(_hidden_only_table())))


def test_it_names_the_hidden_table_of_a_workbook_in_the_strict_namespace():
    strict = files.rezip(
        _hidden_only_table(),
        change={WORKBOOK: lambda text: text.replace(
            "http://schemas.openxmlformats.org/spreadsheetml/2006/main", "http://purl.oclc.org/ooxml/spreadsheetml/main"
        )},
    )

    with pytest.raises(WorkbookError, match="工作表“附件1”是隐藏的，请取消隐藏"):
        read_workbook(BytesIO(strict))


HIDDEN_ACTIVE = ("工作表“", "是隐藏的，请取消隐藏")


def _hidden_targets(ctx):
    given = flat_targets(ctx)
    given.file = files.rezip(given.file, change={WORKBOOK: hiding("veryHidden")})
    return given


def _moved_hidden_lines(ctx):
    given = flat_lines(ctx)
    given.file = files.workbook_moved(files.rezip(given.file, change={WORKBOOK: hiding("hidden")}))
    return given


def _chart_active_lines(ctx):
    # The import reads the active sheet, whatever it is: here a chart.
    given = flat_lines(ctx)
    workbook = openpyxl.load_workbook(BytesIO(given.file))
    chart = BarChart()
    chart.add_data(Reference(workbook.active, min_col=4, min_row=1, max_row=2))
    workbook.create_chartsheet("图表").add_chart(chart)
    workbook.active = 1
    given.file = files.workbook_bytes(workbook)
    return given


CASES = [
    cases_of("admin:target_import", "admin_targets")("very-hidden-sheet", _hidden_targets, *HIDDEN_ACTIVE),
    cases_of("admin:allocationline_import", "admin_lines")("moved-hidden-sheet", _moved_hidden_lines, *HIDDEN_ACTIVE),
    cases_of("admin:allocationline_import", "admin_lines")("chart-active", _chart_active_lines, "选中的工作表“图表”是图表，不是数据表"),
]


@pytest.mark.parametrize("case", CASES, ids=[case.id for case in CASES])
def test_it_refuses_a_flat_import_from_a_hidden_sheet_and_writes_nothing(case, request, tmp_path, large_files):
    refused_clearly(case, Context(request, tmp_path, large_files))
