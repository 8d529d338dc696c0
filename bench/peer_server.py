"""The benchmark's peer: ``bench/peer/server.js`` (Node, socket.io, better-sqlite3).

It does the live path's work per join (a signed token, the room) and per contribution
(validation, one insert with a unique client id, the ack after the commit, the room's
``contribution_added``), nothing more, so the project's figures can be read as ratios to
it (docs/PERFORMANCE.md, "The Node peer"). Like :class:`bench.server.BenchServer` it runs
as a subprocess on its own port with a fresh SQLite file; its CPU, memory and threads are
read from ``/proc`` the same way, and its stored client ids with Python's ``sqlite3``.
"""

from __future__ import annotations

import json
import secrets
import shutil
import sqlite3
import subprocess
from collections import Counter
from contextlib import closing
from pathlib import Path

from .server import STAFF_PASSWORD, Seed, ServerProcess

PEER_DIR = Path(__file__).resolve().parent / "peer"
WORKSHOP_ID = 1
NEED_CATEGORY_ID = 1  # one of the categories server.js seeds


def node() -> str:
    """The ``node`` executable, or an error saying how to install the peer."""
    found = shutil.which("node")
    if found is None:
        raise RuntimeError("the peer needs Node.js (node) on the PATH")
    if not (PEER_DIR / "node_modules" / "better-sqlite3").is_dir():
        raise RuntimeError("the peer is not installed: npm ci --prefix bench/peer")
    return found


def describe() -> str:
    """What the peer runs on: Node's version and its packages' (for the report)."""
    def version(package: str) -> str:
        manifest = PEER_DIR / "node_modules" / package / "package.json"
        return json.loads(manifest.read_text())["version"]

    runtime = subprocess.run([node(), "--version"], capture_output=True, text=True,
                             check=True).stdout.strip()
    return (f"Node {runtime}, socket.io {version('socket.io')}, better-sqlite3 "
            f"{version('better-sqlite3')} (SQLite file, WAL, synchronous=NORMAL)")


class PeerServer(ServerProcess):
    """``node bench/peer/server.js`` with its own SQLite file, port and seeded workshop."""

    def __init__(self, workdir: Path, sqlite_wal: bool = True) -> None:
        self.database = workdir / "peer.db"
        self.join_code = secrets.token_hex(3).upper()
        env = {
            "PEER_DATABASE": str(self.database),
            "PEER_SECRET": secrets.token_urlsafe(32),
            "PEER_WORKSHOP_ID": str(WORKSHOP_ID),
            "PEER_JOIN_CODE": self.join_code,
            "PEER_STAFF_PASSWORD": STAFF_PASSWORD,
            "NODE_ENV": "production",
        }
        super().__init__(workdir, ("diagnostic",), env, cwd=PEER_DIR)
        self.command = [node(), str(PEER_DIR / "server.js")]
        # The project's SQLite is always WAL with synchronous=NORMAL (workshops/extensions.py)
        # and so is the peer's; the flag is accepted for symmetry with BenchServer.
        self.sqlite_wal = sqlite_wal

    @property
    def database_url(self) -> str:
        """The peer's database as a SQLAlchemy URL (for the record only)."""
        return f"sqlite:///{self.database}"

    def init_db(self) -> None:
        """Nothing to do: server.js creates its schema and seeds the workshop at start."""

    def prepare(self) -> Seed:
        """The workshop the peer seeds when it starts (its schema is its own)."""
        self.database.unlink(missing_ok=True)
        return Seed(WORKSHOP_ID, self.join_code, NEED_CATEGORY_ID, target="peer")

    def prepare_rooms(self, rooms: int) -> list[Seed]:
        """The peer seeds one workshop: one room only."""
        if rooms != 1:
            raise ValueError("the Node peer serves one room (--rooms 1)")
        return [self.prepare()]

    def stored_client_ids(self, workshop_id: int) -> Counter[str]:
        """How many rows the peer's database holds for each client id of the workshop."""
        with closing(sqlite3.connect(self.database)) as connection:
            rows = connection.execute(
                "SELECT client_id, count(*) FROM contributions WHERE workshop_id = ? "
                "GROUP BY client_id", (workshop_id,))
            return Counter({client_id: count for client_id, count in rows})
