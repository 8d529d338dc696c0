"""Staff synthesis tools: pairs of one workshop on request, similar items, the thesaurus."""

from __future__ import annotations

import html
from datetime import UTC, datetime

from sqlalchemy import select

from diagnostic.live import participation
from diagnostic.models import Diagnostic, RejectedPair, SynthesisAuditEntry
from diagnostic.synthesis import thesaurus
from tests.conftest import new_client_id
from tests.workshops.staff_synthesis.conftest import actions, base, block, fresh, groups


def text(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def test_pairs_of_one_workshop_are_shown_on_request(staff, seeded, db, make_participant):
    diagnostic, workshops, items = seeded
    other = make_participant(workshops[0], "Q", organisation="Autre")
    twin = participation.submit_contribution(db.session, other, {
        "kind": "initiative", "client_id": new_client_id(), "name": "Les Restos du Coeur",
        "description": "Colis", "commune": "Toulouse"})[0]
    db.session.commit()
    pair = f'id="pair-{items["restos_a"].id}-{twin.id}"'
    across = text(staff.get(base(diagnostic) + "/suggestions"))
    assert pair not in across and 'name="same" value="1">' in across
    inside = text(staff.get(base(diagnostic) + "/suggestions?kind=initiative&same=1"))
    assert pair in inside and 'name="same" value="1" checked>' in inside
    # Acting from that view comes back to it.
    response = staff.post(base(diagnostic) + "/reject?kind=initiative&page=1&same=1",
                          data={"first_id": items["restos_a"].id, "second_id": twin.id})
    assert response.status_code == 302 and "same=1" in response.headers["Location"]


def test_similar_items_list_the_nearest_with_reasons_and_actions(staff, seeded, db):
    diagnostic, workshops, items = seeded
    unit = items["locaux_a"]
    page = text(staff.get(base(diagnostic) + f"/similar/{unit.id}"))
    assert "Éléments similaires" in page and "Trouver des locaux abordables" in page
    card = block(page, f'id="similar-{items["locaux_b"].id}"')
    assert "Mots en commun" in card and "Atelier 1" in card
    assert ">Regrouper<" in card and ">Pas un doublon<" in card
    assert 'id="similar-' + str(items["restos_a"].id) not in page  # other kinds never
    # Group from there: back on the same page, the pair now shown as grouped.
    response = staff.post(
        base(diagnostic) + f"/merge?kind=need&from=similar&unit={unit.id}",
        data={"contribution_ids": [unit.id, items["locaux_b"].id]})
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/similar/{unit.id}")
    assert groups(db) == 1 and actions(db) == ["merge"]
    card = block(text(staff.get(base(diagnostic) + f"/similar/{unit.id}")),
                 f'id="similar-{items["locaux_b"].id}"')
    assert "Déjà dans le même élément de synthèse" in card and ">Regrouper<" not in card


def test_rejecting_from_similar_items_is_kept(staff, seeded, db):
    diagnostic, workshops, items = seeded
    unit, other = items["locaux_a"], items["finance"]
    response = staff.post(base(diagnostic) + f"/reject?kind=need&from=similar&unit={unit.id}",
                          data={"first_id": unit.id, "second_id": other.id})
    assert response.headers["Location"].endswith(f"/similar/{unit.id}")
    assert db.session.scalars(select(RejectedPair)).one().origin == "reject"


def test_similar_items_of_an_unknown_or_foreign_unit_are_404(staff, seeded, make_diagnostic,
                                                             make_workshop, make_participant,
                                                             db):
    diagnostic, workshops, items = seeded
    assert staff.get(base(diagnostic) + "/similar/999999").status_code == 404
    foreign = make_diagnostic(title="Autre")
    assert staff.get(base(foreign) + f"/similar/{items['locaux_a'].id}").status_code == 404
    assert staff.get(base(diagnostic) + "/merge?from=similar&unit=x").status_code == 405


def test_the_thesaurus_shows_the_default_and_saves_an_edit(staff, seeded, db):
    diagnostic, workshops, items = seeded
    page = text(staff.get(base(diagnostic) + "/thesaurus"))
    assert "Thésaurus par défaut" in page and "tiers-lieu | espace partagé" in page
    assert "Rétablir le thésaurus par défaut" not in page
    edited = (thesaurus.default_text()
              + "\ntrouver des locaux abordables | financer le démarrage des projets\n")
    response = staff.post(base(diagnostic) + "/thesaurus", data={"text": edited})
    assert response.status_code == 302
    stored = fresh(db, Diagnostic, diagnostic.id).thesaurus
    assert stored.rstrip().endswith("financer le démarrage des projets")
    entry = db.session.scalars(select(SynthesisAuditEntry)).one()
    assert entry.action == "thesaurus"
    assert entry.after["added"] == [
        "trouver des locaux abordables | financer le démarrage des projets"]
    assert entry.after["removed_count"] == 0
    page = text(staff.get(base(diagnostic) + "/thesaurus"))
    assert "Thésaurus propre à ce diagnostic" in page
    assert "Rétablir le thésaurus par défaut" in page
    log = text(staff.get(base(diagnostic)))
    assert "Thésaurus modifié par" in log and "concepts ajoutés : 1, retirés : 0" in log
    # The new concept brings two needs together: their shared concept is a reason.
    similar = text(staff.get(base(diagnostic) + f"/similar/{items['locaux_a'].id}"))
    card = block(similar, f'id="similar-{items["finance"].id}"')
    assert "Mots en commun : trouver des locaux abordables" in card
    # Back to the default.
    response = staff.post(base(diagnostic) + "/thesaurus/default")
    assert response.status_code == 302
    assert fresh(db, Diagnostic, diagnostic.id).thesaurus is None
    assert actions(db)[-1] == "thesaurus"


def test_a_wrong_thesaurus_is_refused_line_by_line_and_nothing_changes(staff, seeded, db):
    diagnostic, workshops, items = seeded
    wrong = "tiers-lieu | espace partagé\nseul\nlocaux | bureaux | Tiers-Lieu\n"
    response = staff.post(base(diagnostic) + "/thesaurus", data={"text": wrong})
    assert response.status_code == 400
    page = text(response)
    assert "Ligne 2 : donnez au moins deux termes séparés par « | »." in page
    assert "Ligne 3 : « Tiers-Lieu » figure déjà ligne 1." in page
    assert "seul" in page  # the text typed is shown again, to be fixed
    assert fresh(db, Diagnostic, diagnostic.id).thesaurus is None
    assert actions(db) == []


def test_an_archived_diagnostic_keeps_its_thesaurus(staff, seeded, db):
    diagnostic, workshops, items = seeded
    diagnostic.archived_at = datetime.now(UTC)
    db.session.commit()
    page = text(staff.get(base(diagnostic) + "/thesaurus"))
    assert "Enregistrer le thésaurus" not in page
    response = staff.post(base(diagnostic) + "/thesaurus", data={"text": "a | b"})
    assert response.status_code == 409
    assert fresh(db, Diagnostic, diagnostic.id).thesaurus is None


def test_the_thesaurus_page_reads_in_english(staff, seeded):
    diagnostic, workshops, items = seeded
    page = text(staff.get(base(diagnostic) + "/thesaurus?lang=en"))
    assert "Suggestion thesaurus" in page and "Save the thesaurus" in page


def test_a_thesaurus_too_long_is_refused_with_its_reason(staff, seeded, db):
    diagnostic, workshops, items = seeded
    response = staff.post(base(diagnostic) + "/thesaurus",
                          data={"text": "a | b\n" * 3001})
    assert response.status_code == 400
    assert "ne doit pas dépasser 3 000 lignes" in text(response)
    assert fresh(db, Diagnostic, diagnostic.id).thesaurus is None
