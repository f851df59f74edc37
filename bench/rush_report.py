"""The month-end rush's section of bench/RESULTS.md: figures as min / median / max of the runs, targets beside them."""

import shlex
import statistics
import sys

from bench.common import spread, spread_text
from bench.rush_load import KINDS, LAGGING_EVERY, REQUESTS_PER_OFFICER

KIND_LABELS = {
    "login_page": "GET login page",
    "login": "POST login (PBKDF2, 1,000,000 iterations)",
    "current": "GET /feedback/current/ (opens the report, 302)",
    "report_page": "GET the report form",
    "submit": "POST figures + submit (302)",
    "confirm": "GET the report after submitting",
}


def config_label(config):
    kind, workers, threads = config
    return f"sync, {workers} workers" if kind == "sync" else f"gthread, {workers} workers × {threads} threads"


def _ms(values):
    values = [v for v in values if v is not None]
    return spread_text([v * 1000 for v in values], "{:.0f}") if values else "–"


def _command(args):
    line = " ".join(shlex.quote(a) for a in sys.argv[1:])
    return f"DATABASE_URL=postgres://postgres@127.0.0.1:5432/rushbench .venv/bin/python bench/rush.py {line}".strip()


def _comparison(compared, officers):
    if not compared:
        return []

    out = [
        "",
        "### Choosing the gunicorn configuration",
        "",
        "Each configuration measured on the same data just before the main runs, the configurations taking turns, each run on a freshly started server (min / median / max over its runs):",
        "",
        f"| configuration | runs | stored, of {officers} | 5xx | requests/s | wall (s) | gunicorn CPU (s) "
        "| gunicorn CPU share of the wall time | requests per gunicorn CPU-second | p95 all requests (ms) | p95 report form (ms) "
        "| database connections, at most |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for config, runs in compared:
        out.append(
            f"| {config_label(config)} | {len(runs)} | {spread_text([r['stored'] for r in runs], '{:.0f}')} "
            f"| {spread_text([r['server_errors'] for r in runs], '{:.0f}')} "
            f"| {spread_text([r['rps'] for r in runs], '{:.1f}')} | {spread_text([r['wall'] for r in runs], '{:.1f}')} "
            f"| {spread_text([r['server_cpu'] for r in runs], '{:.1f}')} "
            f"| {spread_text([r['server_cpu'] / r['wall'] for r in runs], '{:.2f}')} "
            f"| {spread_text([r['made'] / r['server_cpu'] for r in runs if r['server_cpu']], '{:.1f}')} "
            f"| {_ms([r['overall'][1] for r in runs])} | {_ms([r['latency']['report_page'][1] for r in runs])} "
            f"| {config[1] * config[2]} |"
        )
    return out


def section(args, officers, results, command, compared, started_at, machine_info, hash_cpu):

    n = len(officers)
    stored = [r["stored"] for r in results]
    server_errors = [r["server_errors"] for r in results]
    spent_match = all(r["stored_spent"] == r["spent_total"] for r in results)
    all_stored = min(stored) == n
    no_5xx = max(server_errors) == 0
    gunicorn = " ".join(shlex.quote(part) for part in command[1:])
    out = [
        "## Month-end rush",
        "",
        f"Measured {started_at} with `{_command(args)}` ({len(results)} runs; machine load average "
        f"{spread_text([r['load_before'] for r in results], '{:.2f}')} before the runs; {machine_info['cpu']}, "
        f"{machine_info['database']}).",
        "",
        f"- **Server**: `gunicorn {gunicorn}` ({config_label(args.gunicorn)}), `DEBUG=0` with a random 86-character "
        "`SECRET_KEY`, `ALLOWED_HOSTS=127.0.0.1`, PostgreSQL on loopback, `CONN_MAX_AGE` at its default (0), whitenoise "
        "manifest from `collectstatic`. No production default is changed: every request carries "
        "`X-Forwarded-Proto: https`, which the HTTPS proxy in front of gunicorn sets and the settings trust "
        "(`SECURE_PROXY_SSL_HEADER`), so the SSL redirect, secure cookies and HTTPS CSRF origin checks stay on.",
        f"- **Data**: {n} finance officers, each bound to its own prefecture (the notice's 14 plus "
        f"{max(0, n - 14)} synthetic ones funded by an issued regional allocation document that reconciles), each "
        "with this month's report (per `core.clock.today()`) pre-opened with at least one line, reset to "
        "an empty draft before every run.",
        f"- **Load**: `bench/rush_load.py`, standard library only; {n} threads start together, each officer makes "
        f"one flow of {REQUESTS_PER_OFFICER} requests ({', '.join(KINDS)}), {n * REQUESTS_PER_OFFICER} requests "
        f"per run, a new connection for each (as the proxy does upstream); global timeout {args.timeout:.0f} s, "
        f"request timeout {args.request_timeout:.0f} s. Every line is spent in full, except every "
        f"{LAGGING_EVERY}th officer who spends half and gives the lagging reason, measure and deadline. The load "
        "tool runs on the same 2 cores as gunicorn and PostgreSQL (its CPU time is in the table).",
        "",
        "| figure | target | min | median | max | met |",
        "|---|---|---|---|---|---|",
    ]
    # (label, target, values per run, format, met): met is None for figures only reported.
    rows = [
        (f"submissions stored (SUBMITTED in the database), of {n}", f"{n}/{n}", stored, "{:.0f}", all_stored),
        ("5xx responses", "0", server_errors, "{:.0f}", no_5xx),
        ("officers whose flow failed at any step", "0", [r["failed"] + r["unfinished"] for r in results], "{:.0f}", None),
        (f"requests made, of {n * REQUESTS_PER_OFFICER} planned", "all", [r["made"] for r in results], "{:.0f}", None),
        ("connection errors and timeouts", "0", [r["connection_errors"] for r in results], "{:.0f}", None),
        ("failed logins recorded by django-axes", "0", [r["failed_logins"] for r in results], "{:.0f}", None),
        ("throughput, requests/s", "reported", [r["rps"] for r in results], "{:.1f}", None),
        ("throughput, submissions/s", "reported", [r["sps"] for r in results], "{:.2f}", None),
        ("wall time of a run, s", "reported", [r["wall"] for r in results], "{:.1f}", None),
        ("p50 all requests, ms", "reported", [r["overall"][0] * 1000 for r in results], "{:.0f}", None),
        ("p95 all requests, ms", "reported", [r["overall"][1] * 1000 for r in results], "{:.0f}", None),
        ("gunicorn CPU per run, s", "reported", [r["server_cpu"] for r in results], "{:.1f}", None),
        ("of which password hashing (logins × one PBKDF2 check), s", "reported",
         [r["made_logins"] * hash_cpu for r in results], "{:.1f}", None),
        ("load tool CPU per run, s", "reported", [r["client_cpu"] for r in results], "{:.1f}", None),
    ]
    for label, target, values, fmt, met in rows:
        triple = spread(values)
        if met is None and target == "0":
            met = triple[2] == 0
        elif met is None and target == "all":
            met = triple[0] == n * REQUESTS_PER_OFFICER
        verdict = "" if met is None else ("yes" if met else "**no**")
        out.append(f"| {label} | {target} | " + " | ".join(fmt.format(v) for v in triple) + f" | {verdict} |")
    out.append(f"| stored 实际支出金额 equals what was submitted | yes | | | | {'yes' if spent_match else '**no**'} |")
    out += [
        "",
        "Latency by request kind (ms; p50 and p95 within a run, then min / median / max of that over the runs):",
        "",
        "| request | p50 | p95 | slowest |",
        "|---|---|---|---|",
    ]
    for kind in KINDS:
        out.append(
            f"| {KIND_LABELS[kind]} | {_ms([r['latency'][kind][0] for r in results])} "
            f"| {_ms([r['latency'][kind][1] for r in results])} | {_ms([r['latency'][kind][2] for r in results])} |"
        )
    out += _where_the_time_goes(results, hash_cpu, n)
    out += _comparison(compared, n)
    out += _choice(args, compared)
    failures = sorted({f for r in results for f in r["failures"]})
    if failures:
        out += ["", "Failures seen (first few):", ""] + [f"- {f}" for f in failures]
    problems = {key: max(r[key] for r in results) for key in ("tracebacks", "worker_timeouts")}
    out += ["", f"gunicorn log: {problems['tracebacks']} tracebacks, {problems['worker_timeouts']} worker timeouts."]
    return "\n".join(out)


def _where_the_time_goes(results, hash_cpu, n):
    hashing = statistics.median(r["made_logins"] * hash_cpu for r in results)
    server = statistics.median(r["server_cpu"] for r in results)
    others = statistics.median(r["made"] - r["made_logins"] for r in results)
    if not (server and others):
        return []
    return [
        "",
        f"Where the time goes: one login's password check (PBKDF2-SHA256, Django's 1,000,000 iterations, kept: it is "
        f"the protection of a stolen password table) costs {hash_cpu * 1000:.0f} ms of CPU here, so the {n} logins "
        f"alone need {hashing:.0f} CPU-seconds, {hashing / server:.0%} of the {server:.0f} s gunicorn spent per run "
        f"(median): at least {hashing / 2:.0f} s of a run on 2 otherwise idle cores. All officers press 登录 at the "
        "same moment, so each officer's next request (`/feedback/current/`) queues behind the logins still waiting; "
        "that queue, not the report pages, is what the p50/p95 of the requests after login show. The other "
        f"{others:.0f} requests of a run share the remaining {server - hashing:.0f} CPU-seconds, about "
        f"{(server - hashing) / others * 1000:.0f} ms each on average.",
    ]


def _choice(args, compared):

    if not compared:
        return []
    median = {config: statistics.median(r["rps"] for r in runs) for config, runs in compared}
    efficiency = {config: statistics.median(r["made"] / r["server_cpu"] for r in runs if r["server_cpu"]) for config, runs in compared}
    form_p95 = {config: statistics.median(r["latency"]["report_page"][1] for r in runs) for config, runs in compared}
    fastest = max(median, key=median.get)
    leanest = max(efficiency, key=efficiency.get)
    quickest = min(form_p95, key=form_p95.get)
    gap = max(efficiency.values()) / min(efficiency.values()) - 1
    chosen = args.gunicorn
    why = ""
    if chosen in median:
        why = (
            f" In the comparison it did {efficiency[chosen]:.1f} requests per gunicorn CPU-second (the best: "
            f"{efficiency[leanest]:.1f}), {median[chosen]:.1f} requests/s (the best: {median[fastest]:.1f}) and a "
            f"median p95 of {form_p95[chosen] * 1000:.0f} ms for the report form (the best: {form_p95[quickest] * 1000:.0f} ms)."
        )
    return [
        "",
        f"Highest median throughput: {config_label(fastest)}; most requests per gunicorn CPU-second: "
        f"{config_label(leanest)}, {gap:.0%} more than the least; lowest p95 for the report form: "
        f"{config_label(quickest)}. The main runs above use {config_label(chosen)}, at most "
        f"{chosen[1] * chosen[2]} database connections at once.{why}",
        "",
        "How to read this: on a shared machine a configuration with more runnable threads also takes a larger share "
        "of the cores from its neighbours (the CPU-share column), so the wall-clock throughput favours it beyond its "
        "own merit; the CPU-seconds per request do not. On 2 cores of its own every configuration is bound by the "
        "same CPU work, mostly the password hash (which runs outside the GIL, so two gthread processes can use both "
        "cores), and the choice comes down to latency and cost: a sync worker serves one request at a time in "
        "arrival order, while a thread pool shares the cores among all the requests it holds, so each page takes "
        "longer while logins are hashing; and each busy worker or thread holds one PostgreSQL connection "
        "(`CONN_MAX_AGE` 0), so workers × threads must stay well under `max_connections` (100 here, shared).",
    ]
