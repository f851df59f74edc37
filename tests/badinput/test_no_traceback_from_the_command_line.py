"""Each import command, run as a person runs it, refuses a bad file on stderr without a traceback.

The commands run in a child process against a database file of their own
(migrated, with the notice's data and the demo accounts): the test run's
own database is an in-memory one on SQLite, which no other process can open.
The bad files are built here, in this process.
"""

import io
import os
import sqlite3
import subprocess
import sys

import openpyxl
import pytest
from django.conf import settings
from django.core.management import call_command

from tests.allocations.workbooks import Table, write
from tests.badinput.cases_allocations import first_line
from tests.badinput.entries import NOTICE, URUMQI
from tests.feedback.workbook_files import export_urumqi, fill

pytestmark = pytest.mark.django_db


def _manage(database, *args):
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{database}", "DEBUG": "1"}
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=settings.BASE_DIR, env=env, capture_output=True, text=True, timeout=300
    )


@pytest.fixture(scope="module")
def database(tmp_path_factory):
    path = tmp_path_factory.mktemp("cli") / "cli.sqlite3"
    for step in (["migrate", "--noinput"], ["load_reference_data"], ["create_demo_users", "--password", "x-cli-only-9"]):
        done = _manage(path, *step)
        assert done.returncode == 0, done.stderr
    return path


def _every_row(database):
    with sqlite3.connect(database) as connection:
        return list(connection.iterdump())


def _allocations_with_text_amount(tmp_path):
    table = Table()
    first_line(amount="一千二百")(table)
    path = tmp_path / "附件1.xlsx"
    path.write_bytes(write(table).getvalue())
    return [str(path), "--document", "新财社〔2023〕99号", "--date", "2023-06-20"]


def _targets_without_a_value(tmp_path):
    path = tmp_path / "附件2.xlsx"
    call_command("export_targets", NOTICE, "--scope", URUMQI, "-o", str(path), stdout=io.StringIO())
    workbook = openpyxl.load_workbook(path)
    workbook.active["E26"] = None
    workbook.save(path)
    return [str(path), "--document", NOTICE, "--scope", URUMQI, "--replace"]


def _feedback_with_text_spent(tmp_path):
    path = fill(export_urumqi(tmp_path), spent="五千")
    return [str(path), "--prefecture", URUMQI, "--month", "2023-07"]


@pytest.mark.parametrize(
    "command, arguments, message",
    [
        ("import_allocations", _allocations_with_text_amount, "第6行 乌鲁木齐市/天山区：拨付金额“一千二百”不是数字"),
        ("import_targets", _targets_without_a_value, "第26行 城镇新增就业人数(人)：缺少指标值"),
        ("import_feedback", _feedback_with_text_spent, f"工作表第6行（{NOTICE}）：实际支出金额“五千”不是数字"),
    ],
    ids=["import_allocations", "import_targets", "import_feedback"],
)
def test_it_refuses_a_bad_file_on_stderr_without_a_traceback(command, arguments, message, database, tmp_path):
    given = arguments(tmp_path)
    before = _every_row(database)

    done = _manage(database, command, *given)

    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    assert message in done.stderr and "未写入任何数据" in done.stderr
    assert done.stdout == ""
    assert _every_row(database) == before
