"""``diagnostic cluster``: the production recipe on one machine, to try it.

nginx (run as the current user, with its own prefix folder) in front of N
``diagnostic-server`` workers on this machine's PostgreSQL and Redis. nginx runs
``deploy/nginx.conf`` itself, with only what an installer replaces rewritten
(:func:`render_site`): the listening ports, the certificate (a self-signed one made with
``openssl``, as the recipe is HTTPS only) and the upstream's ``server`` lines. The workers
run as ``deploy/diagnostic-server@.service`` starts them: ``DIAGNOSTIC_ENV=production``,
``PROXY_FIX_HOPS=1``, one shared ``SECRET_KEY`` (kept in the cluster folder) and one
shared instance folder (export files).

Everything runs in the foreground; Ctrl-C (or SIGTERM) stops nginx, then the workers. A
child that exits is reported, never restarted: the others keep serving while nginx and one
worker are up (kill one worker to watch its clients move to another).
"""

from __future__ import annotations

import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

RECIPE = Path(__file__).resolve().parent.parent / "deploy" / "nginx.conf"
CERTIFICATES = "/etc/letsencrypt/live/diagnostic.example.org/"
DEFAULT_DATABASE_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/diagnostic_cluster"
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/0"
_UPSTREAM_SERVER = re.compile(r"^(\s*)server 127\.0\.0\.1:\d+( [^;]*)?;\n", re.MULTILINE)


def render_site(recipe: str, *, http_port: int, https_port: int, workers: list[int],
                certificate: Path, key: Path, debug_upstream: bool = False) -> str:
    """The recipe with an installer's replacements: ports on 127.0.0.1 (no IPv6 listener,
    which a sandbox may lack), the certificate, one ``server`` line per worker port.

    ``debug_upstream`` adds an ``X-Upstream`` response header naming the worker that
    answered (tests and trials only: a public site should not tell its layout).
    """
    servers = list(_UPSTREAM_SERVER.finditer(recipe))
    if not servers:
        raise ValueError("no 'server 127.0.0.1:PORT' line in the recipe's upstream")
    indent, options = servers[0].group(1), servers[0].group(2) or ""
    lines = "".join(f"{indent}server 127.0.0.1:{port}{options};\n" for port in workers)
    site = (recipe[:servers[0].start()] + lines
            + _UPSTREAM_SERVER.sub("", recipe[servers[0].start():]))
    site = site.replace(CERTIFICATES + "fullchain.pem", str(certificate))
    site = site.replace(CERTIFICATES + "privkey.pem", str(key))
    site = site.replace("listen 80;", f"listen 127.0.0.1:{http_port};")
    site = site.replace("listen 443 ssl http2;", f"listen 127.0.0.1:{https_port} ssl http2;")
    if debug_upstream:
        site = site.replace("    add_header Set-Cookie $diag_route_cookie always;\n",
                            "    add_header Set-Cookie $diag_route_cookie always;\n"
                            "    add_header X-Upstream $upstream_addr always;\n")
    kept = [line for line in site.splitlines() if "listen [::]" not in line]
    return "\n".join(kept) + "\n"


def nginx_main_conf(folder: Path) -> str:
    """The top-level nginx.conf around the site, its pid and logs under ``folder``.

    Run by a normal user, nginx also keeps its temporary files there (it cannot write
    Debian's /var/lib/nginx); run by root, its workers run as nobody and keep Debian's
    folders (a private temporary folder under ``folder`` may not be reachable by them).
    """
    temp = folder / "temp"
    temporary = "" if os.geteuid() == 0 else "".join(
        f"    {kind}_temp_path {temp}/{name};\n" for kind, name in (
            ("client_body", "body"), ("proxy", "proxy"), ("fastcgi", "fastcgi"),
            ("uwsgi", "uwsgi"), ("scgi", "scgi")))
    return (f"pid {folder}/nginx.pid;\nerror_log {folder}/logs/error.log;\n"
            "worker_processes 1;\nevents { worker_connections 4096; }\n"
            f"http {{\n    access_log {folder}/logs/access.log;\n{temporary}"
            f"    include {folder}/site.conf;\n}}\n")


def self_signed_certificate(folder: Path) -> tuple[Path, Path]:
    """A certificate for 127.0.0.1 / localhost (kept once made): ``(certificate, key)``."""
    certificate, key = folder / "cert.pem", folder / "key.pem"
    if not (certificate.exists() and key.exists()):
        subprocess.run(
            ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "365",
             "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1",
             "-keyout", str(key), "-out", str(certificate)],
            check=True, capture_output=True)
    return certificate, key


def ensure_database(url: str) -> bool:
    """Create the PostgreSQL database of ``url`` when missing; True if it was created."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    target = make_url(url)
    if not target.drivername.startswith("postgresql"):
        return False
    engine = create_engine(target.set(database="postgres"), isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as connection:
            exists = connection.scalar(text("SELECT 1 FROM pg_database WHERE datname = :n"),
                                       {"n": target.database})
            if not exists:
                name = target.database.replace('"', '""')
                connection.execute(text(f'CREATE DATABASE "{name}"'))
    finally:
        engine.dispose()
    return not exists


def console_script(name: str) -> str:
    """A console script installed next to this interpreter (the project's virtualenv)."""
    return str(Path(sys.executable).parent / name)


def free_port() -> int:
    """A TCP port on 127.0.0.1 nobody listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Child:
    """A process of the cluster: its name for messages, command, log file."""

    name: str
    command: list[str]
    log: Path
    env: dict[str, str] | None = None
    process: subprocess.Popen | None = None
    reported: bool = False

    def start(self, cwd: Path) -> None:
        with self.log.open("ab") as log:
            # Its own session: a Ctrl-C in the terminal reaches only the cluster, which
            # stops the children in order.
            self.process = subprocess.Popen(self.command, env=self.env, cwd=cwd,
                                            stdout=log, stderr=subprocess.STDOUT,
                                            start_new_session=True)

    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def stop(self, sig: int = signal.SIGTERM) -> None:
        if self.running():
            self.process.send_signal(sig)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


@dataclass
class Cluster:
    """nginx in front of ``len(worker_ports)`` workers, all under ``folder``."""

    folder: Path
    database_url: str = DEFAULT_DATABASE_URL
    redis_url: str = DEFAULT_REDIS_URL
    https_port: int = 8443
    http_port: int = 8080
    worker_ports: list[int] = field(default_factory=lambda: [5001, 5002])
    debug_upstream: bool = False
    extra_env: dict[str, str] = field(default_factory=dict)
    workers: list[Child] = field(default_factory=list)
    nginx: Child | None = None

    @property
    def url(self) -> str:
        return f"https://127.0.0.1:{self.https_port}"

    def worker_env(self, port: int) -> dict[str, str]:
        """A worker's environment, as deploy/diagnostic.env.example sets it."""
        env = {**os.environ}
        for inherited in ("FLASK_DEBUG", "DIAGNOSTIC_TEST_DATABASE_URL", "SOCKETIO_ASYNC_MODE"):
            env.pop(inherited, None)
        env.update({
            "DIAGNOSTIC_ENV": "production", "SECRET_KEY": self._secret_key(),
            "DATABASE_URL": self.database_url, "SOCKETIO_MESSAGE_QUEUE": self.redis_url,
            "PROXY_FIX_HOPS": "1", "DIAGNOSTIC_INSTANCE_PATH": str(self.folder / "instance"),
            "HOST": "127.0.0.1", "PORT": str(port), **self.extra_env,
        })
        return env

    def _secret_key(self) -> str:
        path = self.folder / "secret_key"
        if not path.exists():
            path.write_text(secrets.token_urlsafe(48), encoding="utf-8")
            path.chmod(0o600)
        return path.read_text(encoding="utf-8").strip()

    def prepare(self, bootstrap: bool = False) -> list[str]:
        """Create the folders, the database (if missing) and its schema (``diagnostic
        init-db``), optionally ``diagnostic bootstrap``; returns the commands' output."""
        for sub in ("logs", "instance", "temp"):
            (self.folder / sub).mkdir(parents=True, exist_ok=True)
        ensure_database(self.database_url)
        env = self.worker_env(self.worker_ports[0])
        output = []
        for command in (["init-db"], ["bootstrap"]) if bootstrap else (["init-db"],):
            done = subprocess.run([console_script("diagnostic"), *command], env=env,
                                  cwd=self.folder, capture_output=True, text=True)
            if done.returncode:
                raise RuntimeError(f"diagnostic {command[0]} failed:\n{done.stdout}{done.stderr}")
            output.append(done.stdout.strip())
        self_signed_certificate(self.folder)
        return output

    def _write_nginx_conf(self) -> None:
        certificate, key = self_signed_certificate(self.folder)
        (self.folder / "site.conf").write_text(render_site(
            RECIPE.read_text(encoding="utf-8"), http_port=self.http_port,
            https_port=self.https_port, workers=self.worker_ports, certificate=certificate,
            key=key, debug_upstream=self.debug_upstream), encoding="utf-8")
        (self.folder / "nginx.conf").write_text(nginx_main_conf(self.folder), encoding="utf-8")

    def start(self, nginx: str = "/usr/sbin/nginx", timeout: float = 60) -> None:
        """Start the workers and nginx; return when the site answers through nginx.

        A port 0 is replaced by a free one just before its process starts (tests: a port
        picked long before may be taken by then).
        """
        self.worker_ports = [port or free_port() for port in self.worker_ports]
        for port in self.worker_ports:
            worker = Child(f"worker :{port}", [console_script("diagnostic-server")],
                           self.folder / "logs" / f"worker-{port}.log", self.worker_env(port))
            worker.start(self.folder)
            self.workers.append(worker)
        self.nginx = Child("nginx", [nginx, "-p", str(self.folder), "-c",
                                     str(self.folder / "nginx.conf"), "-g", "daemon off;"],
                           self.folder / "logs" / "nginx.log")
        try:
            for worker in self.workers:
                self._wait(worker, f"http://127.0.0.1:{worker.env['PORT']}", timeout)
            self.https_port = self.https_port or free_port()
            self.http_port = self.http_port or free_port()
            self._write_nginx_conf()
            self.nginx.start(self.folder)
            self._wait(self.nginx, self.url, timeout)
        except BaseException:
            self.stop()
            raise

    def _wait(self, child: Child, url: str, timeout: float) -> None:
        import ssl

        context = ssl.create_default_context()
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE  # our own self-signed certificate
        deadline = time.monotonic() + timeout
        while True:
            if not child.running():
                raise RuntimeError(f"{child.name} exited:\n{tail(child.log)}")
            try:
                urllib.request.urlopen(url + "/join", timeout=2, context=context).close()
                return
            except OSError:
                if time.monotonic() > deadline:
                    raise RuntimeError(
                        f"{child.name} did not answer within {timeout:.0f} s") from None
                time.sleep(0.2)

    def children(self) -> list[Child]:
        return [c for c in (self.nginx, *self.workers) if c is not None]

    def exited(self) -> list[Child]:
        """Children that exited since the last call (each reported once)."""
        gone = [c for c in self.children() if c.process and not c.running() and not c.reported]
        for child in gone:
            child.reported = True
        return gone

    def serving(self) -> bool:
        """nginx and at least one worker are up."""
        return (self.nginx is not None and self.nginx.running()
                and any(worker.running() for worker in self.workers))

    def stop(self) -> None:
        """nginx first (no new requests), then the workers."""
        if self.nginx:
            # Fast shutdown: a graceful one would wait for every open WebSocket.
            self.nginx.stop(signal.SIGTERM)
        for worker in self.workers:
            worker.stop()


def tail(path: Path, lines: int = 20) -> str:
    """The last lines of a log file."""
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return ""
