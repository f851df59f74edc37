"""Import against its floor: writes its section to bench/results/import.md.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/importbench \\
        .venv/bin/python bench/bench_import.py --lines 100000 --repeat 5

The same generated 附件1 file (bench/make_workbook.py) is processed four ways:
  a    read bare with openpyxl in read-only mode (every cell of every row)
  a2   (a′) read bare with python-calamine, a Rust reader
  b    imported with import_allocations (the command's code) into PostgreSQL
  c    the same rows as a flat CSV through a plain django-import-export
       ModelResource with default settings, into PostgreSQL
and, for information, stage 1 of our import alone (file -> SheetRows):
  parse-calamine  allocations.workbook.reader.read_workbook (calamine first)
  parse-openpyxl  allocations.workbook.reader.read_with_openpyxl (not run unless asked)

Way c costs milliseconds a line, so it imports a prefix of the same rows
(--c-lines, 10,000 by default; --c-lines 0 means all): c / b is then a ratio
of time per line, and the section says so.

Every run of every way is a fresh subprocess, so each has its own peak memory
(the child's ru_maxrss, setup included) and none inherits another's warm
caches. Ways are interleaved within a repetition (a, a2, …, b, c, a, …), so a
ratio is taken between runs made moments apart, per repetition, then
min / median / max. Before each run of b or c the database is put back in the
same state: allocation documents, lines, subtotals and their history
truncated (identities restarted), the generated regions kept, then a
CHECKPOINT so no run pays for the previous one's dirty pages. On PostgreSQL
the children run with DEBUG=0, as production does.
"""

import argparse
import json
import os
import resource
import secrets
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.common import machine, now_utc, spread, write_section  # noqa: E402
from bench.import_ways import DATABASE_WAYS, NEEDS_DJANGO, RUNNERS, prepare, setup_django  # noqa: E402
from bench.make_workbook import write_all  # noqa: E402

WAYS = {
    "a": "openpyxl read-only, bare read",
    "a2": "python-calamine, bare read (a′)",
    "parse-calamine": "stage 1 of our import: reader.read_workbook",
    "parse-openpyxl": "stage 1 with openpyxl: reader.read_with_openpyxl",
    "b": "import_allocations into PostgreSQL",
    "c": "flat CSV, plain django-import-export ModelResource, default settings",
}
DEFAULT_WAYS = ("a", "a2", "parse-calamine", "b", "c")
# (numerator, denominator, target, test): compared per line, so c's prefix is fair.
RATIOS = [
    ("b", "a", "≤ 1", lambda r: r <= 1),
    ("c", "b", "≥ 50", lambda r: r >= 50),
    ("b", "a2", "reported: the ratio to the floor", None),
    ("a2", "a", "reported", None),
]
MEMORY_TARGET_MB = {"b": 300}


# ---- in the child process ------------------------------------------------------------------


def _backend_pid():
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        return cursor.fetchone()[0]


def _process_cpu(pid):
    """CPU seconds of a local process (the PostgreSQL backend), or None when it cannot be read."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _max_rss_mb():
    # Linux reports ru_maxrss in KiB.
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def child(way, files):
    if way == "prepare":
        setup_django()
        print(json.dumps({"counties": prepare(files)}))
        return
    if way in NEEDS_DJANGO:
        setup_django()
        import import_export.resources  # noqa: F401
        import tablib  # noqa: F401

        from allocations import importing  # noqa: F401
        from allocations.management.commands import import_allocations  # noqa: F401
        from allocations.workbook import reader  # noqa: F401
    # Imports are not what is measured: load the code before the clock starts.
    import openpyxl  # noqa: F401
    import openpyxl.reader.excel  # noqa: F401
    import python_calamine  # noqa: F401

    setup, run, count = RUNNERS[way]
    if setup:
        setup(files)
    # CPU seconds besides wall time: ours, plus the database backend's when it
    # runs on this machine. Other work on a shared machine stretches the wall
    # time, not these.
    backend = _backend_pid() if way in DATABASE_WAYS else None
    backend_cpu = _process_cpu(backend) if backend else None
    before = _max_rss_mb()
    cpu = time.process_time()
    started = time.perf_counter()
    rows = run(files)
    seconds = time.perf_counter() - started
    cpu = time.process_time() - cpu
    peak = _max_rss_mb()
    if backend_cpu is not None:
        after = _process_cpu(backend)
        backend_cpu = after - backend_cpu if after is not None else None
    if count:
        rows = count()
    print(
        json.dumps(
            {
                "way": way,
                "seconds": seconds,
                "cpu": cpu,
                "backend_cpu": backend_cpu,
                "rows": rows,
                "rss_before_mb": before,
                "peak_rss_mb": peak,
            }
        )
    )


# ---- the runner --------------------------------------------------------------------------


def _on_postgresql():
    return os.environ.get("DATABASE_URL", "").startswith("postgres")


def _child_env(lines):
    env = dict(os.environ)
    # A 100k-line table is over the upload limit on purpose; the benchmark lifts it.
    env["ALLOCATION_IMPORT_MAX_ROWS"] = str(max(lines * 2, 10_000))
    if _on_postgresql():
        env.update(DEBUG="0", SECRET_KEY=secrets.token_urlsafe(48), ALLOWED_HOSTS="localhost")
    return env


def run_child(way, files, lines):
    command = [sys.executable, str(Path(__file__).resolve()), "--child", way]
    command += [f"--file-{kind.replace('_', '-')}={path}" for kind, path in files.items()]
    done = subprocess.run(command, env=_child_env(lines), capture_output=True, text=True, cwd=ROOT)
    if done.returncode != 0:
        last = (done.stderr.strip().splitlines() or ["?"])[-1]
        return {"way": way, "error": last}
    return json.loads(done.stdout.strip().splitlines()[-1])


def _prefix_csv(source, count):
    """The first `count` rows of the flat CSV (header kept): the same rows as the workbook's first lines."""
    target = Path(source).with_name(Path(source).stem + f"_first{count}.csv")
    with open(source, encoding="utf-8", newline="") as handle, open(target, "w", encoding="utf-8", newline="") as out:
        for index, line in enumerate(handle):
            if index > count:
                break
            out.write(line)
    return str(target)


def _total_cpu(result):
    backend = result.get("backend_cpu")
    return result["cpu"] + (backend or 0)


def _cpu_text(good):
    median = spread(_total_cpu(r) for r in good)[1]
    backends = [r["backend_cpu"] for r in good if r.get("backend_cpu") is not None]
    if not backends:
        return f"{median:.2f}"
    return f"{median:.2f} ({spread(r['cpu'] for r in good)[1]:.2f} + {spread(backends)[1]:.2f})"


def _fmt(triple, pattern="{:.3f}"):
    return " / ".join(pattern.format(v) for v in triple) if triple else "–"


def section(options, ways, runs, lines_of, info, command):
    out = [
        "## Import against its floor",
        "",
        f"Measured {now_utc()} by `{command}`: the same generated official-layout 附件1 workbook "
        f"of {options.lines:,} lines, {options.repeat} repetition{'s' if options.repeat != 1 else ''}, each run a fresh "
        f"process, the ways interleaved. Database: {info['database']}"
        f"{' (children ran with DEBUG=0, as production does)' if _on_postgresql() else ''}. "
        f"Load before the run: {info['load']}; after: {info['load after']}.",
    ]
    if "c" in ways and lines_of["c"] != options.lines:
        out += [
            "",
            f"Way (c) imports the first {lines_of['c']:,} of the same rows (`--c-lines`), at milliseconds a line; "
            "c / b compares time **per line**.",
        ]
    if options.note:
        out += ["", f"> {options.note}"]
    out += [
        "",
        "| way | what | lines | seconds min / median / max | µs per line (median) | CPU s, median (ours + database) | peak RSS MB (max) | target |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for way in ways:
        good = [r for r in runs[way] if "error" not in r]
        if not good:
            failed = [r["error"] for r in runs[way]]
            out.append(f"| {way} | {WAYS[way]} | – | – | – | – | – | {failed[0] if failed else 'not run'} |")
            continue
        seconds = spread(r["seconds"] for r in good)
        peak = max(r["peak_rss_mb"] for r in good)
        target = MEMORY_TARGET_MB.get(way)
        target_text = f"peak < {target} MB: {'met' if peak < target else 'NOT met'}" if target else ""
        out.append(
            f"| {way} | {WAYS[way]} | {lines_of[way]:,} | {_fmt(seconds)} | {seconds[1] / lines_of[way] * 1e6:.1f} | "
            f"{_cpu_text(good)} | {peak:.0f} | {target_text} |"
        )
    out += ["", "| ratio (per line, per repetition) | min / median / max | target | met |", "|---|---|---|---|"]
    for top, bottom, target, test in RATIOS:
        if top not in ways or bottom not in ways:
            continue
        ratios = [
            (x["seconds"] / lines_of[top]) / (y["seconds"] / lines_of[bottom])
            for x, y in zip(runs[top], runs[bottom])
            if "error" not in x and "error" not in y
        ]
        triple = spread(ratios)
        if test is None or triple is None:
            met = "–"
        else:
            met = "yes, every run" if all(test(r) for r in ratios) else ("by the median" if test(triple[1]) else "**NO**")
        name = {"a2": "a′"}.get
        out.append(f"| {name(top, top)} / {name(bottom, bottom)} | {_fmt(triple, '{:.2f}')} | {target} | {met} |")
        if (top, bottom) == ("b", "a"):
            by_cpu = spread(
                _total_cpu(x) / _total_cpu(y) for x, y in zip(runs[top], runs[bottom]) if "error" not in x and "error" not in y
            )
            out.append(f"| b / a by CPU seconds (ours + database's) | {_fmt(by_cpu, '{:.2f}')} | reported: what load does not stretch | – |")
    out += ["", "- " + "\n- ".join(f"{key}: {value}" for key, value in info.items())]
    return "\n".join(out)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lines", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--c-lines", type=int, default=10_000, help="lines way c imports (a prefix of the same rows); 0: all")
    parser.add_argument("--ways", default=",".join(DEFAULT_WAYS), help="comma-separated, from: " + ", ".join(WAYS))
    parser.add_argument("--data", default="/tmp/allocation-bench", help="where the generated files go")
    parser.add_argument("--note", default="", help="a line quoted in the section")
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
    if DATABASE_WAYS & set(ways) and not _on_postgresql():
        parser.error("ways b and c import into PostgreSQL: set DATABASE_URL=postgres://…")
    command = "bench/bench_import.py " + " ".join(argv if argv is not None else sys.argv[1:])
    info = machine()
    started = time.perf_counter()
    files = {k: str(v) for k, v in write_all(options.lines, options.data).items()}
    info["generated"] = f"{options.lines:,} lines in {time.perf_counter() - started:.1f} s: {files['official']}"
    c_lines = options.c_lines if 0 < options.c_lines < options.lines else options.lines
    lines_of = {way: options.lines for way in ways}
    lines_of["c"] = c_lines
    files_c = dict(files, flat_csv=_prefix_csv(files["flat_csv"], c_lines)) if c_lines < options.lines else files
    if DATABASE_WAYS & set(ways):
        prepared = run_child("prepare", files, options.lines)
        if "error" in prepared:
            raise SystemExit(f"database setup failed: {prepared['error']}")
        print(f"database: {prepared['counties']:,} counties loaded", flush=True)
    runs = {way: [] for way in ways}
    for repetition in range(1, options.repeat + 1):
        for way in ways:
            result = run_child(way, files_c if way == "c" else files, options.lines)
            if "error" not in result and way in DATABASE_WAYS and result["rows"] != lines_of[way]:
                result = {"way": way, "error": f"wrote {result['rows']} lines, expected {lines_of[way]}"}
            runs[way].append(result)
            shown = result.get("error") or f"{result['seconds']:.3f} s, peak {result['peak_rss_mb']:.0f} MB"
            print(f"[{repetition}/{options.repeat}] {way}: {shown}", flush=True)
    info["load after"] = "%.2f %.2f %.2f" % os.getloadavg()
    path = write_section("import", section(options, ways, runs, lines_of, info, command))
    print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
