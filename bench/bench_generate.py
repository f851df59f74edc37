"""The national data set: generate it into an empty database and say what it took.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_national \\
        .venv/bin/python bench/bench_generate.py --provinces 31 --years 5 --seed 1

Runs migrate, load_reference_data and generate_national_data in child
processes (so the peak memory is the generator's own), then counts the rows.
"""

import argparse
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.common import now_utc, write_section  # noqa: E402

TARGETS = {"allocation lines": 500_000, "feedback lines": 1_000_000, "payments": 3_000_000}


def manage(*args):
    command = [sys.executable, str(ROOT / "manage.py"), *args]
    started = time.perf_counter()
    subprocess.run(command, cwd=ROOT, check=True)
    return time.perf_counter() - started


def counts():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from allocations.models import AllocationDocument, AllocationLine, County, Prefecture, Province
    from feedback.models import FeedbackLine, FeedbackReport
    from targets.models import Target, TargetTable
    from treasury.models import Payment, PaymentSummary

    return {
        "provinces": Province.objects.count(),
        "prefectures": Prefecture.objects.count(),
        "counties": County.objects.count(),
        "allocation documents": AllocationDocument.objects.count(),
        "allocation lines": AllocationLine.objects.count(),
        "feedback reports": FeedbackReport.objects.count(),
        "feedback lines": FeedbackLine.objects.count(),
        "target tables": TargetTable.objects.count(),
        "targets": Target.objects.count(),
        "payments": Payment.objects.count(),
        "payment summary rows": PaymentSummary.objects.count(),
        "prefectures without a target table": Prefecture.objects.filter(target_tables__isnull=True).count(),
    }


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--provinces", type=int, default=31)
    parser.add_argument("--years", type=int, default=5)
    parser.add_argument("--seed", type=int, default=1)
    options = parser.parse_args(argv)
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        raise SystemExit("bench/bench_generate.py: set DATABASE_URL to an empty PostgreSQL database")

    manage("migrate", "-v0")
    manage("load_reference_data", "-v0")
    arguments = ["--provinces", str(options.provinces), "--years", str(options.years), "--seed", str(options.seed)]
    seconds = manage("generate_national_data", *arguments)
    peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    found = counts()

    command = "generate_national_data " + " ".join(arguments)
    out = [
        "## National data",
        "",
        f"Measured {now_utc()}: `python manage.py {command}` into a migrated database holding the notice's data, "
        f"one run: {seconds:.1f} s wall, peak RSS of the largest child process {peak_mb:.0f} MB.",
        "",
        "| rows | count | target |",
        "|---|---|---|",
    ]
    for name, value in found.items():
        target = TARGETS.get(name)
        if name == "prefectures without a target table":
            target_text = "0 (" + ("met" if value == 0 else "NOT met") + ")"
        elif target:
            target_text = f"≥ {target:,} (" + ("met" if value >= target else "NOT met") + ")"
        else:
            target_text = ""
        out.append(f"| {name} | {value:,} | {target_text} |")
    print(f"wrote {write_section('national', chr(10).join(out))}")


if __name__ == "__main__":
    main()
