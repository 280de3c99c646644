"""Browser tests: Playwright drives Debian's Chromium against the app on a free port."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from typing import Any

import pytest
from flask import Flask
from playwright.sync_api import Page, expect
from werkzeug.serving import make_server

from ..conftest import PASSWORD

CHROMIUM = "/usr/bin/chromium"
# Without these flags Chromium tries to reach Google's services, which this network refuses.
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    """Point pytest-playwright at Debian's Chromium (Playwright's download is unavailable)."""
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [*browser_type_launch_args.get("args", []), *CHROMIUM_FLAGS],
    }


@pytest.fixture(scope="session")
def live_server(app: Flask) -> Iterator[str]:
    """Serve the session's app on a free loopback port; yield its base URL."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=5)


@pytest.fixture
def csrf_enabled(app: Flask) -> Iterator[None]:
    """Browsers send real forms: keep CSRF on, as in production."""
    app.config["WTF_CSRF_ENABLED"] = True
    yield
    app.config["WTF_CSRF_ENABLED"] = False


def log_in(
    page: Page, base_url: str, email: str, password: str = PASSWORD, *, next_path: str = ""
) -> None:
    """Log in through the real form (then land on `next_path`, when given) and wait until
    the page shows the account menu."""
    page.goto(f"{base_url}/login" + (f"?next={next_path}" if next_path else ""))
    page.fill("#email", email)
    page.fill("#password", password)
    page.click("[data-test=login-form] button[type=submit]")
    # Attached, not visible: on a phone the account menu sits behind the folded menu.
    expect(page.locator("[data-test=nav-account]")).to_be_attached()


def pytest_configure(config: pytest.Config) -> None:
    """Register the every-page sweep's marker (run it alone with `-m every_page`)."""
    config.addinivalue_line(
        "markers", "every_page: the every-page sweep (tests/browser/test_every_page.py)"
    )
