"""Put bench/results/*.md together into bench/RESULTS.md, under the machine and the date."""

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.common import RESULTS_DIR, machine, now_utc  # noqa: E402

# The order the issue lists them in; a section not named here comes after them.
ORDER = ["national", "import", "payments", "queries", "dashboard", "flow", "api", "rush"]


def main():
    sections = sorted(RESULTS_DIR.glob("*.md"), key=lambda p: (ORDER.index(p.stem) if p.stem in ORDER else len(ORDER), p.stem))
    out = ["# Benchmark results", "", f"Collected by `bench/collect.py` on {now_utc()}; each section says when it was measured.", ""]
    # The load and the database belong to each measurement: every section gives its own.
    out += [f"- {key}: {value}" for key, value in machine().items() if key not in ("load", "database")]
    for path in sections:
        out += ["", path.read_text(encoding="utf-8").rstrip()]
    target = ROOT / "bench" / "RESULTS.md"
    target.write_text("\n".join(out) + "\n", encoding="utf-8")
    print(f"wrote {target} from {len(sections)} sections")


if __name__ == "__main__":
    main()
