"""Moderation services: every action changes what it says, refuses bad input, is audited."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from diagnostic.errors import DomainError, Forbidden, NotFound, ValidationError, WorkshopNotOpen
from diagnostic.live import moderation
from diagnostic.live import queries as live_queries
from diagnostic.live.participation import submit_contribution
from diagnostic.models import (
    AuditEntry,
    Contribution,
    ContributionStatus,
    ModerationMode,
    Role,
    Support,
    Vocabulary,
)
from tests.conftest import new_client_id


@pytest.fixture
def staff(make_user):
    return make_user(role=Role.STAFF)


@pytest.fixture
def submit(db, make_participant, initiative_data):
    """``submit(workshop, **fields)``: a participant's stored contribution."""
    def factory(workshop, **overrides):
        participant = make_participant(workshop, display_name="Dominique")
        item, _ = submit_contribution(db.session, participant, initiative_data(workshop,
                                                                               **overrides))
        return item
    return factory


def entries(db, action):
    return list(db.session.scalars(select(AuditEntry).where(AuditEntry.action == action)))


def need_data(workshop, **overrides):
    category = workshop.diagnostic.terms_of(Vocabulary.NEED_CATEGORY)[0]
    return {"kind": "need", "client_id": new_client_id(), "description": "Des locaux",
            "need_category_id": category.id, **overrides}


def test_pre_moderation_holds_new_items_and_approve_publishes(db, make_workshop, submit, staff):
    workshop = make_workshop()
    workshop.moderation = ModerationMode.PRE
    db.session.commit()
    item = submit(workshop)
    assert item.status == ContributionStatus.PENDING
    assert live_queries.feed(db.session, workshop) == []
    moderation.approve(db.session, workshop, staff, item.id)
    assert item.status == ContributionStatus.PUBLISHED
    assert live_queries.feed(db.session, workshop) == [item]
    [entry] = entries(db, "approve")
    assert (entry.before, entry.after) == ({"status": "pending"}, {"status": "published"})
    assert entry.user_id == staff.id and entry.contribution_id == item.id
    with pytest.raises(DomainError):
        moderation.approve(db.session, workshop, staff, item.id)


def test_reject_hides_a_pending_item(db, make_workshop, submit, staff):
    workshop = make_workshop()
    workshop.moderation = ModerationMode.PRE
    db.session.commit()
    item = submit(workshop)
    moderation.reject(db.session, workshop, staff, item.id)
    assert item.status == ContributionStatus.HIDDEN
    assert entries(db, "reject")[0].after == {"status": "hidden"}


def test_hide_and_restore(db, make_workshop, submit, staff):
    workshop = make_workshop()
    item = submit(workshop)
    moderation.hide(db.session, workshop, staff, item.id)
    assert live_queries.feed(db.session, workshop) == []
    with pytest.raises(DomainError):
        moderation.hide(db.session, workshop, staff, item.id)
    moderation.restore(db.session, workshop, staff, item.id)
    assert live_queries.feed(db.session, workshop) == [item]
    with pytest.raises(DomainError):
        moderation.restore(db.session, workshop, staff, item.id)
    assert [e.action for e in db.session.scalars(select(AuditEntry))] == [
        "open_workshop", "hide", "restore"]


@pytest.mark.parametrize("bad_id", [None, "1", True, 999])
def test_unknown_item_is_not_found(db, make_workshop, staff, bad_id):
    with pytest.raises(NotFound):
        moderation.hide(db.session, make_workshop(), staff, bad_id)


def test_an_item_of_another_workshop_is_not_found(db, make_workshop, submit, staff):
    item = submit(make_workshop())
    with pytest.raises(NotFound):
        moderation.hide(db.session, make_workshop(title="Autre"), staff, item.id)
    assert item.status == ContributionStatus.PUBLISHED


def test_edit_reformulates_with_before_and_after(db, make_workshop, submit, staff):
    workshop = make_workshop()
    item = submit(workshop)
    moderation.edit(db.session, workshop, staff, item.id,
                    {"description": "Une CAE reformulée.", "commune": "Blagnac"})
    assert (item.description, item.commune, item.name) == (
        "Une CAE reformulée.", "Blagnac", "Coopérative Ozon")
    [entry] = entries(db, "edit")
    assert entry.before == {"description": "Une coopérative d'activité et d'emploi.",
                            "commune": "Toulouse"}
    assert entry.after == {"description": "Une CAE reformulée.", "commune": "Blagnac"}


@pytest.mark.parametrize(("fields", "field"), [
    ({"description": ""}, "description"),
    ({"name": "x" * 201}, "name"),
    ({"ess_family_id": 99999}, "ess_family_id"),
    ({"website": "ftp://nope"}, "website"),
    ({"kind": "need"}, "kind"),
    ({"participant_id": 3}, "participant_id"),
    ({}, "fields"),
    ("texte", "fields"),
])
def test_edit_is_validated_like_a_submission(db, make_workshop, submit, staff, fields, field):
    workshop = make_workshop()
    item = submit(workshop)
    with pytest.raises(ValidationError) as error:
        moderation.edit(db.session, workshop, staff, item.id, fields)
    assert field in error.value.errors
    db.session.expire_all()
    assert item.description == "Une coopérative d'activité et d'emploi."
    assert entries(db, "edit") == []


def test_split_keeps_part_one_and_copies_the_rest(db, make_workshop, submit, staff):
    workshop = make_workshop()
    item = submit(workshop)
    original, part = moderation.split(db.session, workshop, staff, item.id,
                                      ["Première idée", "Seconde idée"])
    assert original.description == "Première idée"
    assert part.description == "Seconde idée" and part.split_from_id == item.id
    assert (part.kind, part.name, part.participant_id, part.ess_family_id, part.status) == (
        item.kind, item.name, item.participant_id, item.ess_family_id, item.status)
    assert part.client_id != item.client_id
    assert entries(db, "split")[0].after["new_id"] == part.id


@pytest.mark.parametrize("parts", [["seule"], ["a", ""], ["a", "b", "c"], "a|b", ["a", "x" * 2001],
                                   None])
def test_split_validation(db, make_workshop, submit, staff, parts):
    workshop = make_workshop()
    item = submit(workshop)
    with pytest.raises(ValidationError):
        moderation.split(db.session, workshop, staff, item.id, parts)
    assert db.session.scalar(select(func.count()).select_from(Contribution)) == 1


def test_merge_sums_tallies_and_unmerge_undoes(db, make_workshop, submit, make_participant, staff):
    workshop = make_workshop()
    target, source = submit(workshop), submit(workshop, name="Ozon bis")
    voter = make_participant(workshop, display_name="Alex")
    db.session.add_all([Support(contribution_id=target.id, participant_id=voter.id),
                        Support(contribution_id=source.id, participant_id=voter.id)])
    db.session.commit()
    moderation.merge(db.session, workshop, staff, source.id, target.id)
    feed = live_queries.feed(db.session, workshop)
    assert feed == [target] and target.merged_sources == [source]
    assert live_queries.tallies(db.session, feed)[target.id] == (2, 0)
    assert entries(db, "merge")[0].after == {"merged_into_id": target.id}
    moderation.unmerge(db.session, workshop, staff, source.id)
    assert source.merged_into_id is None
    assert live_queries.feed(db.session, workshop) == [target, source]
    with pytest.raises(DomainError):
        moderation.unmerge(db.session, workshop, staff, source.id)


def test_merge_refusals(db, make_workshop, submit, make_participant, staff):
    workshop = make_workshop()
    a, b, c = submit(workshop), submit(workshop), submit(workshop)
    other_workshop_item = submit(make_workshop(title="Autre"))
    need, _ = submit_contribution(db.session, make_participant(workshop), need_data(workshop))
    with pytest.raises(DomainError):
        moderation.merge(db.session, workshop, staff, a.id, a.id)
    with pytest.raises(DomainError):
        moderation.merge(db.session, workshop, staff, a.id, need.id)
    with pytest.raises(NotFound):
        moderation.merge(db.session, workshop, staff, a.id, other_workshop_item.id)
    moderation.merge(db.session, workshop, staff, b.id, a.id)
    with pytest.raises(DomainError):  # no chain: the target is merged itself
        moderation.merge(db.session, workshop, staff, c.id, b.id)
    with pytest.raises(DomainError):  # already merged
        moderation.merge(db.session, workshop, staff, b.id, c.id)
    with pytest.raises(DomainError):  # a target with sources cannot become a source
        moderation.merge(db.session, workshop, staff, a.id, c.id)
    moderation.hide(db.session, workshop, staff, c.id)
    with pytest.raises(DomainError):
        moderation.merge(db.session, workshop, staff, need.id, c.id)
    assert [e.action for e in db.session.scalars(select(AuditEntry))] == [
        "open_workshop", "open_workshop", "merge", "hide"]  # two workshops
    assert c.merged_into_id is None and a.merged_into_id is None


def test_scribe_contribution_is_labelled_and_deduplicated(db, make_workshop, initiative_data,
                                                           staff, make_user):
    workshop = make_workshop()
    workshop.moderation = ModerationMode.PRE
    db.session.commit()
    data = {**initiative_data(workshop), "on_behalf_of": "Mme Garcia"}
    item, created = moderation.scribe_contribution(db.session, workshop, staff, data)
    assert created and item.participant_id is None and item.scribe_id == staff.id
    assert item.on_behalf_of == "Mme Garcia" and item.status == ContributionStatus.PUBLISHED
    again, created = moderation.scribe_contribution(db.session, workshop, staff, data)
    assert again.id == item.id and not created
    with pytest.raises(Forbidden):
        moderation.scribe_contribution(db.session, workshop, make_user(), data)
    assert entries(db, "scribe")[0].after["on_behalf_of"] == "Mme Garcia"


def test_scribe_contribution_is_validated(db, make_workshop, initiative_data, staff):
    workshop = make_workshop()
    with pytest.raises(ValidationError) as error:
        moderation.scribe_contribution(db.session, workshop, staff, {
            **initiative_data(workshop, name=""), "on_behalf_of": "x" * 121})
    assert set(error.value.errors) == {"name", "on_behalf_of"}
    closed = make_workshop(status="closed", title="Clos")
    with pytest.raises(WorkshopNotOpen):
        moderation.scribe_contribution(db.session, closed, staff, initiative_data(closed))
    assert db.session.scalar(select(func.count()).select_from(Contribution)) == 0
