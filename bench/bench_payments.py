"""The payments import against its floor (issue 15.9): writes its section to bench/results/payments.md.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_payments \\
        .venv/bin/python bench/bench_payments.py --rows 1000000 --repeat 3

One generated CSV of N treasury payments (UTF-8, the import's own headings, the
notice's prefectures and counties, every row valid) is processed three ways, each
run a fresh process with its own peak memory (ru_maxrss of the child), the ways
interleaved within a repetition:
  read    the bare read: Python's csv module (C) over the file, every field of every row
  copy    a bare COPY of the same rows into an unindexed table with the payment
          columns (PostgreSQL: COPY … FROM STDIN WITH CSV; SQLite: executemany INSERT)
  import  import_payments FILE: decoding, checks, anomalies, the payments by COPY,
          their anomalies and the summary table, in one transaction
The floor of a repetition is read + copy, measured in that repetition; the target
is import ≤ 2 × floor and import's peak memory < 300 MB. Before each import the
treasury tables are emptied, so every run imports all N rows as new, and before
each way the database is let settle (autovacuum done, a checkpoint).

On PostgreSQL the import takes its fast path for new vouchers (treasury/stream.py;
the run fails if it does not), and each of its steps is timed in the same run, the
commit (where PostgreSQL checks the payments' deferred foreign keys) among them:
the section says where the import's time goes.
"""

import argparse
import csv
import json
import os
import random
import resource
import secrets
import subprocess
import sys
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.common import machine, now_utc, spread, write_section  # noqa: E402

HEADER = (
    "支付凭证号", "支付日期", "地（州、市）", "县（市、区）", "预算单位", "指标文号", "功能分类科目", "经济分类科目",
    "直达资金标识", "支付金额（元）", "收款人",
)
NOTICE = "新财社〔2023〕74号"
CODES = ("2080701", "2080702", "2080704", "2080705", "2080711", "2080712")
BARE_TABLE = "bench_payments_bare"
WAYS = ("read", "copy", "import")


def setup_django():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()


def prepare():
    """Once: migrate, the notice's reference data, an empty treasury; returns [(prefecture, county)] of the notice."""
    from django.core.management import call_command

    from allocations.models import AllocationLine

    call_command("migrate", verbosity=0, interactive=False)
    if not AllocationLine.objects.filter(document__number=NOTICE).exists():
        call_command("load_reference_data", verbosity=0)
    empty_treasury()
    return list(
        AllocationLine.objects.filter(document__number=NOTICE)
        .order_by("pk").values_list("county__prefecture__name", "county__name")
    )


def empty_treasury():
    from django.db import connection

    from treasury.models import Payment, PaymentException, PaymentSummary

    tables = [model._meta.db_table for model in (PaymentException, PaymentSummary, Payment)]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY")
            cursor.execute("CHECKPOINT")
        else:
            for table in tables:
                cursor.execute(f"DELETE FROM {table}")


def write_csv(path, rows, places, seed=15):
    """rows payments under the notice, round-robin over its counties; at a million rows 37 of the 100 go over
    their allocation, so the import's over-allocation step has real crossings to find."""
    rng = random.Random(seed)
    start = date(2023, 6, 1)
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        for number in range(rows):
            prefecture, county = places[number % len(places)]
            writer.writerow((
                f"BP{number:08d}", (start + timedelta(days=rng.randint(0, 150))).isoformat(), prefecture, county,
                f"{county}人力资源和社会保障局", NOTICE, CODES[number % len(CODES)], "30305", "01 中央直达资金",
                f"{rng.randint(1, 999)}.{rng.randint(0, 99):02d}", "王某",
            ))


# The ways, each run in a child process (python bench/bench_payments.py --child WAY FILE).
def way_read(path):
    rows = 0
    with open(path, encoding="utf-8", newline="") as handle:
        for _fields in csv.reader(handle):
            rows += 1
    return rows - 1


def way_copy(path):
    from django.db import connection, transaction

    columns = "voucher, paid_on, prefecture, county, budget_unit, document_number, function_code, economic_code, direct_mark, amount, payee"
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {BARE_TABLE}")
        if connection.vendor == "postgresql":
            cursor.execute(
                f"CREATE TABLE {BARE_TABLE} (voucher text, paid_on date, prefecture text, county text, budget_unit text, "
                "document_number text, function_code text, economic_code text, direct_mark text, amount numeric, payee text)"
            )
            with open(path, "rb") as handle:
                cursor.copy_expert(f"COPY {BARE_TABLE} ({columns}) FROM STDIN WITH (FORMAT csv, HEADER true)", handle, 1 << 20)
        else:
            cursor.execute(f"CREATE TABLE {BARE_TABLE} ({columns})")
            with open(path, encoding="utf-8", newline="") as handle:
                reader = csv.reader(handle)
                next(reader)
                cursor.executemany(f"INSERT INTO {BARE_TABLE} VALUES ({', '.join('?' * 11)})", reader)
        cursor.execute(f"SELECT COUNT(*) FROM {BARE_TABLE}")
        rows = cursor.fetchone()[0]
        cursor.execute(f"DROP TABLE {BARE_TABLE}")
    return rows


SET_ASIDE = (
    "the primary key, the other indexes and the foreign keys: set aside before the COPY, built and checked again after"
    " (core.set_aside)"
)
COPY = "read, check and COPY the file into treasury_payment (the voucher's unique index kept up to date)"
# The import's steps, timed within its run: (label, module, object, attribute).
STEPS = (
    ("detect the encoding (from the first megabyte)", "treasury.reader", None, "detect_encoding"),
    ("vouchers of the first lines already imported? (one lookup)", "treasury.stream", "Stream", "_any_imported"),
    (COPY, "treasury.stream", "Stream", "_copy"),
    (SET_ASIDE, "treasury.stream", "Stream", "_write"),
    ("summary upsert", "treasury.importing", None, "add_to_summary"),
    ("over-allocation", "treasury.importing", None, "flag_over_allocation"),
    ("COMMIT (PostgreSQL checks the deferred foreign keys of rows it has not checked yet)", None, None, "commit"),
)
# Timed as the whole write (_write), shown without the COPY within it (_copy).
WITHIN = {SET_ASIDE: COPY}


def timed_steps():
    """Wrap each step with a timer; returns the {label: seconds} they fill."""
    import importlib

    from django.db import connection

    spent = {}

    def timer(label, function):
        def run(*args, **kwargs):
            started = time.perf_counter()
            try:
                return function(*args, **kwargs)
            finally:
                spent[label] = spent.get(label, 0.0) + time.perf_counter() - started

        return run

    for label, module, owner, name in STEPS:
        if module is None:
            target = connection
        else:
            target = importlib.import_module(module)
            target = getattr(target, owner) if owner else target
        setattr(target, name, timer(label, getattr(target, name)))
    return spent


def way_import(path):
    from django.db import connection

    from treasury.importing import import_payments

    with open(path, "rb") as handle:
        outcome = import_payments(handle, Path(path).name)
    assert outcome.new == outcome.read, (outcome.new, outcome.read)
    assert outcome.fast == "stream" or connection.vendor != "postgresql", "the import did not take its fast path"
    return outcome.new


def child(way, path):
    if way != "read":
        setup_django()
    steps = {}
    if way == "import":
        empty_treasury()
        steps = timed_steps()
    started = time.perf_counter()
    rows = {"read": way_read, "copy": way_copy, "import": way_import}[way](path)
    seconds = time.perf_counter() - started
    print(json.dumps({"way": way, "rows": rows, "seconds": seconds, "peak_mb": peak_mb(), "steps": steps}))


def peak_mb():
    # VmHWM is this process's own peak: ru_maxrss would carry the parent's over the exec.
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def settle(limit=60.0):
    """Each way starts on a quiet database: the autovacuum a committed million rows sets off, and the
    checkpoint they call for, finish first instead of running beside the next way's measurement."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return
    deadline = time.monotonic() + limit
    with connection.cursor() as cursor:
        while time.monotonic() < deadline:
            cursor.execute("SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'autovacuum worker'")
            if not cursor.fetchone()[0]:
                break
            time.sleep(0.5)
        cursor.execute("CHECKPOINT")


def run_child(way, path):
    settle()
    environment = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings"}
    if environment.get("DATABASE_URL", "").startswith("postgres"):
        # As production runs: DEBUG off (no query log growing with every statement).
        environment.update(DEBUG="0", SECRET_KEY=secrets.token_urlsafe(48), ALLOWED_HOSTS="localhost")
    done = subprocess.run(
        [sys.executable, __file__, "--child", way, str(path)], env=environment, capture_output=True, text=True, check=False
    )
    if done.returncode:
        raise SystemExit(f"{way} failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def report(rows, repeat, results, database, load_before):
    ratios = [i["seconds"] / (r["seconds"] + c["seconds"]) for r, c, i in zip(results["read"], results["copy"], results["import"])]
    import_peak = max(run["peak_mb"] for run in results["import"])
    lines = [
        "## Payments import against its floor",
        "",
        f"Measured {now_utc()} by `bench/bench_payments.py --rows {rows} --repeat {repeat}`: one generated UTF-8 CSV of "
        f"{rows:,} valid payments under the notice, each way a fresh process, interleaved. Database: {database}. "
        f"Load before the run: {load_before}; after: {'%.2f %.2f %.2f' % os.getloadavg()}.",
        "",
        "| way | seconds (min / median / max) | peak RSS MB (max) |",
        "|---|---|---|",
    ]
    names = {"read": "bare read, csv module (floor, part 1)", "copy": "bare COPY into an unindexed table (floor, part 2)",
             "import": "import_payments"}
    for way in WAYS:
        low, mid, high = spread(run["seconds"] for run in results[way])
        lines.append(f"| {names[way]} | {low:.2f} / {mid:.2f} / {high:.2f} | {max(run['peak_mb'] for run in results[way]):.0f} |")
    low, mid, high = spread(ratios)
    lines += [
        "",
        "| figure | value | target |",
        "|---|---|---|",
        f"| import / (read + copy), per repetition | {low:.2f} / {mid:.2f} / {high:.2f} | ≤ 2 ({'met' if high <= 2 else 'not met'}) |",
        f"| import peak memory | {import_peak:.0f} MB | < 300 MB ({'met' if import_peak < 300 else 'not met'}) |",
    ]
    runs = [run["steps"] for run in results["import"] if run.get("steps")]
    if runs:
        lines += [
            "",
            "Where the import's time goes (seconds, median of the repetitions; the rest is Django's setup and the reference reads):",
            "",
            "| step | seconds | share of the import |",
            "|---|---|---|",
        ]
        whole = spread(run["seconds"] for run in results["import"])[1]
        medians = {
            label: spread(run.get(label, 0.0) - run.get(WITHIN.get(label), 0.0) for run in runs)[1] for label, *_where in STEPS
        }
        for label, mid in medians.items():
            lines.append(f"| {label} | {mid:.2f} | {100 * mid / whole:.0f} % |")
        # The writes the payment table's schema asks for, whatever reads the file.
        schema = medians[COPY] + medians[SET_ASIDE] + medians[STEPS[-1][0]]
        floor = spread(r["seconds"] + c["seconds"] for r, c in zip(results["read"], results["copy"]))[1]
        lines += [
            "",
            f"Writing the rows into treasury_payment with its indexes and keys, and committing them, takes {schema:.2f} s "
            f"({schema / floor:.1f} × the floor's median, {floor:.2f} s); everything else the import does takes "
            f"{whole - schema:.2f} s ({(whole - schema) / floor:.1f} × the floor).",
        ]
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--out", default="/tmp/payments-bench")
    parser.add_argument("--child", nargs=2, metavar=("WAY", "FILE"))
    options = parser.parse_args()
    if options.child:
        return child(*options.child)
    setup_django()
    load_before = "%.2f %.2f %.2f" % os.getloadavg()
    places = prepare()
    folder = Path(options.out)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"payments-{options.rows}.csv"
    if not path.exists():
        write_csv(path, options.rows, places)
    results = {way: [] for way in WAYS}
    for repetition in range(options.repeat):
        for way in WAYS:
            run = run_child(way, path)
            assert run["rows"] == options.rows, run
            results[way].append(run)
            print(f"{repetition + 1}/{options.repeat} {way}: {run['seconds']:.2f} s, {run['peak_mb']:.0f} MB", flush=True)
    section = report(options.rows, options.repeat, results, machine()["database"], load_before)
    print(section)
    print(f"wrote {write_section('payments', section)}")


if __name__ == "__main__":
    main()
