import pytest

from allocations.models import AllocationDocument
from targets import review
from tests.badinput.entries import DRAFT_DOCUMENT, TARGET_COPY, URUMQI
from tests.badinput.files import LargeFiles
from tests.feedback.conftest import urumqi_july  # noqa: F401  (a fixture, used by name)
from tests.targets.review_helpers import approved, table_of


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
def urumqi_submitted(reference_data, region_admin):
    table = table_of(URUMQI)
    review.submit(table, region_admin)
    return table
