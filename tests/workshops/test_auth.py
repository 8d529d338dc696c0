"""Logging in and out, and who may see the staff pages (anonymous, facilitator, staff)."""

import pytest

from diagnostic.models import Diagnostic, Role, WorkshopStatus
from tests.conftest import PASSWORD

# Every staff page, as templates filled with the ids of a diagnostic (d), its workshop (w),
# stake (s), sector (r), theme (t) and a term (m).
STAFF_GETS = [
    "/staff/diagnostics/{d}",
    "/staff/diagnostics/{d}/settings",
    "/staff/diagnostics/{d}/taxonomies",
    "/staff/diagnostics/{d}/contributions",
    "/staff/diagnostics/{d}/report",
    "/staff/diagnostics/{d}/report.csv",
    "/staff/diagnostics/{d}/workshops/new",
    "/staff/workshops/{w}",
    "/staff/workshops/{w}/edit",
]
STAFF_POSTS = [
    "/staff/diagnostics",
    "/staff/diagnostics/{d}",
    "/staff/diagnostics/{d}/stakes",
    "/staff/diagnostics/{d}/sectors",
    "/staff/diagnostics/{d}/themes",
    "/staff/diagnostics/{d}/terms/ess_family",
    "/staff/stakes/{s}",
    "/staff/stakes/{s}/move",
    "/staff/stakes/{s}/delete",
    "/staff/sectors/{r}/delete",
    "/staff/themes/{t}/delete",
    "/staff/terms/{m}",
    "/staff/terms/{m}/delete",
    "/staff/diagnostics/{d}/workshops/new",
    "/staff/workshops/{w}/edit",
    "/staff/workshops/{w}/open",
    "/staff/workshops/{w}/close",
    "/staff/workshops/{w}/reopen",
]


@pytest.fixture
def ids(make_workshop):
    """Ids to fill the URL templates (a draft workshop in a full diagnostic)."""
    workshop = make_workshop(status="draft")
    diagnostic = workshop.diagnostic
    return {"d": diagnostic.id, "w": workshop.id, "s": diagnostic.stakes[1].id,
            "r": diagnostic.sectors[1].id, "t": diagnostic.themes[0].id,
            "m": diagnostic.terms[-1].id}


def snapshot(db, ids):
    """What a refused request must leave untouched."""
    db.session.expire_all()
    diagnostic = db.session.get(Diagnostic, ids["d"])
    return (db.session.query(Diagnostic).count(), diagnostic.title, len(diagnostic.stakes),
            len(diagnostic.sectors), len(diagnostic.themes), len(diagnostic.terms),
            [w.status for w in diagnostic.workshops])


@pytest.mark.parametrize("url", ["/staff/", "/staff/facilitation", *STAFF_GETS])
def test_anonymous_users_are_sent_to_the_login_page(client, ids, url):
    response = client.get(url.format(**ids))
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/auth/login?next=")


@pytest.mark.parametrize("url", STAFF_POSTS)
def test_anonymous_posts_change_nothing(client, db, ids, url):
    before = snapshot(db, ids)
    response = client.post(url.format(**ids), data={"title": "Pirate", "direction": "up"})
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/auth/login")
    assert snapshot(db, ids) == before


@pytest.fixture
def facilitator(make_user, login):
    user = make_user(role=Role.FACILITATOR)
    login(user)
    return user


@pytest.mark.parametrize("url", STAFF_GETS)
def test_facilitators_get_403_on_staff_pages(client, ids, facilitator, url):
    assert client.get(url.format(**ids)).status_code == 403


@pytest.mark.parametrize("url", STAFF_POSTS)
def test_facilitators_cannot_change_anything(client, db, ids, facilitator, url):
    before = snapshot(db, ids)
    response = client.post(url.format(**ids), data={"title": "Pirate", "direction": "up"})
    assert response.status_code == 403
    assert snapshot(db, ids) == before


def test_facilitators_see_the_workshops_they_run(
    client, db, make_diagnostic, make_workshop, facilitator
):
    diagnostic = make_diagnostic()
    running = make_workshop(diagnostic, title="Atelier en cours")
    planned = make_workshop(diagnostic, status="draft", title="Atelier prévu")
    closed = make_workshop(diagnostic, status="closed", title="Atelier terminé")
    make_workshop(diagnostic, title="Atelier d'une autre équipe")
    for workshop in (closed, planned, running):
        workshop.facilitators.append(facilitator)
    db.session.commit()
    response = client.get("/staff/")
    assert response.status_code == 302
    assert response.headers["Location"] == "/staff/facilitation"
    page = client.get("/staff/facilitation").get_data(as_text=True)
    assert "Atelier d&#39;une autre équipe" not in page
    # Open ones first, then planned, then closed ones with their minutes.
    assert page.index("Atelier en cours") < page.index("Atelier prévu") < page.index(
        "Atelier terminé")
    assert f'href="/board/{running.id}"' in page and planned.join_code in page
    assert f'href="/facilitate/{running.id}"' in page
    assert f'href="/staff/workshops/{closed.id}/minutes"' in page


def test_wrong_password_is_refused_in_french(client, make_user):
    user = make_user()
    response = client.post("/auth/login", data={"email": user.email, "password": "nope"})
    assert response.status_code == 401
    assert "Adresse e-mail ou mot de passe incorrect." in response.get_data(as_text=True)
    assert client.get("/staff/").status_code == 302  # still anonymous


def test_inactive_accounts_cannot_log_in(client, db, make_user):
    user = make_user()
    user.active = False
    db.session.commit()
    response = client.post("/auth/login", data={"email": user.email, "password": PASSWORD})
    assert response.status_code == 401


def test_good_login_opens_the_staff_pages_and_logout_is_post_only(client, make_user):
    user = make_user()
    response = client.post("/auth/login?next=/staff/",
                           data={"email": user.email.upper(), "password": PASSWORD})
    assert response.status_code == 302 and response.headers["Location"] == "/staff/"
    assert client.get("/staff/").status_code == 200
    assert client.get("/auth/logout").status_code == 405
    assert client.get("/staff/").status_code == 200  # the GET did not log out
    assert client.post("/auth/logout").status_code == 302
    assert client.get("/staff/").status_code == 302


def test_login_refuses_open_redirects(client, make_user):
    user = make_user()
    response = client.post("/auth/login?next=//evil.example/",
                           data={"email": user.email, "password": PASSWORD})
    assert response.headers["Location"] == "/"


def test_french_by_default_and_english_switchable(client):
    page = client.get("/auth/login").get_data(as_text=True)
    assert '<html lang="fr">' in page and "Connexion" in page
    response = client.post("/lang", data={"lang": "en", "next": "/auth/login"})
    assert response.status_code == 302 and response.headers["Location"] == "/auth/login"
    english = client.get("/auth/login")
    assert english.status_code == 200
    assert '<html lang="en">' in english.get_data(as_text=True)


def test_staff_pages_are_french(client, make_user, login, make_workshop):
    login(make_user())
    workshop = make_workshop()
    assert WorkshopStatus(workshop.status) == WorkshopStatus.OPEN
    page = client.get(f"/staff/workshops/{workshop.id}").get_data(as_text=True)
    assert "Code pour rejoindre l'atelier" in page and "Ouvert" in page
