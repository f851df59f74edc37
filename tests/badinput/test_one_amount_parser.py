"""Issue 5: one amount parser behind every way an amount comes in.

Each entry point is fed the same amounts: "1e309" (and 1e309 in a real
workbook cell, which the readers see as float('inf')), "1e3", "NaN",
"Infinity", Arabic-Indic digits and a third decimal must be refused with the
same message everywhere, naming the field (and the row, as the entry does),
with no 500 and nothing written; "1,234.5" and its full-width form must be
stored as 1234.50 everywhere.
"""

import csv
import io
import zipfile
from dataclasses import dataclass
from decimal import Decimal
from typing import Callable

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from allocations.models import AllocationLine, County
from tests.allocations.workbooks import Table, write
from tests.badinput import files
from tests.badinput.case import Context
from tests.badinput.dump import changed_models, domain_dump
from tests.badinput.entries import DRAFT_DOCUMENT, ENTRIES, NEW_DOCUMENT, NOTICE, URUMQI, Input
from tests.feedback.workbook_files import FIRST_LINE_ROW, export_urumqi, fill, urumqi_report

pytestmark = pytest.mark.django_db

INF_CELL = "inf-cell"  # 1e309 stored as a number in the sheet XML, not as text
# openpyxl will not write an infinite float: a cell is written with this
# number and its stored text then swapped for 1e309, as Excel or another
# program could have written it.
PLACEHOLDER = 987654.25

NOT_A_NUMBER = "“{}”不是数字"
REFUSED = {
    "1e309": NOT_A_NUMBER.format("1e309"),
    INF_CELL: NOT_A_NUMBER.format("Infinity"),
    "1e3": NOT_A_NUMBER.format("1e3"),
    "1E3": NOT_A_NUMBER.format("1E3"),
    "NaN": NOT_A_NUMBER.format("NaN"),
    "Infinity": NOT_A_NUMBER.format("Infinity"),
    "١٢٣": NOT_A_NUMBER.format("١٢٣"),
    "१२३": NOT_A_NUMBER.format("१२३"),
    "12.345": "最多保留2位小数（12.345）",
}
ACCEPTED = {"1,234.5": Decimal("1234.50"), "１，２３４．５": Decimal("1234.50")}
# A 转下达 copies the notice's county amount (天山区: 1,200), so the form is fed that amount written the same two ways.
ACCEPTED_AS_THE_NOTICE = {"1,200.0": Decimal("1200.00"), "１，２００．０": Decimal("1200.00")}

REALLOCATION = "乌财社〔2023〕12号"
TIANSHAN_AMOUNT = Decimal("1200")  # 天山区's line in the notice, row 6 of its 附件1


def with_cell_text(content, text):
    """The xlsx with PLACEHOLDER's stored text replaced by text, in every sheet."""
    found = f"<v>{PLACEHOLDER!r}</v>".encode()
    out = io.BytesIO()
    replaced = 0
    with zipfile.ZipFile(io.BytesIO(content)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info)
            if info.filename.startswith("xl/worksheets/"):
                replaced += data.count(found)
                data = data.replace(found, f"<v>{text}</v>".encode())
            target.writestr(info, data)
    assert replaced == 1, "the placeholder cell was not found"
    return out.getvalue()


def _cell(value):
    return PLACEHOLDER if value == INF_CELL else value


def _patched(content, value):
    return with_cell_text(content, "1e309") if value == INF_CELL else content


# The 附件1 workbook: 天山区's amount (row 6); an accepted one moves the 小计 and 合计 with it.
def allocation_workbook(ctx, value, accepted=None):
    table = Table()
    table.groups[URUMQI][0][1] = _cell(value)
    if accepted is not None:
        table.subtotals[URUMQI] += accepted - TIANSHAN_AMOUNT
        table.total += accepted - TIANSHAN_AMOUNT
    return Input(file=_patched(write(table).getvalue(), value))


def tianshan_line(number):
    return AllocationLine.objects.get(document__number=number, county__name="天山区", county__prefecture__name=URUMQI).amount


def accept_allocation_command(ctx, given):
    path = ctx.tmp_path / "accepted.xlsx"
    path.write_bytes(given.file)
    call_command("import_allocations", str(path), *_options("import_allocations"), stdout=io.StringIO())
    return tianshan_line(NEW_DOCUMENT)


def accept_allocation_upload(ctx, given):
    entry = ENTRIES["allocations:import_upload"]
    preview = ctx.client.post(entry.url(ctx, given), {**entry.defaults, "file": SimpleUploadedFile("a.xlsx", given.file)})
    ctx.client.post(reverse("allocations:import_confirm"), preview.context["confirm_form"].initial)
    return tianshan_line(NEW_DOCUMENT)


# The 附件3 workbook: the 实际支出金额 of 乌鲁木齐市's one line.
def feedback_workbook(ctx, value, accepted=None):
    path = fill(export_urumqi(ctx.tmp_path), spent=_cell(value))
    return Input(file=_patched(path.read_bytes(), value))


def spent():
    return urumqi_report().lines.get().spent


def accept_feedback_command(ctx, given):
    path = ctx.tmp_path / "accepted.xlsx"
    path.write_bytes(given.file)
    call_command("import_feedback", str(path), *_options("import_feedback"), stdout=io.StringIO())
    return spent()


def accept_feedback_upload(ctx, given):
    ctx.client.post(ENTRIES["feedback:report_upload"].url(ctx, given), {"file": SimpleUploadedFile("f.xlsx", given.file)})
    return spent()


def report_form(ctx, value, accepted=None):
    line = ctx.fixture("urumqi_july").lines.get()
    return Input(data={"version": line.report.version, f"spent_{line.pk}": value})


def accept_report_form(ctx, given):
    ctx.client.post(ENTRIES["feedback:report_detail"].url(ctx, given), given.data)
    return spent()


def reallocation_form(ctx, value, accepted=None):
    ctx.fixture("notice_document")
    tianshan = County.objects.get(name="天山区", prefecture__name=URUMQI)
    return Input(
        data={
            "number": REALLOCATION,
            "title": "关于转下达2023年中央财政就业补助资金的通知",
            "issued_on": "2023-06-20",
            f"amount_{tianshan.pk}": value,
        }
    )


def accept_reallocation(ctx, given):
    ctx.client.post(ENTRIES["allocations:reallocation_create"].url(ctx, given), given.data)
    return tianshan_line(REALLOCATION)


# The admin's flat line import: one line for 昌吉州/昌吉市 in the draft document.
FLAT_HEADER = ["文号", "地州市", "县市区", "拨付金额", "备注"]


def flat_csv(ctx, value, accepted=None):
    text = io.StringIO()
    csv.writer(text).writerows([FLAT_HEADER, [DRAFT_DOCUMENT, "昌吉州", "昌吉市", value, ""]])
    return Input(file=text.getvalue().encode("utf-8"), name="lines.csv", format="1")


def flat_xlsx(ctx, value, accepted=None):
    content = files.xlsx_rows(FLAT_HEADER, [DRAFT_DOCUMENT, "昌吉州", "昌吉市", _cell(value), None])
    return Input(file=_patched(content, value), name="lines.xlsx", format="0")


def accept_flat(ctx, given):
    upload = SimpleUploadedFile(given.name, given.file)
    preview = ctx.client.post(
        reverse("admin:allocations_allocationline_import"), {"import_file": upload, "format": given.format, "resource": "0"}
    )
    ctx.client.post(reverse("admin:allocations_allocationline_process_import"), preview.context["confirm_form"].initial)
    return AllocationLine.objects.get(document__number=DRAFT_DOCUMENT, county__name="昌吉市").amount


def _options(entry):
    return [item for name, value in ENTRIES[entry].defaults.items() for item in (name, value)]


@dataclass(frozen=True)
class Way:
    """One way in: its corpus entry point, how it is fed a value, and how it names the field."""

    id: str
    entry: str
    build: Callable  # (ctx, value, accepted Decimal or None) -> Input
    accept: Callable  # (ctx, Input) -> the Decimal stored
    named: str  # what precedes the parser's message: the row (or county) and the field's label
    cells: bool = False  # a workbook: also fed 1e309 as a number cell
    accepted: dict = None  # the values it stores, if not ACCEPTED

    def accepted_values(self):
        return self.accepted or ACCEPTED


LINE_ROW = f"第6行 {URUMQI}/天山区：拨付金额"
SHEET_ROW = f"工作表第{FIRST_LINE_ROW}行（{NOTICE}）：实际支出金额"
WAYS = [
    Way("allocations-command", "import_allocations", allocation_workbook, accept_allocation_command, LINE_ROW, True),
    Way("allocations-upload", "allocations:import_upload", allocation_workbook, accept_allocation_upload, LINE_ROW, True),
    Way("feedback-command", "import_feedback", feedback_workbook, accept_feedback_command, SHEET_ROW, True),
    Way("feedback-upload", "feedback:report_upload", feedback_workbook, accept_feedback_upload, SHEET_ROW, True),
    Way("report-form", "feedback:report_detail", report_form, accept_report_form, f"第1行 {NOTICE}：实际支出金额"),
    Way(
        "reallocation-form", "allocations:reallocation_create", reallocation_form, accept_reallocation, "天山区 拨付金额",
        accepted=ACCEPTED_AS_THE_NOTICE,
    ),
    Way("admin-csv", "admin:allocationline_import", flat_csv, accept_flat, "拨付金额"),
    Way("admin-xlsx", "admin:allocationline_import", flat_xlsx, accept_flat, "拨付金额", True),
]

def _refused_params():
    for way in WAYS:
        for value in REFUSED:
            if value == INF_CELL and not way.cells:
                continue
            yield pytest.param(way, value, id=f"{way.id}-{value}")


@pytest.mark.parametrize("way, value", list(_refused_params()))
def test_it_refuses_what_is_not_an_amount_with_the_same_message_at_every_entry(way, value, request, tmp_path, large_files):
    ctx = Context(request, tmp_path, large_files)
    entry = ENTRIES[way.entry]
    entry.prepare(ctx)
    given = way.build(ctx, value)
    before = domain_dump()

    shown = entry.run(ctx, given)

    assert not changed_models(before, domain_dump())
    assert "Traceback" not in shown and "Error:" not in shown
    assert f"{way.named}{REFUSED[value]}" in shown, shown[:3000]


@pytest.mark.parametrize(
    "way, value", [pytest.param(way, value, id=f"{way.id}-{value}") for way in WAYS for value in way.accepted_values()]
)
def test_it_stores_an_amount_with_thousands_separators_as_its_decimal(way, value, request, tmp_path, large_files):
    ctx = Context(request, tmp_path, large_files)
    ENTRIES[way.entry].prepare(ctx)
    expected = way.accepted_values()[value]
    given = way.build(ctx, value, expected)

    stored = way.accept(ctx, given)

    assert stored == expected


@pytest.mark.parametrize("typed", ["1e3", "١٢٣", "12.345"])
def test_it_reads_an_amount_typed_in_the_admin_with_the_same_parser(typed, region_admin, notice_document, client_for):
    from allocations.models import AllocationDocument, AllocationLine, County

    draft = AllocationDocument.objects.create(
        number="测试〔2023〕8号", title="测试", year=2023, fund=notice_document.fund, declared_total=100
    )
    county = County.objects.get(prefecture__name="乌鲁木齐市", name="天山区")
    line = AllocationLine.objects.create(document=draft, county=county, amount=100)
    url = reverse("admin:allocations_allocationline_change", args=[line.pk])

    response = client_for(region_admin).post(url, {"document": draft.pk, "county": county.pk, "amount": typed, "note": "", "position": 0})

    assert response.status_code == 200
    [message] = response.context["adminform"].form.errors["amount"]
    assert message.startswith("拨付金额") and ("不是数字" in message or "最多保留2位小数" in message), message
    line.refresh_from_db()
    assert line.amount == 100
