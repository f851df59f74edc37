"""Streaming bulk inserts: COPY on PostgreSQL, batched INSERTs elsewhere.

The one COPY writer of the project: the national-scale generator fills its
tables with it, and an imported 附件1's lines go in through it
(allocations/line_writer.py adds their history rows).

Rows are tuples of Python values in the order of the given field names,
pulled from a generator as the database takes them: nothing holds a million
rows, let alone a million model instances. The database assigns the ids;
callers read back the few they need by natural key.

Money arrives as text with two decimals ("1234.56") or as a Decimal, written
in full without an exponent, so both paths store it exactly.
"""

import json
from datetime import date, datetime
from decimal import Decimal
from itertools import islice

from django.db import connections

BATCH = 1000
COPY_CHUNK = 1 << 20


def _copy_text(value):
    """One value in COPY's text format."""
    if value is None:
        return "\\N"
    if value is True:
        return "t"
    if value is False:
        return "f"
    if isinstance(value, (list, dict)):
        value = json.dumps(value, ensure_ascii=False)
    elif isinstance(value, (date, datetime)):
        return value.isoformat()
    elif isinstance(value, Decimal):
        return format(value, "f")
    elif not isinstance(value, str):
        return str(value)
    if "\\" in value or "\t" in value or "\n" in value or "\r" in value:
        value = value.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")
    return value


class _CopyStream:
    """A read()-able file over the rows, encoded as COPY text on demand."""

    def __init__(self, rows):
        self._rows = iter(rows)
        self._buffer = b""
        self.count = 0

    def read(self, size=-1):
        parts = [self._buffer]
        length = len(self._buffer)
        while size < 0 or length < size:
            chunk = []
            for row in islice(self._rows, BATCH):
                chunk.append("\t".join(map(_copy_text, row)))
            if not chunk:
                break
            self.count += len(chunk)
            data = ("\n".join(chunk) + "\n").encode("utf-8")
            parts.append(data)
            length += len(data)
        data = b"".join(parts)
        if size < 0:
            self._buffer = b""
            return data
        self._buffer = data[size:]
        return data[:size]


def _columns(model, names):
    return [model._meta.get_field(name) for name in names]


def insert(model, names, rows, using="default"):
    """Write rows into model's table; returns how many."""
    connection = connections[using]
    fields = _columns(model, names)
    table = connection.ops.quote_name(model._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            stream = _CopyStream(rows)
            cursor.copy_expert(f"COPY {table} ({columns}) FROM STDIN", stream, COPY_CHUNK)
            return stream.count
        return _insert_batches(connection, cursor, table, columns, fields, rows)


def _insert_batches(connection, cursor, table, columns, fields, rows):
    # The same values bulk_create would send, without building model instances.
    sql = f"INSERT INTO {table} ({columns}) VALUES ({', '.join(['%s'] * len(fields))})"
    rows = iter(rows)
    count = 0
    while batch := list(islice(rows, BATCH)):
        cursor.executemany(
            sql, [[f.get_db_prep_save(value, connection) for f, value in zip(fields, row)] for row in batch]
        )
        count += len(batch)
    return count


def analyze(models, using="default"):
    """Fresh planner statistics for the tables just filled (PostgreSQL; a no-op elsewhere)."""
    connection = connections[using]
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for model in models:
            cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")
