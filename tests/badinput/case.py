"""A row of the bad-input corpus, and what its builder may use."""

from dataclasses import dataclass
from typing import Callable

from tests.badinput.entries import ENTRIES


@dataclass(frozen=True)
class Case:
    id: str
    entry: str
    build: Callable
    expect: tuple

    def __post_init__(self):
        assert self.entry in ENTRIES, self.entry
        assert self.expect, f"{self.id}: a case must say what message it expects"


class Context:
    """What a builder may use: fixtures by name, a scratch folder, and the session's large files."""

    def __init__(self, request, tmp_path, large_files):
        self.request = request
        self.tmp_path = tmp_path
        self.large_files = large_files
        self.client = None

    def fixture(self, name):
        return self.request.getfixturevalue(name)
