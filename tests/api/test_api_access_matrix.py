"""Every API endpoint × every token scope × every method: the status the access matrix says, no leak, no 500.

The endpoints and their expectations are tests/access/matrix.py's API rows (written for the site's session); a
token of each role and scope must get exactly what a signed-in user of that role gets, with two differences only:
a revoked token is refused like no token at all (401), and a body sent as JSON ({}) is read, so what the session's
form-encoded POST gets as 415 is here the validation's 400. Read-only scopes run without rollback, and the
domain's tables must be the same afterwards; the others run each cell in a savepoint that is rolled back.
"""

import logging

from django.db import transaction

from core.models import Role
from tests.access.matrix import API_ROWS, ROLES
from tests.api.conftest import make_token, token_client
from tests.badinput.dump import changed_models, domain_dump

METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")
# Token scope -> the session role whose column it must match (None: refused as anonymous).
SCOPES = {
    "anonymous": "anonymous",
    "revoked": "anonymous",
    "officer_urumqi": "officer_urumqi",
    "officer_kashgar": "officer_kashgar",
    "hr_reviewer": "hr_reviewer",
    "auditor": "auditor",
    "region_admin": "region_admin",
}
READ_ONLY = ("anonymous", "revoked", "hr_reviewer", "auditor")
OFFICERS = {"officer_urumqi": "乌鲁木齐市", "officer_kashgar": "喀什地区"}


class _RolledBack(Exception):
    pass


def expected(row, scope, method):
    codes = row.expect["PUT" if method == "PATCH" else method]
    code = codes[ROLES.index(SCOPES[scope])]
    return 400 if code == 415 else code


def clients(region_admin):
    made = {"anonymous": token_client("")}
    made["anonymous"].credentials()
    revoked, key = make_token(region_admin, Role.REGION_ADMIN, name="revoked")
    revoked.revoked = True
    revoked.save()
    made["revoked"] = token_client(key)
    for scope, role, prefecture in (
        ("officer_urumqi", Role.FINANCE_OFFICER, "乌鲁木齐市"),
        ("officer_kashgar", Role.FINANCE_OFFICER, "喀什地区"),
        ("hr_reviewer", Role.HR_REVIEWER, None),
        ("auditor", Role.AUDITOR, None),
        ("region_admin", Role.REGION_ADMIN, None),
    ):
        made[scope] = token_client(make_token(region_admin, role, prefecture, name=scope)[1])
    return made


def send(client, method, url, roll_back):
    body = {} if method in ("POST", "PUT", "PATCH") else None
    try:
        with transaction.atomic():
            answer = getattr(client, method.lower())(url, body, format="json") if body is not None else getattr(client, method.lower())(url)
            result = answer.status_code, answer.content.decode("utf-8", "replace"), answer.get("Content-Type", "")
            if roll_back:
                raise _RolledBack
    except _RolledBack:
        pass
    return result


def test_it_answers_every_token_scope_as_the_matrix_says(access_world, region_admin, settings):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"token": "100000/minute"}}
    made = clients(region_admin)
    problems, cells = [], 0
    before = domain_dump()
    request_log = logging.getLogger("django.request")
    level = request_log.level
    request_log.setLevel(logging.CRITICAL)
    try:
        for row in API_ROWS:
            url = row.url(access_world)
            for scope, client in made.items():
                for method in METHODS:
                    cells += 1
                    status, text, kind = send(client, method, url, roll_back=scope not in READ_ONLY)
                    want = expected(row, scope, method)
                    if status != want:
                        problems.append(f"{method} {url}（{row.label}）{scope}: 应为 {want}，实际 {status} {text[:200]}")
                    if status >= 500:
                        problems.append(f"{method} {url} {scope}: HTTP {status}")
                    if status >= 400 and "json" not in kind:
                        problems.append(f"{method} {url} {scope}: 错误不是 JSON（{kind}）")
                    own = OFFICERS.get(scope)
                    for prefecture, markers in access_world.markers.items():
                        if own and prefecture != own:
                            leaked = [marker for marker in markers if marker in text]
                            if leaked:
                                problems.append(f"{method} {url} {scope} 看到{prefecture}的数据: {'、'.join(leaked)}")
    finally:
        request_log.setLevel(level)
    changed = changed_models(before, domain_dump())
    if changed:
        problems.append(f"只读令牌的请求改动了数据: {'、'.join(changed)}")
    print(f"API 访问矩阵：{len(API_ROWS)} 个地址 × {len(made)} 种令牌 × {len(METHODS)} 种方法 = {cells} 格")
    assert not problems, "\n".join(problems[:100])
