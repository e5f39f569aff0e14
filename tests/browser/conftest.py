"""Browser tests: Playwright driving Debian's Chromium against a live test server.

No browser is ever downloaded. When Chromium is missing the tests are skipped with a
reason that pytest prints in its summary (make test runs with -ra).
"""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from openhours.accounts.tests.factories import PASSWORD

# Playwright's sync API runs an event loop in this thread; the Django ORM calls made by
# the tests themselves (factories, assertions) are still synchronous and safe here.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
]
SCREENSHOTS = Path(__file__).resolve().parents[2] / "artifacts" / "screenshots"

DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 360, "height": 780}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    if Path(CHROMIUM).exists():
        return
    skip = pytest.mark.skip(
        reason=f"browser tests skipped: Chromium not found at {CHROMIUM} "
        "(install it with: apt-get install -y chromium)"
    )
    for item in items:
        if "browser" in item.keywords:
            item.add_marker(skip)


def sign_in(page: Any, base: str, email: str, *, then: re.Pattern[str] | None = None) -> None:
    """Sign in with the factories' password through the login form; with ``then``, wait
    until the page after it has a URL that matches."""
    page.goto(base + "/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    if then is not None:
        page.wait_for_url(then)


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        yield chromium
        chromium.close()


@pytest.fixture
def screenshot_dir() -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS


@pytest.fixture
def open_page(browser: Any) -> Iterator[Callable[[dict[str, int]], Any]]:
    """Open a page in a fresh browser context (its own cookies) at the given viewport.

    Every context is closed when the test ends, pass or fail, so no keep-alive connection
    outlives the test and reaches the live server after its database has been torn down.
    """
    contexts: list[Any] = []

    def open_one(viewport: dict[str, int]) -> Any:
        context = browser.new_context(viewport=viewport)
        contexts.append(context)
        return context.new_page()

    yield open_one
    for context in contexts:
        context.close()
