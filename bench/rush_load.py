"""The month-end rush load tool: standard library only (threads + http.client).

Each virtual officer makes exactly one flow of REQUESTS_PER_OFFICER requests,
as a browser would after following the reminder's link to the current report:

  login_page   GET  /accounts/login/?next=/feedback/current/   (CSRF cookie + token)
  login        POST /accounts/login/                             -> 302 to next
  current      GET  /feedback/current/                           -> 302 to the month's report
  report_page  GET  /feedback/reports/<pk>/                      (the form, parsed)
  submit       POST the same page, figures + action=submit       -> 302 back to it
  confirm      GET  the report again: its status must read 已提交

So the number of requests is known before the run. Every request opens its
own connection, as the HTTPS proxy in front of gunicorn does towards it
(nginx speaks HTTP/1.0 upstream by default); requests carry
X-Forwarded-Proto: https, the header that proxy sets and the production
settings trust (SECURE_PROXY_SSL_HEADER), so SSL redirect, secure cookies and
the HTTPS CSRF checks stay as in production. A flow stops at its first
unexpected answer; what it did not make is counted as not made.
"""

import http.client
import http.cookies
import math
import threading
import time
from datetime import date, timedelta
from decimal import ROUND_DOWN, Decimal
from html.parser import HTMLParser
from urllib.parse import urlencode, urlsplit

KINDS = ("login_page", "login", "current", "report_page", "submit", "confirm")
REQUESTS_PER_OFFICER = len(KINDS)
START_PATH = "/feedback/current/"
# Every LAGGING_EVERY-th officer is behind the time schedule and must explain
# why, which exercises the lagging-line rules on submission.
LAGGING_EVERY = 5


class PageParser(HTMLParser):
    """The forms of a page (inputs, textareas, selects), the report's lines and status."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms = []
        self.lines = {}  # line id -> amount text, from a line card's data-line and data-amount
        self.status = None
        self.errors = []
        self._textarea = None
        self._select = None
        self._in_error = False
        self._error_list = False
        self._unsaved = False

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        classes = (a.get("class") or "").split()
        if tag == "form":
            self.forms.append({"action": a.get("action", ""), "id": a.get("id", ""), "attrs": a, "fields": []})
        elif a.get("data-line"):
            self.lines[a["data-line"]] = a.get("data-amount", "")
        elif tag == "span" and "status" in classes:
            self.status = next((c.removeprefix("status-") for c in classes if c.startswith("status-")), None)
        elif tag == "section" and a.get("id") == "unsaved":
            # The 未保存 banner: its list holds the refusal's problems.
            self._unsaved = True
        elif tag == "ul" and ("error-list" in classes or self._unsaved):
            self._error_list = True
        elif tag == "li" and self._error_list:
            self._in_error = True
            self.errors.append("")
        elif self.forms and tag == "input" and a.get("name"):
            self.forms[-1]["fields"].append(
                {"tag": "input", "type": (a.get("type") or "text").lower(), "name": a["name"],
                 "value": a.get("value") or "", "checked": "checked" in a}
            )
        elif self.forms and tag == "textarea" and a.get("name"):
            self._textarea = {"tag": "textarea", "type": "textarea", "name": a["name"], "value": "", "checked": False}
            self.forms[-1]["fields"].append(self._textarea)
        elif self.forms and tag == "select" and a.get("name"):
            self._select = {"tag": "select", "type": "select", "name": a["name"], "value": None, "options": [], "checked": False}
            self.forms[-1]["fields"].append(self._select)
        elif tag == "option" and self._select is not None:
            self._select["options"].append(a.get("value", ""))
            if "selected" in a or self._select["value"] is None:
                self._select["value"] = a.get("value", "")

    def handle_endtag(self, tag):
        if tag == "textarea":
            self._textarea = None
        elif tag == "select":
            self._select = None
        elif tag == "li":
            self._in_error = False
        elif tag == "ul":
            self._error_list = False
        elif tag == "section":
            self._unsaved = False

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea["value"] += data
        if self._in_error and self.errors:
            self.errors[-1] += data.strip()

    def form(self, action_part=None, form_id=None):
        for form in self.forms:
            if (form_id and form["id"] == form_id) or (action_part and action_part in form["action"]):
                return form
        return None


def form_values(form):
    """What a browser would send for the form as it stands, before typing: no buttons, checked boxes only."""
    values = []
    for field in form["fields"]:
        if field["type"] in ("submit", "button", "image", "reset", "file"):
            continue
        if field["type"] in ("checkbox", "radio") and not field["checked"]:
            continue
        values.append((field["name"], field["value"] if field["value"] is not None else ""))
    return values


def choices(form, name):
    return [f["value"] for f in form["fields"] if f["name"] == name and f["type"] in ("checkbox", "radio")]


class FlowError(Exception):
    pass


class Browser:
    """One officer's cookies; each request on its own connection, timed and recorded."""

    def __init__(self, host, port, record, deadline, request_timeout):
        self.host, self.port, self.record = host, port, record
        self.deadline, self.request_timeout = deadline, request_timeout
        self.cookies = {}
        self.origin = f"https://{host}:{port}"

    def _headers(self, referer=None):
        headers = {"X-Forwarded-Proto": "https", "User-Agent": "rush-bench/1", "Accept": "text/html", "Connection": "close"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if referer:
            headers["Origin"] = self.origin
            headers["Referer"] = self.origin + referer
        return headers

    def request(self, kind, method, path, fields=None, referer=None):
        remaining = self.deadline - time.monotonic()
        if remaining <= 0:
            raise FlowError("global timeout before the request")
        headers = self._headers(referer)
        body = None
        if fields is not None:
            body = urlencode(fields).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        started = time.perf_counter()
        status, error = None, None
        try:
            connection = http.client.HTTPConnection(self.host, self.port, timeout=min(self.request_timeout, remaining))
            try:
                connection.request(method, path, body=body, headers=headers)
                response = connection.getresponse()
                content = response.read()
                status = response.status
            finally:
                connection.close()
        except (OSError, http.client.HTTPException) as failure:
            error = f"{type(failure).__name__}: {failure}"
        elapsed = time.perf_counter() - started
        self.record(kind, status, elapsed, error)
        if error:
            raise FlowError(f"{kind}: {error}")
        for header in response.headers.get_all("Set-Cookie") or []:
            cookie = http.cookies.SimpleCookie()
            cookie.load(header)
            for name, morsel in cookie.items():
                self.cookies[name] = morsel.value
        return status, response.headers, content.decode("utf-8", "replace")


def _expect(kind, status, wanted, headers=None):
    if status != wanted:
        raise FlowError(f"{kind}: HTTP {status}, expected {wanted}" + (f" -> {headers.get('Location')}" if headers else ""))


def _location(headers):
    return urlsplit(headers.get("Location", "")).path or "/"


def fill_report(form, lines, lagging, today):
    """The figures an officer types: every line spent in full, or half with the lagging explanations."""
    values = [(k, v) for k, v in form_values(form) if not k.startswith(("spent_", "uses_", "reason_", "measure_"))]
    total = Decimal("0")
    for line_id, amount_text in lines.items():
        amount = Decimal(amount_text)
        spent = (amount / 2 if lagging else amount).quantize(Decimal("0.01"), rounding=ROUND_DOWN)
        total += spent
        values.append((f"spent_{line_id}", str(spent)))
        options = choices(form, f"uses_{line_id}")
        if not options:
            raise FlowError(f"report_page: no 资金支出方向 choices for line {line_id}")
        values += [(f"uses_{line_id}", value) for value in options[: 1 + int(line_id) % 2]]
        if lagging:
            values.append((f"reason_{line_id}", "项目进度受季节影响，资金拨付滞后"))
            values.append((f"measure_{line_id}", "加快审核拨付，按周调度支出进度"))
            values.append((f"measure_deadline_{line_id}", f"{today + timedelta(days=40):%Y-%m-%d}"))
        else:
            values.append((f"reason_{line_id}", ""))
            values.append((f"measure_{line_id}", ""))
            values.append((f"measure_deadline_{line_id}", ""))
    values.append(("action", "submit"))
    return values, total


def officer_flow(index, username, password, browser, today):
    """One officer's six requests. Returns the total 实际支出金额 submitted; raises FlowError."""
    status, headers, text = browser.request("login_page", "GET", f"/accounts/login/?next={START_PATH}")
    _expect("login_page", status, 200)
    login = PageParser()
    login.feed(text)
    form = login.form(action_part="/accounts/login/")
    if form is None:
        raise FlowError("login_page: no login form")
    fields = [(k, v) for k, v in form_values(form) if k not in ("username", "password")]
    fields += [("username", username), ("password", password)]
    status, headers, _ = browser.request("login", "POST", "/accounts/login/", fields, referer=f"/accounts/login/?next={START_PATH}")
    _expect("login", status, 302, headers)
    if _location(headers) != START_PATH:
        raise FlowError(f"login: redirected to {headers.get('Location')}, not {START_PATH}")

    status, headers, _ = browser.request("current", "GET", START_PATH)
    _expect("current", status, 302, headers)
    report_path = _location(headers)

    status, headers, text = browser.request("report_page", "GET", report_path)
    _expect("report_page", status, 200)
    page = PageParser()
    page.feed(text)
    form = page.form(form_id="feedback-form")
    if form is None or not page.lines:
        raise FlowError(f"report_page: no editable form with lines (status {page.status})")
    values, total = fill_report(form, page.lines, index % LAGGING_EVERY == 0, today)

    status, headers, text = browser.request("submit", "POST", report_path, values, referer=report_path)
    if status == 200:
        refused = PageParser()
        refused.feed(text)
        raise FlowError("submit refused: " + ("; ".join(refused.errors[:2]) or "no message"))
    _expect("submit", status, 302, headers)

    status, headers, text = browser.request("confirm", "GET", _location(headers))
    _expect("confirm", status, 200)
    confirm = PageParser()
    confirm.feed(text)
    if confirm.status != "submitted":
        raise FlowError(f"confirm: report status {confirm.status}, not submitted")
    return total


def percentile(values, share):
    """Nearest-rank percentile (share 0.5 = median), or None for no values."""
    if not values:
        return None
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


def run(host, port, officers, password, global_timeout, request_timeout):
    """officers: [(username, prefecture name)]. All start together; returns the run's figures."""
    lock = threading.Lock()
    records = []
    outcomes = {}
    deadline = time.monotonic() + global_timeout
    barrier = threading.Barrier(len(officers) + 1)
    today = date.today()

    def record(kind, status, elapsed, error):
        with lock:
            records.append((kind, status, elapsed, error))

    def worker(index, username):
        browser = Browser(host, port, record, deadline, request_timeout)
        barrier.wait()
        try:
            outcome = ("ok", officer_flow(index, username, password, browser, today))
        except FlowError as failure:
            outcome = ("failed", str(failure))
        except Exception as failure:  # noqa: BLE001 — a bug in a flow is that officer's failure, reported
            outcome = ("failed", f"{type(failure).__name__}: {failure}")
        with lock:
            outcomes[username] = outcome

    threads = [threading.Thread(target=worker, args=(i, u), daemon=True) for i, (u, _p) in enumerate(officers, start=1)]
    for thread in threads:
        thread.start()
    barrier.wait()
    started = time.perf_counter()
    for thread in threads:
        thread.join(max(0.0, deadline - time.monotonic()))
    wall = time.perf_counter() - started
    with lock:
        # Officers still running at the global timeout are abandoned (daemon threads) and counted unfinished.
        return summarise(list(records), dict(outcomes), len(officers), wall)


def summarise(records, outcomes, officers, wall):
    by_kind = {kind: [r[2] for r in records if r[0] == kind] for kind in KINDS}
    statuses = {}
    for _kind, status, _elapsed, error in records:
        key = str(status) if status is not None else "no answer"
        statuses[key] = statuses.get(key, 0) + 1
    failures = [detail for state, detail in outcomes.values() if state == "failed"]
    succeeded = [detail for state, detail in outcomes.values() if state == "ok"]
    return {
        "officers": officers,
        "wall": wall,
        "planned": officers * REQUESTS_PER_OFFICER,
        "made": len(records),
        "statuses": statuses,
        "server_errors": sum(n for s, n in statuses.items() if s.startswith("5")),
        "connection_errors": statuses.get("no answer", 0),
        "submitted": len(succeeded),
        "spent_total": sum(succeeded, Decimal("0")),
        "failed": len(failures),
        "unfinished": officers - len(outcomes),
        "failures": sorted(set(failures))[:5],
        "latency": {kind: (percentile(v, 0.5), percentile(v, 0.95), max(v) if v else None) for kind, v in by_kind.items()},
        "overall": (percentile([r[2] for r in records], 0.5), percentile([r[2] for r in records], 0.95)),
        "made_logins": len(by_kind["login"]),
        "rps": len(records) / wall if wall else 0.0,
        "sps": len(succeeded) / wall if wall else 0.0,
    }
