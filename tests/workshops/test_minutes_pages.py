"""The minutes page and download: the workshop's team only, escaped, as an attachment."""

from __future__ import annotations

import pytest

from diagnostic.models import Role, User, Workshop
from tests.minutes_data import XSS, seed_minutes

PASSWORD = "pw-123456789"


@pytest.fixture
def seeded(db):
    """The known closed workshop (tests/minutes_data.py)."""
    return seed_minutes(db.session, password=PASSWORD)


def _page(client, workshop_id: int, suffix: str = ""):
    return client.get(f"/staff/workshops/{workshop_id}/minutes{suffix}")


@pytest.mark.parametrize("suffix", ["", ".html"])
def test_anonymous_visitors_are_sent_to_login(client, seeded, suffix):
    response = _page(client, seeded.workshop_id, suffix)
    assert response.status_code == 302
    assert "/auth/login" in response.headers["Location"]


@pytest.mark.parametrize("suffix", ["", ".html"])
def test_a_facilitator_of_another_workshop_is_refused(client, login, make_user, seeded, suffix):
    login(make_user(role=Role.FACILITATOR))
    assert _page(client, seeded.workshop_id, suffix).status_code == 403


def test_the_assigned_facilitator_reads_the_minutes(client, login, db, seeded):
    facilitator = db.session.query(User).filter_by(email=seeded.facilitator_email).one()
    login(facilitator, PASSWORD)
    response = _page(client, seeded.workshop_id)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "Atelier Nord" in html and "Créer un fonds d" in html
    # A facilitator gets no link to staff-only pages.
    assert f'href="/staff/workshops/{seeded.workshop_id}"' not in html
    assert "/staff/facilitation" in html


def test_staff_read_the_minutes_inside_the_staff_layout(client, login, make_user, seeded):
    login(make_user())
    response = _page(client, seeded.workshop_id)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert '<main id="content"' in html and 'class="report-root minutes-root"' in html
    assert f'href="/staff/workshops/{seeded.workshop_id}/minutes.html"' in html
    assert "réservé à l'équipe d'étude et à l'animation" in html
    # Published items with tallies; hidden and pending ones left out.
    assert "Une coopérative d&#39;activité et d&#39;emploi." in html
    assert "Saisie par l&#39;animation pour Mme Durand" in html
    assert "Propos injurieux masqué" not in html
    assert "Préconisation en attente de validation" not in html
    # Names only with consent.
    assert "Alice Nommée" in html
    for anonymous in ("Bruno Anonyme", "Chloé Discrète", "Dan Caché"):
        assert anonymous not in html
    assert XSS not in html and "&lt;script&gt;" in html


def test_the_download_is_a_standalone_html_attachment(client, login, make_user, seeded):
    login(make_user())
    response = _page(client, seeded.workshop_id, ".html")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/html; charset=utf-8"
    assert response.headers["Content-Disposition"] == (
        "attachment; filename=diagnostic-ess-compte-rendu-atelier-nord.html")
    body = response.get_data(as_text=True)
    assert body.startswith("<!DOCTYPE html>") and "<style>" in body
    assert "Créer un fonds d" in body and XSS not in body


def test_the_english_interface_gets_english_minutes(client, login, make_user, seeded):
    login(make_user())
    response = client.get(f"/staff/workshops/{seeded.workshop_id}/minutes.html?lang=en")
    body = response.get_data(as_text=True)
    assert '<html lang="en">' in body and "April 12, 2011" in body


def test_an_unknown_workshop_is_a_404(client, login, make_user):
    login(make_user())
    assert _page(client, 999).status_code == 404


def test_the_staff_workshop_page_links_to_the_minutes_once_closed(
        client, login, make_user, db, seeded, make_workshop):
    login(make_user())
    page = client.get(f"/staff/workshops/{seeded.workshop_id}").get_data(as_text=True)
    assert f'href="/staff/workshops/{seeded.workshop_id}/minutes"' in page
    assert "Compte-rendu de l'atelier" in page
    draft = make_workshop(db.session.get(Workshop, seeded.workshop_id).diagnostic,
                          status="draft", title="Atelier brouillon")
    page = client.get(f"/staff/workshops/{draft.id}").get_data(as_text=True)
    assert f"/staff/workshops/{draft.id}/minutes" not in page
