"""The corpus is what issue 5 asks for: at least 30 inputs, every entry point, every kind of bad input."""

from collections import Counter

from tests.badinput.corpus import CASES
from tests.badinput.entries import ENTRIES

# Issue 5's list, as the case ids name them.
KINDS = (
    "not-a-workbook", "empty-workbook", "encrypted", "missing-header", "wrong-header", "extra-sheet", "text-",
    "negative", "20-digit", "3-decimal", "duplicate", "unknown-prefecture", "unknown-county", "subtotal-mismatch",
    "total-mismatch", "formula", "20MB", "200000-rows", "date-format", "future-month",
)


def test_it_holds_at_least_30_inputs_through_every_entry_point():
    per_entry = Counter(case.entry for case in CASES)

    assert len(CASES) >= 30
    assert set(per_entry) == set(ENTRIES)


def test_it_covers_every_kind_of_bad_input_the_issue_names():
    missing = [kind for kind in KINDS if not any(kind in case.id for case in CASES)]

    assert not missing
