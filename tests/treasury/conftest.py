import io

import pytest
from django.core.management import call_command

from tests.treasury.payment_files import sample_path


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
