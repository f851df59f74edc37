import io
from datetime import date
from decimal import Decimal

import pytest
from django.core.management import call_command

from tests.treasury.payment_files import sample_path

REALLOCATION = "乌财社〔2023〕12号"


def run(*args):
    """A command's output; CommandError propagates."""
    out = io.StringIO()
    call_command(*args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


@pytest.fixture
def import_file(reference_data):
    def do(path, *options):
        return run("import_payments", str(path), *options)

    return do


@pytest.fixture
def sample_imported(import_file):
    return import_file(sample_path())


def summary_csv(number="新财社〔2023〕74号", month="2023-07"):
    import csv

    text = run("payments_summary", number, "--month", month, "--format", "csv")
    return list(csv.DictReader(io.StringIO(text)))


def state():
    """Every treasury row: what a refused or repeated import must leave as it was."""
    from treasury.models import Payment, PaymentException, PaymentSummary

    return {
        model.__name__: list(model.objects.order_by("pk").values_list())
        for model in (Payment, PaymentException, PaymentSummary)
    }


@pytest.fixture
def python_path(monkeypatch):
    """A context in which the import reads row by row, as on SQLite."""

    class Switch:
        def __enter__(self):
            from treasury import importing

            monkeypatch.setattr(importing, "import_clean_csv", lambda *args: False)

        def __exit__(self, *exc):
            monkeypatch.undo()

    return Switch()


@pytest.fixture(params=["stream", "staged"])
def fast_path(request, monkeypatch):
    """Each case on both PostgreSQL fast paths: new vouchers by one COPY (treasury.stream), and staged SQL."""
    if request.param == "staged":
        from treasury import stream
        from treasury.readings import NotClean

        def decline(self, handle, encoding):
            raise NotClean

        monkeypatch.setattr(stream.Stream, "run", decline)
    return request.param


@pytest.fixture
def urumqi_reallocation(notice_document):
    from allocations.issuing import issue
    from allocations.models import County, Prefecture
    from allocations.reallocation import ProposedLine, create_reallocation

    urumqi = Prefecture.objects.get(name="乌鲁木齐市")
    county = County.objects.get(prefecture=urumqi, name="天山区")
    document = create_reallocation(
        notice_document, urumqi, REALLOCATION, "转下达", [ProposedLine(county, Decimal("1200"))], date(2023, 6, 20)
    )
    issue(document)
    return document
