"""What a page draws, kept in the cache under the version of the data it was drawn from.

At national scale drawing a chart or a table of thousands of rows costs
several times the SQL behind it (bench/bench_dashboard.py, bench/
bench_flow.py), while the data changes only when someone saves or imports.

The version is read from the database on every view, in one query: the
highest id of each table the drawing reads and of its history table. Every
save through the app adds a history row (django-simple-history), and every
bulk load or payment import adds rows, so any change gives a new key and
nobody sees a drawing older than the data, whichever gunicorn worker served
the change. A change that adds no row (a bulk DELETE by hand) is caught by
the timeout.
"""

import functools

from django.core.cache import cache
from django.db import connection

TIMEOUT = 300


def _max_id_sql(table, column):
    quote = connection.ops.quote_name
    return f"(SELECT MAX({quote(column)}) FROM {quote(table)})"


@functools.cache
def _version_sql(models):
    # Written once per set of models: reaching a history model goes through simple-history's manager descriptor,
    # which builds a manager class on every access (a third of a warm page's time).
    parts = []
    for model in models:
        parts.append(_max_id_sql(model._meta.db_table, model._meta.pk.column))
        history = getattr(model, "history", None)
        if history is not None:
            parts.append(_max_id_sql(history.model._meta.db_table, "history_id"))
    return "SELECT " + ", ".join(parts)


def data_version(models):
    """One query; each MAX is a lookup at the end of a primary-key index."""
    with connection.cursor() as cursor:
        cursor.execute(_version_sql(tuple(models)))
        return "-".join("" if value is None else str(value) for value in cursor.fetchone())


def cached(key, models, build):
    """build()'s value for key at the current version of models: from the cache, or built and kept."""
    versioned = f"{key}:{data_version(models)}"
    value = cache.get(versioned)
    if value is None:
        value = build()
        cache.set(versioned, value, TIMEOUT)
    return value
