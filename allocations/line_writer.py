"""Writes an imported table's lines, and their history rows, in bulk.

On PostgreSQL (production) the lines go in with one COPY (core/bulk_insert.py) and their history
rows with one INSERT … SELECT from the rows just written, so the change log
holds exactly what was stored; a 100k-line table is two statements instead of
200 batches of model objects. Elsewhere (SQLite in development and tests)
bulk_create_with_history does it. Either way every row is checked by the
database's own constraints (amount ≥ 0, one line per county per document,
foreign keys), and every history row of one import carries the same moment
and the same user: the import is one change. Replacing a draft deletes its
lines the same way, leaving a '-' history row for each.
"""

from django.db import connections, router
from simple_history.utils import bulk_create_with_history, get_history_model_for_model

from allocations.models import AllocationLine
from core import bulk_insert

# What an imported line sets; the id comes from the database.
LINE_FIELDS = ("document", "county", "amount", "note", "position")
LINE_COLUMNS = ("document_id", "county_id", "amount", "note", "position")
HISTORY_COLUMNS = ("history_date", "history_change_reason", "history_type", "history_user_id")


def write_lines(document, lines, when, batch_size=1000):
    """Insert AllocationLines for `lines` (CheckedLines, in table order) with '+' history rows dated `when`."""
    connection = connections[router.db_for_write(AllocationLine)]
    plan = _copy_plan(connection)
    if plan is not None:
        _copy_lines(connection, plan, document, lines, when)
        return
    bulk_create_with_history(
        [
            AllocationLine(
                document=document, county_id=line.county_id, amount=line.amount, note=line.note, position=line.position
            )
            for line in lines
        ],
        AllocationLine,
        batch_size=batch_size,
        default_date=when,
    )


def _copy_plan(connection):
    """(line table, history table, tracked columns) when COPY can write every column; else None.

    Any column this module does not know (a field added to the model, a
    custom history field) sends the import back to bulk_create_with_history,
    which knows the defaults, rather than leave it empty.
    """
    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        if not hasattr(cursor.cursor, "copy_expert"):  # psycopg2; psycopg 3 takes the bulk path
            return None
    line_columns = {field.column for field in AllocationLine._meta.concrete_fields if not field.primary_key}
    if line_columns != set(LINE_COLUMNS):
        return None
    history = get_history_model_for_model(AllocationLine)
    tracked = [field.column for field in history.tracked_fields]
    history_columns = {field.column for field in history._meta.concrete_fields}
    if history_columns != set(tracked) | set(HISTORY_COLUMNS) | {history._meta.pk.column}:
        return None
    if set(tracked) != line_columns | {AllocationLine._meta.pk.column}:
        return None
    return AllocationLine._meta.db_table, history._meta.db_table, tracked


def _copy_lines(connection, plan, document, lines, when):
    rows = ((document.pk, line.county_id, line.amount, line.note, line.position) for line in lines)
    bulk_insert.insert(AllocationLine, LINE_FIELDS, rows, using=connection.alias)
    with connection.cursor() as cursor:
        _history_of_lines(cursor, plan, document, when, "+")


def delete_lines(document, when):
    """Delete a document's lines, each with the '-' history row deleting it alone would leave."""
    connection = connections[router.db_for_write(AllocationLine)]
    plan = _copy_plan(connection)
    if plan is None or AllocationLine._meta.related_objects:
        # Something may point at a line: let the ORM collect it.
        document.lines.all().delete()
        return
    # Nothing refers to a line, so the rows can go in one statement once
    # their history rows are written (the ORM would fetch every line and
    # insert its history row alone: minutes for a 100k-line draft).
    with connection.cursor() as cursor:
        _history_of_lines(cursor, plan, document, when, "-")
        cursor.execute(
            f"DELETE FROM {connection.ops.quote_name(plan[0])} WHERE {connection.ops.quote_name('document_id')} = %s",
            [document.pk],
        )


def _history_of_lines(cursor, plan, document, when, history_type):
    line_table, history_table, tracked = plan
    quote = cursor.db.ops.quote_name
    history = get_history_model_for_model(AllocationLine)
    user = history.get_default_history_user(AllocationLine())
    tracked_sql = ", ".join(quote(column) for column in tracked)
    # The rows are sorted by id so history ids follow line ids; 100k rows
    # overflow the default 4 MB into a sort on disk. Until the import commits.
    cursor.execute("SET LOCAL work_mem = '64MB'")
    cursor.execute(
        f"INSERT INTO {quote(history_table)} ({tracked_sql}, {', '.join(quote(c) for c in HISTORY_COLUMNS)}) "
        f"SELECT {tracked_sql}, %s, NULL, %s, %s FROM {quote(line_table)} WHERE {quote('document_id')} = %s "
        f"ORDER BY {quote(AllocationLine._meta.pk.column)}",
        [when, history_type, user.pk if user is not None else None, document.pk],
    )
