"""Browser journeys: the app served on a free port from its own migrated demo database, driven by Playwright
in Debian's headless Chromium. Each journey fails on a browser console error or a failed request, and saves
screenshots to artifacts/ for CI."""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from alembic import command
from werkzeug.serving import make_server

from config.settings import ROOT, TestConfig
from forum import create_app
from forum.extensions import db
from tests.conftest import alembic_config

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
ARTIFACTS = ROOT / "artifacts"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def live_app(tmp_path_factory):
    root = tmp_path_factory.mktemp("e2e")
    os.environ["FORUM_INSTANCE_PATH"] = str(root / "instance")
    os.environ["DATABASE_URL"] = f"sqlite:///{root / 'e2e.sqlite'}"
    settings = TestConfig()
    settings.RATELIMIT_ENABLED = False
    settings.MAIL_DISPATCH_AFTER_COMMIT = False
    app = create_app(settings)
    with app.app_context():
        with db.engine.begin() as conn:
            command.upgrade(alembic_config(conn), "head")
        from forum.demo import loader

        loader.load_demo()
        db.session.remove()
    return app


@pytest.fixture(scope="session")
def base_url(live_app) -> Iterator[str]:
    server = make_server("127.0.0.1", 0, live_app, threaded=True)
    url = f"http://127.0.0.1:{server.server_port}"
    live_app.config["BASE_URL"] = url
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield url
    server.shutdown()


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM}: install Debian's chromium package (.ci/run does)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


class Journey:
    """A browser page that records console errors and failed requests, and numbers its screenshots."""

    def __init__(self, page, name: str, base_url: str) -> None:
        self.page = page
        self.name = name
        self.base_url = base_url
        self.problems: list[str] = []
        self.expected_statuses: set[int] = set()
        self.shots = 0
        page.on("console", self._console)
        page.on("pageerror", lambda error: self.problems.append(f"page error: {error}"))
        page.on("requestfailed", self._request_failed)
        page.on("response", self._response)

    def _console(self, message) -> None:
        expected = any(f"status of {code}" in message.text for code in self.expected_statuses)
        if message.type == "error" and not expected:
            self.problems.append(f"console error: {message.text}")

    def _request_failed(self, request) -> None:
        # a request cut short because the journey navigated on (the favicon, say) is not a failure
        if request.failure != "net::ERR_ABORTED":
            self.problems.append(f"request failed: {request.url} ({request.failure})")

    def expect_status(self, code: int) -> None:
        """The journey goes to a page that answers `code` on purpose (an used link, say): not a browser error."""
        self.expected_statuses.add(code)

    def _response(self, response) -> None:
        if response.status >= 500:
            self.problems.append(f"{response.status} from {response.url}")

    def open(self, path: str) -> None:
        self.page.goto(self.base_url + path)

    def shot(self, label: str) -> None:
        self.shots += 1
        ARTIFACTS.mkdir(exist_ok=True)
        self.page.screenshot(path=str(ARTIFACTS / f"{self.name}-{self.shots:02d}-{label}.png"), full_page=True)

    def sign_in(self, email: str, password: str = "demo-password") -> None:
        self.open("/sign-in")
        self.page.get_by_label("E-mail").fill(email)
        self.page.get_by_label("Password").fill(password)
        self.page.get_by_role("button", name="Sign in").click()
        self.page.wait_for_load_state()

    def sign_out(self) -> None:
        self.page.locator("nav .navbar-nav").last.locator(".dropdown-toggle").click()  # the user's menu
        self.page.get_by_role("button", name="Sign out").click()
        self.page.wait_for_load_state()


@pytest.fixture
def journey(browser, base_url, request):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    trip = Journey(page, request.node.name.removeprefix("test_"), base_url)
    yield trip
    context.close()
    assert trip.problems == [], "the browser saw errors"
