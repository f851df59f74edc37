"""A formula typed into any text the app exports stays text in every export.

Each payload goes into every free text that reaches a file: the document's
number and titles, a prefecture's and a county's name, a line's note, the
fund's name, a target table's header block, a target's wording and value, a
feedback line's reason and measure, the users' names. Then every export is
run, and every cell of every sheet and every CSV field is read back.
"""

import csv
import io
import re
from datetime import date
from urllib.parse import unquote

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from allocations.models import AllocationDocument, AllocationLine, County, Fund, Prefecture
from feedback.models import FeedbackLine, FeedbackReport, ReportStatus
from feedback.workflow import open_report
from targets import review
from targets.models import Target, TargetTable
from tests.badinput.entries import URUMQI
from tests.core.changes import change
from tests.targets.review_helpers import table_of

PAYLOADS = {
    "hyperlink": '=HYPERLINK("http://x","y")',
    "plus": "+1",
    "minus": "-1+2",
    "at": "@SUM(1)",
    "tab": "\t=1+1",
    "cr": "\r=1+1",
}
DANGEROUS = ("=", "+", "-", "@", "\t", "\r")
# XML hands a stored CR back as a line feed: in a read XLSX, "\n=…" was "\r=…".
READ_BACK_DANGEROUS = DANGEROUS + ("\n",)
JULY = date(2023, 7, 1)
# A negative amount is a number, not a formula: CSV writes it as "-12.5".
NUMBER = re.compile(r"-?\d+(\.\d+)?")
LISTINGS = (
    "allocations:document_list",
    "allocations:prefecture_list",
    "feedback:report_list",
    "feedback:review_queue",
    "feedback:overdue",
    "targets:table_list",
    "targets:review_queue",
)
REGION_CHARTS = ("allocation", "attainment", "spend-progress", "completeness")
OFFICER_CHARTS = ("fund-lines", "spend-progress", "completeness")
TABLE_TEXTS = (
    "title",
    "year_label",
    "fund_name",
    "authority",
    "period",
    "finance_department",
    "local_department",
    "goal_heading",
    "goal_text",
)


@pytest.fixture(params=list(PAYLOADS.values()), ids=list(PAYLOADS))
def payload(request):
    return request.param


@pytest.fixture
def poisoned(payload, notice_document, drafted_tables, region_admin, hr_reviewer, officer_urumqi, auditor):
    """The notice's data with the payload in every exported free text; what the exports need to find it."""
    urumqi = Prefecture.objects.get(name=URUMQI)
    county = County.objects.get(prefecture=urumqi, name="天山区")
    line = AllocationLine.objects.get(document=notice_document, county=county)
    table = table_of(URUMQI)
    regional = TargetTable.objects.get(document=notice_document, prefecture__isnull=True)
    # Reviewed first, so that the review queue names the reviewer.
    review.submit(table, region_admin)
    review.approve(table, hr_reviewer)

    for user in (region_admin, hr_reviewer):
        change(user, first_name=payload)
    region_admin.username = payload
    region_admin.save()
    # Names and numbers as if saved before anything refused them.
    Prefecture.objects.filter(pk=urumqi.pk).update(name=payload)
    County.objects.filter(pk=county.pk).update(name=payload)
    Fund.objects.filter(pk=notice_document.fund_id).update(name=payload)
    AllocationDocument.objects.filter(pk=notice_document.pk).update(number=payload, title=payload, table_title=payload)
    notice_document.refresh_from_db()
    change(line, region_admin, payload, note=payload)

    # The feedback lines copy the (poisoned) 文号 and table title when the report opens.
    report = open_report(Prefecture.objects.get(pk=urumqi.pk), JULY)
    FeedbackLine.objects.filter(report=report).update(spent=1, reason=payload, measure=payload)
    FeedbackReport.objects.filter(pk=report.pk).update(
        status=ReportStatus.SUBMITTED, submitted_by=region_admin, submitted_at=timezone.now()
    )

    TargetTable.objects.filter(pk=table.pk).update(**{name: payload for name in TABLE_TEXTS})
    Target.objects.filter(pk=table.targets.order_by("position").first().pk).update(wording=payload, raw_value=payload)
    Target.objects.filter(pk=regional.targets.order_by("position").first().pk).update(raw_value=payload)
    return {"document": notice_document, "report": report, "table": table}


class Scan:
    """Every problem found in every export, reported together."""

    def __init__(self, payload):
        # openpyxl reads a stored CR back as a line feed; the rest of the payload is what must be there.
        self.shown = payload.lstrip("\t\r")
        self.problems = []

    def xlsx(self, name, content, expect_payload=True, numbers=False):
        workbook = load_workbook(io.BytesIO(content))
        cells = [cell for sheet in workbook for row in sheet.iter_rows() for cell in row if cell.value is not None]
        for cell in cells:
            where = f"{name} {cell.parent.title}!{cell.coordinate} {cell.value!r}"
            if cell.data_type == "f":
                self.problems.append(f"{where}: formula")
            elif isinstance(cell.value, str) and cell.value.startswith(READ_BACK_DANGEROUS) and not cell.quotePrefix:
                self.problems.append(f"{where}: text that Excel runs as a formula once edited")
        if expect_payload and not any(isinstance(cell.value, str) and self.shown in cell.value for cell in cells):
            self.problems.append(f"{name}: the payload is not in the file")
        if numbers and not any(cell.data_type == "n" for cell in cells):
            self.problems.append(f"{name}: the amounts are no longer numbers")

    def csv(self, name, content, expect_payload=True, numbers=False):
        fields = [field for row in csv.reader(io.StringIO(content.decode("utf-8-sig"))) for field in row]
        for field in fields:
            if field.startswith(DANGEROUS) and not NUMBER.fullmatch(field):
                self.problems.append(f"{name} {field!r}: not neutralised")
            if field.startswith("'") and NUMBER.fullmatch(field[1:]):
                self.problems.append(f"{name} {field!r}: a number written as text")
        if numbers and not any(NUMBER.fullmatch(field) for field in fields):
            self.problems.append(f"{name}: the amounts are no longer numbers")
        if expect_payload and not any(field.startswith("'") and self.shown in field for field in fields):
            self.problems.append(f"{name}: the neutralised payload is not in the file")

    def response(self, name, response, kind, **options):
        if response.status_code != 200:
            self.problems.append(f"{name}: HTTP {response.status_code}")
            return
        filename = download_name(response)
        if re.search(r'[/\\:*?"<>|\x00-\x1f]', filename):
            self.problems.append(f"{name}: unsafe file name {filename!r}")
        getattr(self, kind)(name, response.content, **options)


def download_name(response):
    """The file name a browser would save the download as."""
    disposition = response["Content-Disposition"]
    encoded = re.search(r"filename\*=utf-8''(.+)$", disposition)
    if encoded:
        return unquote(encoded.group(1))
    return re.search(r'filename="((?:[^"\\]|\\.)*)"', disposition).group(1).replace('\\"', '"').replace("\\\\", "\\")


def test_it_writes_no_live_formula_in_any_export(poisoned, payload, region_admin, auditor, officer_urumqi, client_for, tmp_path):
    scan = Scan(payload)
    document, report, table = poisoned["document"], poisoned["report"], poisoned["table"]

    client = client_for(region_admin)
    scan.response("附件1 page", client.get(reverse("allocations:document_export", args=[document.pk])), "xlsx", numbers=True)
    scan.response("附件2 page", client.get(reverse("targets:table_export", args=[table.pk])), "xlsx")
    scan.response("附件3 page", client.get(reverse("feedback:report_export", args=[report.pk])), "xlsx", numbers=True)
    month_export = client.get(reverse("feedback:month_export", args=["2023-07"]))
    scan.response("附件3 region-wide page", month_export, "xlsx", numbers=True)
    for name in LISTINGS:
        # What is overdue depends on today's date: the payload may or may not be listed.
        expect = name != "feedback:overdue"
        scan.response(f"{name} csv", client.get(reverse(name), {"_export": "csv"}), "csv", expect_payload=expect)
        scan.response(f"{name} xlsx", client.get(reverse(name), {"_export": "xlsx"}), "xlsx", expect_payload=expect)

    client = client_for(auditor)
    for chart in REGION_CHARTS:
        numbers = chart != "completeness"
        scan.response(f"dashboard {chart} csv", client.get(f"/dashboard/{chart}.csv"), "csv", numbers=numbers)
        scan.response(f"dashboard {chart} xlsx", client.get(f"/dashboard/{chart}.xlsx"), "xlsx", numbers=numbers)
    scan.response("change log csv", client.get(reverse("oversight:changelog"), {"_export": "csv"}), "csv")
    scan.response("change log xlsx", client.get(reverse("oversight:changelog"), {"_export": "xlsx"}), "xlsx")
    scan.response("rollup csv", client.get(reverse("targets:rollup", args=[document.pk]), {"format": "csv"}), "csv")

    client = client_for(officer_urumqi)
    for chart in OFFICER_CHARTS:
        numbers = chart != "completeness"
        scan.response(f"officer dashboard {chart} csv", client.get(f"/dashboard/{chart}.csv"), "csv", numbers=numbers)
        scan.response(f"officer dashboard {chart} xlsx", client.get(f"/dashboard/{chart}.xlsx"), "xlsx", numbers=numbers)

    # "--": a 文号 such as "-1+2" is not an option.
    call_command("export_allocations", f"--output={tmp_path / 'a1.xlsx'}", "--", document.number, stdout=io.StringIO())
    scan.xlsx("export_allocations", (tmp_path / "a1.xlsx").read_bytes(), numbers=True)
    call_command("export_feedback", month="2023-07", output=str(tmp_path / "a3.xlsx"), stdout=io.StringIO())
    scan.xlsx("export_feedback", (tmp_path / "a3.xlsx").read_bytes(), numbers=True)

    assert not scan.problems, "\n".join(scan.problems)


def test_it_exports_a_note_with_control_characters_xlsx_cannot_hold(notice_document, region_admin, client_for):
    line = AllocationLine.objects.filter(document=notice_document).order_by("pk").first()
    change(line, region_admin, note="\x01=1+1\x08备注")

    response = client_for(region_admin).get(reverse("allocations:document_export", args=[notice_document.pk]))

    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    [cell] = [cell for row in sheet.iter_rows() for cell in row if cell.value == "=1+1备注"]
    assert cell.data_type == "s" and cell.quotePrefix
