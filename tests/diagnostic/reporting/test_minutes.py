"""Composition of a workshop's minutes on a known data set (tests/minutes_data.py)."""

from __future__ import annotations

from datetime import date

import pytest

from diagnostic.models import Workshop
from diagnostic.reporting.minutes_build import compose_minutes
from tests.minutes_data import XSS, seed_minutes


@pytest.fixture
def seeded(db):
    """The known workshop, closed, and its ids."""
    return seed_minutes(db.session)


@pytest.fixture
def minutes(db, seeded):
    """The minutes of the known workshop, French source strings."""
    return compose_minutes(db.session, db.session.get(Workshop, seeded.workshop_id))


def _shown(minutes) -> dict[int, object]:
    """Every item shown at the top level of a kind section, by id."""
    return {item.id: item for section in minutes.sections for item in section.items}


def test_heading_says_what_where_when_and_who_facilitated(minutes):
    info = minutes.workshop
    assert (info.title, info.subject, info.place, info.date) == (
        "Atelier Nord", "Nord", "Salle Osète", date(2011, 4, 12))
    assert (info.kind_label, info.subject_label) == ("Atelier territorial", "Secteur territorial")
    assert info.is_closed and info.status_label == "Clos"
    assert info.diagnostic_title == "Diagnostic ESS"
    assert minutes.facilitators == ["Léa Animatrice"]


def test_participants_are_counted_by_actor_type_and_named_only_with_consent(minutes):
    people = minutes.participation
    assert people.total == 4
    assert [(row.label, row.count) for row in people.by_actor_type] == [
        ("Association", 2), ("Élu·e", 1), ("Non précisé", 1)]
    # Organisations are listed once whatever their case or spacing.
    assert people.organisations == ["Coopérative Ozon", "Régie de quartier"]
    assert [(p.name, p.organisation) for p in people.named] == [
        ("Alice Nommée", "Coopérative Ozon")]
    authors = {item.author for item in _shown(minutes).values()}
    assert authors == {"Alice Nommée", None}


def test_only_published_items_are_shown_and_the_excluded_are_counted(minutes, seeded):
    shown = _shown(minutes)
    assert seeded.hidden_need not in shown
    assert seeded.pending_recommendation not in shown
    assert (minutes.excluded.hidden, minutes.excluded.pending) == (1, 1)
    assert [(row.key, row.count) for row in minutes.counts] == [
        ("initiative", 2), ("need", 2), ("recommendation", 1)]
    assert minutes.total == 5


def test_a_merged_item_is_shown_once_under_its_target_with_summed_tallies(minutes, seeded):
    shown = _shown(minutes)
    assert seeded.merged_source not in shown
    target = shown[seeded.initiative]
    assert [source.id for source in target.sources] == [seeded.merged_source]
    source = target.sources[0]
    assert (source.title, source.supports, source.dots) == ("CAE Ozon", 1, 1)
    assert (target.supports, target.dots) == (3, 2)
    initiatives = minutes.sections[0]
    assert (initiatives.kind, initiatives.merged_count) == ("initiative", 1)


def test_scribe_items_are_labelled_and_facts_resolved(minutes, seeded):
    shown = _shown(minutes)
    scribe = shown[seeded.scribe_need]
    assert scribe.scribe_note == "Saisie par l'animation pour Mme Durand"
    assert scribe.author is None
    assert shown[seeded.need].scribe_note is None
    facts = {fact.label: fact.value for fact in shown[seeded.initiative].facts}
    assert facts == {"Commune": "Toulouse", "Emplois (ETP)": 4.5, "Stade": "Consolidée"}
    facts = {fact.label: fact.value for fact in shown[seeded.recommendation].facts}
    assert facts == {"Enjeu": "Favoriser le développement de l'ESS", "Échéance": "Court terme"}


def test_top_voted_ranks_by_dots_then_supports_ties_sharing_a_rank(minutes, seeded):
    ranking = [(row.rank, row.item.id) for row in minutes.top_voted]
    assert ranking == [
        (1, seeded.recommendation), (2, seeded.initiative),
        (3, seeded.xss_initiative), (3, seeded.need),
    ]
    assert seeded.scribe_need not in {row.item.id for row in minutes.top_voted}


def test_the_ranking_keeps_at_most_ten_items(db, seeded):
    from diagnostic.reporting.minutes_build import rank

    minutes = compose_minutes(db.session, db.session.get(Workshop, seeded.workshop_id))
    items = [minutes.top_voted[0].item] * 12
    assert len(rank(items)) == 10 == minutes.top_limit


def test_user_text_is_kept_as_text_for_renderers_to_escape(minutes, seeded):
    assert _shown(minutes)[seeded.xss_initiative].title == f"Jardin {XSS}"


def test_labels_go_through_translate(db, seeded):
    def shout(message: str, **params) -> str:
        return (message % params if params else message).upper()

    minutes = compose_minutes(db.session, db.session.get(Workshop, seeded.workshop_id), shout)
    assert [s.label for s in minutes.sections] == ["INITIATIVES", "BESOINS", "PRÉCONISATIONS"]
    scribe = _shown(minutes)[seeded.scribe_need]
    assert scribe.scribe_note == "SAISIE PAR L'ANIMATION POUR MME DURAND"


def test_an_empty_workshop_has_empty_minutes(db, make_workshop):
    minutes = compose_minutes(db.session, make_workshop(status="closed"))
    assert minutes.total == 0 and minutes.top_voted == []
    assert minutes.participation.total == 0 and minutes.participation.by_actor_type == []
    assert all(section.items == [] for section in minutes.sections)
    assert minutes.facilitators == []
