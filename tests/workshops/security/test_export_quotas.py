"""Export job quotas (issue 14, finding 5: 8 worker processes started in under a second).

The worker's process is replaced by a fake that never ends (``processes``), so a started
job stays running for the count, and the tests see exactly which processes were started.
"""

from __future__ import annotations

import html
import json
import time

import pytest

from diagnostic.models import Role
from workshops import export_jobs

TOO_MANY_MINE = "Vos exports précédents sont encore en cours : attendez qu'ils se terminent."
SERVER_BUSY = "Le serveur génère déjà d'autres documents : réessayez dans une minute."
TOO_MANY_ASKED = "Vous avez demandé beaucoup d'exports : réessayez dans quelques minutes."


@pytest.fixture
def app_config(app_config):
    return {**app_config, "EXPORT_JOBS_PER_ACCOUNT": 2, "EXPORT_JOBS_RUNNING": 4,
            "EXPORT_RATE_PER_ACCOUNT": "20/day"}


class FakeProcess:
    def wait(self, timeout=None):
        raise AssertionError("the reaper is not run in these tests")


@pytest.fixture
def processes(monkeypatch):
    """The commands of the worker processes started (none really is)."""
    started: list[list[str]] = []

    def popen(command, **_kwargs):
        started.append(command)
        return FakeProcess()

    monkeypatch.setattr(export_jobs.subprocess, "Popen", popen)
    monkeypatch.setattr(export_jobs, "_reap", lambda process, folder: None)
    return started


@pytest.fixture
def staff(make_user, login):
    user = make_user()
    login(user)
    return user


def export(client, diagnostic, fmt="pdf"):
    return client.post(f"/staff/diagnostics/{diagnostic.id}/report/export", data={"fmt": fmt})


def text(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def fake_job(app, user_id: int, *, age: float = 0, finished: bool = False) -> None:
    """A job folder as another server process would have left it."""
    folder = export_jobs.jobs_root(app) / f"{time.monotonic_ns():032x}"[-32:]
    folder.mkdir(parents=True)
    (folder / "job.json").write_text(json.dumps({
        "kind": "report", "object_id": 1, "fmt": "pdf", "lang": "fr", "user_id": user_id,
        "filename": "x.pdf", "created_at": time.time() - age}))
    if finished:
        (folder / "result.json").write_text('{"status": "done"}')


def test_an_account_runs_at_most_its_quota_of_jobs(client, staff, make_workshop, processes,
                                                   app):
    diagnostic = make_workshop().diagnostic
    assert [export(client, diagnostic, fmt).status_code for fmt in ("pdf", "docx")] == [303] * 2
    refused = export(client, diagnostic, "odt")
    assert refused.status_code == 429
    assert int(refused.headers["Retry-After"]) >= 1
    assert TOO_MANY_MINE in text(refused)
    assert len(processes) == 2  # the refused job started no process
    assert len(export_jobs.running_owners(app)) == 2
    # Once a job is finished, the account may start another.
    folder = next(p for p in export_jobs.jobs_root(app).iterdir() if p.is_dir())
    (folder / "result.json").write_text('{"status": "done"}')
    assert export(client, diagnostic).status_code == 303
    assert len(processes) == 3


def test_minutes_jobs_count_too(client, make_user, login, make_workshop, processes, db):
    workshop = make_workshop()
    facilitator = make_user(role=Role.FACILITATOR)
    workshop.facilitators.append(facilitator)
    db.session.commit()
    login(facilitator)
    url = f"/staff/workshops/{workshop.id}/minutes/export"
    statuses = [client.post(url, data={"fmt": "pdf"}).status_code for _ in range(3)]
    assert statuses == [303, 303, 429]
    assert len(processes) == 2


def test_the_instance_runs_at_most_its_quota_of_jobs(client, staff, make_workshop, processes,
                                                     app):
    diagnostic = make_workshop().diagnostic
    for owner in (1001, 1002, 1003):  # jobs of other accounts, maybe other processes
        fake_job(app, owner)
    fake_job(app, 1004, finished=True)  # finished: not counted
    fake_job(app, 1005, age=export_jobs.TIMEOUT + 60)  # its server died: not counted
    assert export(client, diagnostic).status_code == 303
    refused = export(client, diagnostic, "docx")
    assert refused.status_code == 503
    assert SERVER_BUSY in text(refused)
    assert len(processes) == 1


def test_an_account_starts_at_most_its_rate_of_jobs(client, staff, make_workshop, processes,
                                                    app):
    app.config.update(EXPORT_JOBS_PER_ACCOUNT=0, EXPORT_JOBS_RUNNING=0,  # 0: no quota
                      EXPORT_RATE_PER_ACCOUNT="3/day")
    diagnostic = make_workshop().diagnostic
    assert [export(client, diagnostic).status_code for _ in range(3)] == [303] * 3
    refused = export(client, diagnostic)
    assert refused.status_code == 429
    assert TOO_MANY_ASKED in text(refused)
    assert len(processes) == 3


def test_the_probe_eight_jobs_at_once_start_two(client, staff, make_workshop, processes):
    diagnostic = make_workshop().diagnostic
    statuses = [export(client, diagnostic).status_code for _ in range(8)]
    assert statuses == [303, 303] + [429] * 6
    assert len(processes) == 2
