"""An import's lines and their history, written in bulk (allocations/line_writer.py).

On PostgreSQL the lines go in by COPY and their history by INSERT … SELECT;
elsewhere by bulk_create_with_history. Both must store the same rows and the
same change log: one '+' row per line, all dated alike, by whoever imported.
"""

from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.urls import reverse

from allocations import line_writer
from allocations.importing import check_amount, read_and_check, save_checked
from allocations.models import AllocationDocument, AllocationLine, PrefectureSubtotal
from core import bulk_insert
from tests.allocations import workbooks
from tests.allocations.pages import hidden_fields, page

on_postgresql = pytest.mark.skipif(connection.vendor != "postgresql", reason="COPY is PostgreSQL's")
TRACKED = ("county_id", "amount", "note", "position")


def _lines(number):
    return list(AllocationLine.objects.filter(document__number=number).order_by("pk").values_list(*TRACKED))


def _history(number):
    document = AllocationDocument.objects.get(number=number)
    rows = AllocationLine.history.filter(document_id=document.pk).order_by("history_id")
    return list(rows.values_list("id", *TRACKED, "history_type", "history_date", "history_user_id", "history_change_reason"))


def _without_ids(history):
    return [row[1:] for row in history]


@on_postgresql
def test_it_writes_by_copy_the_lines_and_history_bulk_create_writes(reference_data, sample_workbook_path, monkeypatch):
    table = read_and_check(sample_workbook_path)
    assert table.ok
    monkeypatch.setattr(bulk_insert, "BATCH", 7)  # the text goes in several pieces, the last one short
    copied = save_checked(table, number="复制〔2023〕1号", issued_on=date(2023, 6, 5))
    monkeypatch.setattr(line_writer, "_copy_plan", lambda connection: None)
    bulk = save_checked(table, number="逐批〔2023〕1号", issued_on=date(2023, 6, 5))

    assert _lines(copied.number) == _lines(bulk.number)
    assert len(_lines(copied.number)) == 100
    copied_history, bulk_history = _history(copied.number), _history(bulk.number)
    # Each history row is its line's, in the lines' order.
    assert [row[0] for row in copied_history] == list(copied.lines.order_by("pk").values_list("pk", flat=True))
    dates = {row[-3] for row in copied_history} | {row[-3] for row in bulk_history}
    assert len({row[-3] for row in copied_history}) == 1 and len({row[-3] for row in bulk_history}) == 1
    assert len(dates) == 2  # two imports, two moments
    same_moment = [row[:-3] + row[-2:] for row in _without_ids(copied_history)]
    assert same_moment == [row[:-3] + row[-2:] for row in _without_ids(bulk_history)]
    assert {row[-4] for row in copied_history} == {"+"}


@on_postgresql
def test_it_keeps_tabs_newlines_and_backslashes_in_notes_through_copy(reference_data):
    notes = ["含\t制表符", "两行\n备注", "回车\r", "反斜杠\\N", "\\", "普通备注"]
    table = workbooks.Table()
    urumqi = table.groups["乌鲁木齐市"]
    for line, note in zip(urumqi, notes):
        line[2] = note
    checked = read_and_check(workbooks.write(table))
    assert checked.ok, checked.errors
    # What the reader gives (cells are stripped), stored exactly as given.
    expected = [line.note for line in checked.lines]
    save_checked(checked, number="备注〔2023〕1号", issued_on=date(2023, 6, 5))

    assert [note for _, _, note, _ in _lines("备注〔2023〕1号")] == expected
    assert [row[3] for row in _history("备注〔2023〕1号")] == expected
    assert "反斜杠\\N" in expected and "两行\n备注" in expected


def test_it_dates_every_history_row_of_an_import_alike(reference_data, sample_workbook_path):
    save_checked(read_and_check(sample_workbook_path), number="同时〔2023〕1号", issued_on=date(2023, 6, 5))

    history = _history("同时〔2023〕1号")
    assert len(history) == 100
    assert len({row[-3] for row in history}) == 1
    document = AllocationDocument.objects.get(number="同时〔2023〕1号")
    subtotal_dates = set(PrefectureSubtotal.history.filter(document_id=document.pk).values_list("history_date", flat=True))
    assert subtotal_dates == {history[0][-3]}


def test_it_leaves_a_history_row_for_each_line_a_replacement_deletes(reference_data, sample_workbook_path):
    table = read_and_check(sample_workbook_path)
    first = save_checked(table, number="覆盖〔2023〕1号", issued_on=date(2023, 6, 5))
    old_ids = list(first.lines.order_by("pk").values_list("pk", flat=True))
    save_checked(table, number="覆盖〔2023〕1号", issued_on=date(2023, 6, 5), replace=True)

    history = _history("覆盖〔2023〕1号")
    new_ids = list(first.lines.order_by("pk").values_list("pk", flat=True))
    added, deleted, added_again = history[:100], sorted(history[100:200]), history[200:]
    assert [(row[0], row[-4]) for row in added] == [(pk, "+") for pk in old_ids]
    # Each deleted line once, with its last state (in whatever order the deletion took them).
    assert [(row[0], row[-4]) for row in deleted] == [(pk, "-") for pk in old_ids]
    assert [row[1:5] for row in deleted] == [row[1:5] for row in added]
    assert [(row[0], row[-4]) for row in added_again] == [(pk, "+") for pk in new_ids]
    assert set(old_ids).isdisjoint(new_ids)


def test_it_records_the_uploading_user_on_every_line_history_row(region_admin, sample_workbook_path, client_for):
    client = client_for(region_admin)
    with open(sample_workbook_path, "rb") as handle:
        preview = client.post(
            reverse("allocations:import_upload"), {"file": handle, "number": "网页〔2023〕1号", "issued_on": "2023-06-05"}
        )
    client.post(reverse("allocations:import_confirm"), hidden_fields(page(preview), reverse("allocations:import_confirm")))

    history = _history("网页〔2023〕1号")
    assert len(history) == 100
    assert {row[-2] for row in history} == {region_admin.pk}


def test_it_refuses_a_note_longer_than_the_column_naming_its_row(reference_data):
    table = workbooks.Table()
    table.groups["乌鲁木齐市"][0][2] = "长" * 201
    checked = read_and_check(workbooks.write(table))

    assert checked.errors == ["第6行 乌鲁木齐市/天山区：备注超过200个字符"]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("1200", Decimal("1200.00")),
        ("1E+3", Decimal("1000.00")),
        ("0.5", Decimal("0.50")),
        ("999999999999.99", Decimal("999999999999.99")),
        ("0", Decimal("0.00")),
        ("-0", Decimal("-0.00")),
    ],
)
def test_it_accepts_an_amount_of_two_decimals_at_most_as_cents(text, expected):
    amount, problem = check_amount(Decimal(text))
    assert problem is None
    assert (amount, amount.as_tuple().exponent) == (expected, -2)


@pytest.mark.parametrize(
    "text, message",
    [
        ("1.230", "拨付金额最多保留2位小数（1.230）"),
        ("0.000", "拨付金额最多保留2位小数（0.000）"),
        ("0.001", "拨付金额最多保留2位小数（0.001）"),
        ("999999999999.999", "拨付金额最多保留2位小数（999999999999.999）"),
        ("1000000000000", "拨付金额过大（1000000000000）"),
        ("1E+12", "拨付金额过大（1000000000000）"),
        ("-5", "拨付金额不能为负数（-5）"),
        ("NaN", "拨付金额“NaN”不是数字"),
        ("Infinity", "拨付金额“Infinity”不是数字"),
    ],
)
def test_it_refuses_an_amount_the_column_cannot_hold_exactly(text, message):
    assert check_amount(Decimal(text)) == (None, message)
