"""Real-browser tests: Playwright driving Debian's Chromium against a server started here on a free port.

The browser is the system's ``chromium`` (Debian package), launched by executable path; Playwright downloads
nothing. Where Chromium or Playwright is absent the tests are skipped with the reason shown in the summary,
unless ``METASTASIS_REQUIRE_BROWSER=1`` (set by ``.ci/run``, which installs Chromium), where that is a failure.
``METASTASIS_SCREENSHOT_DIR=<dir>`` saves full-page screenshots of the main pages for checking by eye.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

CHROMIUM_ARGS = [
    "--no-sandbox",  # CI runs as root
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",  # the sandboxed network refuses Chromium's background connections
    "--disable-component-update",
    "--disable-sync",
]


def _chromium_path() -> str | None:
    given = os.environ.get("METASTASIS_CHROMIUM")
    if given:
        return given if Path(given).exists() else None
    return shutil.which("chromium") or shutil.which("chromium-browser")


def _unavailable(reason: str) -> None:
    if os.environ.get("METASTASIS_REQUIRE_BROWSER") == "1":
        pytest.fail(f"browser tests required but {reason}", pytrace=False)
    pytest.skip(f"browser tests skipped: {reason}")


@contextlib.contextmanager
def serving(app) -> Iterator[str]:  # type: ignore[no-untyped-def]
    """``app`` served by uvicorn in a background thread on a free loopback port; yields its base URL."""
    import uvicorn

    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", access_log=False))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            pytest.fail("the test server did not start", pytrace=False)
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{sock.getsockname()[1]}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        sock.close()


@pytest.fixture(scope="session")
def server_url() -> Iterator[str]:
    """The app served by uvicorn in a background thread on a free loopback port."""
    from metastasis.api import create_app

    with serving(create_app()) as url:
        yield url


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    """Headless Debian Chromium through Playwright (skipped, or failed under CI, when absent)."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("the playwright package is not installed (pip install -e '.[dev]')")
    executable = _chromium_path()
    if executable is None:
        _unavailable("Debian's Chromium was not found (apt-get install chromium, or set METASTASIS_CHROMIUM)")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=executable, headless=True, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


def _is_error(message) -> bool:  # type: ignore[no-untyped-def]
    """A console error, except the browser's note of a 422: bad input answered as designed."""
    return message.type == "error" and "status of 422" not in message.text


@pytest.fixture
def page(browser, server_url):  # type: ignore[no-untyped-def]
    """A fresh page whose relative URLs resolve against the test server; JavaScript errors fail the test."""
    context = browser.new_context(base_url=server_url, viewport={"width": 1200, "height": 900})
    new_page = context.new_page()
    errors: list[str] = []
    new_page.on("pageerror", lambda exc: errors.append(str(exc)))
    new_page.on("console", lambda msg: errors.append(msg.text) if _is_error(msg) else None)
    new_page.set_default_timeout(15_000)
    yield new_page
    context.close()
    assert not errors, f"JavaScript errors in the page: {errors}"


@pytest.fixture
def screenshot():  # type: ignore[no-untyped-def]
    """Save a full-page screenshot when METASTASIS_SCREENSHOT_DIR is set (for checking pages by eye)."""
    folder = os.environ.get("METASTASIS_SCREENSHOT_DIR")

    def take(page, name: str) -> None:  # type: ignore[no-untyped-def]
        if folder:
            Path(folder).mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(Path(folder) / f"{name}.png"), full_page=True)

    return take
