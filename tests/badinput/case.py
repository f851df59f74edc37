"""A row of the bad-input corpus, and what its builder may use."""

from dataclasses import dataclass
from typing import Callable

from tests.badinput import files
from tests.badinput.entries import ENTRIES, Input


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


def given(**fields):
    """A builder for an input that needs nothing from the database."""
    return lambda ctx: Input(**fields)


def cases_of(entry, prefix):
    """make(case_id, build, *expected fragments) -> a Case of this entry point, its id prefixed."""
    return lambda case_id, build, *expect: Case(f"{prefix}-{case_id}", entry, build, expect)


NOT_A_WORKBOOK = "文件不是有效的 Excel 工作簿（.xlsx）"
ENCRYPTED = "已加密（设有密码），请另存为不加密的 .xlsx 后再导入"


def unreadable_files(command, no_header):
    """The four files no import command can read, each refused with nothing written."""
    return [
        command("not-a-workbook", given(file=files.not_a_workbook()), NOT_A_WORKBOOK, "未写入任何数据"),
        command("zero-bytes", given(file=b""), NOT_A_WORKBOOK, "未写入任何数据"),
        command("empty-workbook", given(file=files.empty_workbook()), no_header, "未写入任何数据"),
        command("encrypted", given(file=files.encrypted()), ENCRYPTED, "未写入任何数据"),
    ]
