"""Staff synthesis: the editor (report order, edits, manual merges, split, undo)."""

from __future__ import annotations

import re

import pytest
from markupsafe import escape
from sqlalchemy import func, select

from diagnostic.frame import archiving
from diagnostic.live import lifecycle, participation, supports
from diagnostic.models import Contribution, SynthesisItem, Vocabulary
from diagnostic.synthesis import editing
from tests.conftest import new_client_id
from tests.workshops.staff_synthesis.conftest import (
    actions,
    base,
    block,
    fresh,
    groups,
    log_text,
)


def test_the_editor_lists_items_in_report_order_with_their_figures(staff, seeded, db,
                                                                   make_participant):
    diagnostic, workshops, items = seeded
    editing.merge(db.session, diagnostic, None,
                  [items["locaux_a"].id, items["locaux_b"].id])
    db.session.commit()
    for name in ("Ana", "Léo"):
        supports.support_contribution(db.session, make_participant(workshops[0], name),
                                      items["locaux_a"].id)
        db.session.commit()
    page = staff.get(base(diagnostic) + "?kind=need").get_data(as_text=True)
    item = block(page, f'id="item-{items["locaux_a"].id}"')
    assert "Soulevé dans 2 ateliers sur 3, par 2 structures" in item
    assert "2 mentions" in item and "2 ateliers" in item and "2 structures" in item
    assert "2 soutiens" in item and "gommette" not in item
    assert "2 contributions regroupées" in item and item.count(">Détacher<") == 2
    assert "Défaire le regroupement" in item
    assert 'placeholder="Trouver des locaux abordables"' in item
    assert f'href="{base(diagnostic)}/suggestions?kind=need"' in page
    ids = re.findall(r' id="([^"]+)"', page)
    assert len(ids) == len(set(ids))  # labels find their fields
    initiatives = staff.get(base(diagnostic)).get_data(as_text=True)
    titles = re.findall(r'<h3 id="item-\d+-title">([^<]+)</h3>', initiatives)
    assert titles == ["Garage solidaire", "Les Restos du Cœur", "restos du coeur",
                      "Restos du coeur 31"]


def test_manual_merge_of_a_selection(staff, seeded, db):
    diagnostic, workshops, items = seeded
    chosen = [items["restos_a"].id, items["restos_b"].id, items["restos_c"].id]
    response = staff.post(base(diagnostic) + "/merge?kind=initiative&page=1",
                          data={"contribution_ids": chosen})
    assert response.status_code == 302
    assert response.headers["Location"].endswith(base(diagnostic) + "?kind=initiative&page=1")
    page = staff.get(response.headers["Location"]).get_data(as_text=True)
    assert "3 mentions" in page and "3 ateliers" in page
    assert re.findall(r'<h3 id="item-\d+-title">([^<]+)</h3>', page) == [
        "Garage solidaire", "Les Restos du Cœur"]
    assert ("Initiatives « Les Restos du Cœur », « restos du coeur » et « Restos du coeur 31 » "
            "regroupées par Camille") in log_text(page)


def test_editing_an_item_saves_it_and_the_report_follows(staff, seeded, db):
    diagnostic, workshops, items = seeded
    group = editing.merge(db.session, diagnostic, None,
                          [items["restos_a"].id, items["restos_b"].id])
    db.session.commit()
    prefix = f"edit-{items['restos_a'].id}"
    response = staff.post(
        base(diagnostic) + f"/items/{items['restos_a'].id}?kind=initiative&page=1",
        data={f"{prefix}-title": "Restos du Cœur (Haute-Garonne)",
              f"{prefix}-summary": "Aide alimentaire et repas chauds",
              f"{prefix}-position": "1", f"{prefix}-priority": "y"})
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"#item-{items['restos_a'].id}")
    saved = fresh(db, SynthesisItem, group.id)
    assert (saved.title, saved.summary, saved.position, saved.priority) == (
        "Restos du Cœur (Haute-Garonne)", "Aide alimentaire et repas chauds", 1, True)
    assert actions(db) == ["merge", "edit"]
    page = staff.get(base(diagnostic)).get_data(as_text=True)
    titles = re.findall(r'<h3 id="item-\d+-title">([^<]+)</h3>', page)
    assert titles[0] == "Restos du Cœur (Haute-Garonne)"
    assert "Rang 1" in page and 'class="badge priority"' in page
    log = log_text(page)
    assert ("Élément « Les Restos du Cœur » modifié par Camille (titre, texte de synthèse, "
            "rang, priorité)") in log
    assert "Titre : « Les Restos du Cœur » → « Restos du Cœur (Haute-Garonne) »" in log
    assert "Priorité : non → oui" in log and "Rang : ordre automatique → 1" in log
    report = staff.get(f"/staff/diagnostics/{diagnostic.id}/report").get_data(as_text=True)
    assert "Restos du Cœur (Haute-Garonne)" in report


def test_editing_a_lone_item_makes_a_group_of_one(staff, seeded, db):
    diagnostic, workshops, items = seeded
    garage = items["garage"].id
    response = staff.post(base(diagnostic) + f"/items/{garage}",
                          data={f"edit-{garage}-priority": "y"})
    assert response.status_code == 302
    assert fresh(db, Contribution, garage).synthesis_item_id is not None
    page = staff.get(base(diagnostic)).get_data(as_text=True)
    item = block(page, f'id="item-{garage}"')
    assert "Priorité" in item and "Défaire le regroupement" not in item


@pytest.mark.parametrize("field, value, message", [
    ("position", "premier", "Le rang doit être un nombre entier positif."),
    ("position", "0", "Le rang doit être un nombre entier positif."),
    ("title", "x" * 301, "Le titre ne doit pas dépasser 300 caractères."),
    ("stake_id", "999999", "Choisissez un enjeu de ce diagnostic."),
    ("stake_id", "abc", "Choisissez un enjeu de ce diagnostic."),
])
def test_invalid_edits_show_the_french_error_and_change_nothing(staff, seeded, db, field,
                                                                 value, message):
    diagnostic, workshops, items = seeded
    unit = items["pepiniere"].id
    prefix = f"edit-{unit}"
    response = staff.post(base(diagnostic) + f"/items/{unit}?kind=recommendation",
                          data={f"{prefix}-title": "Nouveau titre", f"{prefix}-{field}": value})
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert f'<p class="error" id="{prefix}-{field}-error">{message}</p>' in page
    assert "Rien n&#39;a été enregistré" in page
    # The refused form is shown open, with what was typed.
    typed = 'value="Nouveau titre"' if field != "title" else f'value="{value}"'
    assert 'class="item-edit" open' in page and typed in page
    assert groups(db) == 0 and actions(db) == []
    assert fresh(db, Contribution, unit).synthesis_item_id is None


def test_a_recommendation_gets_a_stake_from_the_editor(staff, seeded, db):
    diagnostic, workshops, items = seeded
    unit = items["pepiniere"].id
    page = staff.get(base(diagnostic) + "?kind=recommendation").get_data(as_text=True)
    assert '<option selected value="">Enjeu choisi en atelier</option>' in page
    second = diagnostic.stakes[1]
    response = staff.post(base(diagnostic) + f"/items/{unit}?kind=recommendation",
                          data={f"edit-{unit}-stake_id": str(second.id)})
    assert response.status_code == 302
    page = staff.get(base(diagnostic) + "?kind=recommendation").get_data(as_text=True)
    assert f"Enjeu : {escape(second.title)}" in page
    assert f'<option selected value="{second.id}">' in page


def test_detaching_a_source_and_undoing_a_group(staff, seeded, db):
    diagnostic, workshops, items = seeded
    a, b, c = (items[k].id for k in ("restos_a", "restos_b", "restos_c"))
    group = editing.merge(db.session, diagnostic, None, [a, b, c])
    db.session.commit()
    response = staff.post(base(diagnostic) + f"/units/{c}/split?kind=initiative&page=1")
    assert response.status_code == 302
    assert fresh(db, Contribution, c).synthesis_item_id is None
    assert fresh(db, Contribution, a).synthesis_item_id == group.id
    page = staff.get(response.headers["Location"]).get_data(as_text=True)
    assert "Contribution détachée" in page
    assert ("Contribution « Restos du coeur 31 » détachée de « Les Restos du Cœur » et "
            "« restos du coeur » par Camille") in log_text(page)
    response = staff.post(base(diagnostic) + f"/groups/{group.id}/dissolve?kind=initiative")
    assert response.status_code == 302
    assert fresh(db, SynthesisItem, group.id) is None
    assert fresh(db, Contribution, a).synthesis_item_id is None
    assert actions(db) == ["merge", "split", "dissolve"]
    page = staff.get(base(diagnostic)).get_data(as_text=True)
    assert ("Regroupement de « Les Restos du Cœur » et « restos du coeur » défait par Camille"
            in log_text(page))
    # Detaching a contribution that is in no group is refused with its reason.
    response = staff.post(base(diagnostic) + f"/units/{a}/split")
    assert response.status_code == 409
    assert "Cette contribution n&#39;est regroupée avec aucune autre." in response.get_data(
        as_text=True)
    assert actions(db) == ["merge", "split", "dissolve"]


def test_dissolving_an_unknown_group_is_404(staff, seeded, db):
    response = staff.post(base(seeded[0]) + "/groups/999999/dissolve")
    assert response.status_code == 404
    assert "Élément de synthèse introuvable." in response.get_data(as_text=True)


def test_the_editor_pages_fifty_items(staff, db, make_workshop, make_participant):
    workshop = make_workshop()
    author = make_participant(workshop)
    category = workshop.diagnostic.terms_of(Vocabulary.NEED_CATEGORY)[0].id
    for n in range(55):
        participation.submit_contribution(db.session, author, {
            "kind": "need", "client_id": new_client_id(), "need_category_id": category,
            "description": f"Besoin numéro {n:02d}"})
        db.session.commit()
    url = base(workshop.diagnostic) + "?kind=need"
    first = staff.get(url).get_data(as_text=True)
    assert first.count('class="card synthesis-item') == 50
    assert "page 1 sur 2" in first and 'rel="next"' in first
    second = staff.get(url + "&page=2").get_data(as_text=True)
    assert second.count('class="card synthesis-item') == 5 and 'rel="prev"' in second
    # A page past the end shows the last one.
    assert staff.get(url + "&page=9").get_data(as_text=True).count(
        'class="card synthesis-item') == 5


def test_the_item_editor_counts_characters(staff, seeded):
    diagnostic, _workshops, items = seeded
    page = staff.get(base(diagnostic) + "?kind=need").get_data(as_text=True)
    item = block(page, f'id="item-{items["finance"].id}"')
    assert 'data-maxlength="300"' in item
    assert f'id="edit-{items["finance"].id}-title-counter"' in item
    assert 'data-maxlength="5000"' in item and "-summary-counter" in item
    assert " maxlength=" not in item  # nothing cut: the server refuses instead


def test_an_archived_diagnostic_s_synthesis_is_read_only(staff, seeded, db):
    diagnostic, workshops, items = seeded
    for workshop in workshops:
        lifecycle.close_workshop(db.session, workshop, None)
    archiving.archive_diagnostic(db.session, diagnostic)
    db.session.commit()
    page = staff.get(base(diagnostic) + "?kind=need").get_data(as_text=True)
    assert "archived-notice" in page
    assert "Regrouper la sélection" not in page and ">Modifier<" not in page
    suggestions = staff.get(base(diagnostic) + "/suggestions?kind=need").get_data(as_text=True)
    assert "archived-notice" in suggestions and ">Regrouper<" not in suggestions
    target = items["finance"].id
    refused = staff.post(f"{base(diagnostic)}/items/{target}?kind=need", data={
        f"edit-{target}-title": "Titre", f"edit-{target}-summary": "Résumé"})
    assert refused.status_code == 409
    assert "Ce diagnostic est archivé : restaurez-le pour le modifier." in refused.get_data(
        as_text=True)
    merged = staff.post(f"{base(diagnostic)}/merge?kind=need", data={
        "contribution_ids": [items["locaux_a"].id, items["locaux_b"].id]})
    assert merged.status_code == 409
    assert db.session.scalar(select(func.count()).select_from(SynthesisItem)) == 0
