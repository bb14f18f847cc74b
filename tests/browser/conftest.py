"""Real-browser fixtures: `streamlit run` on a free port against a demo database copy, driven by Playwright in
Debian's Chromium (never a downloaded browser). Skipped with a reason when Chromium is not installed."""

import contextlib
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from tests.demo_db import copy_database

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"

pytestmark = pytest.mark.browser


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def streamlit_server(database_url: str, log_path: Path):
    """Start the app as `culture-dash serve` would and wait for /_stcore/health."""
    port = _free_port()
    env = {**os.environ, "DATABASE_URL": database_url}
    command = [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        str(ROOT / "dashboard" / "app.py"),
        f"--server.port={port}",
        "--server.address=127.0.0.1",
        "--server.headless=true",
        "--browser.gatherUsageStats=false",
        "--server.fileWatcherType=none",
    ]
    with log_path.open("w") as log:
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
        base = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + 60
            while True:
                try:
                    with urllib.request.urlopen(f"{base}/_stcore/health", timeout=2) as response:
                        if response.read() == b"ok":
                            break
                except OSError:
                    pass
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"streamlit did not start: {log_path.read_text()[-2000:]}")
                time.sleep(0.3)
            yield base
        finally:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()


@pytest.fixture(scope="session")
def playwright_instance():
    if not Path(CHROMIUM).exists():
        pytest.skip("Debian's chromium is not installed (apt-get install chromium fonts-noto-cjk)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        yield playwright


@pytest.fixture(scope="session")
def browser(playwright_instance):
    browser = playwright_instance.chromium.launch(
        executable_path=CHROMIUM,
        args=[
            "--no-sandbox",
            "--disable-dev-shm-usage",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
        ],
    )
    yield browser
    browser.close()


@pytest.fixture(scope="session")
def demo_server(demo_master_url, tmp_path_factory):
    """A server over a read-only-by-convention demo copy, shared by tests that do not write."""
    folder = tmp_path_factory.mktemp("server")
    url = copy_database(demo_master_url, folder / "demo.sqlite3")
    with streamlit_server(url, folder / "streamlit.log") as base:
        yield base


@pytest.fixture
def fresh_server(demo_master_url, tmp_path):
    """A server over this test's own demo copy (for tests that upload); yields (base_url, database_url)."""
    url = copy_database(demo_master_url, tmp_path / "demo.sqlite3")
    with streamlit_server(url, tmp_path / "streamlit.log") as base:
        yield base, url


def new_tablet_page(playwright_instance, browser, device: str = "iPad Pro 11 landscape"):
    context = browser.new_context(**playwright_instance.devices[device], locale="zh-CN")
    return context.new_page()


@pytest.fixture
def tablet(playwright_instance, browser):
    """A page in an iPad Pro 11 landscape context (1194×834, touch)."""
    page = new_tablet_page(playwright_instance, browser)
    yield page
    page.context.close()


def login(page, base_url: str, username: str, password: str | None = None) -> None:
    """Sign in through the login form (session state lives per browser tab: navigate by the sidebar after this)."""
    page.goto(base_url)
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(password or f"{username}-demo")
    page.get_by_role("button", name="登录").click()
    page.get_by_role("heading", name="总览").wait_for(timeout=30_000)
    settle(page)


def settle(page, timeout: float = 30_000) -> None:
    """Wait until the script run has finished and no element of an earlier run is still on screen.

    Streamlit draws a run's elements as they arrive and keeps the previous run's elements (marked `data-stale`)
    in place until they are replaced, so reading the page as soon as one element shows can see a mix of both.
    """
    page.wait_for_function(
        """() => !document.querySelector('[data-testid="stStatusWidgetRunningIcon"], [data-stale="true"]')""",
        timeout=timeout,
    )
