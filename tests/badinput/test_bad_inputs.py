"""Every input of the corpus is refused with its Chinese message, no traceback, no 500, and nothing written."""

import re

import pytest

from tests.badinput.case import Context
from tests.badinput.corpus import CASES
from tests.badinput.dump import changed_models, domain_dump
from tests.badinput.entries import ENTRIES

# Fixtures are asked for by name inside the test, so the database is asked for here.
pytestmark = pytest.mark.django_db

_CHINESE = re.compile(r"[\u4e00-\u9fff]")


@pytest.mark.parametrize("case", CASES, ids=[case.id for case in CASES])
def test_it_refuses_a_bad_input_clearly_and_writes_nothing(case, request, tmp_path, large_files):
    ctx = Context(request, tmp_path, large_files)
    entry = ENTRIES[case.entry]
    entry.prepare(ctx)
    given = case.build(ctx)
    before = domain_dump()

    shown = entry.run(ctx, given)

    assert not changed_models(before, domain_dump()), f"written by a refused input: {changed_models(before, domain_dump())}"
    assert "Traceback" not in shown and "Error:" not in shown
    assert _CHINESE.search(shown)
    for fragment in case.expect:
        assert fragment in shown, f"{fragment!r} not in:\n{shown[:3000]}"
