"""Archived means read-only: every service that changes a diagnostic, its frame, its
synthesis or one of its workshops refuses with one French message, nothing changed."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from diagnostic.frame import archiving, editing, planning
from diagnostic.frame.archiving import ArchivedError
from diagnostic.live import facilitation, lifecycle, moderation, participation
from diagnostic.models import AuditEntry, Contribution, SynthesisAuditEntry, Vocabulary
from diagnostic.synthesis import editing as synthesis

DIAGNOSTIC_CHANGES = {
    "update_diagnostic": lambda s, d, w, c: editing.update_diagnostic(
        s, d, title="Autre", territory="Ailleurs"),
    "add_stake": lambda s, d, w, c: editing.add_stake(s, d, title="Nouvel enjeu"),
    "update_stake": lambda s, d, w, c: editing.update_stake(s, d.stakes[0], title="Reformulé"),
    "delete_stake": lambda s, d, w, c: editing.delete_stake(s, d.stakes[1]),
    "move_stake": lambda s, d, w, c: editing.move_item(s, d.stakes[1], -1),
    "add_sector": lambda s, d, w, c: editing.add_sector(s, d, name="Est"),
    "delete_sector": lambda s, d, w, c: editing.delete_sector(s, d.sectors[1]),
    "add_theme": lambda s, d, w, c: editing.add_theme(s, d, name="Mobilité"),
    "add_term": lambda s, d, w, c: editing.add_term(s, d, Vocabulary.ESS_FAMILY, label="X"),
    "rename_term": lambda s, d, w, c: editing.rename_term(s, d.terms[0], label="Renommé"),
    "delete_term": lambda s, d, w, c: editing.delete_term(s, d.terms[-1]),
    "create_workshop": lambda s, d, w, c: planning.create_workshop(
        s, d, kind="territorial", title="Encore", sector_id=d.sectors[0].id),
    "duplicate_workshop": lambda s, d, w, c: planning.duplicate_workshop(s, w, None),
    "synthesis_update_item": lambda s, d, w, c: synthesis.update_item(
        s, d, None, c, {"title": "Titre", "summary": "", "position": "", "priority": True}),
    "synthesis_merge": lambda s, d, w, c: synthesis.merge(s, d, None, [c, c + 1]),
}
WORKSHOP_CHANGES = {
    "update_workshop": lambda s, w, u, c: planning.update_workshop(
        s, w, kind=w.kind, title="Autre titre", sector_id=w.sector_id),
    "reopen": lambda s, w, u, c: lifecycle.reopen_workshop(s, w, u),
    "set_moderation": lambda s, w, u, c: facilitation.set_moderation(s, w, u, "pre"),
    "set_vote_settings": lambda s, w, u, c: facilitation.set_vote_settings(s, w, u, 5, 2),
    "set_facilitators": lambda s, w, u, c: facilitation.set_facilitators(s, w, u, []),
    "hide": lambda s, w, u, c: moderation.hide(s, w, u, c),
    "edit": lambda s, w, u, c: moderation.edit(s, w, u, c, {"description": "Reformulée"}),
    "split": lambda s, w, u, c: moderation.split(s, w, u, c, ["Une", "Deux"]),
    "merge": lambda s, w, u, c: moderation.merge(s, w, u, c, c + 1),
    "scribe": lambda s, w, u, c: moderation.scribe_contribution(
        s, w, u, {"kind": "need", "description": "Un besoin", "client_id": "s" * 16,
                  "need_category_id": w.diagnostic.terms_of(Vocabulary.NEED_CATEGORY)[0].id}),
}


@pytest.fixture
def archived(db, make_workshop, make_participant, initiative_data, make_user):  # noqa: ARG001
    """A closed workshop with two contributions, then archived with its diagnostic."""
    workshop = make_workshop()
    participant = make_participant(workshop)
    ids = [participation.submit_contribution(
        db.session, participant, initiative_data(workshop, name=f"Projet {n}"))[0].id
           for n in (1, 2)]
    lifecycle.close_workshop(db.session, workshop, None)
    db.session.commit()
    return workshop, ids[0], make_user()


def snapshot(db, workshop):
    """Everything the refused services could have changed."""
    db.session.expire_all()
    diagnostic = workshop.diagnostic
    return (
        diagnostic.title, [s.title for s in diagnostic.stakes],
        [s.name for s in diagnostic.sectors], [t.name for t in diagnostic.themes],
        [t.label for t in diagnostic.terms], len(diagnostic.workshops),
        workshop.title, workshop.status, workshop.moderation, workshop.dot_budget,
        [u.id for u in workshop.facilitators],
        db.session.execute(select(Contribution.id, Contribution.status,
                                  Contribution.description, Contribution.merged_into_id)
                           .order_by(Contribution.id)).all(),
        db.session.scalar(select(func.count()).select_from(AuditEntry)),
        db.session.scalar(select(func.count()).select_from(SynthesisAuditEntry)),
    )


@pytest.mark.parametrize("change", DIAGNOSTIC_CHANGES.values(), ids=DIAGNOSTIC_CHANGES.keys())
def test_an_archived_diagnostic_refuses_every_change(db, archived, change):
    workshop, cid, _user = archived
    archiving.archive_diagnostic(db.session, workshop.diagnostic)
    db.session.commit()
    before = snapshot(db, workshop)
    with pytest.raises(ArchivedError) as refused:
        change(db.session, workshop.diagnostic, workshop, cid)
    assert str(refused.value) == "Ce diagnostic est archivé : restaurez-le pour le modifier."
    db.session.rollback()
    assert snapshot(db, workshop) == before


@pytest.mark.parametrize("change", WORKSHOP_CHANGES.values(), ids=WORKSHOP_CHANGES.keys())
@pytest.mark.parametrize("what", ["workshop", "diagnostic"])
def test_an_archived_workshop_refuses_moderation_and_settings(db, archived, change, what):
    workshop, cid, user = archived
    if what == "workshop":
        archiving.archive_workshop(db.session, workshop, None)
    else:
        archiving.archive_diagnostic(db.session, workshop.diagnostic)
    db.session.commit()
    before = snapshot(db, workshop)
    with pytest.raises(ArchivedError) as refused:
        change(db.session, workshop, None, cid)
    assert "archivé : restaurez-le pour le modifier." in str(refused.value)
    db.session.rollback()
    assert snapshot(db, workshop) == before


def test_restoring_makes_them_editable_again(db, archived):
    workshop, cid, _user = archived
    archiving.archive_diagnostic(db.session, workshop.diagnostic)
    assert archiving.is_read_only(workshop.diagnostic) and archiving.is_read_only(workshop)
    archiving.restore_diagnostic(db.session, workshop.diagnostic)
    assert not archiving.is_read_only(workshop)
    editing.add_stake(db.session, workshop.diagnostic, title="Nouvel enjeu")
    moderation.hide(db.session, workshop, None, cid)
    synthesis.update_item(db.session, workshop.diagnostic, None, cid + 1,
                          {"title": "Titre", "summary": "", "position": "", "priority": True})
    db.session.commit()
    assert "Nouvel enjeu" in [s.title for s in workshop.diagnostic.stakes]
