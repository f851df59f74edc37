"""Driving one corpus case through its entry point: refused in Chinese, naming what is wrong, nothing written."""

import re

from tests.badinput.dump import changed_models, domain_dump
from tests.badinput.entries import ENTRIES

_CHINESE = re.compile(r"[\u4e00-\u9fff]")


def refused_clearly(case, ctx):
    """Run case through its entry point; assert the refusal and return the text the person is shown."""
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
    return shown
