"""Staff synthesis: the affinity board (cards in stake columns, group, move, filters)."""

from __future__ import annotations

import html
import re

import pytest
from markupsafe import escape

from diagnostic.frame import archiving
from diagnostic.live import lifecycle
from diagnostic.models import Contribution, Role, SynthesisItem
from diagnostic.synthesis import editing
from tests.conftest import logged_in_client
from tests.workshops.staff_synthesis.conftest import actions, base, fresh, groups, log_text

JSON = {"Accept": "application/json"}


def board(diagnostic, kind="need", **query) -> str:
    extra = "".join(f"&{k}={v}" for k, v in query.items())
    return f"{base(diagnostic)}/board?kind={kind}{extra}"


def columns(page: str) -> dict[str, list[int]]:
    """The card ids of each column of a board page, by column title."""
    found = {}
    for section in page.split('<section class="board-column')[1:]:
        title = re.search(r'<span class="column-name">([^<]*)</span>', section).group(1)
        found[html.unescape(title)] = [int(i) for i in re.findall(
            r'<li class="board-card[^"]*" id="card-(\d+)"', section)]
    return found


def test_the_board_lists_cards_in_their_stake_columns(staff, seeded, db):
    diagnostic, workshops, items = seeded
    stakes = diagnostic.stakes
    editing.merge(db.session, diagnostic, None, [items["locaux_a"].id, items["locaux_b"].id])
    editing.move(db.session, diagnostic, None, items["finance"].id, stakes[1].id)
    db.session.commit()
    page = staff.get(board(diagnostic)).get_data(as_text=True)
    assert columns(page) == {
        "Sans enjeu": [items["locaux_a"].id, items["benevoles"].id],
        stakes[0].title: [], stakes[1].title: [items["finance"].id]}
    card = page.split(f'id="card-{items["locaux_a"].id}"')[1].split("</li>\n")[0]
    assert "2 contributions" in card and "Atelier 0 · Atelier 1" in card
    assert "Trouver des locaux à loyer abordable" in card  # the members are listed
    assert "3 cartes affichées sur 3" in page
    assert 'id="board-help"' in page and "Regrouper avec…" in page
    ids = re.findall(r' id="([^"]+)"', page)
    assert len(ids) == len(set(ids))
    recommendations = staff.get(board(diagnostic, "recommendation")).get_data(as_text=True)
    assert columns(recommendations)[stakes[0].title] == [items["pepiniere"].id]
    # Linked from the editor; initiatives have no board.
    editor = staff.get(base(diagnostic) + "?kind=need").get_data(as_text=True)
    assert f'href="{base(diagnostic)}/board?kind=need"' in editor
    assert staff.get(board(diagnostic, "initiative")).status_code == 404
    assert staff.get(board(diagnostic, "vote")).status_code == 404


def test_grouping_with_json_calls_merge_and_writes_the_log(staff, seeded, db):
    diagnostic, workshops, items = seeded
    a, b = items["locaux_a"].id, items["locaux_b"].id
    response = staff.post(board(diagnostic).replace("/board?", "/board/group?"), headers=JSON,
                          data={"contribution_id": b, "target_id": a})
    assert response.status_code == 200
    assert response.get_json() == {
        "ok": True, "contribution_id": b,
        "message": "Cartes regroupées : elles forment un seul élément de la synthèse."}
    assert fresh(db, Contribution, a).synthesis_item_id == fresh(
        db, Contribution, b).synthesis_item_id is not None
    assert actions(db) == ["merge"]
    page = staff.get(board(diagnostic)).get_data(as_text=True)
    assert columns(page)["Sans enjeu"] == [a, items["finance"].id, items["benevoles"].id]
    assert ("Besoins « Trouver des locaux abordables » et « Trouver des locaux à loyer "
            "abordable » regroupés par Camille") in log_text(page)


def test_grouping_with_the_card_form_comes_back_to_the_board(staff, seeded, db):
    diagnostic, workshops, items = seeded
    a, b = items["finance"].id, items["benevoles"].id
    url = board(diagnostic, q="a").replace("/board?", "/board/group?")
    response = staff.post(url, data={"contribution_id": b, "target_id": a})
    assert response.status_code == 302
    assert response.headers["Location"].endswith(board(diagnostic, q="a") + f"#unit-{b}")
    page = staff.get(response.headers["Location"]).get_data(as_text=True)
    assert "Cartes regroupées" in page and groups(db) == 1 and actions(db) == ["merge"]


def test_moving_a_card_sets_its_stake_and_writes_the_log(staff, seeded, db):
    diagnostic, workshops, items = seeded
    stake = diagnostic.stakes[1]
    unit = items["finance"].id
    url = board(diagnostic).replace("/board?", "/board/move?")
    response = staff.post(url, headers=JSON, data={"contribution_id": unit,
                                                   "stake_id": str(stake.id)})
    assert response.status_code == 200 and response.get_json()["ok"] is True
    assert response.get_json()["message"] == (
        f"Carte déplacée dans la colonne « {stake.title} ».")
    group = fresh(db, SynthesisItem, fresh(db, Contribution, unit).synthesis_item_id)
    assert group.stake_id == stake.id and actions(db) == ["move"]
    page = staff.get(board(diagnostic)).get_data(as_text=True)
    assert columns(page)[stake.title] == [unit]
    assert (f"Élément « Financer le démarrage des projets » placé sous l'enjeu "
            f"« {stake.title[:40]}") in log_text(page)
    # Back to "no stake", with the plain form.
    response = staff.post(url, data={"contribution_id": unit, "stake_id": ""})
    assert response.status_code == 302
    page = staff.get(response.headers["Location"]).get_data(as_text=True)
    assert "Carte déplacée dans la colonne « Sans enjeu »" in page
    assert unit in columns(page)["Sans enjeu"] and actions(db) == ["move", "move"]
    assert ("Élément « Financer le démarrage des projets » retiré de son enjeu par Camille"
            in log_text(page))
    english = log_text(staff.get(board(diagnostic) + "&lang=en").get_data(as_text=True))
    assert "Item « Financer le démarrage des projets » put under the stake « " in english
    assert "removed from its stake by Camille" in english


@pytest.mark.parametrize("action, case, status, message", [
    ("group", "unknown", 404, "Contribution introuvable."),
    ("group", "itself", 409, "Choisissez au moins deux contributions à regrouper."),
    ("group", "kinds", 409, "On ne regroupe que des contributions de même nature."),
    ("move", "unknown", 404, "Contribution introuvable."),
    ("move", "foreign stake", 404, "Choisissez un enjeu de ce diagnostic."),
    ("move", "junk stake", 404, "Choisissez un enjeu de ce diagnostic."),
    ("move", "initiative", 409,
     "Seuls les besoins et les préconisations se classent par enjeu."),
    ("move", "workshop stake", 409, "Cette préconisation garde l'enjeu choisi en atelier"),
])
@pytest.mark.parametrize("as_json", [True, False], ids=["json", "form"])
def test_refused_actions_say_why_and_change_nothing(staff, seeded, db, make_diagnostic,
                                                    action, case, status, message, as_json):
    diagnostic, workshops, items = seeded
    need = items["finance"].id
    data = {
        ("group", "unknown"): {"contribution_id": need, "target_id": 999_999},
        ("group", "itself"): {"contribution_id": need, "target_id": need},
        ("group", "kinds"): {"contribution_id": need, "target_id": items["pepiniere"].id},
        ("move", "unknown"): {"contribution_id": 999_999, "stake_id": diagnostic.stakes[0].id},
        ("move", "foreign stake"): {"contribution_id": need,
                                    "stake_id": make_diagnostic().stakes[0].id},
        ("move", "junk stake"): {"contribution_id": need, "stake_id": "abc"},
        ("move", "initiative"): {"contribution_id": items["garage"].id,
                                 "stake_id": diagnostic.stakes[0].id},
        ("move", "workshop stake"): {"contribution_id": items["pepiniere"].id,
                                     "stake_id": ""},
    }[action, case]
    url = board(diagnostic).replace("/board?", f"/board/{action}?")
    response = staff.post(url, data=data, headers=JSON if as_json else {})
    assert response.status_code == status
    if as_json:
        assert response.get_json()["ok"] is False
        assert response.get_json()["error"].startswith(message)
    else:
        page = response.get_data(as_text=True)
        assert f'<p class="flash flash-error">{escape(message)}' in page
        assert 'id="board-columns"' in page  # the board again
    assert groups(db) == 0 and actions(db) == []


def test_an_archived_diagnostic_s_board_is_read_only(staff, seeded, db):
    diagnostic, workshops, items = seeded
    for workshop in workshops:
        lifecycle.close_workshop(db.session, workshop, None)
    archiving.archive_diagnostic(db.session, diagnostic)
    db.session.commit()
    page = staff.get(board(diagnostic)).get_data(as_text=True)
    assert "archived-notice" in page and 'data-editable="false"' in page
    assert "card-actions" not in page and 'id="board-help"' not in page
    assert len(columns(page)["Sans enjeu"]) == 4
    response = staff.post(board(diagnostic).replace("/board?", "/board/move?"), headers=JSON,
                          data={"contribution_id": items["finance"].id,
                                "stake_id": diagnostic.stakes[0].id})
    assert response.status_code == 409
    assert response.get_json() == {
        "ok": False, "error": "Ce diagnostic est archivé : restaurez-le pour le modifier."}
    assert groups(db) == 0 and actions(db) == []


def test_filters_by_workshop_and_keyword(staff, seeded, db):
    diagnostic, workshops, items = seeded
    page = staff.get(board(diagnostic, workshop=workshops[2].id)).get_data(as_text=True)
    assert columns(page)["Sans enjeu"] == [items["finance"].id, items["benevoles"].id]
    assert "2 cartes affichées sur 4" in page and "Tout afficher" in page
    assert f'<option value="{workshops[2].id}" selected>' in page
    page = staff.get(board(diagnostic, q="LOYER")).get_data(as_text=True)
    assert columns(page)["Sans enjeu"] == [items["locaux_b"].id]
    assert 'value="LOYER"' in page and "1 carte affichée sur 4" in page
    page = staff.get(board(diagnostic, q="benevoles", workshop=workshops[0].id)).get_data(
        as_text=True)
    assert columns(page)["Sans enjeu"] == []
    # Junk filters are ignored, not an error.
    page = staff.get(board(diagnostic, workshop="x")).get_data(as_text=True)
    assert len(columns(page)["Sans enjeu"]) == 4


def test_a_need_gets_a_stake_in_the_editor(staff, seeded, db):
    diagnostic, workshops, items = seeded
    unit = items["finance"].id
    page = staff.get(base(diagnostic) + "?kind=need").get_data(as_text=True)
    assert f'id="edit-{unit}-stake_id"' in page
    assert '<option selected value="">Aucun enjeu</option>' in page
    stake = diagnostic.stakes[1]
    response = staff.post(base(diagnostic) + f"/items/{unit}?kind=need",
                          data={f"edit-{unit}-stake_id": str(stake.id)})
    assert response.status_code == 302
    page = staff.get(base(diagnostic) + "?kind=need").get_data(as_text=True)
    assert f"Enjeu : {escape(stake.title)}" in page
    assert f'<option selected value="{stake.id}">' in page
    assert unit in columns(staff.get(board(diagnostic)).get_data(as_text=True))[stake.title]


@pytest.mark.parametrize("method, path", [("get", "/board"), ("post", "/board/group"),
                                          ("post", "/board/move")])
def test_only_staff_use_the_board(client, login, make_user, seeded, db, method, path):
    url = base(seeded[0]) + path
    response = getattr(client, method)(url)
    assert response.status_code == 302 and "/auth/login" in response.headers["Location"]
    login(make_user(role=Role.FACILITATOR))
    assert getattr(client, method)(url, headers=JSON).status_code == 403
    assert groups(db) == 0 and actions(db) == []


def test_board_actions_need_the_csrf_token(app, db, make_user, seeded):
    app.config["WTF_CSRF_ENABLED"] = True
    client = logged_in_client(app, db, make_user())
    diagnostic, workshops, items = seeded
    url = board(diagnostic).replace("/board?", "/board/group?")
    data = {"contribution_id": items["locaux_a"].id, "target_id": items["locaux_b"].id}
    response = client.post(url, data=data, headers=JSON)
    assert response.status_code == 400
    assert response.get_json() == {"ok": False, "error": (
        "Ce formulaire a expiré ou vient d'une autre page. Rechargez la page et recommencez : "
        "rien n'a été enregistré.")}
    assert client.post(url, data={**data, "csrf_token": "forged"}).status_code == 400
    assert groups(db) == 0 and actions(db) == []
    page = client.get(board(diagnostic)).get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    response = client.post(url, data={**data, "csrf_token": token}, headers=JSON)
    assert response.status_code == 200 and groups(db) == 1


def test_the_board_reads_in_english(staff, seeded):
    diagnostic = seeded[0]
    page = staff.get(board(diagnostic) + "&lang=en").get_data(as_text=True)
    assert "<title>Affinity board · " in page and ">No stake</span>" in page
    assert "4 cards shown of 4" in page and "Drag a card onto another" in page
    config = re.search(r'<script type="application/json" id="board-config">(.*?)</script>',
                       page, re.S).group(1)
    assert '"targetCard": "Group with \\u201c{card}\\u201d"' in config
    assert "Regrouper" not in config and "Actions" in page
