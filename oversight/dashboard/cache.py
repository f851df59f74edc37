"""The dashboard's charts, rendered once per version of the data they are drawn from.

At national scale (330 prefectures, a million feedback lines) drawing the
charts and their tables costs three times the SQL behind them (bench/
bench_dashboard.py). Their HTML is kept in the cache under a key made of
the board (role, the prefecture an officer sees), the day, the language and
the data version.

The version is read from the database on every view, in one query: the
highest id of each table the charts read and of its history table. Every
save through the app adds a history row (django-simple-history), and every
bulk load adds rows, so any change gives a new key and nobody sees a chart
older than the data, whichever gunicorn worker served the change. A change
that adds no row (a bulk DELETE by hand) is caught by the timeout.
"""

from django.core.cache import cache
from django.db import connection
from django.utils.translation import get_language

from allocations.models import AllocationDocument, AllocationLine, Prefecture, PrefectureSubtotal
from feedback.models import FeedbackLine, FeedbackReport, Settlement
from targets.models import Actual, Target, TargetTable

TIMEOUT = 300
SOURCES = (AllocationDocument, AllocationLine, Prefecture, PrefectureSubtotal, FeedbackReport, FeedbackLine, Settlement, TargetTable, Target, Actual)


def _max_id_sql(table, column):
    quote = connection.ops.quote_name
    return f"(SELECT MAX({quote(column)}) FROM {quote(table)})"


def data_version():
    """One query; each MAX is a lookup at the end of a primary-key index."""
    parts = []
    for model in SOURCES:
        parts.append(_max_id_sql(model._meta.db_table, "id"))
        parts.append(_max_id_sql(model.history.model._meta.db_table, "history_id"))
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(parts))
        return "-".join("" if value is None else str(value) for value in cursor.fetchone())


def key(board):
    scope = board.user.prefecture_id if board.kind == "officer" else "all"
    return f"dashboard:{board.kind}:{scope}:{board.today.isoformat()}:{get_language()}:{data_version()}"


def charts_html(board, render):
    """The board's chart blocks as HTML, from the cache or from render(board) (a list of strings)."""
    cache_key = key(board)
    html = cache.get(cache_key)
    if html is None:
        html = [str(part) for part in render(board)]
        cache.set(cache_key, html, TIMEOUT)
    return html
