"""Staff synthesis: the duplicate suggestions page, merging or rejecting a pair."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from diagnostic.live import participation
from diagnostic.models import Contribution, RejectedPair
from tests.workshops.staff_synthesis.conftest import actions, base, block, fresh, groups


def test_suggestions_show_both_sides_the_score_and_why(staff, seeded, similarity):
    diagnostic, workshops, items = seeded
    response = staff.get(base(diagnostic) + "/suggestions")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    pair = f'id="pair-{items["restos_a"].id}-{items["restos_b"].id}"'
    assert pair in page
    card = block(page, pair)
    assert "Les Restos du Cœur" in card and "restos du coeur" in card
    assert "Atelier 0" in card and "Atelier 1" in card and "Toulouse" in card
    assert re.search(r'class="score">\d+ %<', card)
    assert "Même commune : Toulouse" in card
    assert ">Regrouper</button>" in card and ">Pas un doublon</button>" in card
    assert "Garage solidaire" not in page
    # Tabs count the contributions of each kind; needs have their own tab.
    assert re.search(r'kind=initiative" aria-current="page">Initiatives <span class="count">4<',
                     page)
    needs = staff.get(base(diagnostic) + "/suggestions?kind=need").get_data(as_text=True)
    assert "Trouver des locaux abordables" in needs and "Les Restos" not in needs


def test_merging_a_suggested_pair_groups_it_and_comes_back(staff, seeded, db, similarity):
    diagnostic, workshops, items = seeded
    first, second = items["restos_a"].id, items["restos_b"].id
    response = staff.post(base(diagnostic) + "/merge?kind=initiative&page=1&from=suggestions",
                          data={"contribution_ids": [first, second]})
    assert response.status_code == 302
    assert response.headers["Location"].endswith(
        base(diagnostic) + "/suggestions?kind=initiative&page=1")
    group = fresh(db, Contribution, first).synthesis_item_id
    assert group is not None and fresh(db, Contribution, second).synthesis_item_id == group
    assert actions(db) == ["merge"]
    page = staff.get(response.headers["Location"]).get_data(as_text=True)
    assert "Contributions regroupées" in page
    assert f'id="pair-{first}-{second}"' not in page
    # The third mention is still suggested, and says its partner is already in a group.
    assert f'pair-{first}-{items["restos_c"].id}' in page
    assert "Déjà regroupée avec 1 autre contribution" in page


def test_rejecting_a_pair_hides_it_for_good(staff, seeded, db, similarity):
    diagnostic, workshops, items = seeded
    first, second = items["locaux_a"].id, items["locaux_b"].id
    url = base(diagnostic) + "/suggestions?kind=need"
    assert f'id="pair-{first}-{second}"' in staff.get(url).get_data(as_text=True)
    response = staff.post(base(diagnostic) + "/reject?kind=need&page=1",
                          data={"first_id": second, "second_id": first})
    assert response.status_code == 302
    assert response.headers["Location"].endswith(
        base(diagnostic) + "/suggestions?kind=need&page=1")
    db.session.expire_all()
    assert db.session.scalar(select(func.count()).select_from(RejectedPair)) == 1
    assert actions(db) == ["reject"]
    page = staff.get(url).get_data(as_text=True)
    assert "ne seront plus proposées" in page and f'id="pair-{first}-{second}"' not in page
    assert "parmi 4 contributions" in page


@pytest.mark.parametrize("data, message, status", [
    ({"contribution_ids": ["1"]}, "Choisissez au moins deux contributions à regrouper.", 409),
    ({"contribution_ids": ["999999", "x"]}, "Contribution introuvable.", 404),
])
def test_a_refused_merge_says_why_and_changes_nothing(staff, seeded, db, similarity, data,
                                                       message, status):
    diagnostic = seeded[0]
    response = staff.post(base(diagnostic) + "/merge?kind=initiative&from=suggestions",
                          data=data)
    assert response.status_code == status
    assert message in response.get_data(as_text=True)
    assert groups(db) == 0 and actions(db) == []


def test_merging_different_kinds_is_refused(staff, seeded, db):
    diagnostic, workshops, items = seeded
    response = staff.post(base(diagnostic) + "/merge?kind=need", data={
        "contribution_ids": [items["locaux_a"].id, items["garage"].id]})
    assert response.status_code == 409
    assert "On ne regroupe que des contributions de même nature." in response.get_data(
        as_text=True)
    assert groups(db) == 0


def test_rejecting_a_pair_of_another_diagnostic_is_404(staff, seeded, db, make_diagnostic,
                                                       make_workshop, make_participant,
                                                       initiative_data, similarity):
    other = make_workshop(make_diagnostic(title="Autre"))
    stranger = participation.submit_contribution(
        db.session, make_participant(other), initiative_data(other))[0]
    db.session.commit()
    response = staff.post(base(seeded[0]) + "/reject", data={
        "first_id": seeded[2]["garage"].id, "second_id": stranger.id})
    assert response.status_code == 404
    assert "Contribution introuvable." in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.scalar(select(func.count()).select_from(RejectedPair)) == 0
