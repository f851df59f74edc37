"""A 100,000-payment batch POST to the API against import_payments of the same rows (issue 17.5).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_api .venv/bin/python bench/bench_api.py --rows 100000 --repeat 3

The rows are bench_payments.py's (the notice's prefectures and counties, every row valid). Two ways, interleaved
within each repetition, the treasury tables emptied before each so every run writes all N rows as new:
  import  import_payments over the CSV file (the treasury's file, as `import_payments FILE` reads it)
  post    POST /api/v1/payments/ with a region admin's token and the same rows as JSON, through Django's whole
          request stack in this process (authentication, the JSON parser, the batch's shape check, the rows
          rewritten as an in-memory CSV, then the same import_payments); the body is serialised beforehand,
          as the client's work is not the server's
The ratio post ÷ import (medians) is the price of the JSON door over the file door. Writes its section to
bench/results/api.md and appends it to bench/RESULTS.md when that has no API section yet.
"""

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.common import machine, now_utc, spread, write_section  # noqa: E402

HEADING = "## API payment batch against the file import"
KEYS = (
    "voucher", "paid_on", "prefecture", "county", "budget_unit", "document_number", "function_code",
    "economic_code", "direct_mark", "amount", "payee",
)


def ensure_database():
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        return
    import psycopg2

    base, name = url.rsplit("/", 1)
    connection = psycopg2.connect(f"{base}/postgres")
    connection.autocommit = True  # CREATE DATABASE runs outside a transaction
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
            if cursor.fetchone() is None:
                cursor.execute(f'CREATE DATABASE "{name}"')
    finally:
        connection.close()


def token_key():
    from api.keys import issue
    from api.models import ApiToken
    from core.models import Role, User

    admin, _created = User.objects.get_or_create(username="bench-api-admin")
    ApiToken.objects.filter(name="bench-api").delete()
    token = ApiToken(name="bench-api", role=Role.REGION_ADMIN, created_by=admin)
    key = issue(token)
    token.save()
    return key


def as_body(path):
    import csv

    with open(path, encoding="utf-8", newline="") as handle:
        rows = csv.reader(handle)
        next(rows)
        return json.dumps({"payments": [dict(zip(KEYS, row)) for row in rows]}, ensure_ascii=False).encode("utf-8")


def run_import(path):
    from treasury.importing import import_payments

    with open(path, "rb") as handle:
        outcome = import_payments(handle, Path(path).name)
    return outcome.new, getattr(outcome, "fast", False)


def run_post(client, body, key):
    answer = client.post(
        "/api/v1/payments/", data=body, content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {key}"
    )
    assert answer.status_code == 201, answer.content[:500]
    return answer.json()["new"]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3)
    options = parser.parse_args()

    ensure_database()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.test import Client

    from bench.bench_payments import empty_treasury, prepare, write_csv

    settings.API_PAYMENT_BATCH_MAX_ROWS = max(settings.API_PAYMENT_BATCH_MAX_ROWS, options.rows)
    places = prepare()
    key = token_key()
    client = Client()
    times = {"import": [], "post": []}
    fast = set()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "payments.csv"
        write_csv(path, options.rows, places)
        body = as_body(path)
        for repetition in range(options.repeat):
            for way in ("import", "post"):
                empty_treasury()
                started = time.perf_counter()
                if way == "import":
                    new, took_fast = run_import(path)
                    fast.add(took_fast)
                else:
                    new = run_post(client, body, key)
                times[way].append(time.perf_counter() - started)
                assert new == options.rows, (way, new)
                print(f"{repetition + 1}/{options.repeat} {way}: {times[way][-1]:.2f} s", flush=True)
    empty_treasury()

    imported, posted = spread(times["import"]), spread(times["post"])
    ratio = posted[1] / imported[1]
    info = machine()
    section = "\n".join([
        HEADING,
        "",
        f"{options.rows:,} payments under the notice, {options.repeat} runs of each way, interleaved "
        f"(`bench/bench_api.py`, {now_utc()}; {info['database']}; load {info['load']}; body {len(body) / 1e6:.1f} MB of JSON).",
        "",
        "| way | seconds (min / median / max) |",
        "|---|---|",
        f"| `import_payments` of the CSV file{' (PostgreSQL fast path)' if fast == {True} else ''} | "
        f"{imported[0]:.2f} / {imported[1]:.2f} / {imported[2]:.2f} |",
        f"| `POST /api/v1/payments/` of the same rows as JSON | {posted[0]:.2f} / {posted[1]:.2f} / {posted[2]:.2f} |",
        "",
        f"Ratio POST ÷ file import (medians): **{ratio:.2f}**. The POST runs the same `import_payments` on the rows "
        "rewritten as an in-memory CSV; the difference is the JSON parse, the batch's shape check and the rewrite.",
        "",
    ])
    write_section("api", section)
    results = ROOT / "bench" / "RESULTS.md"
    text = results.read_text(encoding="utf-8") if results.exists() else ""
    if HEADING not in text:
        results.write_text(text.rstrip("\n") + "\n\n" + section, encoding="utf-8")
    print(section)


if __name__ == "__main__":
    main()
