"""The server under test as deployed on several processes: nginx in front of N workers.

``ClusterServer`` has :class:`bench.server.BenchServer`'s interface (``prepare`` /
``prepare_rooms``, ``start``, ``stop``, ``url``, ``log``, ``cpu_seconds``, ``rss_kb``,
``threads``, ``stored_client_ids``) for ``bench.run --workers N``: N ``diagnostic-server``
processes (gevent, monkey-patched) on one PostgreSQL database, sharing rooms through the
Redis message queue, each started as deploy/nginx.conf says (``PROXY_FIX_HOPS=1``), behind
Debian's nginx running deploy/nginx.conf itself with what an installer replaces rewritten
(:func:`site_config`, the one place that rewrites it).

Routing is the recipe's own: the ``diag_route`` cookie nginx gives a client on its first
request (the join page) picks its worker for every later request, the socket's included,
as for a browser; the bench's phones keep their cookies, so they spread over the workers
at random, as a room's phones do. (An earlier ``ip_hash`` sent every bench client, all
from 127.0.0.1, to one worker.)

CPU: the workers' CPU is summed from ``/proc/<pid>/stat`` (``cpu_seconds``); nginx's own
(master and workers) is read apart (``nginx_cpu_seconds``).
"""

from __future__ import annotations

import secrets
import shutil
import subprocess
import time
import urllib.request
from collections import Counter
from pathlib import Path
from typing import Any

from workshops.cluster import render_site

from .server import PATCHED, BenchServer, Seed, free_port
from .stats import process_cpu_seconds

ROOT = Path(__file__).resolve().parent.parent
RECIPE = ROOT / "deploy" / "nginx.conf"


def site_config(recipe: str, *, port: int, redirect_port: int, upstreams: list[int]) -> str:
    """deploy/nginx.conf for the bench: the installer's rewrite of ``diagnostic cluster``
    (:func:`workshops.cluster.render_site`: ports, upstream servers), then plain HTTP on
    127.0.0.1:``port`` (no certificate: the generator's CPU stays on the phones' work)."""
    site = render_site(recipe, http_port=redirect_port, https_port=port, workers=upstreams,
                       certificate=Path("unused.pem"), key=Path("unused.key"))
    site = site.replace(f"listen 127.0.0.1:{port} ssl http2;", f"listen 127.0.0.1:{port};")
    site = "\n".join(line for line in site.splitlines()
                     if not line.strip().startswith(("ssl_", "add_header Strict-Transport"))) + "\n"
    # The affinity cookie is Secure in the recipe: over plain HTTP a client would drop it.
    site = site.replace("; Secure", "")
    listens = [line for line in site.splitlines() if line.strip().startswith("listen")]
    if any("ssl" in line for line in listens) or f"server 127.0.0.1:{upstreams[0]}" not in site:
        raise RuntimeError("deploy/nginx.conf changed: bench/cluster_server.py cannot rewrite it")
    return site


def main_config(folder: Path) -> str:
    """nginx's own configuration around the site: files in ``folder``, enough connections."""
    temp = "\n".join(f"    {kind}_temp_path {folder}/temp/{kind};"
                     for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
    return (f"pid {folder}/nginx.pid;\nerror_log {folder}/logs/error.log;\n"
            "worker_processes 1;\nworker_rlimit_nofile 16384;\n"
            "events { worker_connections 8192; }\n"
            f"http {{\n    access_log off;\n{temp}\n    include {folder}/site.conf;\n}}\n")


class ClusterServer:
    """N ``diagnostic-server`` workers behind nginx (see the module docstring)."""

    def __init__(self, workdir: Path, workers: int, database_url: str, message_queue: str,
                 code: Path | None = None) -> None:
        if workers < 1:
            raise ValueError("a cluster needs at least one worker")
        workdir.mkdir(parents=True, exist_ok=True)
        env = {"SOCKETIO_MESSAGE_QUEUE": message_queue, "PROXY_FIX_HOPS": "1",
               "SECRET_KEY": secrets.token_urlsafe(32)}  # one key: any worker reads a cookie
        self.workers = [BenchServer(workdir / f"worker-{n}", PATCHED, database_url,
                                    extra_env=env, code=code) for n in range(1, workers + 1)]
        self.folder = workdir / "nginx"
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = workdir / "cluster.log"
        self.nginx: subprocess.Popen | None = None
        self.sockets: list[int] = []  # per worker, at the last rss_kb()

    def prepare(self) -> Seed:
        """Create the schema and seed one workshop (through the first worker's settings)."""
        return self.prepare_rooms(1)[0]

    def prepare_rooms(self, rooms: int) -> list[Seed]:
        """Create the schema and seed ``rooms`` workshops."""
        return self.workers[0].prepare_rooms(rooms)

    def start(self) -> None:
        """Start every worker, then nginx; wait until the site answers through nginx."""
        for worker in self.workers:
            worker.start()
        (self.folder / "logs").mkdir(parents=True, exist_ok=True)
        (self.folder / "temp").mkdir(exist_ok=True)
        (self.folder / "site.conf").write_text(site_config(
            RECIPE.read_text(), port=self.port, redirect_port=free_port(),
            upstreams=[worker.port for worker in self.workers]))
        (self.folder / "nginx.conf").write_text(main_config(self.folder))
        nginx = shutil.which("nginx") or "/usr/sbin/nginx"
        self.nginx = subprocess.Popen(
            [nginx, "-p", str(self.folder), "-c", str(self.folder / "nginx.conf"),
             "-g", "daemon off;"], stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.nginx.poll() is not None:
                raise RuntimeError("nginx exited: " + self._nginx_errors())
            try:
                urllib.request.urlopen(self.url + "/join", timeout=1).close()
                return
            except OSError:
                time.sleep(0.1)
        raise RuntimeError("nginx did not answer within 30 s: " + self._nginx_errors())

    def _nginx_errors(self) -> str:
        error_log = self.folder / "logs" / "error.log"
        return error_log.read_text()[-2000:] if error_log.exists() else "(no error log)"

    def stop(self) -> None:
        """Stop nginx, then the workers; gather their logs into ``log``."""
        if self.nginx and self.nginx.poll() is None:
            self.nginx.terminate()
            try:
                self.nginx.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.nginx.kill()
                self.nginx.wait()
        for worker in self.workers:
            worker.stop()
        parts = [f"== {worker.log.name}\n" + worker.log.read_text(errors="replace")
                 for worker in self.workers if worker.log.exists()]
        parts.append("== nginx error.log\n" + self._nginx_errors())
        self.log.write_text("\n".join(parts))

    def cpu_seconds(self) -> float:
        """User + system CPU time of every worker so far (nginx apart)."""
        return sum(worker.cpu_seconds() for worker in self.workers)

    def nginx_cpu_seconds(self) -> float:
        """User + system CPU time of nginx's master and worker processes so far."""
        if self.nginx is None:
            return 0.0
        pid = self.nginx.pid
        try:
            children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
        except FileNotFoundError:
            children = []
        return sum(process_cpu_seconds(int(p)) for p in [pid, *children])

    def figures(self) -> dict[str, Any]:
        """CPU seconds of each worker and of nginx so far (how the load was spread)."""
        return {"workers": len(self.workers),
                "worker_cpu_s": [round(worker.cpu_seconds(), 2) for worker in self.workers],
                "nginx_cpu_s": round(self.nginx_cpu_seconds(), 2),
                "worker_sockets_at_rss": self.sockets}

    def worker_sockets(self) -> list[int]:
        """Established TCP connections (from nginx) to each worker's port, now."""
        counts = Counter()
        for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
            fields = line.split()
            if fields[3] == "01":  # ESTABLISHED
                counts[int(fields[1].rsplit(":", 1)[1], 16)] += 1
        return [counts[worker.port] for worker in self.workers]

    def rss_kb(self) -> int:
        """The workers' resident set sizes summed, in KiB (the bench reads it before and
        after the join storm: the sockets each worker holds are noted then too)."""
        self.sockets = self.worker_sockets()
        return sum(worker.rss_kb() for worker in self.workers)

    def threads(self) -> int:
        """The workers' OS threads summed."""
        return sum(worker.threads() for worker in self.workers)

    def stored_client_ids(self, workshop_id: int) -> Counter[str]:
        """How many rows the (shared) database holds for each client id of the workshop."""
        return self.workers[0].stored_client_ids(workshop_id)
