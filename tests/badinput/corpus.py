"""The bad-input corpus: one row per malformed input, with where it goes in and what must be said.

A Case is (id, entry point, builder, expected fragments of the message).
The builder gets a Context and returns an entries.Input. The expected
fragments name the row (or the field) and what is wrong; test_bad_inputs
checks them, and that nothing was written and nothing crashed.
"""

from tests.badinput import cases_allocations, cases_evaluation, cases_feedback, cases_forms, cases_payments, cases_planning, cases_sheets, cases_targets

CASES = [*cases_allocations.CASES, *cases_targets.CASES, *cases_feedback.CASES, *cases_forms.CASES, *cases_sheets.CASES, *cases_payments.CASES, *cases_evaluation.CASES, *cases_planning.CASES]
assert len({case.id for case in CASES}) == len(CASES), "case ids must be unique"
