"""Merging contributions of several workshops into the synthesis, and the report built on it."""

from datetime import date

import pytest
from sqlalchemy import func, select

from diagnostic.errors import DomainError, NotFound, ValidationError
from diagnostic.live import moderation, participation, supports
from diagnostic.models import (
    Contribution,
    ContributionStatus,
    Phase,
    RejectedPair,
    SynthesisAuditEntry,
    SynthesisItem,
    Vocabulary,
)
from diagnostic.reporting.report_build import compose_report
from diagnostic.synthesis import duplicates, editing
from tests.conftest import new_client_id


@pytest.fixture
def three(db, make_diagnostic, make_workshop, make_participant):
    """Three workshops; the same initiative and the same need raised in several of them."""
    diagnostic = make_diagnostic()
    workshops = [
        make_workshop(diagnostic, title=f"Atelier {n}", date=date(2011, 4, 10 + n))
        for n in range(3)
    ]
    people = [
        [make_participant(w, f"P{w.id}-{k}", organisation=f"Structure {w.id}-{k}")
         for k in range(2)]
        for w in workshops
    ]

    category = diagnostic.terms_of(Vocabulary.NEED_CATEGORY)[0].id

    def submit(who, kind, **fields):
        data = {"kind": kind, "client_id": new_client_id(), **fields}
        if kind == "need":
            data["need_category_id"] = category
        return participation.submit_contribution(db.session, who, data)[0]

    items = {
        "restos_a": submit(people[0][0], "initiative", name="Les Restos du Cœur",
                           description="Aide alimentaire", commune="Toulouse"),
        "restos_b": submit(people[1][0], "initiative", name="restos du coeur",
                           description="Distribution de repas", commune="Toulouse"),
        "restos_c": submit(people[1][1], "initiative", name="Restos du coeur 31",
                           description="Repas chauds"),
        "garage": submit(people[2][0], "initiative", name="Garage solidaire",
                         description="Réparation à prix réduit", commune="Blagnac"),
        "locaux_a": submit(people[0][1], "need", description="Trouver des locaux abordables"),
        "locaux_b": submit(people[1][0], "need", description="Des locaux à loyer modéré"),
        "locaux_c": submit(people[2][1], "need", description="Accès à des locaux pas chers"),
        "finance": submit(people[2][0], "need", description="Financer le démarrage"),
    }
    items["pepiniere"] = submit(
        people[2][1], "recommendation", description="Créer une pépinière ESS",
        stake_id=diagnostic.stakes[0].id,
        answered_need_ids=[items["locaux_c"].id],
    )
    return diagnostic, workshops, people, items


def ids(*contributions):
    return [c.id for c in contributions]


def test_merge_groups_units_of_several_workshops_and_the_report_folds_them(db, three):
    diagnostic, workshops, people, items = three
    group = editing.merge(db.session, diagnostic, None,
                          ids(items["restos_a"], items["restos_b"], items["restos_c"]))
    assert group.title == "Les Restos du Cœur"
    report = compose_report(db.session, diagnostic)
    names = [i.title for i in report.initiatives]
    assert names == ["Garage solidaire", "Les Restos du Cœur"]
    restos = report.initiatives[1]
    assert restos.id == items["restos_a"].id and restos.synthesis_id == group.id
    assert restos.mentions == 3 and restos.workshop_ids == ids(*workshops[:2])
    assert restos.organisation_count == 3
    assert [s.contribution_id for s in restos.sources] == ids(
        items["restos_a"], items["restos_b"], items["restos_c"])
    assert restos.sources[1].workshop_title == "Atelier 1"
    # Nothing is deleted: the raw contributions annex still lists all three.
    assert len([r for r in report.contributions if r.kind == "initiative"]) == 4


def test_needs_are_ranked_by_convergence_with_a_sentence(db, three):
    diagnostic, workshops, people, items = three
    editing.merge(db.session, diagnostic, None,
                  ids(items["locaux_a"], items["locaux_b"], items["locaux_c"]))
    report = compose_report(db.session, diagnostic)
    first, second = report.needs
    assert first.id == items["locaux_a"].id and first.mentions == 3
    assert first.convergence == "Soulevé dans 3 ateliers sur 3, par 3 structures"
    assert second.convergence == "Soulevé dans 1 atelier sur 3, par 1 structure"
    # The recommendation answering one of the merged needs points at the merged need.
    (recommendation,) = report.recommendations
    assert [n.id for n in recommendation.answered_needs] == [first.id]


def test_supports_and_dots_are_summed_over_sources(db, three):
    diagnostic, workshops, people, items = three
    supports.support_contribution(db.session, people[0][0], items["locaux_a"].id)
    supports.support_contribution(db.session, people[1][1], items["locaux_b"].id)
    workshops[1].phase = Phase.VOTE
    db.session.commit()
    supports.set_dots(db.session, people[1][1], items["locaux_b"].id, 2)
    editing.merge(db.session, diagnostic, None, ids(items["locaux_a"], items["locaux_b"]))
    need = compose_report(db.session, diagnostic).needs[0]
    assert (need.supports, need.dots) == (2, 2)


def test_items_merged_inside_a_workshop_come_along(db, three):
    diagnostic, workshops, people, items = three
    moderation.merge(db.session, workshops[1], None, items["restos_c"].id, items["restos_b"].id)
    with pytest.raises(DomainError):
        editing.merge(db.session, diagnostic, None, ids(items["restos_a"], items["restos_c"]))
    editing.merge(db.session, diagnostic, None, ids(items["restos_a"], items["restos_b"]))
    restos = next(i for i in compose_report(db.session, diagnostic).initiatives
                  if i.id == items["restos_a"].id)
    assert restos.mentions == 3


def test_merging_two_groups_keeps_the_first_and_fills_its_gaps(db, three):
    diagnostic, workshops, people, items = three
    first = editing.merge(db.session, diagnostic, None,
                          ids(items["locaux_a"], items["locaux_b"]))
    second = editing.merge(db.session, diagnostic, None,
                           ids(items["locaux_c"], items["finance"]))
    editing.update_item(db.session, diagnostic, None, items["finance"].id,
                        {"title": "Locaux", "summary": "Des locaux", "priority": True})
    second_id = second.id
    merged = editing.merge(db.session, diagnostic, None,
                           ids(items["locaux_b"], items["finance"]))
    assert merged.id == first.id
    assert (merged.title, merged.summary, merged.priority) == ("Locaux", "Des locaux", True)
    assert db.session.get(SynthesisItem, second_id) is None
    members = db.session.scalars(
        select(Contribution.id).where(Contribution.synthesis_item_id == merged.id)).all()
    assert sorted(members) == sorted(ids(items["locaux_a"], items["locaux_b"],
                                         items["locaux_c"], items["finance"]))


def test_split_and_dissolve_undo_and_everything_is_audited(db, three, make_user):
    diagnostic, workshops, people, items = three
    staff = make_user()
    group = editing.merge(db.session, diagnostic, staff,
                          ids(items["restos_a"], items["restos_b"], items["restos_c"]))
    editing.split(db.session, diagnostic, staff, items["restos_c"].id)
    assert items["restos_c"].synthesis_item_id is None
    report = compose_report(db.session, diagnostic)
    assert sorted(i.mentions for i in report.initiatives) == [1, 1, 2]
    editing.dissolve(db.session, diagnostic, staff, group.id)
    assert db.session.scalar(select(func.count()).select_from(SynthesisItem)) == 0
    assert [i.mentions for i in compose_report(db.session, diagnostic).initiatives] == [1] * 4
    log = editing.audit_log(db.session, diagnostic)
    assert [e.action for e in log] == ["dissolve", "split", "merge"]
    assert log[0].before["members"] == ids(items["restos_a"], items["restos_b"])
    assert log[0].before["title"] == "Les Restos du Cœur" and log[0].user_id == staff.id
    assert log[2].after["members"] == ids(items["restos_a"], items["restos_b"],
                                          items["restos_c"])


def test_bad_merges_change_nothing(db, three, make_diagnostic, make_workshop,
                                   make_participant):
    diagnostic, workshops, people, items = three
    other = make_participant(make_workshop(make_diagnostic()), "X")
    foreign = participation.submit_contribution(db.session, other, {
        "kind": "initiative", "client_id": new_client_id(), "name": "Ailleurs",
        "description": "Ailleurs"})[0]
    items["finance"].status = ContributionStatus.HIDDEN
    db.session.commit()
    cases = [
        ([items["restos_a"].id], DomainError),
        ([items["restos_a"].id, items["locaux_a"].id], DomainError),
        ([items["restos_a"].id, foreign.id], NotFound),
        ([items["locaux_a"].id, items["finance"].id], DomainError),
        ([items["locaux_a"].id, "12"], NotFound),
        ([items["locaux_a"].id, 999_999], NotFound),
    ]
    for contribution_ids, error in cases:
        with pytest.raises(error):
            editing.merge(db.session, diagnostic, None, contribution_ids)
        db.session.rollback()
    assert db.session.scalar(select(func.count()).select_from(SynthesisItem)) == 0
    assert db.session.scalar(select(func.count()).select_from(SynthesisAuditEntry)) == 0
    editing.merge(db.session, diagnostic, None, ids(items["locaux_a"], items["locaux_b"]))
    with pytest.raises(DomainError):
        editing.merge(db.session, diagnostic, None, ids(items["locaux_a"], items["locaux_b"]))


def test_update_item_makes_a_group_of_one_and_validates(db, three):
    diagnostic, workshops, people, items = three
    recommendation = items["pepiniere"]
    stake = diagnostic.stakes[1]
    item = editing.update_item(db.session, diagnostic, None, recommendation.id, {
        "title": "  Une   pépinière ", "summary": "Texte revu", "position": "2",
        "priority": "y", "stake_id": stake.id})
    assert (item.title, item.summary, item.position, item.priority, item.stake_id) == (
        "Une pépinière", "Texte revu", 2, True, stake.id)
    report = compose_report(db.session, diagnostic)
    (rec,) = report.recommendations
    assert (rec.title, rec.description, rec.stake_id, rec.priority) == (
        "Une pépinière", "Texte revu", stake.id, True)
    assert [g.key for g in report.recommendations_by_stake] == [stake.id]
    assert report.priorities == [rec]
    for bad in ({"title": "x" * 301}, {"position": "-1"}, {"position": "abc"},
                {"summary": "x" * 5001}, {"stake_id": 999_999}, {"title": "T\x00"},
                {"summary": "S\x00"}):
        with pytest.raises(ValidationError) as error:
            editing.update_item(db.session, diagnostic, None, recommendation.id,
                                {"title": "T", **bad})
        assert error.value.errors
    db.session.refresh(item)
    assert item.title == "Une pépinière"
    assert [e.action for e in editing.audit_log(db.session, diagnostic)] == ["edit"]


def test_manual_rank_comes_first(db, three):
    diagnostic, workshops, people, items = three
    editing.update_item(db.session, diagnostic, None, items["finance"].id,
                        {"title": "", "position": 1})
    assert compose_report(db.session, diagnostic).needs[0].id == items["finance"].id


def test_rejected_pairs_are_stored_once_in_order(db, three):
    diagnostic, workshops, people, items = three
    a, b = items["garage"], items["restos_a"]
    editing.reject_pair(db.session, diagnostic, None, a.id, b.id)
    editing.reject_pair(db.session, diagnostic, None, b.id, a.id)
    assert db.session.scalars(select(RejectedPair)).all()[0].first_id == min(a.id, b.id)
    assert duplicates.rejected_pairs(db.session, diagnostic) == {tuple(sorted((a.id, b.id)))}
    with pytest.raises(DomainError):
        editing.reject_pair(db.session, diagnostic, None, a.id, a.id)


def test_candidates_are_the_published_top_level_units(db, three):
    diagnostic, workshops, people, items = three
    moderation.merge(db.session, workshops[1], None, items["restos_c"].id, items["restos_b"].id)
    items["garage"].status = ContributionStatus.HIDDEN
    db.session.commit()
    group = editing.merge(db.session, diagnostic, None,
                          ids(items["restos_a"], items["restos_b"]))
    found = {c.id: c for c in duplicates.candidates(db.session, diagnostic)}
    assert items["restos_c"].id not in found and items["garage"].id not in found
    assert found[items["restos_a"].id].group == group.id
    assert found[items["restos_a"].id].name == "Les Restos du Cœur"
    assert found[items["locaux_a"].id].kind == "need"
