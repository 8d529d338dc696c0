"""A real server process for tests: ``diagnostic serve`` exactly as ``make run`` starts it, or
another console script of the virtualenv (``diagnostic-server``)."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

from workshops import create_app


def free_port() -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _script(name: str) -> str:
    return str(Path(sys.executable).parent / name)


class LiveServer:
    """A server subprocess that can be stopped and started again; ``command`` is the console
    script and its arguments (default ``diagnostic serve``)."""

    def __init__(self, tmp: Path, database_url: str | None = None, init_db: bool = True,
                 command: tuple[str, ...] = ("diagnostic", "serve"), **extra_env: str) -> None:
        self.command = [_script(command[0]), *command[1:]]
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.env = {
            **os.environ,
            "DIAGNOSTIC_INSTANCE_PATH": str(tmp / "instance"),
            "DATABASE_URL": database_url or f"sqlite:///{tmp / 'e2e.db'}",
            "SECRET_KEY": "e2e-secret",
            "HOST": "127.0.0.1",
            "PORT": str(self.port),
            **extra_env,
        }
        self.env.pop("DIAGNOSTIC_TEST_DATABASE_URL", None)
        tmp.mkdir(parents=True, exist_ok=True)
        self.log = tmp / f"server-{self.port}.log"
        self.process: subprocess.Popen | None = None
        if init_db:
            subprocess.run([_script("diagnostic"), "init-db"], env=self.env, check=True,
                           capture_output=True)

    def start(self) -> None:
        """Start the server and wait until it answers HTTP."""
        with self.log.open("ab") as log:
            self.process = subprocess.Popen(
                self.command, env=self.env,
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

    def threads(self) -> int:
        """The server process's number of OS threads (``Threads:`` in /proc/<pid>/status)."""
        status = Path(f"/proc/{self.process.pid}/status").read_text()
        return int(re.search(r"^Threads:\s+(\d+)", status, re.MULTILINE).group(1))

    def kill(self) -> None:
        """Kill the server at once (SIGKILL): no clean shutdown, like a crash or power cut."""
        if self.process and self.process.poll() is None:
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


def join_over_http(server: LiveServer, code: str, name: str = "Dominique"):
    """Join a workshop through its real pages; returns the requests session (cookie)."""
    import requests

    http = requests.Session()
    page = http.get(f"{server.url}/j/{code}", timeout=10)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page.text)
    response = http.post(
        f"{server.url}/j/{code}",
        data={"csrf_token": token.group(1), "display_name": name},
        timeout=10,
    )
    assert response.url.endswith("/contribute"), response.text[:500]
    return http


def cookie_header(http) -> str:
    """The Cookie header a browser would send with the Socket.IO handshake."""
    return "; ".join(f"{c.name}={c.value}" for c in http.cookies)


def receive_event(client, name: str, timeout: float = 10):
    """The next ``name`` event of a python-socketio SimpleClient, skipping the others
    (presence, my_votes…); raises socketio.exceptions.TimeoutError when none comes."""
    import socketio

    deadline = time.monotonic() + timeout
    while True:
        left = deadline - time.monotonic()
        if left <= 0:
            raise socketio.exceptions.TimeoutError()
        event, *args = client.receive(timeout=left)
        if event == name:
            return args[0] if args else None
