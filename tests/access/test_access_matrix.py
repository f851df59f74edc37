"""Every URL the app serves, for every role, with GET, POST, PUT and DELETE: the status tests/access/matrix.py says.

One walk collects every mismatch and reports them together. Each cell runs in a savepoint that is
rolled back, so no cell sees what an earlier one wrote; the auditor's column alone is not rolled
back, and the database must be the same after it as before.
"""

import html
import io
import logging
import re
import time
import zipfile
from urllib.parse import unquote

from django.conf import settings
from django.db import transaction
from django.test import Client
from django.urls import URLResolver, get_resolver, resolve

from tests.access.matrix import METHODS, OFFICERS, ROLES, all_rows
from tests.badinput.dump import changed_models, domain_dump

_CSRF = re.compile(r'<input type="hidden" name="csrfmiddlewaretoken"[^>]*>')
_XLSX_VALUE = re.compile(r"<(?:v|t)(?:\s[^>]*)?>([^<]*)</(?:v|t)>")
# At most this many mismatches are spelled out in the failure message.
SHOWN = 200


class _RolledBack(Exception):
    pass


def served_routes(resolver=None, prefix=""):
    """The route of every URL pattern, joined through the includes as ResolverMatch.route joins it."""
    resolver = resolver or get_resolver()
    routes = []
    for pattern in resolver.url_patterns:
        route = URLResolver._join_route(prefix, str(pattern.pattern))
        if isinstance(pattern, URLResolver):
            routes += served_routes(pattern, route)
        else:
            routes.append(route)
    return routes


def _coverage_problems(rows, world):
    problems = []
    covered = set()
    for row in rows:
        url = row.url(world)
        covered.add(resolve(url.split("?")[0]).route)
    served = served_routes()
    problems += [f"新的 URL 没有写进访问矩阵: /{route}" for route in served if route not in covered]
    problems += [f"访问矩阵中的 URL 不在路由表中: /{route}" for route in sorted(covered - set(served))]
    return problems


def _matrix_problems(rows):
    """The matrix itself must not allow what the issue forbids, whatever the app does."""
    problems = []
    for row in rows:
        for officer, prefecture in OFFICERS.items():
            column = ROLES.index(officer)
            for method, codes in row.expect.items():
                if row.owner and row.owner != prefecture and codes[column] not in (404, 405):
                    problems.append(f"矩阵错误：{row.label} {method} 属于{row.owner}，{officer} 应得 404")
        auditor = row.expect["POST"][ROLES.index("auditor")]
        if auditor not in (403, 404, 405) and not row.reads_on_post:
            problems.append(f"矩阵错误：{row.label} 审计员的 POST 应为 403/405，或写明为何只读（reads_on_post）")
    return problems


def test_it_has_a_row_for_every_url_the_app_serves(access_world):
    problems = []
    rows = all_rows(problems)

    problems += _coverage_problems(rows, access_world)

    assert not problems, "\n".join(problems)


def body_text(response):
    """What a person could read in the response: the page, the workbook's cells, the file name."""
    content = b"".join(response.streaming_content) if response.streaming else response.content
    if content[:2] == b"PK":
        with zipfile.ZipFile(io.BytesIO(content)) as book:
            parts = [book.read(name).decode() for name in book.namelist() if name.endswith(".xml")]
        # Cell values and strings only: column widths and margins are numbers too.
        text = " ".join(" ".join(_XLSX_VALUE.findall(part)) for part in parts)
    else:
        text = content.decode("utf-8", "replace")
    # The CSRF token is random letters and digits: a figure could turn up in it by chance.
    text = html.unescape(_CSRF.sub("", text))
    return text + unquote(response.get("Content-Disposition", ""))


class Walk:
    def __init__(self, world, users):
        self.world = world
        self.users = users
        self.mismatches = []
        self.leaks = []
        self.cross = {}  # status -> how many times an officer asked for the other prefecture's object
        self.seen_markers = {prefecture: set() for prefecture in world.markers}

    def sign_in(self, role):
        client = Client(raise_request_exception=False)
        if self.users[role] is not None:
            client.force_login(self.users[role])
        return client, client.cookies.get(settings.SESSION_COOKIE_NAME)

    def column(self, role, rows, roll_back=True):
        self.column_as(role, rows, *self.sign_in(role), roll_back)

    def column_as(self, role, rows, client, session, roll_back):
        for row in rows:
            url = row.url(self.world)
            for method in METHODS:
                # Signed in again for every cell, with no messages left over from the one before.
                client.cookies.clear()
                if session is not None:
                    client.cookies[settings.SESSION_COOKIE_NAME] = session.value
                status, text = self.send(client, method, url, roll_back or row.signs_out)
                self.check(role, row, method, url, status, text)

    def send(self, client, method, url, roll_back):
        try:
            with transaction.atomic():
                response = getattr(client, method.lower())(url)
                answer = response.status_code, body_text(response)
                if roll_back:
                    raise _RolledBack
        except _RolledBack:
            pass
        return answer

    def check(self, role, row, method, url, status, text):
        expected = row.expect[method][ROLES.index(role)]
        if status != expected:
            self.mismatches.append(f"{method} {url}（{row.label}）{role}: 应为 {expected}，实际 {status}")
        own = OFFICERS.get(role)
        if own is None:
            return
        if row.owner and row.owner != own:
            self.cross[status] = self.cross.get(status, 0) + 1
        self.seen_markers[own].update(marker for marker in self.world.markers[own] if marker in text)
        for prefecture, markers in self.world.markers.items():
            if prefecture == own:
                continue
            found = [marker for marker in markers if marker in text]
            if found:
                self.leaks.append(f"{method} {url}（{row.label}）{role} 看到{prefecture}的数据: {'、'.join(found)}")


def test_it_answers_every_cell_as_the_matrix_says(
    access_world, officer_urumqi, officer_kashgar, hr_reviewer, auditor, region_admin
):
    problems = []
    rows = all_rows(problems)
    problems += _matrix_problems(rows)
    users = {
        "anonymous": None,
        "officer_urumqi": officer_urumqi,
        "officer_kashgar": officer_kashgar,
        "hr_reviewer": hr_reviewer,
        "auditor": auditor,
        "region_admin": region_admin,
    }
    walk = Walk(access_world, users)
    started = time.monotonic()
    # Every 403 and 404 is logged as a warning: thousands of them say nothing here.
    request_log = logging.getLogger("django.request")
    level = request_log.level
    request_log.setLevel(logging.ERROR)
    try:
        for role in ROLES:
            if role == "auditor":
                # Signed in first: the login itself writes last_login.
                signed_in = walk.sign_in(role)
                before = domain_dump()
                walk.column_as(role, rows, *signed_in, roll_back=False)
                changed = changed_models(before, domain_dump())
                if changed:
                    problems.append(f"审计员的请求改动了数据: {'、'.join(changed)}")
            else:
                walk.column(role, rows)
    finally:
        request_log.setLevel(level)

    for prefecture, markers in access_world.markers.items():
        unseen = [marker for marker in markers if marker not in walk.seen_markers[prefecture]]
        if unseen:
            # A marker its own officer never sees proves nothing about the other officer not seeing it.
            problems.append(f"{prefecture}的标记在本地区业务员的页面上从未出现: {'、'.join(unseen)}")
    cross = "，".join(f"{status} {count} 次" for status, count in sorted(walk.cross.items()))
    print(
        f"访问矩阵：{len(rows)} 个 URL × {len(ROLES)} 个角色 × {len(METHODS)} 种方法 = {len(rows) * len(ROLES) * len(METHODS)} 格；"
        f"跨地区访问 {sum(walk.cross.values())} 次（{cross}）；用时 {time.monotonic() - started:.1f} 秒"
    )
    problems += walk.leaks + walk.mismatches
    shown = problems[:SHOWN] + ([f"……另有 {len(problems) - SHOWN} 条"] if len(problems) > SHOWN else [])
    assert not problems, "\n".join(shown)
