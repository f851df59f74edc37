"""The ways bench_import.py times, each run in a child process of its own.

Each way is (setup, run, count): setup is untimed and puts the database in the
same state before every run; run is timed; count (untimed) checks what a
database way wrote and returns the number of lines.
"""

import json
import os
from pathlib import Path

from bench.make_workbook import DOCUMENT_NUMBER

DATABASE_WAYS = {"b", "c"}


def setup_django():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()


def way_a(files):
    import openpyxl

    workbook = openpyxl.load_workbook(files["official"], read_only=True)
    rows = 0
    for sheet in workbook.worksheets:
        for _values in sheet.iter_rows(values_only=True):
            rows += 1
    workbook.close()
    return rows


def way_a2(files):
    import python_calamine

    workbook = python_calamine.CalamineWorkbook.from_path(str(files["official"]))
    rows = 0
    for name in workbook.sheet_names:
        for _values in workbook.get_sheet_by_name(name).iter_rows():
            rows += 1
    workbook.close()
    return rows


def way_parse_calamine(files):
    from allocations.workbook import reader

    return len(reader.read_workbook(files["official"]).rows)


def way_parse_openpyxl(files):
    from allocations.workbook import reader

    return len(reader.read_with_openpyxl(files["official"]).rows)


def _document_tables():
    from allocations.models import AllocationDocument, AllocationLine, PrefectureSubtotal

    models = (AllocationLine, PrefectureSubtotal, AllocationDocument)
    return [model._meta.db_table for model in models] + [model.history.model._meta.db_table for model in models]


def _execute(*statements):
    from django.db import connection

    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


def prepare(files):
    """Once per benchmark: migrate, then nothing in the allocation tables but the fund and the generated regions."""
    from django.apps import apps
    from django.core.management import call_command
    from django.db import connection

    from allocations.models import County, Prefecture
    from allocations.reference import load_funds

    call_command("migrate", verbosity=0, interactive=False)
    quote = connection.ops.quote_name
    tables = [model._meta.db_table for model in apps.get_app_config("allocations").get_models()]
    _execute(f"TRUNCATE {', '.join(quote(t) for t in tables)} RESTART IDENTITY CASCADE")
    load_funds()
    data = json.loads(Path(files["regions"]).read_text(encoding="utf-8"))["prefectures"]
    # Positions as allocations.reference.load_regions gives them.
    prefectures = Prefecture.objects.bulk_create(
        [Prefecture(name=item["name"], position=index) for index, item in enumerate(data, start=1)]
    )
    County.objects.bulk_create(
        [
            County(prefecture=prefecture, name=county["name"], kind=county["kind"], position=index)
            for prefecture, item in zip(prefectures, data)
            for index, county in enumerate(item["counties"], start=1)
        ],
        batch_size=5000,
    )
    _execute("VACUUM ANALYZE")
    return County.objects.count()


def _reset_documents():
    from django.db import connection

    quote = connection.ops.quote_name
    _execute(f"TRUNCATE {', '.join(quote(t) for t in _document_tables())} RESTART IDENTITY CASCADE", "CHECKPOINT")


def setup_b(files):
    _reset_documents()


def way_b(files):
    import io

    from django.core.management import call_command

    call_command(
        "import_allocations", files["official"], "--document", DOCUMENT_NUMBER, "--date", "2023-06-20", stdout=io.StringIO()
    )


def _lines_of_document():
    from allocations.models import AllocationLine

    lines = AllocationLine.objects.filter(document__number=DOCUMENT_NUMBER)
    history = AllocationLine.history.filter(document__number=DOCUMENT_NUMBER, history_type="+")
    # Untimed: each way must have written every line, and its history.
    if lines.count() != history.count():
        raise RuntimeError(f"{lines.count()} lines but {history.count()} history rows")
    return lines.count()


def setup_c(files):
    """As b, plus the document as a draft with no lines, for the flat rows to go into."""
    from decimal import Decimal

    from allocations.models import AllocationDocument, Fund

    _reset_documents()
    AllocationDocument.objects.create(
        number=DOCUMENT_NUMBER, title=DOCUMENT_NUMBER, year=2023, fund=Fund.objects.get(), declared_total=Decimal("0")
    )


def way_c(files):
    import tablib
    from import_export import fields, resources
    from import_export.widgets import ForeignKeyWidget

    from allocations.models import AllocationDocument, AllocationLine, County

    class CountyOfRow(ForeignKeyWidget):
        # A county name recurs across prefectures: the documented hook to
        # narrow the lookup by another column of the row.
        def get_queryset(self, value, row, *args, **kwargs):
            return County.objects.filter(prefecture__name=row["地州市"])

    class LineResource(resources.ModelResource):
        document = fields.Field(attribute="document", column_name="文号", widget=ForeignKeyWidget(AllocationDocument, "number"))
        county = fields.Field(attribute="county", column_name="县市区", widget=CountyOfRow(County, "name"))
        amount = fields.Field(attribute="amount", column_name="拨付金额")
        note = fields.Field(attribute="note", column_name="备注")

        class Meta:
            model = AllocationLine
            fields = ("id", "document", "county", "amount", "note")

    dataset = tablib.Dataset().load(Path(files["flat_csv"]).read_text(encoding="utf-8"), format="csv")
    result = LineResource().import_data(dataset, dry_run=False, raise_errors=True)
    if result.has_errors() or result.has_validation_errors():
        raise RuntimeError("way c: the flat import reported errors")


RUNNERS = {
    "a": (None, way_a, None),
    "a2": (None, way_a2, None),
    "parse-calamine": (None, way_parse_calamine, None),
    "parse-openpyxl": (None, way_parse_openpyxl, None),
    "b": (setup_b, way_b, _lines_of_document),
    "c": (setup_c, way_c, _lines_of_document),
}
NEEDS_DJANGO = {"parse-calamine", "parse-openpyxl", "b", "c"}
