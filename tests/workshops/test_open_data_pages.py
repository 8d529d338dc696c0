"""The open-data pages: staff publish (CSRF, staff only, audited), the public directory
page searches and filters without JavaScript, the files and schemas; 404 when unpublished."""

from __future__ import annotations

import pytest

from diagnostic.live import participation
from diagnostic.models import Role, SynthesisAuditEntry
from tests.conftest import logged_in_client
from tests.opendata_checks import table_errors, validate_json
from tests.workshops.test_staff_participants import token_of

SECRET = "Claire Dupont"


@pytest.fixture
def app_config(app_config):
    """CSRF on: the publish form must carry its token, as in production."""
    return {**app_config, "WTF_CSRF_ENABLED": True}


@pytest.fixture
def staff(app, db, make_user):
    return logged_in_client(app, db, make_user())


@pytest.fixture
def diagnostic(db, make_workshop, make_participant, initiative_data):
    workshop = make_workshop(title="Atelier Nord")
    author = make_participant(workshop, SECRET, organisation="Coop Secrète",
                              agreed_to_be_named=True)
    for name, commune in (("Épicerie solidaire", "Blagnac"), ("Garage associatif", "Toulouse"),
                          ("Recyclerie du Nord", "Blagnac")):
        participation.submit_contribution(db.session, author, initiative_data(
            workshop, name=name, commune=commune, description=f"{name} : une initiative."))
    db.session.commit()
    return workshop.diagnostic


def urls(diagnostic) -> list[str]:
    base = f"/donnees-ouvertes/{diagnostic.id}"
    return [base, f"{base}/initiatives.csv", f"{base}/initiatives.json"]


def publish(staff, diagnostic, action: str = "publish"):
    token = token_of(staff, f"/staff/diagnostics/{diagnostic.id}")
    return staff.post(f"/staff/diagnostics/{diagnostic.id}/open-data/{action}",
                      data={"csrf_token": token})


def test_unpublished_directories_answer_404_everywhere(client, diagnostic):
    for url in urls(diagnostic):
        assert client.get(url).status_code == 404, url
    assert client.get("/donnees-ouvertes/99999").status_code == 404
    page = client.get("/donnees-ouvertes/").get_data(as_text=True)
    assert diagnostic.title not in page


def test_only_staff_publish_with_a_csrf_token(app, db, client, make_user, staff, diagnostic):
    url = f"/staff/diagnostics/{diagnostic.id}/open-data/publish"
    assert client.post(url).status_code in (302, 400)  # anonymous: refused
    assert diagnostic.open_data_published_at is None
    facilitator = logged_in_client(app, db, make_user(role=Role.FACILITATOR))
    token = token_of(staff, f"/staff/diagnostics/{diagnostic.id}")
    assert facilitator.post(url, data={"csrf_token": token}).status_code in (400, 403)
    assert staff.post(url).status_code == 400  # no token
    db.session.refresh(diagnostic)
    assert diagnostic.open_data_published_at is None


def test_publish_then_read_then_withdraw(db, client, staff, diagnostic):
    response = publish(staff, diagnostic)
    assert response.status_code == 302
    db.session.refresh(diagnostic)
    assert diagnostic.open_data_published_at is not None
    assert "open-data-unpublish" in staff.get(
        f"/staff/diagnostics/{diagnostic.id}").get_data(as_text=True)

    index = client.get("/donnees-ouvertes/").get_data(as_text=True)
    assert diagnostic.title in index
    page = client.get(f"/donnees-ouvertes/{diagnostic.id}").get_data(as_text=True)
    assert "3 initiatives" in page and SECRET not in page and "Coop Secrète" not in page
    for name in ("Épicerie solidaire", "Garage associatif", "Recyclerie du Nord"):
        assert name in page

    found = client.get(f"/donnees-ouvertes/{diagnostic.id}?commune=Blagnac&q=epicerie")
    text = found.get_data(as_text=True)
    assert "1 initiative sur 3" in " ".join(text.split())
    assert "Épicerie solidaire" in text and "Recyclerie du Nord" not in text
    long = client.get(f"/donnees-ouvertes/{diagnostic.id}?q={'x' * 201}")
    assert long.status_code == 400

    csv_file = client.get(f"/donnees-ouvertes/{diagnostic.id}/initiatives.csv")
    assert csv_file.mimetype == "text/csv"
    assert csv_file.headers["Access-Control-Allow-Origin"] == "*"
    assert table_errors(csv_file.data) == []
    json_file = client.get(f"/donnees-ouvertes/{diagnostic.id}/initiatives.json")
    assert validate_json(json_file.data)["count"] == 3
    for body in (csv_file.data, json_file.data):
        assert SECRET.encode() not in body
    for name in ("initiatives.json", "initiatives-tableschema.json"):
        assert client.get(f"/donnees-ouvertes/schema/{name}").json

    assert publish(staff, diagnostic, "unpublish").status_code == 302
    for url in urls(diagnostic):
        assert client.get(url).status_code == 404, url
    actions = db.session.scalars(db.select(SynthesisAuditEntry.action).order_by(
        SynthesisAuditEntry.id)).all()
    assert actions == ["open_data_published", "open_data_unpublished"]
    log = staff.get(f"/staff/diagnostics/{diagnostic.id}/synthesis").get_data(as_text=True)
    assert "Répertoire des initiatives publié en données ouvertes par Camille" in log
    assert "Répertoire des initiatives retiré des données ouvertes par Camille" in log
