"""The flow page and payments_summary against their SQL, on national data (issue 15.9).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_national \\
        .venv/bin/python bench/bench_flow.py --repeat 15

Run on a database filled by `generate_national_data` (bench/run does both).
The document is the regional document with the most payment summary rows
(the heaviest flow), the month its last paid month. As bench_dashboard.py
does for the home pages: each way runs once to record every SQL statement it
sends (with its parameters); then, alternating, the way runs in full and the
recorded statements are replayed on a bare cursor (execute + fetchall,
nothing else). The target is way / SQL ≤ 1.5×.

The ways: the flow page through Django's test client as the region admin
(every county) and as an officer (one prefecture), its CSV export, and
`payments_summary 文号 --month YYYY-MM --format csv` through call_command.
"""

import argparse
import io
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.bench_dashboard import Recorder, _replay, _setup  # noqa: E402
from bench.common import now_utc, spread, spread_text, write_section  # noqa: E402

TARGET = 1.5


def _heaviest():
    from django.db.models import Count, Max

    from allocations.models import AllocationDocument
    from treasury.models import PaymentSummary

    found = (
        PaymentSummary.objects.values("document_id").annotate(rows=Count("id"), last=Max("month")).order_by("-rows").first()
    )
    if found is None:
        raise SystemExit("no payment summary rows: run generate_national_data first")
    return AllocationDocument.objects.get(pk=found["document_id"]), found["last"], found["rows"]


def _user(username, role, prefecture=None):
    from django.contrib.auth.models import Group

    from core.models import User

    user, _ = User.objects.get_or_create(username=username)
    user.prefecture = prefecture
    user.is_staff = prefecture is None
    user.save()
    user.groups.set([Group.objects.get(name=role)])
    return user


def _page(client, url):
    def run():
        response = client.get(url)
        if response.status_code != 200:
            raise SystemExit(f"{url}: HTTP {response.status_code}")
        return response

    return run


def _command(number, month):
    from django.core.management import call_command

    def run():
        out = io.StringIO()
        call_command("payments_summary", number, "--month", f"{month:%Y-%m}", "--format", "csv", stdout=out)
        return out

    return run


def _timed(run):
    started = time.perf_counter()
    run()
    return time.perf_counter() - started


def _cold(run):
    from django.core.cache import cache

    def cold():
        cache.clear()  # as the first view after an import or a save
        return run()

    return cold


def measure(label, run, repeat, cold=False):
    """cold: the cache emptied before each run (not timed). The SQL is always recorded from a cold run."""
    from django.core.cache import cache
    from django.db import connection

    run()  # templates compiled, connection open, caches of content types and translations filled
    cache.clear()
    recorder = Recorder()
    with connection.execute_wrapper(recorder):
        run()
    statements = recorder.statements
    _replay(statements)
    ways, replays = [], []
    for _ in range(repeat):
        if cold:
            cache.clear()
        ways.append(_timed(run))
        replays.append(_replay(statements))
    result = {"label": label, "queries": len(statements), "way": ways, "sql": replays, "cold": cold}
    print(
        f"{label}: {len(statements)} queries, way {spread_text(ways)} s, SQL {spread_text(replays)} s", flush=True
    )
    return result


def section(results, repeat, data):
    out = [
        "## Flow page and payments_summary against their SQL",
        "",
        f"Measured {now_utc()} by `bench/bench_flow.py --repeat {repeat}` on "
        + ", ".join(f"{value:,} {name}" if isinstance(value, int) else f"{name} {value}" for name, value in data.items())
        + ". Way: the page through Django's test client (session, permissions, queries, Python, template, SVG chart), "
        "or the command through call_command. The page as users get it keeps its drawn table and chart under the "
        "data version (oversight/versioned_cache.py: one query of highest ids, so any import or save draws them "
        "again); *cold* is the first view after a change (cache emptied before each run). SQL: the statements of a "
        f"cold run, recorded once, replayed on a bare cursor. {repeat} alternating runs; each ratio is taken per run, "
        "then min / median / max.",
        "",
        "| way | queries | way ms | SQL ms | way / SQL | target | met |",
        "|---|---|---|---|---|---|---|",
    ]
    for r in results:
        ratios = [a / b for a, b in zip(r["way"], r["sql"])]
        # The target is the page as users get it; the cold view (once per import or save) is shown beside it.
        target, met = ("—", "—") if r["cold"] else (f"≤ {TARGET}", "yes" if spread(ratios)[1] <= TARGET else "NO")
        out.append(
            f"| {r['label']} | {r['queries']} | {spread_text([s * 1000 for s in r['way']], '{:.1f}')} | "
            f"{spread_text([s * 1000 for s in r['sql']], '{:.1f}')} | {spread_text(ratios, '{:.2f}')} | {target} | {met} |"
        )
    return "\n".join(out)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=15)
    options = parser.parse_args(argv)
    _setup()
    from unittest import mock

    from django.db.models import Count
    from django.test import Client

    from allocations.models import Prefecture, PrefectureSubtotal
    from core.models import Role
    from treasury.models import Payment, PaymentSummary

    document, month, summary_rows = _heaviest()
    # The officer of the document's prefecture with the most counties: the heaviest one-prefecture flow.
    prefecture = (
        Prefecture.objects.filter(pk__in=PrefectureSubtotal.objects.filter(document=document).values("prefecture_id"))
        .annotate(n=Count("counties"))
        .order_by("-n", "pk")
        .first()
    )
    admin = Client()
    admin.force_login(_user("bench-flow-admin", Role.REGION_ADMIN))
    officer = Client()
    officer.force_login(_user("bench-flow-officer", Role.FINANCE_OFFICER, prefecture))
    url = f"/treasury/flow/{document.pk}/?month={month:%Y-%m}"
    data = {
        "payments": Payment.objects.count(),
        "payment summary rows": PaymentSummary.objects.count(),
        "document": f"{document.number} ({summary_rows:,} summary rows, month {month:%Y-%m})",
    }
    ways = [
        ("flow page, region admin (every county)", _page(admin, url), False),
        ("flow page, region admin, cold (first view after a change)", _page(admin, url), True),
        (f"flow page, officer of {prefecture.name}", _page(officer, url), False),
        (f"flow page, officer of {prefecture.name}, cold", _page(officer, url), True),
        ("flow page CSV export, region admin", _page(admin, url + "&_export=csv"), False),
        ("payments_summary --format csv", _command(document.number, month), False),
    ]
    # After the data's last month, as a user would have seen it then (the page's default month depends on today).
    with mock.patch("core.clock.today", return_value=month.replace(day=20)):
        results = [measure(label, run, options.repeat, cold) for label, run, cold in ways]
    print(f"wrote {write_section('flow', section(results, options.repeat, data))}")


if __name__ == "__main__":
    main()
