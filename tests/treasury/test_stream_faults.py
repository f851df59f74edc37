"""A fault in the stream import's own code is raised, not taken for a doubt about the file (treasury.stream).

A doubt sends the file quietly to the next path; a bug handled that way would
only show as a slower import.
"""

import pytest
from django.db import connection

from tests.treasury.payment_files import csv_bytes, row, write
from treasury import stream
from treasury.importing import import_payments

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql", reason="the stream import is PostgreSQL's (COPY)")


def test_it_lets_a_fault_of_its_own_be_seen(monkeypatch, tmp_path, reference_data):
    # The first lines are read before the COPY; the fault comes after them, within it, where the driver
    # would have turned it into a database error of its own.
    monkeypatch.setattr(stream, "CHUNK", 64)
    original = stream.Stream.convert

    def broken(self, data, newline):
        if b"ZF3" in data:
            raise KeyError("a bug")
        return original(self, data, newline)

    monkeypatch.setattr(stream.Stream, "convert", broken)
    path = write(tmp_path, "payments.csv", csv_bytes([row("ZF1"), row("ZF2"), row("ZF3")]))

    with pytest.raises(KeyError):
        import_payments(path, path.name)


def test_it_gives_a_doubtful_file_up_to_the_next_path(tmp_path, reference_data):
    path = write(tmp_path, "payments.csv", csv_bytes([row("ZF1", payee="王\t某")]))

    outcome = import_payments(path, path.name)

    assert outcome.fast == "staged" and outcome.new == 1
