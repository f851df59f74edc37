"""No exported cell runs as a formula: a county note `=HYPERLINK(…)` through every CSV and XLSX export."""

import csv
import io
from datetime import date
from decimal import Decimal

import pytest
import tablib
from django.contrib import admin
from django.urls import reverse
from import_export.admin import ExportMixin
from openpyxl import load_workbook

from allocations.models import AllocationDocument, AllocationLine, County, Prefecture
from allocations.resources import AllocationLineResource
from core.resources import SafeExportMixin
from core.safe_export import quote_formula, unquote_formula
from feedback.workflow import open_report
from targets.models import Target
from targets.resources import TargetResource
from tests.core.changes import change

NOTE = '=HYPERLINK("http://evil.example","点我")'
QUOTED = "'" + NOTE
CSV_FORMAT, XLSX_FORMAT = "1", "0"  # IMPORT_EXPORT_FORMATS = [XLSX, CSV]


def csv_cells(response):
    return [cell for row in csv.reader(io.StringIO(response.content.decode("utf-8-sig"))) for cell in row]


def xlsx_cells(content):
    workbook = load_workbook(io.BytesIO(content))
    return [cell for sheet in workbook for row in sheet.iter_rows() for cell in row if cell.value is not None]


def assert_text_not_formula(cells, value=NOTE):
    """The value is there as a text cell; no cell anywhere is a formula."""
    matching = [cell for cell in cells if cell.value == value]
    assert matching, f"{value} not exported"
    assert all(cell.data_type == "s" and cell.quotePrefix for cell in matching)
    assert not [cell for cell in cells if cell.data_type == "f"]


def admin_export(client, model, resource, fields, file_format):
    prefix = resource.__name__.lower()
    data = {"format": file_format, "resource": "0", **{f"{prefix}_{name}": "on" for name in fields}}
    response = client.post(reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_export"), data)
    assert response.status_code == 200, response.content[:500]
    return response


@pytest.fixture
def evil_line(notice_document):
    line = AllocationLine.objects.get(document=notice_document, county__name="天山区")
    line.note = NOTE
    line.save()
    return line


@pytest.mark.parametrize(
    "value", [NOTE, "+1", "-5%", "@SUM(A1)", "\tx", "\rx", "'=x", "''+x", "'plain", "'", "plain", "", None, Decimal("-1")]
)
def test_it_quotes_formula_text_so_that_unquoting_gives_it_back(value):
    quoted = quote_formula(value)

    assert unquote_formula(quoted) == value
    if isinstance(value, str) and value.lstrip("'").startswith(("=", "+", "-", "@", "\t", "\r")):
        assert quoted == "'" + value


def test_it_writes_the_official_allocation_workbook_with_the_note_as_text(evil_line, region_admin, client_for):
    response = client_for(region_admin).get(reverse("allocations:document_export", args=[evil_line.document_id]))

    assert_text_not_formula(xlsx_cells(response.content))


def test_it_quotes_the_note_in_the_admin_flat_line_export(evil_line, region_admin, client_for):
    client = client_for(region_admin)
    fields = AllocationLineResource().get_export_order()

    assert QUOTED in csv_cells(admin_export(client, AllocationLine, AllocationLineResource, fields, CSV_FORMAT))
    cells = xlsx_cells(admin_export(client, AllocationLine, AllocationLineResource, fields, XLSX_FORMAT).content)
    assert [cell.data_type for cell in cells if cell.value == QUOTED] == ["s"]
    assert not [cell for cell in cells if cell.data_type == "f" or str(cell.value).startswith("=")]
    # Amounts stay numbers: nothing turns every cell into text any more.
    assert any(cell.value == 1200 and cell.data_type == "n" for cell in cells)


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_it_imports_a_flat_line_export_back_unchanged(file_format, notice_document):
    draft = AllocationDocument.objects.create(
        number="测试〔2024〕9号", title="草稿", year=2024, fund=notice_document.fund, declared_total=Decimal("30")
    )
    notes = [NOTE, "'=already quoted", "-5%"]
    for position, (county, note) in enumerate(zip(County.objects.filter(prefecture__name="昌吉州")[:3], notes), 1):
        AllocationLine.objects.create(document=draft, county=county, amount=Decimal("10"), note=note, position=position)
    exported = AllocationLineResource().export(draft.lines.all()).export(file_format)

    result = AllocationLineResource().import_data(tablib.Dataset().load(exported, format=file_format), dry_run=False)

    assert not result.has_errors() and not result.has_validation_errors()
    assert [row.import_type for row in result.rows] == ["skip"] * 3  # nothing differs
    assert sorted(draft.lines.values_list("note", flat=True)) == sorted(notes)


def test_it_quotes_a_formula_target_in_the_targets_flat_export(notice_document, region_admin, client_for):
    target = Target.objects.get(table__document=notice_document, table__prefecture__name="乌鲁木齐市", position=1)
    change(target, raw_value=NOTE)
    client = client_for(region_admin)
    fields = TargetResource().get_export_order()

    assert QUOTED in csv_cells(admin_export(client, Target, TargetResource, fields, CSV_FORMAT))
    cells = xlsx_cells(admin_export(client, Target, TargetResource, fields, XLSX_FORMAT).content)
    assert [cell.value for cell in cells if NOTE in str(cell.value)] == [QUOTED]
    assert not [cell for cell in cells if cell.data_type == "f"]


def test_it_writes_a_formula_reason_into_the_feedback_workbook_as_text(reference_data, officer_urumqi, client_for):
    report = open_report(Prefecture.objects.get(name="乌鲁木齐市"), date(2023, 7, 1))
    change(report.lines.order_by("position").first(), spent=Decimal("1"), reason=NOTE, measure="+补报")

    response = client_for(officer_urumqi).get(reverse("feedback:report_export", args=[report.pk]))

    cells = xlsx_cells(response.content)
    assert_text_not_formula(cells)
    assert [cell.quotePrefix for cell in cells if str(cell.value).startswith("+补报")] == [True]


def test_it_quotes_a_formula_target_in_the_rollup_csv(notice_document, auditor, client_for):
    regional = Target.objects.get(table__document=notice_document, table__prefecture__isnull=True, position=1)
    change(regional, raw_value=NOTE)

    response = client_for(auditor).get(reverse("targets:rollup", args=[notice_document.pk]), {"format": "csv"})

    cells = csv_cells(response)
    assert QUOTED in cells and NOTE not in cells


def test_it_neutralises_the_change_log_exports(evil_line, region_admin, auditor, client_for):
    region_admin.first_name = "@管理员"
    region_admin.save()
    change(evil_line, region_admin, NOTE, amount=Decimal("1"))
    client = client_for(auditor)
    query = {"model": "allocations.allocationline"}

    cells = csv_cells(client.get(reverse("oversight:changelog"), {**query, "format": "csv"}))
    assert QUOTED in cells and "'@管理员" in cells and NOTE not in cells

    xlsx = xlsx_cells(client.get(reverse("oversight:changelog"), {**query, "format": "xlsx"}).content)
    assert_text_not_formula(xlsx)
    assert_text_not_formula(xlsx, "@管理员")


def test_it_makes_every_admin_export_formula_safe():
    resources = [
        resource
        for model_admin in admin.site._registry.values()
        if isinstance(model_admin, ExportMixin)
        for resource in model_admin.get_export_resource_classes(None)
    ]

    assert resources
    assert all(issubclass(resource, SafeExportMixin) for resource in resources)
