"""Document exports as background jobs: a child process writes the file, pages follow it."""

import io
import time
import zipfile

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from diagnostic.live import participation
from diagnostic.models import Role, User
from workshops import export_jobs

WAIT = 180  # seconds; a bound on waiting for the child process, not a speed check


@pytest.fixture
def diagnostic(db, make_user, login, make_workshop, make_participant, initiative_data):
    login(make_user())
    workshop = make_workshop(title="Atelier Nord-Est")
    author = make_participant(workshop)
    participation.submit_contribution(db.session, author,
                                 initiative_data(workshop, name="Garage solidaire Écluse"))
    db.session.commit()
    return workshop.diagnostic


def wait_for(client, location: str) -> str:
    """Follow the job page until it is no longer running; returns the final page."""
    deadline = time.monotonic() + WAIT
    while True:
        page = client.get(location).get_data(as_text=True)
        if 'data-status="running"' not in page or time.monotonic() > deadline:
            return page
        time.sleep(0.3)


def start(client, url: str, fmt: str) -> str:
    response = client.post(url, data={"fmt": fmt})
    assert response.status_code == 303
    return response.headers["Location"]


@pytest.mark.parametrize("fmt", ["pdf", "docx", "odt", "xlsx"])
def test_report_job_produces_the_document(client, diagnostic, fmt):
    location = start(client, f"/staff/diagnostics/{diagnostic.id}/report/export", fmt)
    page = wait_for(client, location)
    assert 'data-status="done"' in page, page
    with client.get(location + "/download") as response:
        assert response.status_code == 200
        # Named after the diagnostic (make_diagnostic: "Diagnostic ESS").
        assert response.headers["Content-Disposition"] == (
            f"attachment; filename=diagnostic-ess-rapport.{fmt}")
        body = response.get_data()
    if fmt == "pdf":
        text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(body)).pages)
        assert "Garage solidaire Écluse" in text
    else:
        assert zipfile.is_zipfile(io.BytesIO(body))


def test_minutes_job_for_the_team(client, diagnostic, db):
    workshop = diagnostic.workshops[0]
    location = start(client, f"/staff/workshops/{workshop.id}/minutes/export", "pdf")
    assert 'data-status="done"' in wait_for(client, location)
    with client.get(location + "/download") as response:
        body = response.get_data()
        # The workshop's sector (make_workshop: "Nord") names the file.
        assert response.headers["Content-Disposition"] == (
            "attachment; filename=diagnostic-ess-compte-rendu-atelier-nord.pdf")
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(body)).pages)
    assert "Atelier Nord-Est" in text


def test_the_report_page_offers_the_job_formats(client, diagnostic):
    page = client.get(f"/staff/diagnostics/{diagnostic.id}/report").get_data(as_text=True)
    for fmt in ("pdf", "docx", "odt", "xlsx"):
        assert f'name="fmt" value="{fmt}"' in page


def test_bad_requests_start_nothing(client, diagnostic, app):
    assert client.post(f"/staff/diagnostics/{diagnostic.id}/report/export",
                       data={"fmt": "exe"}).status_code == 400
    assert client.post("/staff/diagnostics/999999/report/export",
                       data={"fmt": "pdf"}).status_code == 404
    root = export_jobs.jobs_root(app)
    assert not root.exists() or not any(root.iterdir())
    for job_id in ("nope", "../../etc", "0" * 32):
        assert client.get(f"/staff/exports/{job_id}").status_code == 404
        assert client.get(f"/staff/exports/{job_id}/download").status_code == 404


def test_a_failing_job_says_so(client, diagnostic, app, db):
    staff = db.session.scalars(select(User)).first()
    job = export_jobs.start_job(app, kind="report", object_id=999_999, fmt="pdf",
                                lang="fr", user_id=staff.id, filename="x.pdf")
    page = wait_for(client, f"/staff/exports/{job.id}")
    assert 'data-status="failed"' in page
    assert client.get(f"/staff/exports/{job.id}/download").status_code == 409


def test_jobs_are_private_to_their_owner(client, diagnostic, app, make_user, login, db):
    location = start(client, f"/staff/diagnostics/{diagnostic.id}/report/export", "xlsx")
    wait_for(client, location)
    client.post("/auth/logout")
    facilitator = make_user(role=Role.FACILITATOR, email="anim@example.org")
    login(facilitator)
    assert client.get(location).status_code == 404
    assert client.get(location + "/download").status_code == 404
    assert client.post(f"/staff/diagnostics/{diagnostic.id}/report/export",
                       data={"fmt": "pdf"}).status_code == 403
    workshop = diagnostic.workshops[0]
    assert client.post(f"/staff/workshops/{workshop.id}/minutes/export",
                       data={"fmt": "pdf"}).status_code == 403


def test_old_jobs_are_cleaned_up(app, tmp_path):
    folder = export_jobs.jobs_root(app) / ("a" * 32)
    folder.mkdir(parents=True)
    export_jobs.cleanup(app, now=time.time() + export_jobs.KEEP_FOR + 10)
    assert not folder.exists()


def test_the_minutes_page_offers_pdf_docx_and_odt(client, diagnostic, db):
    workshop = diagnostic.workshops[0]
    page = client.get(f"/staff/workshops/{workshop.id}/minutes").get_data(as_text=True)
    for fmt in ("pdf", "docx", "odt"):
        assert f'name="fmt" value="{fmt}"' in page
    location = start(client, f"/staff/workshops/{workshop.id}/minutes/export", "odt")
    assert 'data-status="done"' in wait_for(client, location)
    with client.get(location + "/download") as response:
        assert response.headers["Content-Disposition"] == (
            "attachment; filename=diagnostic-ess-compte-rendu-atelier-nord.odt")
        with zipfile.ZipFile(io.BytesIO(response.get_data())) as archive:
            assert archive.read("mimetype") == b"application/vnd.oasis.opendocument.text"
            assert "Atelier Nord-Est" in archive.read("content.xml").decode("utf-8")
