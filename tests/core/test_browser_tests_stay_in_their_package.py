"""Browser tests live in tests/browser: its package-scoped Playwright, imported elsewhere, would outlive its package.

A module outside tests/browser that imports the browser fixture gets an instance
scoped to the whole session (pytest finds no tests/browser package above it),
and the next package that does the same fails to start a second Playwright in
the same thread ("Sync API inside the asyncio loop").
"""

from pathlib import Path

TESTS = Path(__file__).resolve().parent.parent


def test_it_finds_no_browser_fixture_imported_outside_tests_browser():
    offenders = [
        str(path.relative_to(TESTS))
        for path in TESTS.rglob("*.py")
        if "browser" not in path.relative_to(TESTS).parts[:1] and "tests.browser" in path.read_text(encoding="utf-8")
        and path.name != Path(__file__).name
    ]
    assert offenders == []
