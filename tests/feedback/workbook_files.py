"""附件3 workbooks for tests: export one, change cells by column name, import it, and snapshot a report."""

import io
from datetime import date

import openpyxl
from django.core.management import call_command

from allocations.models import Prefecture
from feedback.models import FeedbackReport

JULY = date(2023, 7, 1)
FIRST_LINE_ROW = 6  # label, title, title block, header, 合计, then the lines
COLUMNS = {
    "position": "A",
    "fund_name": "B",
    "document_number": "C",
    "amount": "D",
    "spent": "E",
    "uses": "F",
    "unspent": "G",
    "progress": "H",
    "reason": "I",
    "measure": "J",
    "difference_explanation": "K",  # 说明2's 差异说明, after the notice's ten
}


def export(tmp_path, *args, name="out.xlsx", month="2023-07"):
    path = tmp_path / name
    call_command("export_feedback", *args, "--month", month, "-o", str(path), stdout=io.StringIO())
    return path


def export_urumqi(tmp_path, name="out.xlsx"):
    return export(tmp_path, "--prefecture", "乌鲁木齐市", name=name)


def fill(path, row=FIRST_LINE_ROW, target=None, sheet=None, **values):
    """Set cells of one row by column name; returns the saved path."""
    workbook = openpyxl.load_workbook(path)
    worksheet = workbook[sheet] if sheet else workbook.worksheets[0]
    for name, value in values.items():
        worksheet[f"{COLUMNS[name]}{row}"] = value
    target = target or path
    workbook.save(target)
    return target


def run_import(path, *args, prefecture="乌鲁木齐市", month="2023-07"):
    out = io.StringIO()
    call_command("import_feedback", str(path), "--prefecture", prefecture, "--month", month, *args, stdout=out)
    return out.getvalue()


def rows(path, sheet=None):
    workbook = openpyxl.load_workbook(path)
    worksheet = workbook[sheet] if sheet else workbook.worksheets[0]
    return [list(values) for values in worksheet.iter_rows(values_only=True)]


def urumqi_report(month=JULY):
    return FeedbackReport.objects.filter(prefecture=Prefecture.objects.get(name="乌鲁木齐市"), month=month).first()


def snapshot(report):
    """What a refused import must leave exactly as it was."""
    if report is None:
        return None
    report = FeedbackReport.objects.get(pk=report.pk)
    lines = list(
        report.lines.order_by("position").values_list(
            "spent", "uses", "reason", "measure", "measure_deadline", "decrease_explanation"
        )
    )
    return (report.version, report.status, report.submitted_at, lines, report.history.count())
