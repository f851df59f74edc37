"""A batch of payments large against the table goes in with the table's indexes and foreign keys set aside (core.set_aside).

The threshold is lowered here so that the sample's few hundred rows take that
way; each case checks that it was taken, that the rows are the row-by-row
path's, and that the table ends with exactly the indexes and keys it had.
"""

from contextlib import contextmanager

import pytest
from django.db import IntegrityError, connection, transaction

from allocations.models import County
from core import set_aside
from tests.treasury.conftest import state
from tests.treasury.payment_files import csv_bytes, row, sample_rows, write
from tests.treasury.test_fast_import import _both_ways, _every_anomaly
from treasury import staging, stream
from treasury.importing import PaymentsRefused, import_payments
from treasury.models import Payment

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="indexes are set aside on PostgreSQL only"),
    pytest.mark.usefixtures("fast_path"),
]

TABLE = Payment._meta.db_table


def _schema():
    """Every constraint on or referencing the payment table and every index of it, with its definition."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint WHERE conrelid = %s::regclass OR confrelid = %s::regclass",
            [TABLE, TABLE],
        )
        constraints = sorted(cursor.fetchall())
        cursor.execute("SELECT indexrelid::regclass::text, pg_get_indexdef(indexrelid) FROM pg_index WHERE indrelid = %s::regclass", [TABLE])
        return constraints, sorted(cursor.fetchall())


@pytest.fixture
def set_asides(monkeypatch):
    """Every batch is large enough; returns the list of tables set aside, one entry per time."""
    monkeypatch.setattr(set_aside, "MIN_ROWS", 1)
    taken = []
    original = set_aside.indexes_set_aside

    @contextmanager
    def spy(cursor, table):
        taken.append(table)
        with original(cursor, table):
            yield

    for path in (stream, staging):
        monkeypatch.setattr(path, "indexes_set_aside", spy)
    return taken


def test_it_sets_aside_every_key_and_index_no_other_table_depends_on(reference_data):
    with connection.cursor() as cursor:
        keys, indexes = set_aside.set_aside_parts(cursor, TABLE)

    kinds = [definition.split(" (")[0] for _name, definition in keys]
    assert kinds[0] == "PRIMARY KEY" and set(kinds[1:]) == {"FOREIGN KEY"}
    assert indexes and all(definition.startswith("CREATE INDEX") for _name, definition in indexes)
    # The voucher's unique index stays: the exceptions' foreign key depends on it.
    names = {name for name, _definition in keys + indexes}
    assert "treasury_payment_voucher_key" not in names


def test_it_imports_to_the_same_rows_as_the_python_path(set_asides, python_path, tmp_path, urumqi_reallocation):
    urumqi_reallocation.parent.lines.filter(county__name="达坂城区").delete()
    sample = write(tmp_path, "sample.csv", csv_bytes(sample_rows()))
    anomalies = write(tmp_path, "anomalies.csv", csv_bytes(_every_anomaly()))

    # The smaller file first: each is then large against what the table holds.
    fast, slow = _both_ways(python_path, anomalies, sample)

    assert set_asides == [TABLE, TABLE]
    assert fast == slow
    assert len(fast[0]["payments"]) == 237 + 18


def test_it_puts_back_every_index_and_foreign_key_by_its_name(set_asides, tmp_path, reference_data):
    before = _schema()

    import_payments(write(tmp_path, "sample.csv", csv_bytes(sample_rows())), "sample.csv")

    assert set_asides == [TABLE]
    assert _schema() == before


def test_it_checks_every_row_against_the_keys_it_puts_back(tmp_path, reference_data):
    import_payments(write(tmp_path, "one.csv", csv_bytes([row("ZF1")])), "one.csv")
    before = _schema()
    nowhere = County.objects.order_by("-pk").values_list("pk", flat=True)[0] + 1000

    with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cursor:
        with set_aside.indexes_set_aside(cursor, TABLE):
            # Written while the key is set aside, so no trigger sees it: the key put back does.
            Payment.objects.filter(voucher="ZF1").update(county_id=nowhere)

    assert _schema() == before
    assert Payment.objects.get(voucher="ZF1").county_id != nowhere


def test_it_leaves_the_table_as_it_was_when_the_file_is_refused(set_asides, tmp_path, reference_data, fast_path):
    import_payments(write(tmp_path, "first.csv", csv_bytes([row("ZF1")])), "first.csv")
    before, rows = _schema(), state()

    with pytest.raises(PaymentsRefused) as refused:
        # The repeated voucher breaks the unique index during the load: each fast path gives the file up.
        import_payments(write(tmp_path, "again.csv", csv_bytes([row("ZF2"), row("ZF3"), row("ZF3")])), "again.csv")

    assert set_asides == [TABLE] * (3 if fast_path == "stream" else 2)
    assert "第4行：支付凭证号 ZF3 与第3行重复" in refused.value.errors[0]
    assert _schema() == before and state() == rows


def test_it_keeps_the_indexes_up_to_date_for_a_batch_small_against_the_table(set_asides, tmp_path, reference_data):
    import_payments(write(tmp_path, "sample.csv", csv_bytes(sample_rows())), "sample.csv")

    # 237 payments already there: more than MAX_EXISTING_PER_NEW times 10 new ones.
    outcome = import_payments(write(tmp_path, "ten.csv", csv_bytes([row(f"ZF{n}") for n in range(10)])), "ten.csv")

    assert outcome.fast and outcome.new == 10
    assert set_asides == [TABLE]


def test_it_keeps_the_indexes_up_to_date_while_another_session_reads_a_table_it_would_lock(
    set_asides, monkeypatch, tmp_path, reference_data
):
    monkeypatch.setattr(set_aside, "LOCK_PAUSE", 0)
    before = _schema()
    other = connection.get_new_connection(connection.get_connection_params())
    try:
        with other.cursor() as cursor:
            # A page's query, still running: its lock is shared, the one setting keys aside is not.
            cursor.execute(f"LOCK TABLE {County._meta.db_table} IN ACCESS SHARE MODE")
        outcome = import_payments(write(tmp_path, "sample.csv", csv_bytes(sample_rows())), "sample.csv")
    finally:
        other.rollback()
        other.close()

    assert outcome.fast and outcome.new == 237
    assert set_asides == []
    assert _schema() == before


def test_it_keeps_the_indexes_up_to_date_when_its_role_does_not_own_the_table(set_asides, tmp_path, reference_data):
    before = _schema()
    with connection.cursor() as cursor:
        cursor.execute("SELECT rolsuper OR rolcreaterole FROM pg_roles WHERE rolname = current_user")
        if not cursor.fetchone()[0]:
            pytest.skip("the test database's user may not create a role")
        # A role that may read and write every table but owns none (rolled back with the test's transaction).
        cursor.execute("CREATE ROLE treasury_import_tenant")
        cursor.execute("GRANT ALL ON ALL TABLES IN SCHEMA public TO treasury_import_tenant")
        cursor.execute("GRANT ALL ON ALL SEQUENCES IN SCHEMA public TO treasury_import_tenant")
        cursor.execute("SET LOCAL ROLE treasury_import_tenant")
    try:
        outcome = import_payments(write(tmp_path, "sample.csv", csv_bytes(sample_rows())), "sample.csv")
    finally:
        with connection.cursor() as cursor:
            cursor.execute("RESET ROLE")

    assert outcome.fast and outcome.new == 237
    assert set_asides == []
    assert _schema() == before


def test_it_keeps_the_indexes_up_to_date_below_the_batch_size(monkeypatch, tmp_path, reference_data):
    entered = []
    for path in (stream, staging):
        monkeypatch.setattr(path, "indexes_set_aside", lambda cursor, table: entered.append(table))

    outcome = import_payments(write(tmp_path, "sample.csv", csv_bytes(sample_rows())), "sample.csv")

    assert set_aside.MIN_ROWS > 237
    assert outcome.fast and outcome.new == 237
    assert entered == []
