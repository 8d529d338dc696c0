"""The phone page tells the truth about moderation and shows its author's unpublished items."""

from __future__ import annotations

import html

from diagnostic.live import moderation
from diagnostic.models import Contribution, ModerationMode

SECRET = "Une idée que l'animation n'a pas encore relue"


def phone_page(client, workshop):
    return html.unescape(client.get(f"/j/{workshop.join_code}/contribute").get_data(as_text=True))


def test_the_phone_says_whether_contributions_are_checked_first(app, db, make_workshop):
    workshop = make_workshop()
    client = app.test_client()
    client.post(f"/j/{workshop.join_code}", data={"display_name": "Sam"})
    page = phone_page(client, workshop)
    assert "apparaissent aussitôt pour toute la salle" in page
    assert "relues par l'équipe d'animation" not in page
    workshop.moderation = ModerationMode.PRE
    db.session.commit()
    page = phone_page(client, workshop)
    assert "relues par l'équipe d'animation avant d'apparaître" in page
    assert "apparaissent aussitôt" not in page.split('id="moderation-note"')[1][:200]


def test_a_reloaded_phone_shows_its_own_pending_and_refused_items_only(
    app, db, make_workshop, initiative_data
):
    workshop = make_workshop()
    workshop.moderation = ModerationMode.PRE
    db.session.commit()
    author, witness = app.test_client(), app.test_client()
    author.post(f"/j/{workshop.join_code}", data={"display_name": "Autrice"})
    witness.post(f"/j/{workshop.join_code}", data={"display_name": "Témoin"})
    response = author.post(f"/j/{workshop.join_code}/contribute",
                           data=initiative_data(workshop, description=SECRET))
    assert response.status_code == 302
    page = phone_page(author, workshop)
    assert SECRET in page and "En attente de validation" in page
    assert SECRET not in phone_page(witness, workshop)

    item = db.session.query(Contribution).filter_by(description=SECRET).one()
    moderation.reject(db.session, workshop, None, item.id, "Précisez la commune")
    db.session.commit()
    page = phone_page(author, workshop)
    assert "Non retenue" in page and "Motif : Précisez la commune" in page
    assert "Précisez la commune" not in phone_page(witness, workshop)
