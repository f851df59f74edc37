"""Every input of the corpus is refused with its Chinese message, no traceback, no 500, and nothing written."""

import pytest

from tests.badinput.case import Context
from tests.badinput.corpus import CASES
from tests.badinput.refusal import refused_clearly

# Fixtures are asked for by name inside the test, so the database is asked for here.
pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("case", CASES, ids=[case.id for case in CASES])
def test_it_refuses_a_bad_input_clearly_and_writes_nothing(case, request, tmp_path, large_files):
    refused_clearly(case, Context(request, tmp_path, large_files))
