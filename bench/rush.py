"""Month-end rush: N officers at once open and submit their month's 附件3 report.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/rushbench \\
        .venv/bin/python bench/rush.py --officers 200 --repeat 3

Sets up the database (bench/rush_setup.py), collects the static files, starts
gunicorn on a free loopback port with production settings (DEBUG=0, a random
SECRET_KEY, ALLOWED_HOSTS=127.0.0.1, this PostgreSQL database), then runs the
load (bench/rush_load.py) --repeat times, resetting the reports to draft
before each run. `--compare sync:5,gthread:2x4` first runs each listed
gunicorn configuration --compare-repeat times, interleaved, to choose
--gunicorn by measurement. Writes bench/results/rush.md (bench/collect.py folds it into
bench/RESULTS.md).
"""

import argparse
import http.client
import os
import resource
import secrets
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench import rush_load  # noqa: E402
from bench.common import machine, now_utc, write_section  # noqa: E402
from bench.rush_report import config_label, section  # noqa: E402

HOST = "127.0.0.1"


def parse_config(text):
    """'sync:5' -> ('sync', 5, 1); 'gthread:2x8' -> ('gthread', 2, 8)."""
    kind, _, size = text.partition(":")
    workers, _, threads = size.partition("x")
    if kind not in ("sync", "gthread") or not workers.isdigit() or (threads and not threads.isdigit()):
        raise argparse.ArgumentTypeError(f"{text!r}: use sync:W or gthread:WxT")
    return kind, int(workers), int(threads or 1)


def server_env(database_url):
    env = dict(os.environ)
    env.update(
        DEBUG="0",
        SECRET_KEY=secrets.token_urlsafe(64),
        ALLOWED_HOSTS=HOST,
        DATABASE_URL=database_url,
        HOME=env.get("HOME") or tempfile.gettempdir(),
    )
    return env


def collectstatic(env):
    # Production serves static files through whitenoise's manifest storage: pages fail without the manifest.
    subprocess.run([sys.executable, "manage.py", "collectstatic", "--noinput", "-v", "0"], cwd=ROOT, env=env, check=True)


def free_port():
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


class Server:
    def __init__(self, config, env):
        self.config, self.env = config, env
        self.port = free_port()
        self.log = tempfile.NamedTemporaryFile(prefix="rush-gunicorn-", suffix=".log", delete=False)
        kind, workers, threads = config
        self.command = [
            str(Path(sys.executable).parent / "gunicorn"), "config.wsgi",
            "--bind", f"{HOST}:{self.port}", "--workers", str(workers), "--worker-class", kind,
        ] + (["--threads", str(threads)] if kind == "gthread" else [])

    def __enter__(self):
        self.process = subprocess.Popen(self.command, cwd=ROOT, env=self.env, stdout=self.log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise SystemExit(f"gunicorn exited with {self.process.returncode}; see {self.log.name}")
            if self.get("/accounts/login/") == 200:
                break
            time.sleep(0.3)
        else:
            raise SystemExit(f"gunicorn did not answer within 60 s; see {self.log.name}")
        # Warm-up: the URL conf, templates and translations load on each worker's first requests.
        for _ in range(10 * self.config[1]):
            self.get("/accounts/login/")
        return self

    def __exit__(self, *exc):
        self.process.terminate()
        try:
            self.process.wait(30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        # A clean server's log says nothing worth keeping; a troubled one's is named for reading.
        if exc[0] is None and not any(self.log_problems().values()):
            Path(self.log.name).unlink(missing_ok=True)
        else:
            print(f"gunicorn log kept: {self.log.name}", flush=True)

    def get(self, path):
        try:
            connection = http.client.HTTPConnection(HOST, self.port, timeout=10)
            connection.request("GET", path, headers={"X-Forwarded-Proto": "https"})
            status = connection.getresponse().status
            connection.close()
            return status
        except OSError:
            return None

    def cpu_seconds(self):
        """User + system CPU of the gunicorn master and its workers so far."""
        ticks = os.sysconf("SC_CLK_TCK")
        total, pending = 0, [self.process.pid]
        while pending:
            pid = pending.pop()
            try:
                fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
                total += int(fields[11]) + int(fields[12])
                for task in Path(f"/proc/{pid}/task").iterdir():
                    pending += [int(c) for c in (task / "children").read_text().split()]
            except (OSError, ValueError, IndexError):
                continue
        return total / ticks

    def log_problems(self):
        text = Path(self.log.name).read_text(errors="replace")
        return {
            "tracebacks": text.count("Traceback"),
            "worker_timeouts": text.count("WORKER TIMEOUT"),
        }


def password_hash_cpu():
    """CPU seconds of one login's password check (the least of 5, in CPU time so that a busy machine does not inflate it)."""
    from django.contrib.auth.hashers import check_password, make_password

    hashed = make_password("x")
    costs = []
    for _ in range(5):
        started = time.process_time()
        check_password("x", hashed)
        costs.append(time.process_time() - started)
    return min(costs)


def _seconds(value):
    return "–" if value is None else f"{value:.2f} s"


def one_run(server, officers, args):
    from bench import rush_setup

    names = [p for _u, p in officers]
    rush_setup.reset(names)
    load = os.getloadavg()[0]
    client_before = resource.getrusage(resource.RUSAGE_SELF)
    server_before = server.cpu_seconds()
    result = rush_load.run(HOST, server.port, officers, rush_setup.PASSWORD, args.timeout, args.request_timeout)
    client_after = resource.getrusage(resource.RUSAGE_SELF)
    result["server_cpu"] = server.cpu_seconds() - server_before
    result["client_cpu"] = (client_after.ru_utime + client_after.ru_stime) - (client_before.ru_utime + client_before.ru_stime)
    result["load_before"] = load
    result["stored"], result["stored_spent"], result["failed_logins"] = rush_setup.stored(names)
    result.update(server.log_problems())
    print(
        f"  {config_label(server.config)}: {result['made']}/{result['planned']} requests in {result['wall']:.1f} s, "
        f"{result['rps']:.1f} req/s, stored {result['stored']}/{len(officers)}, 5xx {result['server_errors']}, "
        f"p95 {_seconds(result['overall'][1])}, login p50 {_seconds(result['latency']['login'][0])}"
        + (f"; failures: {result['failures']}" if result["failures"] else ""),
        flush=True,
    )
    return result


def runs_for(config, officers, args, env, repeat):
    print(f"gunicorn {config_label(config)}: {repeat} run(s) of {len(officers)} officers, "
          f"{len(officers) * rush_load.REQUESTS_PER_OFFICER} requests each", flush=True)
    with Server(config, env) as server:
        return [one_run(server, officers, args) for _ in range(repeat)], server.command


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--officers", type=int, default=200)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--gunicorn", type=parse_config, default=parse_config("sync:5"), help="sync:W or gthread:WxT")
    parser.add_argument("--compare", default="", help="configurations to measure first, e.g. sync:5,gthread:2x8")
    parser.add_argument("--compare-repeat", type=int, default=1)
    parser.add_argument("--timeout", type=float, default=900, help="global timeout of one run, seconds")
    parser.add_argument("--request-timeout", type=float, default=300, help="one request's socket timeout, seconds")
    parser.add_argument("--no-write", action="store_true", help="print only; leave bench/results/rush.md alone")
    args = parser.parse_args()

    database_url = os.environ.get("DATABASE_URL", "")
    if not database_url.startswith("postgres"):
        raise SystemExit("DATABASE_URL must name the PostgreSQL bench database, e.g. postgres://postgres@127.0.0.1:5432/rushbench")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from bench import rush_setup

    started_at = now_utc()
    officers = rush_setup.setup(args.officers)
    env = server_env(database_url)
    collectstatic(env)
    # Interleaved (a, b, a, b), each run on a freshly started server: the machine is shared and
    # its load drifts, so configurations are compared between runs made moments apart.
    compared = [(parse_config(text), []) for text in filter(None, args.compare.split(","))]
    for _ in range(args.compare_repeat if compared else 0):
        for config, runs in compared:
            runs += runs_for(config, officers, args, env, 1)[0]
    results, command = runs_for(args.gunicorn, officers, args, env, args.repeat)

    markdown = section(args, officers, results, command, compared, started_at, machine(), password_hash_cpu())
    print(markdown)
    if not args.no_write:
        print(f"wrote {write_section('rush', markdown)}")


if __name__ == "__main__":
    main()
