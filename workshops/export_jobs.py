"""Document generation off the request thread: each export runs in its own process.

A PDF of a 10,000-contribution diagnostic takes tens of seconds of CPU; run inside the
server it would hold the interpreter while workshops are live. A request therefore only
starts a *job*: a child process (``python -m workshops.export_worker``) that runs the
``diagnostic export`` command against the same database and writes the file into the
job's folder, ``<instance>/exports/<job id>/``. The job's state lives in that folder
(``job.json`` written by the server, ``result.json`` by the worker), so any server process
sharing the instance folder can report on it and serve the file; a waiting thread reaps
the child and kills it after :data:`TIMEOUT` seconds. Finished jobs are removed after
:data:`KEEP_FOR`.

Quotas: at most ``EXPORT_JOBS_PER_ACCOUNT`` jobs running at once per account and
``EXPORT_JOBS_RUNNING`` in the instance folder (0 disables either). Running jobs are
counted on disk — a job folder without ``result.json``, younger than :data:`TIMEOUT` (a
job whose server died is forgotten then) — under a file lock, so the count holds across
every server process sharing the instance folder. A refused job starts no process.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import threading
import time
import uuid
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from flask import Flask

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows: the quota is then per process only
    fcntl = None  # type: ignore[assignment]

TIMEOUT = 15 * 60
KEEP_FOR = 24 * 3600
JOB_ID_RE = re.compile(r"^[0-9a-f]{32}$")
LOCK_NAME = ".quota.lock"


class JobRefused(Exception):
    """A quota refused a job: ``scope`` is ``"account"`` or ``"instance"``."""

    def __init__(self, scope: str, limit: int) -> None:
        super().__init__(scope, limit)
        self.scope = scope
        self.limit = limit


@dataclass
class Job:
    """What a job is about and where it stands."""

    id: str
    kind: str  # "report" or "minutes"
    object_id: int
    fmt: str
    lang: str
    user_id: int
    filename: str
    created_at: float
    status: str  # "running", "done" or "failed"
    error: str = ""

    @property
    def finished(self) -> bool:
        return self.status != "running"


def jobs_root(app: Flask) -> Path:
    """The folder holding every job's folder."""
    return Path(app.instance_path) / "exports"


def _job_dir(app: Flask, job_id: str) -> Path | None:
    if not JOB_ID_RE.match(job_id or ""):
        return None
    return jobs_root(app) / job_id


def _write_json(path: Path, data: dict) -> None:
    temporary = path.with_suffix(".tmp")
    temporary.write_text(json.dumps(data), encoding="utf-8")
    os.replace(temporary, path)


@contextmanager
def _quota_lock(root: Path):
    """Hold the instance folder's export lock (shared by every server process)."""
    root.mkdir(parents=True, exist_ok=True)
    with open(root / LOCK_NAME, "a+b") as lock:
        if fcntl is not None:
            fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            if fcntl is not None:
                fcntl.flock(lock, fcntl.LOCK_UN)


def running_owners(app: Flask, now: float | None = None) -> list[int]:
    """The account of every job still running in the instance folder, read on disk."""
    root = jobs_root(app)
    if not root.exists():
        return []
    since = (now or time.time()) - TIMEOUT
    owners = []
    for folder in root.iterdir():
        try:
            if (folder / "result.json").exists():
                continue
            meta = json.loads((folder / "job.json").read_text(encoding="utf-8"))
            if float(meta["created_at"]) >= since:
                owners.append(int(meta["user_id"]))
        except (OSError, ValueError, KeyError, TypeError):
            continue  # not a job folder, or one being written: not counted
    return owners


def _admit(app: Flask, user_id: int) -> None:
    """Refuse a job past the per-account or the instance's quota of running jobs."""
    owners = running_owners(app)
    per_account = int(app.config.get("EXPORT_JOBS_PER_ACCOUNT") or 0)
    if per_account > 0 and owners.count(user_id) >= per_account:
        raise JobRefused("account", per_account)
    running = int(app.config.get("EXPORT_JOBS_RUNNING") or 0)
    if running > 0 and len(owners) >= running:
        raise JobRefused("instance", running)


def start_job(app: Flask, *, kind: str, object_id: int, fmt: str, lang: str, user_id: int,
              filename: str) -> Job:
    """Start generating one document in a child process; returns at once.

    Raises :class:`JobRefused` (nothing started) when a quota of running jobs is reached.
    """
    cleanup(app)
    job_id = uuid.uuid4().hex
    folder = jobs_root(app) / job_id
    job = Job(id=job_id, kind=kind, object_id=object_id, fmt=fmt, lang=lang, user_id=user_id,
              filename=filename, created_at=time.time(), status="running")
    with _quota_lock(jobs_root(app)):
        _admit(app, user_id)
        folder.mkdir(parents=True)
        _write_json(folder / "job.json", {
            "kind": kind, "object_id": object_id, "fmt": fmt, "lang": lang,
            "user_id": user_id, "filename": filename, "created_at": job.created_at,
        })
    option = "--diagnostic" if kind == "report" else "--workshop"
    command = [
        sys.executable, "-m", "workshops.export_worker", str(folder),
        "export", option, str(object_id), "--format", fmt, "--lang", lang,
        "-o", str(folder / filename),
    ]
    env = {
        **os.environ,
        "DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"],
        "DIAGNOSTIC_INSTANCE_PATH": app.instance_path,
        "SECRET_KEY": app.config["SECRET_KEY"],
    }
    env.pop("FLASK_RUN_FROM_CLI", None)
    with open(folder / "worker.log", "wb") as log:
        try:
            process = subprocess.Popen(
                command, env=env, stdin=subprocess.DEVNULL, stdout=log,
                stderr=subprocess.STDOUT, cwd=str(Path(app.root_path).parent),
            )
        except OSError as error:  # finished, so it no longer counts as running
            _write_json(folder / "result.json", {"status": "failed", "error": str(error)})
            raise
    threading.Thread(target=_reap, args=(process, folder), daemon=True,
                     name=f"export-{job_id[:8]}").start()
    return job


def _reap(process: subprocess.Popen, folder: Path) -> None:
    """Wait for the worker; record a failure when it died without saying why."""
    try:
        code = process.wait(timeout=TIMEOUT)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
        code = None
    result = folder / "result.json"
    if folder.exists() and not result.exists():
        reason = "timeout" if code is None else f"exit code {code}"
        _write_json(result, {"status": "failed", "error": reason})


def get_job(app: Flask, job_id: str) -> Job | None:
    """The job ``job_id`` as last recorded, or None when unknown (or malformed id)."""
    folder = _job_dir(app, job_id)
    if folder is None or not (folder / "job.json").exists():
        return None
    try:
        meta = json.loads((folder / "job.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    status, error = "running", ""
    result = folder / "result.json"
    if result.exists():
        try:
            outcome = json.loads(result.read_text(encoding="utf-8"))
            status, error = outcome.get("status", "failed"), outcome.get("error", "")
        except (OSError, ValueError):
            status, error = "failed", "unreadable result"
    if status == "done" and not (folder / meta["filename"]).exists():
        status, error = "failed", "missing file"
    return Job(id=job_id, status=status, error=error, **meta)


def job_file(app: Flask, job: Job) -> Path:
    """Where a finished job's document is."""
    return jobs_root(app) / job.id / job.filename


def expired_folders(app: Flask, now: float | None = None) -> list[Path]:
    """The job folders older than :data:`KEEP_FOR`, oldest first."""
    root = jobs_root(app)
    if not root.exists():
        return []
    limit = (now or time.time()) - KEEP_FOR
    found = []
    for folder in root.iterdir():
        try:
            if folder.is_dir() and (mtime := folder.stat().st_mtime) < limit:
                found.append((mtime, folder))
        except OSError:
            continue
    return [folder for _mtime, folder in sorted(found)]


def cleanup(app: Flask, now: float | None = None) -> list[Path]:
    """Remove job folders older than :data:`KEEP_FOR` (best effort); the folders removed."""
    removed = expired_folders(app, now)
    for folder in removed:
        shutil.rmtree(folder, ignore_errors=True)
    return removed


def remove_jobs_of(app: Flask, diagnostic_id: int, workshop_ids: list[int]) -> int:
    """Remove the finished jobs of a diagnostic's report and of its workshops' minutes
    (after an erasure their files may hold the erased data); returns how many.

    A running job is left alone (its worker writes into the folder); it was started
    before the erasure was committed, expires after :data:`KEEP_FOR`, and ``diagnostic
    purge`` removes expired files.
    """
    root = jobs_root(app)
    if not root.exists():
        return 0
    wanted = {("report", diagnostic_id), *(("minutes", w) for w in workshop_ids)}
    removed = 0
    for folder in root.iterdir():
        job = get_job(app, folder.name)
        if job is None or not job.finished or (job.kind, job.object_id) not in wanted:
            continue
        shutil.rmtree(folder, ignore_errors=True)
        removed += 1
    return removed
