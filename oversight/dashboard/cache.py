"""The dashboard's charts, rendered once per version of the data they are drawn from.

At national scale (330 prefectures, a million feedback lines) drawing the
charts and their tables costs three times the SQL behind them (bench/
bench_dashboard.py). Their HTML is kept under a key made of the board (role,
the prefecture an officer sees), the day, the language and the data version
(oversight.versioned_cache says why that version is never stale).
"""

from django.utils.translation import get_language

from allocations.models import AllocationDocument, AllocationLine, Prefecture, PrefectureSubtotal
from feedback.models import FeedbackLine, FeedbackReport, Settlement
from oversight import versioned_cache
from targets.models import Actual, Target, TargetTable

SOURCES = (AllocationDocument, AllocationLine, Prefecture, PrefectureSubtotal, FeedbackReport, FeedbackLine, Settlement, TargetTable, Target, Actual)


def data_version():
    return versioned_cache.data_version(SOURCES)


def charts_html(board, render):
    """The board's chart blocks as HTML, from the cache or from render(board) (a list of strings)."""
    scope = board.user.prefecture_id if board.kind == "officer" else "all"
    key = f"dashboard:{board.kind}:{scope}:{board.today.isoformat()}:{get_language()}"
    return versioned_cache.cached(key, SOURCES, lambda: [str(part) for part in render(board)])
