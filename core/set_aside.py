"""A table's secondary indexes and foreign keys set aside while a large batch of rows goes in (PostgreSQL).

PostgreSQL's own advice for a bulk load ("Populating a Database"): an index
built once over the rows costs a fraction of one kept up to date row by row,
and a foreign key added after the load is checked by one join, not by one
lookup per row and key at COMMIT. A million treasury payments were written
by INSERT … SELECT with their indexes and keys in 10.0 s this way, 26.7 s
row by row (bench/results/payments.md has today's figures).

Nothing is weakened and nobody sees the table without them. Every index and
key is put back from its own definition (pg_get_indexdef,
pg_get_constraintdef), under its own name, in the same transaction: the
re-added keys check every row, old and new, and a failure anywhere rolls
them back with the rows.

The price is a lock: dropping a foreign key locks the table and the tables
it references (here prefectures, counties and documents, which every page
reads) until COMMIT, so pages wait for the batch. Hence only a batch large
against the table (at least MIN_ROWS), and the locks are taken at once,
without waiting (NOWAIT), a few times over: a transaction that never waits
for a lock while holding one is never part of a deadlock, so a page is
never the one PostgreSQL cancels. When some session keeps using a table,
the batch goes in the usual way instead.

The primary key and the unique constraints are set aside too (a key twice
fails when it is put back), except one another table's foreign key depends
on: dropping that would reach into the other table. The treasury's voucher
is such a key (the exceptions name their payment by it), so it stays, and a
voucher twice fails at once.
"""

import time
from contextlib import contextmanager

from django.db import OperationalError, connection, transaction

# Below this many rows the locks and the rebuild cost more than they save.
MIN_ROWS = 100_000
# Rebuilding indexes over the rows already there pays while they are at most this many times the batch
# (measured: a new row costs ~27 µs with its indexes and keys kept up to date; building them again and
# checking the keys costs ~4 µs per row in the table).
MAX_EXISTING_PER_NEW = 4
# Tries at the locks, and the pause between: about a second in all, as long as a page's longest query.
LOCK_TRIES = 20
LOCK_PAUSE = 0.05
LOCK_NOT_AVAILABLE = "55P03"


def can_set_aside(cursor, table, rows):
    """True, with the table and those its keys reference locked to this transaction, when a batch of rows is worth it."""
    if connection.vendor != "postgresql" or rows < MIN_ROWS:
        return False
    # Only the table's owner may alter it; a role that is not goes the usual way instead of failing.
    cursor.execute("SELECT pg_has_role(relowner, 'MEMBER') FROM pg_class WHERE oid = %s::regclass", [table])
    if not cursor.fetchone()[0]:
        return False
    # Counted up to what matters, not the whole table.
    limit = rows * MAX_EXISTING_PER_NEW + 1
    cursor.execute(f"SELECT count(*) FROM (SELECT 1 FROM {_quoted(table)} LIMIT %s) t", [limit])
    return cursor.fetchone()[0] < limit and _lock_alone(cursor, table)


def _lock_alone(cursor, table):
    cursor.execute(
        "SELECT DISTINCT c.relname FROM pg_constraint k JOIN pg_class c ON c.oid = k.confrelid"
        " WHERE k.conrelid = %s::regclass AND k.contype = 'f' AND k.confrelid <> k.conrelid",
        [table],
    )
    tables = [table, *sorted(name for (name,) in cursor.fetchall())]
    statement = f"LOCK TABLE {', '.join(map(_quoted, tables))} IN ACCESS EXCLUSIVE MODE NOWAIT"
    for attempt in range(LOCK_TRIES):
        try:
            # Its own savepoint: a refused lock leaves the transaction usable (and holding nothing new).
            with transaction.atomic():
                cursor.execute(statement)
            return True
        except OperationalError as error:
            if getattr(error.__cause__, "pgcode", None) != LOCK_NOT_AVAILABLE:
                raise
            if attempt + 1 < LOCK_TRIES:
                time.sleep(LOCK_PAUSE)
    return False


def set_aside_parts(cursor, table):
    """([(name, definition)] of the keys, [(name, CREATE INDEX …)] of the indexes set aside.

    The keys: the table's foreign keys, and its primary key and unique
    constraints that no other table's foreign key depends on (those stay).
    Primary and unique keys come first: PostgreSQL adds them back before the
    foreign keys in the same ALTER TABLE in any case.
    """
    cursor.execute(
        "SELECT conname, pg_get_constraintdef(k.oid) FROM pg_constraint k"
        " WHERE k.conrelid = %s::regclass AND (k.contype = 'f' OR (k.contype IN ('p', 'u')"
        " AND NOT EXISTS (SELECT 1 FROM pg_constraint d WHERE d.contype = 'f' AND d.conindid = k.conindid)))"
        " ORDER BY k.contype <> 'p', k.contype <> 'u', conname",
        [table],
    )
    keys = cursor.fetchall()
    # An index that backs a constraint (primary key, unique, or another table's foreign key) stays.
    cursor.execute(
        "SELECT c.relname, pg_get_indexdef(i.indexrelid) FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid"
        " WHERE i.indrelid = %s::regclass AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid)"
        " ORDER BY c.relname",
        [table],
    )
    return keys, cursor.fetchall()


@contextmanager
def indexes_set_aside(cursor, table):
    """Use after can_set_aside() said True, in the same transaction."""
    keys, indexes = set_aside_parts(cursor, table)
    quoted = _quoted(table)
    # PostgreSQL alters no table with deferred checks still pending in the transaction (rows written
    # earlier in it): run them now, as COMMIT would have (Django's SET CONSTRAINTS ALL IMMEDIATE, then DEFERRED).
    connection.check_constraints()
    if keys:
        cursor.execute(f"ALTER TABLE {quoted} " + ", ".join(f"DROP CONSTRAINT {_quoted(name)}" for name, _ in keys))
    if indexes:
        cursor.execute("DROP INDEX " + ", ".join(_quoted(name) for name, _ in indexes))
    yield
    for _name, definition in indexes:
        cursor.execute(definition)
    if keys:
        # One ALTER TABLE for all of them; PostgreSQL then checks each key by one join over the table.
        cursor.execute(
            f"ALTER TABLE {quoted} " + ", ".join(f"ADD CONSTRAINT {_quoted(name)} {definition}" for name, definition in keys)
        )


def _quoted(name):
    return connection.ops.quote_name(name)
