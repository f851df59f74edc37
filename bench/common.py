"""What every benchmark shares: the machine description, min/median/max, and its section of RESULTS.md.

Each benchmark writes its own section to bench/results/<name>.md; bench/collect.py
puts the machine, the date and the sections together into bench/RESULTS.md, so
one benchmark can be rerun without losing the others' figures.
"""

import datetime
import os
import platform
import statistics
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS_DIR = ROOT / "bench" / "results"
PACKAGES = ("Django", "openpyxl", "python-calamine", "django-import-export", "django-tables2", "psycopg2-binary", "gunicorn")


def spread(values):
    """(min, median, max) of a list of numbers, or None when it is empty."""
    values = list(values)
    return (min(values), statistics.median(values), max(values)) if values else None


def spread_text(values, fmt="{:.3f}"):
    triple = spread(values)
    return " / ".join(fmt.format(v) for v in triple) if triple else "–"


def now_utc():
    return f"{datetime.datetime.now(datetime.timezone.utc):%Y-%m-%d %H:%M} UTC"


def database_version(url=None):
    url = url if url is not None else os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        return f"not PostgreSQL ({url or 'DATABASE_URL unset: SQLite'})"
    try:
        import psycopg2

        with psycopg2.connect(url) as connection, connection.cursor() as cursor:
            cursor.execute("SHOW server_version")
            return "PostgreSQL " + cursor.fetchone()[0]
    except Exception as error:  # noqa: BLE001 — reported in RESULTS.md, not raised
        return f"PostgreSQL unreachable: {error}".strip()


def machine():
    model, memory_gb = "?", 0.0
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
        memory = next(line for line in Path("/proc/meminfo").read_text().splitlines() if line.startswith("MemTotal"))
        memory_gb = int(memory.split()[1]) / 1024 / 1024
    except (OSError, StopIteration):
        pass
    versions = {}
    for name in PACKAGES:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = "not installed"
    return {
        "cpu": f"{model}, {os.cpu_count()} cores",
        "memory": f"{memory_gb:.1f} GB",
        "system": platform.platform(),
        "python": platform.python_version(),
        "load": "%.2f %.2f %.2f" % os.getloadavg(),
        "database": database_version(),
        "packages": ", ".join(f"{k} {v}" for k, v in versions.items()),
    }


def write_section(name, markdown):
    """Write one benchmark's section (markdown starting with a '## ' heading) to bench/results/<name>.md."""
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    path = RESULTS_DIR / f"{name}.md"
    path.write_text(markdown.rstrip() + "\n", encoding="utf-8")
    return path
