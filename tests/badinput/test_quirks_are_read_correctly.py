"""Input that looks wrong but means one thing is taken, and read as a person reads it.

Full-width digits (１２００), full-width commas, NBSP and stray spaces in names
are how figures arrive from Word, PDFs and Chinese input methods: each
importer and form that normalises them must store exactly the number meant.
"""

import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from allocations.models import AllocationDocument, AllocationLine, PrefectureSubtotal
from feedback.models import FeedbackLine
from targets.models import Target
from tests.allocations.workbooks import Table, write
from tests.badinput.case import Context
from tests.badinput.cases_allocations import CSV_HEADER
from tests.badinput.cases_feedback import urumqi_file
from tests.badinput.cases_forms import reallocation, report
from tests.badinput.cases_targets import cells, urumqi_workbook
from tests.badinput.entries import DRAFT_DOCUMENT, NEW_DOCUMENT, NOTICE, TARGET_COPY, URUMQI
from tests.badinput.files import csv_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture
def ctx(request, tmp_path):
    return Context(request, tmp_path, large_files=None)


def _saved(path, name, data):
    target = path / name
    target.write_bytes(data)
    return str(target)


def test_it_reads_full_width_digits_and_stray_spaces_in_an_allocation_table(reference_data, tmp_path):
    table = Table()
    urumqi = table.groups[URUMQI]
    urumqi[0][:2] = ["天山区\u00a0", "１，２００"]  # full-width digits and comma, NBSP after the name
    urumqi[1][0] = " 沙依 巴克区 "
    table.subtotals[URUMQI] = "８２９４"

    call_command("import_allocations", _saved(tmp_path, "a.xlsx", write(table).getvalue()), "--document", NEW_DOCUMENT,
                 "--date", "2023-06-20", stdout=io.StringIO())

    document = AllocationDocument.objects.get(number=NEW_DOCUMENT)
    assert document.lines.get(county__name="天山区").amount == Decimal("1200")
    assert document.lines.get(county__name="沙依巴克区").amount == Decimal("1834")
    assert PrefectureSubtotal.objects.get(document=document, prefecture__name=URUMQI).declared_amount == Decimal("8294")


def test_it_reads_full_width_digits_and_a_trailing_nbsp_in_the_admin_line_import(region_admin, draft_document, client_for):
    client = client_for(region_admin)
    content = csv_bytes(CSV_HEADER, f"{DRAFT_DOCUMENT},昌吉州,昌吉市\u00a0,１２００,")
    upload = SimpleUploadedFile("lines.csv", content)

    preview = client.post(reverse("admin:allocations_allocationline_import"), {"import_file": upload, "format": "1", "resource": "0"})
    client.post(reverse("admin:allocations_allocationline_process_import"), preview.context["confirm_form"].initial)

    assert AllocationLine.objects.get(document=draft_document, county__name="昌吉市").amount == Decimal("1200")


def test_it_reads_a_full_width_target_value_and_an_nbsp_in_its_wording(target_copy, ctx):
    given = urumqi_workbook(cells(D26="城镇新增就业人数\u00a0(人)", E26="１０３０００"))(ctx)

    call_command("import_targets", _saved(ctx.tmp_path, "t.xlsx", given.file), "--document", TARGET_COPY, "--scope", URUMQI,
                 stdout=io.StringIO())

    target = Target.objects.get(table__document__number=TARGET_COPY, indicator__code="NEW_URBAN_JOBS")
    assert target.base_number == Decimal("103000")


def test_it_reads_a_full_width_spend_and_an_nbsp_after_the_document_number(officer_urumqi, ctx):
    given = urumqi_file(spent="５０００", document_number=f"{NOTICE}\u00a0", uses="职业培训补贴")(ctx)

    call_command("import_feedback", _saved(ctx.tmp_path, "f.xlsx", given.file), "--prefecture", URUMQI, "--month", "2023-07",
                 stdout=io.StringIO())

    assert FeedbackLine.objects.get(report__prefecture__name=URUMQI, report__month__month=7).spent == Decimal("5000")


@pytest.mark.parametrize("typed", ["５，０００", "5\u00a0000", " 5000 "])
def test_it_reads_the_spend_typed_into_the_report_form(typed, officer_urumqi, urumqi_july, client_for, ctx):
    given = report(spent=typed)(ctx)

    response = client_for(officer_urumqi).post(reverse("feedback:report_detail", args=[urumqi_july.pk]), given.data)

    assert response.status_code == 302
    assert urumqi_july.lines.get().spent == Decimal("5000")


def test_it_reads_full_width_digits_typed_into_the_reallocation_form(officer_urumqi, notice_document, client_for, ctx):
    given = reallocation({"天山区": "１２００"})(ctx)

    response = client_for(officer_urumqi).post(reverse("allocations:reallocation_create", args=[notice_document.pk]), given.data)

    assert response.status_code == 302
    assert AllocationLine.objects.get(document__parent=notice_document, county__name="天山区").amount == Decimal("1200")
