"""Suggestions that respect what staff did, kept in a per-process index kept up to date."""

import pytest
from sqlalchemy import select

from diagnostic.errors import NotFound
from diagnostic.live import participation
from diagnostic.models import ContributionKind, RejectedPair
from diagnostic.synthesis import duplicates, editing, index
from diagnostic.synthesis.scoring import Context, NameScorer
from diagnostic.synthesis.similarity import suggest
from tests.conftest import new_client_id
from tests.diagnostic.synthesis.test_editing import ids, three  # noqa: F401  (fixture)

INITIATIVE = ContributionKind.INITIATIVE
NEED = ContributionKind.NEED


@pytest.fixture(autouse=True)
def _fresh_indexes():
    index.forget()
    yield
    index.forget()


def pairs(found):
    return {(s.first_id, s.second_id) for s in found}


def test_split_and_dissolve_keep_the_pairs_apart_for_good(db, three):  # noqa: F811
    diagnostic, workshops, people, items = three
    a, b, c = items["restos_a"], items["restos_b"], items["restos_c"]
    group = editing.merge(db.session, diagnostic, None, ids(a, b, c))
    assert duplicates.suggestions(db.session, diagnostic, INITIATIVE) == []
    editing.split(db.session, diagnostic, None, c.id)
    rows = db.session.scalars(select(RejectedPair).order_by(RejectedPair.id)).all()
    assert {(r.first_id, r.second_id, r.origin) for r in rows} == {
        (a.id, c.id, "split"), (b.id, c.id, "split")}
    assert pairs(duplicates.suggestions(db.session, diagnostic, INITIATIVE)) == set()
    editing.dissolve(db.session, diagnostic, None, group.id)
    assert (a.id, b.id) in duplicates.refused_pairs(db.session, diagnostic)
    assert duplicates.suggestions(db.session, diagnostic, INITIATIVE) == []
    # Rejecting a pair already kept apart stores nothing twice.
    editing.reject_pair(db.session, diagnostic, None, a.id, c.id)
    assert len(db.session.scalars(select(RejectedPair)).all()) == 3


def test_suggestions_are_across_workshops_unless_asked(db, three):  # noqa: F811
    diagnostic, workshops, people, items = three
    b, c = items["restos_b"], items["restos_c"]  # both raised in workshop 1
    across = pairs(duplicates.suggestions(db.session, diagnostic, INITIATIVE))
    assert (b.id, c.id) not in across and across
    inside = pairs(duplicates.suggestions(db.session, diagnostic, INITIATIVE,
                                          same_workshop=True))
    assert (b.id, c.id) in inside and across < inside


def test_the_index_follows_new_edited_and_merged_contributions(db, three):  # noqa: F811
    diagnostic, workshops, people, items = three
    first = pairs(duplicates.suggestions(db.session, diagnostic, INITIATIVE))
    built = index.index_for(diagnostic.id, "initiative",
                            duplicates.context(db.session, diagnostic))
    assert built.builds == 1 and built.updates == 0
    # Nothing changed: nothing scored again.
    assert pairs(duplicates.suggestions(db.session, diagnostic, INITIATIVE)) == first
    assert (built.builds, built.updates) == (1, 0)
    # A new contribution is scored against the others only.
    new = participation.submit_contribution(db.session, people[2][1], {
        "kind": "initiative", "client_id": new_client_id(), "name": "Restos du Cœur",
        "description": "Colis", "commune": "Toulouse"})[0]
    db.session.commit()
    now = pairs(duplicates.suggestions(db.session, diagnostic, INITIATIVE))
    assert (built.builds, built.updates) == (1, 1)
    assert (items["restos_a"].id, new.id) in now
    # An edit of a name drops its old pairs.
    new.name = "Garage de la Reynerie"
    db.session.commit()
    now = pairs(duplicates.suggestions(db.session, diagnostic, INITIATIVE))
    assert (built.builds, built.updates) == (1, 2)
    assert all(new.id not in pair for pair in now)
    # A merge changes no score: the pair just leaves the suggestions.
    editing.merge(db.session, diagnostic, None, ids(items["restos_a"], items["restos_b"]))
    db.session.commit()
    now = pairs(duplicates.suggestions(db.session, diagnostic, INITIATIVE))
    assert (items["restos_a"].id, items["restos_b"].id) not in now
    assert (built.builds, built.updates) == (1, 2)
    # The incremental result is the full one.
    full = suggest(duplicates.candidates(db.session, diagnostic, INITIATIVE),
                   rejected=duplicates.refused_pairs(db.session, diagnostic),
                   context=duplicates.context(db.session, diagnostic))
    assert now == pairs(full)


def test_a_thesaurus_edit_scores_everything_again(db, three):  # noqa: F811
    diagnostic, workshops, people, items = three
    duplicates.suggestions(db.session, diagnostic, NEED)
    before = index.index_for(diagnostic.id, "need", duplicates.context(db.session, diagnostic))
    diagnostic.thesaurus = "locaux | financer\n"
    db.session.commit()
    duplicates.suggestions(db.session, diagnostic, NEED)
    after = index.index_for(diagnostic.id, "need", duplicates.context(db.session, diagnostic))
    assert after is not before and after.builds == 1


def test_similar_items_from_any_workshop_with_reasons(db, three):  # noqa: F811
    diagnostic, workshops, people, items = three
    unit, found = duplicates.similar(db.session, diagnostic, items["locaux_a"].id)
    assert unit.id == items["locaux_a"].id
    listed = [c.id for c, _score, _reasons in found]
    assert set(listed[:2]) == {items["locaux_b"].id, items["locaux_c"].id}
    assert all(reasons for _c, _s, reasons in found)
    with pytest.raises(NotFound):
        duplicates.similar(db.session, diagnostic, 10**9)


def test_the_diagnostics_places_are_weak_evidence(db, three):  # noqa: F811
    diagnostic, workshops, people, items = three
    context = duplicates.context(db.session, diagnostic)
    assert diagnostic.territory in context.places
    assert all(s.name in context.places for s in diagnostic.sectors)
    sector = diagnostic.sectors[0].name
    scorer = NameScorer([], Context(places=context.places))
    assert sector.split()[0].casefold() in scorer._place_words | {""}
