"""A code is compared byte by byte: on PostgreSQL its column, and the columns whose keys point at it, are COLLATE "C"."""

import pytest
from django.db import connection

from treasury.models import Payment, PaymentException


def _collation(model, name):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT collation_name FROM information_schema.columns WHERE table_name = %s AND column_name = %s",
            [model._meta.db_table, model._meta.get_field(name).column],
        )
        return cursor.fetchone()[0]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite compares text byte by byte already (BINARY)")
def test_it_gives_the_voucher_and_the_key_that_names_it_the_c_collation(db):
    assert _collation(Payment, "voucher") == "C"
    assert _collation(PaymentException, "payment") == "C"
