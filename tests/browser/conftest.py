"""Browser tests: Debian's Chromium, headless, driven by Playwright against a live server.

No browser is downloaded: Playwright launches /usr/bin/chromium (installed by
scripts/ensure_chromium). Every page a test opens is watched: a request for
anything outside the live server is blocked and fails the test ("no page
loads anything from outside the server"), and so do console errors (a CSP
violation among them), uncaught script errors and any 5xx response. Each
step is saved as a screenshot under test-artifacts/browser/<test>/.
"""

import os
import re
import shutil
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.conf import settings

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
ARTIFACTS = Path(settings.BASE_DIR) / "test-artifacts" / "browser"
PASSWORD = "Browser-test-only-7"


@pytest.fixture(scope="package")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: run scripts/ensure_chromium (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; Django refuses
    # database access from a thread with a running loop unless told otherwise.
    # Package scope, so the flag is gone again before the other tests run (the
    # deploy check refuses it).
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            launched = playwright.chromium.launch(executable_path=CHROMIUM, headless=True)
            yield launched
            launched.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


class Visit:
    """One test's tab: navigation, log-in through the real form, and a screenshot per step."""

    def __init__(self, page, base_url, folder):
        self.page = page
        self.base_url = base_url
        self.folder = folder
        self.steps = 0
        # Addresses a test opens to see the server's error page: their 4xx/5xx is the point, not a failure.
        self.expected_errors = set()

    def url(self, path):
        return self.base_url + path

    def goto(self, path):
        response = self.page.goto(self.url(path))
        assert response is not None and response.ok, f"{path}: {response and response.status}"
        return response

    def shot(self, step):
        self.steps += 1
        self.folder.mkdir(parents=True, exist_ok=True)
        self.page.screenshot(path=str(self.folder / f"{self.steps:02d}-{step}.png"), full_page=True)

    def log_in(self, user, password=PASSWORD):
        self.goto("/accounts/login/")
        self.page.fill("#id_username", user.username)
        self.page.fill("#id_password", password)
        self.shot("login")
        with self.page.expect_navigation():
            self.page.click("form[action$='/accounts/login/'] button[type=submit]")
        assert "/accounts/login/" not in self.page.url, "the log-in form was refused"

    def text(self, selector="main"):
        return self.page.locator(selector).first.inner_text()


@pytest.fixture
def visit(browser, live_server, request):
    base = live_server.url
    server = urlsplit(base).netloc
    folder = ARTIFACTS / re.sub(r"[^\w.-]+", "_", request.node.name)
    shutil.rmtree(folder, ignore_errors=True)
    external, console_errors, server_errors = [], [], []

    context = browser.new_context(locale="zh-CN", viewport={"width": 1400, "height": 900})

    def guard(route):
        url = route.request.url
        if urlsplit(url).netloc == server:
            route.continue_()
        else:
            external.append(url)
            route.abort()

    context.route("**/*", guard)
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.on("pageerror", lambda error: console_errors.append(f"uncaught: {error}"))
    visit = Visit(page, base, folder)
    page.on(
        "console",
        lambda message: message.type == "error"
        and message.location.get("url") not in visit.expected_errors
        and console_errors.append(f"{message.text} ({message.location.get('url')})"),
    )
    page.on(
        "response",
        lambda response: response.status >= 500
        and response.url not in visit.expected_errors
        and server_errors.append(f"{response.status} {response.url}"),
    )

    yield visit

    context.close()
    assert external == [], f"requests outside the server: {external}"
    assert console_errors == [], f"console errors: {console_errors}"
    assert server_errors == [], f"server errors: {server_errors}"


@pytest.fixture
def with_password():
    """with_password(user) -> the user, with a real password the log-in form accepts."""

    def set_password(user):
        user.set_password(PASSWORD)
        user.save(update_fields=["password"])
        return user

    return set_password
