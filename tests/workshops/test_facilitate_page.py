"""The facilitator console page and the phase panel of phones and the board."""

from __future__ import annotations

import html
import json
import re

from diagnostic.live import facilitation, lifecycle, moderation
from diagnostic.models import Role
from tests.conftest import new_client_id


def config_of(page: str, element_id: str = "live-config") -> dict:
    match = re.search(rf'<script type="application/json" id="{element_id}">(.*?)</script>',
                      page, re.S)
    assert match, element_id
    return json.loads(match.group(1))


def test_console_needs_a_login(client, make_workshop):
    workshop = make_workshop()
    response = client.get(f"/facilitate/{workshop.id}")
    assert response.status_code == 302 and "/auth/login" in response.location


def test_console_refuses_a_facilitator_of_another_workshop(client, login, make_user,
                                                           make_workshop, db):
    workshop = make_workshop()
    login(make_user(role=Role.FACILITATOR))
    assert client.get(f"/facilitate/{workshop.id}").status_code == 403


def test_console_for_an_assigned_facilitator(client, login, make_user, make_workshop, db):
    workshop = make_workshop()
    animator = make_user(role=Role.FACILITATOR)
    workshop.facilitators.append(animator)
    db.session.commit()
    login(animator)
    page = client.get(f"/facilitate/{workshop.id}").get_data(as_text=True)
    config = config_of(page)
    assert config["role"] == "facilitator" and config["workshop_id"] == workshop.id
    for marker in ('id="presence-count"', 'data-phase="needs"', 'id="pending-list"',
                   'id="scribe-form-need"', f'/board/{workshop.id}', 'id="timer-plus5"',
                   f'/staff/workshops/{workshop.id}/minutes'):
        assert marker in page, marker
    assert config["strings"]["actions"]["merge"] == "Fusionner dans…"


def test_console_for_staff_and_unknown_workshop(client, login, make_user, make_workshop):
    workshop = make_workshop()
    login(make_user())
    assert client.get(f"/facilitate/{workshop.id}").status_code == 200
    assert client.get("/facilitate/99999").status_code == 404


def test_phone_and_board_show_the_phase_prompt_and_timer(client, login, make_user,
                                                         make_workshop, db):
    workshop = make_workshop()
    lifecycle.set_phase(db.session, workshop, None, "recommendations")
    facilitation.set_timer(db.session, workshop, None, 600)
    db.session.commit()
    client.post(f"/j/{workshop.join_code}", data={"display_name": "Sam"})
    phone = client.get(f"/j/{workshop.join_code}/contribute").get_data(as_text=True)
    assert "Que devrait faire l'action publique" in html.unescape(phone)
    assert 'id="my-items"' in phone
    assert config_of(phone, "phase-config")["workshop"]["phase_ends_at"] is not None
    login(make_user())
    board = client.get(f"/board/{workshop.id}").get_data(as_text=True)
    assert 'id="phase-panel"' in board and "Préconisations" in board
    assert "js/phases.js" in board


def test_scribe_items_are_labelled_on_the_phone_page(client, make_workshop, make_user,
                                                     initiative_data, db):
    workshop = make_workshop()
    data = {**initiative_data(workshop), "client_id": new_client_id(), "on_behalf_of": "Mme Roux"}
    moderation.scribe_contribution(db.session, workshop, make_user(), data)
    db.session.commit()
    client.post(f"/j/{workshop.join_code}", data={"display_name": "Sam"})
    page = client.get(f"/j/{workshop.join_code}/contribute").get_data(as_text=True)
    assert "saisie par l'animation pour Mme Roux" in html.unescape(page)


def test_http_fallback_holds_a_pre_moderated_item(client, make_workshop, initiative_data, db):
    workshop = make_workshop()
    facilitation.set_moderation(db.session, workshop, None, "pre")
    db.session.commit()
    client.post(f"/j/{workshop.join_code}", data={"display_name": "Sam"})
    response = client.post(f"/j/{workshop.join_code}/contribute",
                           data=initiative_data(workshop), follow_redirects=True)
    page = response.get_data(as_text=True)
    assert "attend la validation" in page
    assert "Coopérative Ozon" not in page.split('id="feed"')[1]


def test_staff_workshop_page_shows_the_audit_log(client, login, make_user, make_workshop,
                                                 initiative_data, db):
    workshop = make_workshop()
    staff = make_user()
    item, _ = moderation.scribe_contribution(db.session, workshop, staff,
                                             initiative_data(workshop))
    moderation.edit(db.session, workshop, staff, item.id, {"description": "Texte <b>revu</b>"})
    db.session.commit()
    login(staff)
    page = client.get(f"/staff/workshops/{workshop.id}").get_data(as_text=True)
    log = html.unescape(page.split('id="audit-log"')[1])
    name = staff.name
    assert f"Contribution n° {item.id} (initiative) saisie par {name} pour" in log
    assert f"Contribution n° {item.id} reformulée par {name} (description)" in log
    assert "« Une coopérative d'activité et d'emploi. » → « Texte <b>revu</b> »" in log
    assert "Texte &lt;b&gt;revu&lt;/b&gt;" in page  # escaped
    assert f"/facilitate/{workshop.id}" in page


def test_staff_assigns_facilitators_in_the_workshop_form(client, login, make_user,
                                                         make_workshop, db):
    workshop = make_workshop()
    animator = make_user(role=Role.FACILITATOR)
    login(make_user())
    form = client.get(f"/staff/workshops/{workshop.id}/edit").get_data(as_text=True)
    assert f'value="{animator.id}"' in form
    response = client.post(f"/staff/workshops/{workshop.id}/edit", data={
        "kind": "territorial", "title": workshop.title, "sector_id": workshop.sector_id,
        "facilitator_ids": [animator.id]})
    assert response.status_code == 302
    db.session.expire_all()
    assert [f.id for f in workshop.facilitators] == [animator.id]
    assert client.get(f"/staff/workshops/{workshop.id}").status_code == 200


def test_every_phase_label_and_prompt_is_in_the_page_language(client, login, make_user,
                                                              make_workshop):
    # Room events carry one language for every listener: the scripts show these instead.
    workshop = make_workshop()
    client.post(f"/j/{workshop.join_code}", data={"display_name": "Sam"})
    french = config_of(client.get(f"/j/{workshop.join_code}/contribute").get_data(
        as_text=True), "phase-config")
    assert french["phases"]["needs"] == "Besoins"
    assert french["prompts"]["needs"].startswith("De quoi les structures")
    client.post("/lang", data={"lang": "en", "next": "/"})
    phone = config_of(client.get(f"/j/{workshop.join_code}/contribute").get_data(
        as_text=True), "phase-config")
    login(make_user())
    board = config_of(client.get(f"/board/{workshop.id}").get_data(as_text=True),
                      "phase-config")
    console = config_of(client.get(f"/facilitate/{workshop.id}").get_data(as_text=True))
    for config in (phone, board, console):
        assert set(config["phases"]) == set(french["phases"]) == {
            "welcome", "initiatives", "needs", "recommendations", "vote", "closed"}
        assert set(config["prompts"]) == set(config["phases"])
        assert config["phases"]["needs"] == "Needs"
        assert config["prompts"]["needs"] == "What do SSE organisations need in order to grow?"
