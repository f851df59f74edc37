import io

import pytest
from django.core.management import call_command
from django.db import transaction

from allocations.models import AllocationDocument
from targets import review
from tests.badinput.entries import DRAFT_DOCUMENT, TARGET_COPY, URUMQI
from tests.badinput.files import LargeFiles
from tests.feedback.conftest import urumqi_july  # noqa: F401  (a fixture, used by name)
from tests.targets.review_helpers import approved, table_of


@pytest.fixture(scope="module", autouse=True)
def reference_data_once(django_db_setup, django_db_blocker):
    # Loading the notice's data is most of a case's time, and every case only
    # reads it. Loaded once per module in a transaction of its own, each
    # test's changes roll back to a savepoint inside it, and the module's
    # end rolls it all back.
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("load_reference_data", stdout=io.StringIO())
        yield
        transaction.set_rollback(True)


@pytest.fixture
def reference_data(reference_data_once, db):
    """The notice's data: already there (reference_data_once)."""


@pytest.fixture(scope="session")
def large_files(tmp_path_factory):
    return LargeFiles(tmp_path_factory.mktemp("large"))


def _empty_document(notice_document, number):
    return AllocationDocument.objects.create(
        number=number, title="测试文件", year=2023, fund=notice_document.fund, declared_total=0
    )


@pytest.fixture
def draft_document(notice_document):
    # The admin's flat line import writes lines into a draft.
    return _empty_document(notice_document, DRAFT_DOCUMENT)


@pytest.fixture
def target_copy(notice_document):
    # A document without target tables: import_targets would create 乌鲁木齐市's.
    return _empty_document(notice_document, TARGET_COPY)


@pytest.fixture
def urumqi_approved(reference_data, region_admin, hr_reviewer):
    return approved(table_of(URUMQI), region_admin, hr_reviewer)


@pytest.fixture
def urumqi_submitted(drafted_tables, region_admin):
    table = table_of(URUMQI)
    review.submit(table, region_admin)
    return table


def pytest_terminal_summary(terminalreporter):
    from tests.badinput.corpus import CASES

    refused = [r for r in terminalreporter.stats.get("passed", []) if r.nodeid.startswith("tests/badinput/test_bad_inputs.py")]
    if refused:
        entries = len({case.entry for case in CASES})
        terminalreporter.write_line(
            f"bad-input corpus: {len(CASES)} inputs through {entries} entry points; "
            f"{len(refused)} refused with their message, no traceback, no 500, nothing written"
        )
