"""Staff: find a participant, show and download their data, erase it (CSRF on)."""

from __future__ import annotations

import json
import re
import uuid

import pytest

from diagnostic.live import participation
from diagnostic.models import AuditEntry, Contribution, Participant, Role
from tests.conftest import logged_in_client
from workshops import export_jobs

NAME = "Zélie Brandouin"
ORGANISATION = "Coopérative des Lilas Bleus"
EMAIL = "zelie.brandouin@lilas.example"


@pytest.fixture
def app_config(app_config):
    """CSRF protection on: the erase form must carry its token, as in production."""
    return {**app_config, "WTF_CSRF_ENABLED": True}


@pytest.fixture
def staff(app, db, make_user):
    return logged_in_client(app, db, make_user())


@pytest.fixture
def zelie(db, make_diagnostic, make_workshop, make_participant, initiative_data):
    diagnostic = make_diagnostic()
    north = make_workshop(diagnostic, title="Atelier Nord")
    make_workshop(diagnostic, title="Atelier Sud", sector_id=diagnostic.sectors[1].id)
    make_participant(north, "Paul", organisation="Mairie")
    person = make_participant(north, NAME, organisation=ORGANISATION, agreed_to_be_named=True,
                              agreed_to_publish_contact=True)
    participation.submit_contribution(db.session, person, initiative_data(
        north, name="Jardin des Lilas", contact=EMAIL, description=f"Animé par {NAME}."))
    db.session.commit()
    return person


def token_of(client, url: str) -> str:
    page = client.get(url).get_data(as_text=True)
    tag = re.search(r'<input[^>]*name="csrf_token"[^>]*>', page).group(0)
    return re.search(r'value="([^"]+)"', tag).group(1)


def base(person) -> str:
    return f"/staff/diagnostics/{person.workshop.diagnostic_id}/participants"


def test_facilitators_may_not_see_personal_data(app, db, make_user, zelie):
    facilitator = logged_in_client(app, db, make_user(role=Role.FACILITATOR))
    for url in (base(zelie), f"{base(zelie)}/{zelie.id}", f"{base(zelie)}/{zelie.id}/data.json",
                f"{base(zelie)}/{zelie.id}/erase"):
        assert facilitator.get(url).status_code == 403, url
    assert facilitator.post(f"{base(zelie)}/{zelie.id}/erase").status_code in (400, 403)
    db.session.expire_all()
    assert not db.session.get(Participant, zelie.id).is_erased


def test_the_diagnostic_page_links_to_the_search(staff, zelie):
    page = staff.get(f"/staff/diagnostics/{zelie.workshop.diagnostic_id}").get_data(as_text=True)
    assert f'href="{base(zelie)}"' in page
    assert "Données personnelles des participant·es" in page


@pytest.mark.parametrize("query, found", [
    ("", [NAME, "Paul"]), ("zelie", [NAME]), ("lilas bleus", [NAME]), ("brandouin@lilas", [NAME]),
    ("MAIRIE", ["Paul"]), ("inconnu", []),
])
def test_search(staff, zelie, query, found):
    page = staff.get(base(zelie), query_string={"q": query}).get_data(as_text=True)
    for name in (NAME, "Paul"):
        assert (f">{name}</a>" in page) == (name in found), (query, name)


def test_search_by_workshop_and_bad_input(staff, zelie):
    south = zelie.workshop.diagnostic.workshops[1]
    page = staff.get(base(zelie), query_string={"workshop": south.id}).get_data(as_text=True)
    assert "Personne ne correspond" in page
    response = staff.get(base(zelie), query_string={"workshop": "999"})
    assert response.status_code == 400
    assert "appartient pas au diagnostic." in response.get_data(as_text=True)
    assert staff.get(base(zelie), query_string={"q": "x" * 201}).status_code == 400
    assert staff.get(f"{base(zelie)}/999999").status_code == 404


def test_participant_page_and_json_download(staff, zelie):
    page = staff.get(f"{base(zelie)}/{zelie.id}").get_data(as_text=True)
    for text in (NAME, ORGANISATION, EMAIL, f"Animé par {NAME}.", "Télécharger ses données (JSON)",
                 "Effacer ses données"):
        assert text in page, text
    response = staff.get(f"{base(zelie)}/{zelie.id}/data.json")
    assert response.status_code == 200
    assert response.headers["Content-Disposition"].startswith("attachment;")
    assert "no-store" in response.headers["Cache-Control"]
    data = json.loads(response.get_data(as_text=True))
    assert data["participant"]["display_name"] == NAME
    assert data["contributions"][0]["contact"] == EMAIL


def fake_job(app, kind: str, object_id: int, finished: bool = True) -> str:
    """A job folder as export_jobs writes it (finished or still running)."""
    folder = export_jobs.jobs_root(app) / uuid.uuid4().hex
    folder.mkdir(parents=True)
    (folder / "job.json").write_text(json.dumps({
        "kind": kind, "object_id": object_id, "fmt": "pdf", "lang": "fr", "user_id": 1,
        "filename": "a.pdf", "created_at": 0}))
    (folder / "a.pdf").write_bytes(b"%PDF")
    if finished:
        (folder / "result.json").write_text('{"status": "done"}')
    return folder.name


def test_erasure_with_confirmation(app, db, staff, zelie, make_diagnostic):
    url = f"{base(zelie)}/{zelie.id}/erase"
    confirmation = staff.get(url).get_data(as_text=True)
    for text in ("Ce qui sera effacé", "Ce qui sera conservé", "ses contributions : 1, anonymisée",
                 "ses soutiens et ses votes"):
        assert text in confirmation, text
    other = make_diagnostic("Autre")
    workshop_id = zelie.workshop_id
    gone = [fake_job(app, "report", zelie.workshop.diagnostic_id),
            fake_job(app, "minutes", workshop_id)]
    kept = [fake_job(app, "report", other.id), fake_job(app, "minutes", workshop_id, False)]
    assert staff.post(url).status_code == 400  # no CSRF token: nothing erased
    db.session.expire_all()
    assert not db.session.get(Participant, zelie.id).is_erased
    response = staff.post(url, data={"csrf_token": token_of(staff, url)}, follow_redirects=True)
    page = response.get_data(as_text=True)
    assert "ont été effacées" in page and "Participant·e anonymisé·e" in page
    assert NAME not in page and ORGANISATION not in page and EMAIL not in page
    db.session.expire_all()
    person = db.session.get(Participant, zelie.id)
    assert person.is_erased and person.display_name == "Participant·e anonymisé·e"
    contribution = db.session.query(Contribution).filter_by(participant_id=person.id).one()
    assert contribution.contact is None and NAME not in contribution.description
    assert db.session.query(AuditEntry).filter_by(action="participant_erased").count() == 1
    root = export_jobs.jobs_root(app)
    assert [j for j in gone if (root / j).exists()] == []
    assert all((root / j).exists() for j in kept)
    # A second erasure changes nothing and says so.
    again = staff.post(url, data={"csrf_token": token_of(staff, f"{base(zelie)}/{zelie.id}")},
                       follow_redirects=True).get_data(as_text=True)
    assert "déjà effacées" in again
    assert db.session.query(AuditEntry).filter_by(action="participant_erased").count() == 1


def test_erased_participants_read_in_the_page_language(staff, db, zelie):
    from diagnostic.models import utcnow
    from diagnostic.privacy.erasure import erase_participant

    erase_participant(db.session, zelie, user=None, at=utcnow())
    db.session.commit()
    diagnostic_id = zelie.workshop.diagnostic_id
    page = staff.get(f"/staff/diagnostics/{diagnostic_id}/contributions",
                     query_string={"lang": "en"}).get_data(as_text=True)
    assert "Anonymised participant" in page and "Participant·e anonymisé·e" not in page
