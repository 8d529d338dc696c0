"""Workshop, join and submission services: rules and clear errors."""

import pytest
from sqlalchemy import func, select

from diagnostic.errors import Forbidden, NotFound, ValidationError, WorkshopNotOpen
from diagnostic.frame import planning
from diagnostic.live import lifecycle, participation
from diagnostic.models import Contribution, ContributionKind, Vocabulary, WorkshopKind
from tests.conftest import new_client_id


def count(db):
    return db.session.scalar(select(func.count()).select_from(Contribution))


def test_join_code_is_unambiguous_and_found_as_typed(db, make_workshop):
    workshop = make_workshop()
    assert len(workshop.join_code) == 6
    assert not set(workshop.join_code) & set("0O1IL2Z5S8B")
    typed = workshop.join_code[:3].lower() + " - " + workshop.join_code[3:].lower()
    assert participation.find_workshop_by_code(db.session, typed) == workshop


@pytest.mark.parametrize("status, error", [("draft", WorkshopNotOpen), ("closed", WorkshopNotOpen)])
def test_join_refused_unless_open(db, make_workshop, status, error):
    workshop = make_workshop(status=status)
    with pytest.raises(error):
        participation.find_workshop_by_code(db.session, workshop.join_code)
    with pytest.raises(error):
        participation.join_workshop(db.session, workshop, display_name="Alex")


def test_unknown_code(db, make_workshop):
    make_workshop()
    with pytest.raises(NotFound) as exc:
        participation.find_workshop_by_code(db.session, "ZZZZZZ")
    assert "ZZZZZZ" in str(exc.value)


@pytest.mark.parametrize("name", ["", "   ", "x" * 81])
def test_join_requires_a_reasonable_name(db, make_workshop, name):
    with pytest.raises(ValidationError) as exc:
        participation.join_workshop(db.session, make_workshop(), display_name=name)
    assert "display_name" in exc.value.errors


def test_join_rejects_actor_type_of_another_diagnostic(db, make_workshop, make_diagnostic):
    other = make_diagnostic("Autre")
    foreign = other.terms_of(Vocabulary.ACTOR_TYPE)[0]
    with pytest.raises(ValidationError):
        participation.join_workshop(
            db.session, make_workshop(), display_name="A", actor_type_id=foreign.id
        )


def test_submit_stores_typed_fields_once(db, make_participant, initiative_data):
    participant = make_participant()
    data = initiative_data(participant.workshop)
    contribution, created = participation.submit_contribution(db.session, participant, data)
    assert created and contribution.kind == ContributionKind.INITIATIVE
    assert contribution.jobs_fte == 4.5 and contribution.ess_family.label == "Coopérative"
    again, created_again = participation.submit_contribution(db.session, participant, data)
    assert again.id == contribution.id and not created_again
    assert count(db) == 1


def test_resend_by_another_participant_is_refused(db, make_participant, initiative_data):
    first = make_participant()
    second = make_participant(first.workshop, display_name="Sam")
    data = initiative_data(first.workshop)
    participation.submit_contribution(db.session, first, data)
    with pytest.raises(Forbidden):
        participation.submit_contribution(db.session, second, data)
    assert count(db) == 1


@pytest.mark.parametrize(
    "overrides, field",
    [
        ({"name": ""}, "name"),
        ({"description": "  "}, "description"),
        ({"description": "x" * 2001}, "description"),
        ({"jobs_fte": "beaucoup"}, "jobs_fte"),
        ({"jobs_fte": "-1"}, "jobs_fte"),
        ({"stage": "ancient"}, "stage"),
        ({"ess_family_id": "999999"}, "ess_family_id"),
        ({"website": "javascript:alert(1)"}, "website"),
        ({"client_id": "short"}, "client_id"),
        ({"client_id": ["a" * 10]}, "client_id"),
        ({"name": {"$gt": ""}}, "name"),
    ],
)
def test_invalid_initiative_changes_nothing(
    db, make_participant, initiative_data, overrides, field
):
    participant = make_participant()
    with pytest.raises(ValidationError) as exc:
        participation.submit_contribution(
            db.session, participant, initiative_data(participant.workshop, **overrides)
        )
    assert field in exc.value.errors
    assert count(db) == 0


def test_need_and_recommendation_fields(db, make_participant):
    participant = make_participant()
    diagnostic = participant.workshop.diagnostic
    category = diagnostic.terms_of(Vocabulary.NEED_CATEGORY)[1]
    need, _ = participation.submit_contribution(db.session, participant, {
        "kind": "need", "client_id": new_client_id(), "description": "Des locaux partagés",
        "need_category_id": str(category.id), "urgency": "high",
    })
    assert need.need_category.label == "Locaux"
    recommendation, _ = participation.submit_contribution(db.session, participant, {
        "kind": "recommendation", "client_id": new_client_id(),
        "description": "Ouvrir une pépinière ESS", "stake_id": diagnostic.stakes[1].id,
        "horizon": "medium", "answered_need_ids": [need.id],
    })
    assert recommendation.stake == diagnostic.stakes[1]
    assert recommendation.answered_needs == [need]
    with pytest.raises(ValidationError) as exc:
        participation.submit_contribution(db.session, participant, {
            "kind": "recommendation", "client_id": new_client_id(), "description": "x",
        })
    assert "stake_id" in exc.value.errors
    with pytest.raises(ValidationError):
        participation.submit_contribution(db.session, participant, {
            "kind": "recommendation", "client_id": new_client_id(), "description": "x",
            "stake_id": diagnostic.stakes[0].id, "answered_need_ids": [recommendation.id],
        })


def test_closed_workshop_refuses_new_but_acknowledges_resend(
    db, make_participant, initiative_data
):
    participant = make_participant()
    data = initiative_data(participant.workshop)
    stored, _ = participation.submit_contribution(db.session, participant, data)
    lifecycle.close_workshop(db.session, participant.workshop, None)
    again, created = participation.submit_contribution(db.session, participant, data)
    assert again.id == stored.id and not created
    with pytest.raises(WorkshopNotOpen):
        participation.submit_contribution(
            db.session, participant, initiative_data(participant.workshop)
        )
    assert count(db) == 1


def test_thematic_workshop_needs_a_theme(db, make_diagnostic):
    diagnostic = make_diagnostic()
    with pytest.raises(ValidationError) as exc:
        planning.create_workshop(
            db.session, diagnostic, kind=WorkshopKind.THEMATIC, title="Thème", theme_id=None
        )
    assert "theme_id" in exc.value.errors
    workshop = planning.create_workshop(
        db.session, diagnostic, kind="thematic", title="SAP", theme_id=diagnostic.themes[0].id
    )
    assert workshop.subject == "Entrepreneuriat solidaire" and workshop.status == "draft"


def test_term_and_stake_checks_agree_whether_or_not_the_lists_are_loaded(db, make_diagnostic):
    from diagnostic.models import Diagnostic, Stake, Term

    diagnostic = make_diagnostic()
    other = make_diagnostic("Autre diagnostic")
    need = next(t.id for t in diagnostic.terms if t.vocabulary == Vocabulary.NEED_CATEGORY)
    family = next(t.id for t in diagnostic.terms if t.vocabulary == Vocabulary.ESS_FAMILY)
    own_stake = diagnostic.stakes[0].id
    others = [t.id for t in other.terms] + [s.id for s in other.stakes]
    impossible = [0, -1, 2**31, 10**20, True]

    def check(d):
        assert d.has_term(Vocabulary.NEED_CATEGORY, need)
        assert not d.has_term(Vocabulary.ESS_FAMILY, need)  # right diagnostic, wrong list
        assert d.has_term(Vocabulary.ESS_FAMILY, family)
        assert d.has_stake(own_stake)
        for foreign in others + impossible:
            assert not d.has_term(Vocabulary.NEED_CATEGORY, foreign)
            assert not d.has_stake(foreign)

    check(diagnostic)  # loaded lists
    term = Term(diagnostic_id=diagnostic.id, vocabulary=Vocabulary.NEED_CATEGORY,
                position=99, label="Nouvelle catégorie")
    stake = Stake(diagnostic_id=diagnostic.id, position=9, title="Nouvel enjeu")
    db.session.add_all([term, stake])
    db.session.commit()
    ids = term.id, stake.id
    db.session.expire_all()
    fresh = db.session.get(Diagnostic, diagnostic.id)
    # Not loaded: primary-key lookups, which see the new term and stake.
    assert {"terms", "stakes"} <= db.inspect(fresh).unloaded
    check(fresh)
    assert fresh.has_term(Vocabulary.NEED_CATEGORY, ids[0]) and fresh.has_stake(ids[1])
    assert {"terms", "stakes"} <= db.inspect(fresh).unloaded  # still not loaded
