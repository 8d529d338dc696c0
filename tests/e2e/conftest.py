"""The real server in a subprocess and Debian's Chromium driven by Playwright.

The server is started exactly as ``make run`` does (``diagnostic init-db`` then
``diagnostic serve``) on a free port with its own SQLite database; tests seed data
through the domain services on the same database file.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from diagnostic.models import Role, User
from tests.live_server import LiveServer

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
STAFF_EMAIL = "staff@example.org"
STAFF_PASSWORD = "e2e-password-123"
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]


def start_live_server(tmp_path, **env: str) -> LiveServer:
    """A started real server (``env`` added to its environment) with one staff account."""
    server = LiveServer(tmp_path, **env)
    with server.app_context() as db:
        user = User(email=STAFF_EMAIL, name="Chargée d'étude", role=Role.STAFF)
        user.set_password(STAFF_PASSWORD)
        db.session.add(user)
        db.session.commit()
    server.start()
    return server


@pytest.fixture
def live_server(tmp_path):
    """A real server with one staff account; stopped after the test."""
    server = start_live_server(tmp_path)
    yield server
    server.stop()


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium, headless, driven by Playwright (never a downloaded browser)."""
    if not Path(CHROMIUM).exists() and not shutil.which("chromium"):
        pytest.fail(f"Chromium not found at {CHROMIUM}: .ci/run installs Debian's chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture
def screenshot():
    """Save a full-page screenshot under test-artifacts/ (looked at by people)."""
    ARTIFACTS.mkdir(exist_ok=True)

    def take(page, name: str) -> Path:
        path = ARTIFACTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take
