"""A participant withdraws their own contribution: diagnostic.live.withdrawal on the database."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select

from diagnostic.audit_text import describe
from diagnostic.errors import DomainError, Forbidden, NotFound, WorkshopNotOpen
from diagnostic.live import announce, events, lifecycle, moderation, participation, supports
from diagnostic.live import queries as live_queries
from diagnostic.live.withdrawal import withdraw_contribution
from diagnostic.models import (
    AuditEntry,
    Contribution,
    ContributionStatus,
    Phase,
    Role,
    Support,
    SynthesisAuditEntry,
    SynthesisItem,
    Vocabulary,
    Vote,
    WorkshopEvent,
    recommendation_need,
)
from diagnostic.synthesis import editing as synthesis
from tests.conftest import new_client_id

AT = datetime(2026, 5, 4, 10, 30, tzinfo=UTC)
TEXT = "Une coopérative d'activité et d'emploi."


@pytest.fixture
def room(db, make_workshop, make_participant, initiative_data):
    """An open workshop, an author with one item, and another participant."""
    workshop = make_workshop()
    author = make_participant(workshop, "Autrice")
    other = make_participant(workshop, "Voisin")
    item, _ = participation.submit_contribution(db.session, author, initiative_data(
        workshop, contact="autrice@example.org", website="https://ozon.example"))
    db.session.commit()
    events.take_staged(db.session)
    return workshop, author, other, item


def withdraw(db, participant, cid):
    return withdraw_contribution(db.session, participant, cid, at=AT)


def count(db, model, *where) -> int:
    db.session.expire_all()
    return db.session.scalar(select(func.count()).select_from(model).where(*where))


def need_data(workshop, **overrides):
    category = workshop.diagnostic.terms_of(Vocabulary.NEED_CATEGORY)[0]
    return {"kind": "need", "client_id": new_client_id(), "description": "Des locaux partagés",
            "need_category_id": category.id, **overrides}


def test_withdrawing_clears_the_text_and_hides_the_item(db, room):
    workshop, author, _, item = room
    withdrawn, changed = withdraw(db, author, item.id)
    db.session.commit()
    assert changed is True and withdrawn is item
    db.session.refresh(item)
    assert item.status == ContributionStatus.HIDDEN
    assert item.withdrawn_at is not None
    assert item.description == ""
    assert (item.name, item.contact, item.website, item.commune, item.jobs_fte,
            item.ess_family_id, item.stage) == (None,) * 7
    assert item.participant_id == author.id  # the tombstone stays theirs
    assert live_queries.feed(db.session, workshop) == []


def test_only_the_author_may_withdraw(db, room, make_workshop, make_participant):
    _, _, other, item = room
    with pytest.raises(Forbidden):
        withdraw(db, other, item.id)
    stranger = make_participant(make_workshop(title="Autre atelier"), "Ailleurs")
    for participant, cid in [(stranger, item.id), (other, 999_999), (other, "1"), (other, None)]:
        with pytest.raises(NotFound):
            withdraw(db, participant, cid)
    db.session.refresh(item)
    assert item.withdrawn_at is None and item.description == TEXT


@pytest.mark.parametrize("phase", [Phase.INITIATIVES, Phase.NEEDS, Phase.VOTE])
def test_any_phase_of_an_open_workshop_allows_it(db, room, phase):
    workshop, author, _, item = room
    workshop.phase = phase
    db.session.commit()
    assert withdraw(db, author, item.id)[1] is True


def test_a_closed_workshop_refuses_it(db, room):
    workshop, author, _, item = room
    lifecycle.close_workshop(db.session, workshop, None)
    db.session.commit()
    with pytest.raises(WorkshopNotOpen):
        withdraw(db, author, item.id)
    db.session.refresh(item)
    assert item.withdrawn_at is None and item.description == TEXT


def test_withdrawing_twice_changes_nothing(db, room):
    workshop, author, _, item = room
    withdraw(db, author, item.id)
    db.session.commit()
    events.take_staged(db.session)
    seq, entries = workshop.last_seq, count(db, AuditEntry)
    withdrawn, changed = withdraw(db, author, item.id)
    db.session.commit()
    assert (withdrawn.id, changed) == (item.id, False)
    assert events.take_staged(db.session) == []
    db.session.refresh(workshop)
    assert workshop.last_seq == seq and count(db, AuditEntry) == entries


def test_dots_go_back_to_their_owners_and_supports_go(db, room, initiative_data):
    workshop, author, other, item = room
    kept, _ = participation.submit_contribution(db.session, author, initiative_data(workshop))
    supports.support_contribution(db.session, other, item.id)
    workshop.phase, workshop.dot_budget, workshop.dot_max_per_item = Phase.VOTE, 5, 3
    db.session.commit()
    supports.set_dots(db.session, other, item.id, 3)
    supports.set_dots(db.session, other, kept.id, 2)
    db.session.commit()
    assert supports.participant_votes(db.session, other)["dots_left"] == 0
    events.take_staged(db.session)
    withdraw(db, author, item.id)
    staged = events.staged(db.session)
    db.session.commit()
    assert count(db, Vote, Vote.contribution_id == item.id) == 0
    assert count(db, Support, Support.contribution_id == item.id) == 0
    votes = supports.participant_votes(db.session, other)
    assert votes["dots_left"] == 3 and votes["votes"] == {str(kept.id): 2}
    # The voter's phones hear of their new budget at once.
    [notice] = [m for m in staged if m.name == "my_votes"]
    assert (notice.audience, notice.participant_id) == ("author", other.id)
    assert notice.payload["dots_left"] == 3
    _, left, _ = supports.set_dots(db.session, other, kept.id, 3)  # the dots are usable again
    assert left == 2


def test_items_merged_into_it_stand_on_their_own_again(db, room, make_user, initiative_data):
    workshop, author, other, item = room
    staff = make_user(role=Role.STAFF)
    source, _ = participation.submit_contribution(db.session, other, initiative_data(
        workshop, name="Épicerie solidaire", description="Une épicerie"))
    moderation.merge(db.session, workshop, staff, source.id, item.id)
    db.session.commit()
    events.take_staged(db.session)
    withdraw(db, author, item.id)
    staged = events.staged(db.session)
    db.session.commit()
    db.session.refresh(source)
    assert source.merged_into_id is None and source.is_published
    assert live_queries.feed(db.session, workshop) == [source]
    [back] = [m for m in staged if m.audience == "room" and m.payload["id"] == source.id]
    assert back.name == "contribution_updated"
    assert back.payload["merged_into_id"] is None and back.payload["description"] == "Une épicerie"
    entry = db.session.scalar(select(AuditEntry).where(
        AuditEntry.action == "contribution_withdrawn"))
    assert entry.after == {"status": "hidden", "released": [source.id]}


def test_an_item_merged_into_another_leaves_it(db, room, make_user, initiative_data):
    workshop, author, other, item = room
    target, _ = participation.submit_contribution(db.session, other, initiative_data(workshop))
    moderation.merge(db.session, workshop, make_user(role=Role.STAFF), item.id, target.id)
    db.session.commit()
    withdraw(db, author, item.id)
    db.session.commit()
    db.session.refresh(target)
    assert target.merged_sources == []
    [shown] = announce.serialize_items(db.session, [target])
    assert shown["merged_sources"] == []


def test_need_links_go_both_ways(db, room):
    workshop, author, other, _ = room
    need, _ = participation.submit_contribution(db.session, author, need_data(workshop))
    stake = workshop.diagnostic.stakes[0]
    recommendation, _ = participation.submit_contribution(db.session, other, {
        "kind": "recommendation", "client_id": new_client_id(), "description": "Ouvrir un lieu",
        "stake_id": stake.id, "answered_need_ids": [need.id]})
    own_recommendation, _ = participation.submit_contribution(db.session, author, {
        "kind": "recommendation", "client_id": new_client_id(), "description": "Un fonds",
        "stake_id": stake.id, "answered_need_ids": [need.id]})
    db.session.commit()
    events.take_staged(db.session)
    withdraw(db, author, need.id)
    staged = events.staged(db.session)
    db.session.commit()
    assert count(db, recommendation_need, recommendation_need.c.need_id == need.id) == 0
    [update] = [m for m in staged if m.audience == "room" and m.payload["id"] == recommendation.id]
    assert update.payload["answered_need_ids"] == []
    withdraw(db, author, own_recommendation.id)
    db.session.commit()
    assert count(db, recommendation_need) == 0


def test_its_synthesis_group_lets_go(db, room, make_user, initiative_data):
    workshop, author, other, item = room
    staff = make_user(role=Role.STAFF)
    alone, _ = participation.submit_contribution(db.session, author, initiative_data(workshop))
    pair = [participation.submit_contribution(db.session, other, initiative_data(workshop))[0]
            for _ in range(2)]
    db.session.commit()
    kept_group = synthesis.merge(db.session, workshop.diagnostic, staff,
                                 [item.id, *(p.id for p in pair)])
    lone_group = synthesis.update_item(db.session, workshop.diagnostic, staff, alone.id,
                                       {"title": "Seule"})
    db.session.commit()
    kept_id, lone_id = kept_group.id, lone_group.id
    withdraw(db, author, item.id)
    withdraw(db, author, alone.id)
    db.session.commit()
    assert count(db, Contribution, Contribution.synthesis_item_id == kept_id) == 2
    assert db.session.get(SynthesisItem, lone_id) is None  # emptied: it goes
    # The group was titled by default with the initiative's name: the author's words go.
    assert db.session.get(SynthesisItem, kept_id).title == ""
    log = repr([(e.before, e.after) for e in db.session.scalars(select(SynthesisAuditEntry))])
    assert "Coopérative Ozon" not in log


@pytest.mark.parametrize("one_transaction", [False, True],
                         ids=["logged-before", "staged-in-the-same-transaction"])
def test_its_text_leaves_the_event_log_and_the_replay(db, room, make_user, initiative_data,
                                                      one_transaction):
    """Events logged before, and events staged earlier in the withdrawal's own transaction
    (logged only at its commit), lose the item's text alike."""
    workshop, author, other, item = room
    staff = make_user(role=Role.STAFF)
    target, _ = participation.submit_contribution(db.session, other, initiative_data(
        workshop, name="Régie", description="Une régie de quartier"))
    moderation.edit(db.session, workshop, staff, item.id, {"description": "Texte reformulé"})
    moderation.merge(db.session, workshop, staff, item.id, target.id)
    if not one_transaction:
        db.session.commit()
    withdraw(db, author, item.id)
    db.session.commit()
    db.session.expire_all()
    log = list(db.session.scalars(select(WorkshopEvent).where(
        WorkshopEvent.workshop_id == workshop.id).order_by(WorkshopEvent.seq)))
    stored = repr([event.payload for event in log])
    for text in (TEXT, "Texte reformulé", "Coopérative Ozon", "autrice@example.org"):
        assert text not in stored
    assert "Une régie de quartier" in stored  # the others' items are untouched
    for full in (False, True):  # a phone's replay, a console's
        replayed = repr(announce.replay(db.session, workshop, log, full=full))
        assert TEXT not in replayed and "Texte reformulé" not in replayed
    [last] = [e for e in log if e.payload.get("id") == item.id][-1:]
    assert last.payload["withdrawn"] is True and last.payload["redacted"] is True


def test_its_text_leaves_the_audit_log(db, room, make_user):
    workshop, author, _, item = room
    staff = make_user(role=Role.STAFF)
    moderation.edit(db.session, workshop, staff, item.id, {"description": "Texte reformulé"})
    moderation.split(db.session, workshop, staff, item.id, ["Première", "Seconde"])
    db.session.commit()
    part = db.session.scalar(select(Contribution).where(Contribution.split_from_id == item.id))
    withdraw(db, author, part.id)
    withdraw(db, author, item.id)
    db.session.commit()
    db.session.expire_all()
    entries = list(db.session.scalars(select(AuditEntry).order_by(AuditEntry.id)))
    stored = repr([(e.before, e.after) for e in entries])
    for text in (TEXT, "Texte reformulé", "Première", "Seconde"):
        assert text not in stored
    withdrawn = [e for e in entries if e.action == "contribution_withdrawn"]
    assert [e.contribution_id for e in withdrawn] == [part.id, item.id]
    assert describe(withdrawn[1]) == f"Contribution n° {item.id} retirée par son auteur·e"


def test_a_resend_of_its_client_id_is_acknowledged_not_stored(db, room, initiative_data):
    workshop, author, _, item = room
    client_id = item.client_id
    withdraw(db, author, item.id)
    db.session.commit()
    again, created = participation.submit_contribution(
        db.session, author, initiative_data(workshop, client_id=client_id))
    db.session.commit()
    assert (again.id, created) == (item.id, False)
    assert count(db, Contribution) == 1
    db.session.refresh(item)
    assert item.description == "" and item.status == ContributionStatus.HIDDEN


def test_a_pending_item_can_be_withdrawn_and_leaves_the_authors_list(db, room, initiative_data):
    workshop, author, _, _ = room
    workshop.moderation = "pre"
    db.session.commit()
    pending, _ = participation.submit_contribution(db.session, author, initiative_data(workshop))
    db.session.commit()
    assert live_queries.own_unpublished(db.session, author) == [pending]
    events.take_staged(db.session)
    withdraw(db, author, pending.id)
    staged = events.staged(db.session)
    db.session.commit()
    assert live_queries.own_unpublished(db.session, author) == []
    # The room never saw it: only the consoles and the author's phones hear of it.
    assert {(m.audience, m.name) for m in staged if m.payload.get("id") == pending.id} == {
        ("facilitators", "contribution_updated"), ("author", "my_contribution")}
    assert all(m.payload["withdrawn"] for m in staged if m.payload.get("id") == pending.id)


@pytest.mark.parametrize("action", ["approve", "restore", "hide", "edit", "split", "merge"])
def test_facilitators_cannot_bring_it_back(db, room, make_user, initiative_data, action):
    workshop, author, other, item = room
    staff = make_user(role=Role.STAFF)
    target, _ = participation.submit_contribution(db.session, other, initiative_data(workshop))
    withdraw(db, author, item.id)
    db.session.commit()
    call = {
        "approve": lambda: moderation.approve(db.session, workshop, staff, item.id),
        "restore": lambda: moderation.restore(db.session, workshop, staff, item.id),
        "hide": lambda: moderation.hide(db.session, workshop, staff, item.id),
        "edit": lambda: moderation.edit(db.session, workshop, staff, item.id,
                                        {"description": "Retour"}),
        "split": lambda: moderation.split(db.session, workshop, staff, item.id, ["a", "b"]),
        "merge": lambda: moderation.merge(db.session, workshop, staff, target.id, item.id),
    }[action]
    with pytest.raises(DomainError, match="retirée par son auteur·e"):
        call()
    db.session.rollback()
    db.session.refresh(item)
    assert item.status == ContributionStatus.HIDDEN and item.description == ""


def test_withdrawn_items_are_left_out_of_the_console_and_staff_pages(db, room):
    from diagnostic import audit_queries, queries

    workshop, author, _, item = room
    withdraw(db, author, item.id)
    db.session.commit()
    assert audit_queries.console_contributions(db.session, workshop) == []
    assert queries.contributions_page(db.session, workshop.diagnostic).total == 0
    assert supports.participant_votes(db.session, author)["own"] == []
