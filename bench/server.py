"""The server under test: a real ``diagnostic serve`` subprocess in production-like mode.

Each run gets its own database (a fresh SQLite file, or the PostgreSQL URL given) seeded
with one staff account and one open workshop; the process's RSS and CPU are read from
``/proc`` and the stored contributions are counted in its database.
"""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
import time
import urllib.request
from collections import Counter
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from workshops.cluster import free_port

from .rooms import unshared_workshop_ids
from .stats import process_cpu_seconds

ROOT = Path(__file__).resolve().parent.parent
STAFF_EMAIL = "bench@example.org"
STAFF_PASSWORD = "bench-password-123"
# ``diagnostic-server``: gevent after ``gevent.monkey.patch_all()`` (workshops/server.py).
PATCHED = "gevent-patched"


@dataclass
class Seed:
    """What the load generator needs to know about the seeded workshop."""

    workshop_id: int
    join_code: str
    need_category_id: int
    target: str = "project"  # or "peer" (bench/peer_server.py): how the clients join


class ServerProcess:
    """A ``diagnostic`` console-script server in a subprocess, on its own port and log.

    Shared by the benchmark and the tests' real-server fixtures: start it, stop it
    cleanly or kill it like a crash, read its threads, memory and CPU from ``/proc``, and
    open an app context on its database.
    """

    def __init__(self, workdir: Path, command: tuple[str, ...], env: dict[str, str],
                 cwd: Path | None = None) -> None:
        workdir.mkdir(parents=True, exist_ok=True)
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.command = [console_script(command[0]), *command[1:]]
        self.env = {
            **os.environ,
            "DIAGNOSTIC_INSTANCE_PATH": str(workdir / "instance"),
            "HOST": "127.0.0.1",
            "PORT": str(self.port),
            **env,
        }
        for noisy in ("DIAGNOSTIC_ACCESS_LOG", "DIAGNOSTIC_TEST_DATABASE_URL", "FLASK_DEBUG"):
            self.env.pop(noisy, None)
        self.cwd = cwd or ROOT
        self.log = workdir / f"server-{self.port}.log"
        self.process: subprocess.Popen | None = None

    @property
    def database_url(self) -> str:
        """The SQLAlchemy URL of the server's database."""
        return self.env["DATABASE_URL"]

    def init_db(self) -> None:
        """Create the schema with the project's own command (Alembic migrations)."""
        subprocess.run([console_script("diagnostic"), "init-db"], env=self.env, check=True,
                       capture_output=True, cwd=self.cwd)

    def start(self) -> None:
        """Start the server and wait until it answers HTTP (30 s at most)."""
        with self.log.open("ab") as log:
            self.process = subprocess.Popen(self.command, env=self.env, cwd=self.cwd,
                                            stdout=log, stderr=subprocess.STDOUT)
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

    def kill(self) -> None:
        """Kill the server at once (SIGKILL): no clean shutdown, like a crash or power cut."""
        if self.process and self.process.poll() is None:
            self.process.kill()
            self.process.wait()

    def _status(self, key: str) -> int:
        """A number from the server's ``/proc/<pid>/status`` (``VmRSS``, ``Threads``...)."""
        for line in Path(f"/proc/{self.process.pid}/status").read_text().splitlines():
            if line.startswith(key + ":"):
                return int(line.split()[1])
        raise RuntimeError(f"no {key} in /proc status")

    def rss_kb(self) -> int:
        """The server's resident set size in KiB (``VmRSS``)."""
        return self._status("VmRSS")

    def threads(self) -> int:
        """The server's number of OS threads."""
        return self._status("Threads")

    def cpu_seconds(self) -> float:
        """User + system CPU time the server has used so far."""
        return process_cpu_seconds(self.process.pid)

    @contextmanager
    def app_context(self):
        """An app context on the server's database, for seeding and checks."""
        from workshops import create_app
        from workshops.extensions import db

        app = create_app({"SQLALCHEMY_DATABASE_URI": self.database_url,
                          "SECRET_KEY": self.env["SECRET_KEY"]})
        with app.app_context():
            yield db
            db.session.remove()
            db.engine.dispose()


def console_script(name: str) -> str:
    """A console script of this virtualenv (``diagnostic``, ``diagnostic-server``)."""
    return str(Path(sys.executable).parent / name)


class BenchServer(ServerProcess):
    """``diagnostic serve`` with ``DIAGNOSTIC_ENV=production``, its own database and port."""

    def __init__(self, workdir: Path, async_mode: str = "threading",
                 database_url: str | None = None, extra_env: dict[str, str] | None = None,
                 sqlite_wal: bool = False, code: Path | None = None):
        command = ("diagnostic-server",) if async_mode == PATCHED else ("diagnostic", "serve")
        env = {
            "DIAGNOSTIC_ENV": "production",
            "SECRET_KEY": secrets.token_urlsafe(32),
            "DATABASE_URL": database_url or f"sqlite:///{workdir / 'bench.db'}",
            "SOCKETIO_ASYNC_MODE": "gevent" if async_mode == PATCHED else async_mode,
            # Submissions are spread over all participants, but the step-up reaches several
            # per participant per second at 50 participants: the per-phone limits are off.
            "LIVE_RATE_SUBMIT": "off",
            # Plain HTTP on 127.0.0.1: production's Secure cookies would never come back.
            "SESSION_COOKIE_SECURE": "0",
            **(extra_env or {}),
        }
        if code is not None:  # serve a snapshot of the code instead of the working tree
            env["PYTHONPATH"] = str(code)
        super().__init__(workdir, command, env, cwd=code)
        self.sqlite_wal = sqlite_wal

    def prepare(self) -> Seed:
        """Create the schema, then seed the staff account and one open workshop."""
        return self.prepare_rooms(1)[0]

    def prepare_rooms(self, rooms: int) -> list[Seed]:
        """Create the schema, then seed the staff account and ``rooms`` open workshops."""
        self.init_db()
        from sqlalchemy import text

        from diagnostic.frame import planning
        from diagnostic.live import lifecycle
        from diagnostic.models import Role, Sector, User, Vocabulary

        with self.app_context() as db:
            unshared_workshop_ids(db.session)  # rooms apart from others' on one Redis
            user = User(email=STAFF_EMAIL, name="Banc d'essai", role=Role.STAFF)
            user.set_password(STAFF_PASSWORD)
            db.session.add(user)
            diagnostic = planning.create_diagnostic(
                db.session, title="Banc d'essai", territory="Grand Toulouse",
                stakes=["Enjeu"],
            )
            diagnostic.sectors.append(Sector(name="Nord"))
            db.session.commit()
            seeds = []
            category = diagnostic.terms_of(Vocabulary.NEED_CATEGORY)[0]
            for number in range(1, rooms + 1):
                workshop = planning.create_workshop(
                    db.session, diagnostic, kind="territorial",
                    title="Atelier de charge" + (f" {number}" if rooms > 1 else ""),
                    sector_id=diagnostic.sectors[0].id,
                )
                lifecycle.open_workshop(db.session, workshop, None)
                db.session.commit()
                seeds.append(Seed(workshop.id, workshop.join_code, category.id))
            if self.sqlite_wal:  # persistent in the file: the server then runs in WAL mode
                db.session.execute(text("PRAGMA journal_mode=WAL"))
            return seeds

    def stored_client_ids(self, workshop_id: int) -> Counter[str]:
        """How many rows the database holds for each client id of the workshop."""
        from sqlalchemy import func, select

        from diagnostic.models import Contribution

        with self.app_context() as db:
            rows = db.session.execute(
                select(Contribution.client_id, func.count())
                .where(Contribution.workshop_id == workshop_id)
                .group_by(Contribution.client_id)
            )
            return Counter({client_id: count for client_id, count in rows})
