"""Import benchmarks against their floor; writes bench/RESULTS.md.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/allocation_bench \\
        .venv/bin/python bench/bench_import.py --lines 100000 --repeat 5

The same generated 附件1 file (bench/make_workbook.py) is processed four ways:
  a    read bare with openpyxl in read-only mode (every cell of every row)
  a2   (a′) read bare with python-calamine, a Rust reader
  b    imported with our import_allocations into the database            [stub: the lead finishes it]
  c    the same rows as a flat file through a plain django-import-export
       resource with default settings                                       [stub: the lead finishes it]
and, for information, stage 1 of our import alone (file -> SheetRows):
  parse-openpyxl  allocations.workbook.reader.read_workbook
  parse-calamine  allocations.workbook.calamine_reader.read_with_calamine

Every run of every way is a fresh subprocess, so each has its own peak memory
(the child's own ru_maxrss) and none inherits another's warm caches or heap.
The ways are interleaved within each repetition (a, a2, b, c, a, a2, …), so a
ratio is taken between runs made moments apart; ratios are reported per
repetition as min / median / max.
"""

import argparse
import datetime
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import time
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.make_workbook import DOCUMENT_NUMBER, write_all  # noqa: E402

WAYS = {
    "a": "openpyxl read-only, bare read",
    "a2": "python-calamine, bare read (a′)",
    "parse-openpyxl": "stage 1 with openpyxl: reader.read_workbook",
    "parse-calamine": "stage 1 with calamine: calamine_reader.read_with_calamine",
    "b": "import_allocations into the database",
    "c": "flat file, plain django-import-export resource, default settings",
}
# (numerator, denominator, target) — "≤ 1" means numerator no slower than denominator.
RATIOS = [
    ("b", "a", "≤ 1"),
    ("c", "b", "≥ 50"),
    ("b", "a2", "reported"),
    ("a2", "a", "reported"),
    ("parse-calamine", "parse-openpyxl", "reported"),
]
MEMORY_TARGETS = {"b": 300}


# ---- the ways, each run in its own child process -------------------------------------------


def _django():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()


def way_a(files):
    import openpyxl

    workbook = openpyxl.load_workbook(files["official"], read_only=True)
    rows = 0
    for sheet in workbook.worksheets:
        for _values in sheet.iter_rows(values_only=True):
            rows += 1
    workbook.close()
    return rows


def way_a2(files):
    import python_calamine

    workbook = python_calamine.CalamineWorkbook.from_path(str(files["official"]))
    rows = 0
    for name in workbook.sheet_names:
        for _values in workbook.get_sheet_by_name(name).iter_rows():
            rows += 1
    workbook.close()
    return rows


def way_parse_openpyxl(files):
    from allocations.workbook import reader

    return len(reader.read_workbook(files["official"]).rows)


def way_parse_calamine(files):
    from allocations.workbook import calamine_reader

    result = calamine_reader.read_with_calamine(files["official"])
    if result is None:
        raise RuntimeError("calamine declined the generated file")
    return len(result.rows)


def setup_b(files):
    """Untimed. TODO(lead): an empty migrated database holding the fund and every region
    of files["regions"] (prefectures, counties: bulk_create from the JSON, positions as
    in allocations.reference.load_regions), and no document numbered DOCUMENT_NUMBER."""
    raise NotImplementedError("way b: database setup not written yet")


def way_b(files):
    """Timed. TODO(lead): call_command("import_allocations", files["official"],
    "--document", DOCUMENT_NUMBER, "--date", "2023-06-20") and return the number of lines
    written (AllocationLine.objects.filter(document__number=DOCUMENT_NUMBER).count())."""
    raise NotImplementedError(f"way b: not written yet (document {DOCUMENT_NUMBER})")


def setup_c(files):
    """Untimed. TODO(lead): as setup_b, plus the AllocationDocument DOCUMENT_NUMBER as a
    draft with no lines, so the flat rows have a document to go into."""
    raise NotImplementedError("way c: database setup not written yet")


def way_c(files):
    """Timed. TODO(lead): a plain resources.ModelResource for AllocationLine with default
    settings (no bulk, no skip_diff) whose fields read files["flat_csv"]'s columns
    文号/地州市/县市区/拨付金额/备注; tablib.Dataset().load(csv text), then
    resource.import_data(dataset, dry_run=False, raise_errors=True); return the row count."""
    raise NotImplementedError("way c: not written yet")


RUNNERS = {
    "a": (None, way_a),
    "a2": (None, way_a2),
    "parse-openpyxl": (None, way_parse_openpyxl),
    "parse-calamine": (None, way_parse_calamine),
    "b": (setup_b, way_b),
    "c": (setup_c, way_c),
}
NEEDS_DJANGO = {"parse-openpyxl", "parse-calamine", "b", "c"}


def _max_rss_mb():
    # Linux reports ru_maxrss in KiB.
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def child(way, files):
    if way in NEEDS_DJANGO:
        _django()
        from allocations.workbook import calamine_reader, reader  # noqa: F401
    # Imports are not what is measured: load the readers before the clock starts.
    import openpyxl  # noqa: F401
    import openpyxl.reader.excel  # noqa: F401
    import python_calamine  # noqa: F401

    setup, run = RUNNERS[way]
    if setup:
        setup(files)
    before = _max_rss_mb()
    started = time.perf_counter()
    rows = run(files)
    seconds = time.perf_counter() - started
    print(json.dumps({"way": way, "seconds": seconds, "rows": rows, "rss_before_mb": before, "peak_rss_mb": _max_rss_mb()}))


# ---- the runner --------------------------------------------------------------------------


def run_once(way, files, lines):
    env = dict(os.environ)
    # A 100k-line table is over the upload limit on purpose; the benchmark lifts it.
    env["ALLOCATION_IMPORT_MAX_ROWS"] = str(max(lines * 2, 10_000))
    command = [sys.executable, str(Path(__file__).resolve()), "--child", way]
    command += [f"--file-{kind.replace('_', '-')}={path}" for kind, path in files.items()]
    done = subprocess.run(command, env=env, capture_output=True, text=True, cwd=ROOT)
    if done.returncode != 0:
        last = (done.stderr.strip().splitlines() or ["?"])[-1]
        return {"way": way, "error": last}
    return json.loads(done.stdout.strip().splitlines()[-1])


def _spread(values):
    return (min(values), statistics.median(values), max(values)) if values else None


def machine():
    model = "?"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
        memory = next(line for line in Path("/proc/meminfo").read_text().splitlines() if line.startswith("MemTotal"))
        memory_gb = int(memory.split()[1]) / 1024 / 1024
    except (OSError, StopIteration):
        memory_gb = 0
    versions = {}
    for name in ("Django", "openpyxl", "python-calamine", "django-import-export", "psycopg2-binary"):
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
        "database": _database_version(),
        "packages": ", ".join(f"{k} {v}" for k, v in versions.items()),
    }


def _database_version():
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        return f"not PostgreSQL ({url or 'DATABASE_URL unset: SQLite'}): ways b and c need it"
    try:
        import psycopg2

        with psycopg2.connect(url) as connection, connection.cursor() as cursor:
            cursor.execute("SHOW server_version")
            return "PostgreSQL " + cursor.fetchone()[0]
    except Exception as error:  # noqa: BLE001 — reported in RESULTS.md, not raised
        return f"PostgreSQL unreachable: {error}".strip()


def _seconds(value):
    return f"{value:.3f}"


def write_results(path, lines, repeat, runs, info, note=""):
    out = [
        "# Import benchmarks",
        "",
        f"Written by `bench/bench_import.py --lines {lines} --repeat {repeat}` on "
        f"{datetime.datetime.now(datetime.timezone.utc):%Y-%m-%d %H:%M} UTC.",
        "",
    ]
    if note:
        out += [f"> {note}", ""]
    out += [f"- {key}: {value}" for key, value in info.items()]
    out += [
        "",
        f"## Times for {lines:,} lines (seconds, min / median / max of {repeat} runs, each in a fresh process)",
        "",
        "| way | what | min | median | max | median µs per line | peak RSS MB (max) | RSS before MB |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for way, what in WAYS.items():
        good = [r for r in runs.get(way, []) if "error" not in r]
        failed = [r["error"] for r in runs.get(way, []) if "error" in r]
        if not good:
            reason = failed[0] if failed else "not run"
            out.append(f"| {way} | {what} | – | – | – | – | – | {reason} |")
            continue
        low, mid, high = _spread([r["seconds"] for r in good])
        peak = max(r["peak_rss_mb"] for r in good)
        before = max(r["rss_before_mb"] for r in good)
        target = MEMORY_TARGETS.get(way)
        peak_text = f"{peak:.0f}" + (f" (target < {target}: {'met' if peak < target else 'NOT met'})" if target else "")
        out.append(
            f"| {way} | {what} | {_seconds(low)} | {_seconds(mid)} | {_seconds(high)} | "
            f"{mid / lines * 1e6:.1f} | {peak_text} | {before:.0f} |"
        )
    out += ["", "## Ratios (per repetition, between runs made moments apart)", "", "| ratio | target | min | median | max |", "|---|---|---|---|---|"]
    for top, bottom, target in RATIOS:
        pairs = [
            (a["seconds"], b["seconds"])
            for a, b in zip(runs.get(top, []), runs.get(bottom, []))
            if "error" not in a and "error" not in b
        ]
        if not pairs:
            out.append(f"| {top} / {bottom} | {target} | – | – | – |")
            continue
        low, mid, high = _spread([x / y for x, y in pairs])
        out.append(f"| {top} / {bottom} | {target} | {low:.2f} | {mid:.2f} | {high:.2f} |")
    Path(path).write_text("\n".join(out) + "\n", encoding="utf-8")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lines", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--ways", default=",".join(WAYS), help="comma-separated, from: " + ", ".join(WAYS))
    parser.add_argument("--data", default="/tmp/allocation-bench", help="where the generated files go")
    parser.add_argument("--results", default=str(ROOT / "bench" / "RESULTS.md"))
    parser.add_argument("--note", default="", help="a line quoted at the top of RESULTS.md")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    for kind in ("official", "flat-csv", "flat-xlsx", "regions"):
        parser.add_argument(f"--file-{kind}", help=argparse.SUPPRESS)
    options = parser.parse_args(argv)

    if options.child:
        files = {k: getattr(options, f"file_{k}") for k in ("official", "flat_csv", "flat_xlsx", "regions")}
        child(options.child, files)
        return 0

    ways = [way.strip() for way in options.ways.split(",") if way.strip()]
    unknown = set(ways) - set(WAYS)
    if unknown:
        parser.error(f"unknown ways: {', '.join(sorted(unknown))}")
    info = machine()
    started = time.perf_counter()
    files = {k: str(v) for k, v in write_all(options.lines, options.data).items()}
    info["generated"] = f"{options.lines:,} lines in {time.perf_counter() - started:.1f} s: {files['official']}"
    runs = {way: [] for way in ways}
    for repetition in range(1, options.repeat + 1):
        for way in ways:
            result = run_once(way, files, options.lines)
            runs[way].append(result)
            shown = f"{result['seconds']:.3f} s, peak {result['peak_rss_mb']:.0f} MB" if "error" not in result else result["error"]
            print(f"[{repetition}/{options.repeat}] {way}: {shown}", flush=True)
    write_results(options.results, options.lines, options.repeat, runs, info, options.note)
    print(f"wrote {options.results}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
