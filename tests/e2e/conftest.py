"""The real server in a subprocess and Debian's Chromium driven by Playwright.

The server is started exactly as ``make run`` does (``diagnostic init-db`` then
``diagnostic serve``) on a free port with its own SQLite database; tests seed data
through the domain services on the same database file.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

import pytest

from diagnostic.models import Role, User
from workshops import create_app

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
STAFF_EMAIL = "staff@example.org"
STAFF_PASSWORD = "e2e-password-123"
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]


def free_port() -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _script(name: str) -> str:
    return str(Path(sys.executable).parent / name)


class LiveServer:
    """A ``diagnostic serve`` subprocess that can be stopped and started again."""

    def __init__(self, tmp: Path) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.env = {
            **os.environ,
            "DIAGNOSTIC_INSTANCE_PATH": str(tmp / "instance"),
            "DATABASE_URL": f"sqlite:///{tmp / 'e2e.db'}",
            "SECRET_KEY": "e2e-secret",
            "HOST": "127.0.0.1",
            "PORT": str(self.port),
        }
        self.env.pop("DIAGNOSTIC_TEST_DATABASE_URL", None)
        self.log = tmp / "server.log"
        self.process: subprocess.Popen | None = None
        subprocess.run([_script("diagnostic"), "init-db"], env=self.env, check=True,
                       capture_output=True)

    def start(self) -> None:
        """Start the server and wait until it answers HTTP."""
        with self.log.open("ab") as log:
            self.process = subprocess.Popen(
                [_script("diagnostic"), "serve"], env=self.env,
                stdout=log, stderr=subprocess.STDOUT,
            )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"server exited: {self.log.read_text()[-2000:]}")
            try:
                urllib.request.urlopen(self.url + "/join", timeout=1).close()
                return
            except OSError:
                time.sleep(0.1)
        raise RuntimeError("server did not answer within 30 s")

    def stop(self) -> None:
        """Stop the server (SIGTERM, then SIGKILL)."""
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    @contextmanager
    def app_context(self):
        """An app context on the server's database, for seeding and checks."""
        app = create_app({"SQLALCHEMY_DATABASE_URI": self.env["DATABASE_URL"],
                          "SECRET_KEY": "e2e-secret"})
        with app.app_context():
            from workshops.extensions import db

            yield db
            db.session.remove()
            db.engine.dispose()


@pytest.fixture
def live_server(tmp_path):
    """A real server with one staff account; stopped after the test."""
    server = LiveServer(tmp_path)
    with server.app_context() as db:
        user = User(email=STAFF_EMAIL, name="Chargée d'étude", role=Role.STAFF)
        user.set_password(STAFF_PASSWORD)
        db.session.add(user)
        db.session.commit()
    server.start()
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
