"""Duplicating, archiving, restoring and deleting workshops and diagnostics; their hours."""

from datetime import UTC, date, datetime, time

import pytest
from sqlalchemy import func, select

from diagnostic.errors import DomainError, ValidationError
from diagnostic.frame import archiving, planning
from diagnostic.live import lifecycle, participation
from diagnostic.models import (
    AuditEntry,
    Diagnostic,
    ModerationMode,
    Role,
    SynthesisItem,
    Workshop,
    WorkshopStatus,
)

NOW = datetime(2026, 12, 3, 9, 30, tzinfo=UTC)


def count(db, model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


# ---------------------------------------------------------------- hours


def test_a_workshop_has_local_start_and_end_times(db, make_workshop):
    workshop = make_workshop(status="draft", date=date(2011, 5, 12), start_time=time(14),
                             end_time=time(17, 30))
    db.session.expire_all()
    assert (workshop.start_time, workshop.end_time) == (time(14), time(17, 30))
    assert workshop.hours == "14:00\u201317:30"


@pytest.mark.parametrize("start, end, field", [
    (time(14), time(14), "end_time"),
    (time(14), time(9), "end_time"),
    (None, time(17), "start_time"),
])
def test_the_end_comes_after_the_start(db, make_workshop, start, end, field):
    workshop = make_workshop(status="draft")
    with pytest.raises(ValidationError) as caught:
        planning.update_workshop(db.session, workshop, kind=workshop.kind, title="T",
                                 sector_id=workshop.sector_id, start_time=start, end_time=end)
    assert field in caught.value.errors
    db.session.expire_all()
    assert workshop.start_time is None and workshop.end_time is None


# ---------------------------------------------------------------- duplicate


def test_every_workshop_column_is_copied_or_reset_on_purpose():
    columns = {c.name for c in Workshop.__table__.columns}
    assert columns == set(planning.COPIED_ON_COPY) | set(planning.RESET_ON_COPY)
    assert not set(planning.COPIED_ON_COPY) & set(planning.RESET_ON_COPY)


def test_duplicate_copies_settings_and_facilitators_not_what_was_collected(
        db, make_workshop, make_participant, make_user, initiative_data):
    staff, facilitator = make_user(), make_user(role=Role.FACILITATOR)
    workshop = make_workshop(place="Salle des fêtes", date=date(2011, 5, 12),
                             start_time=time(14), end_time=time(17))
    workshop.moderation, workshop.dot_budget, workshop.dot_max_per_item = \
        ModerationMode.PRE, 7, 2
    workshop.facilitators = [facilitator]
    participant = make_participant(workshop)
    participation.submit_contribution(db.session, participant, initiative_data(workshop))
    lifecycle.close_workshop(db.session, workshop, None)
    db.session.commit()

    copy = planning.duplicate_workshop(db.session, workshop, staff)
    db.session.commit()
    db.session.expire_all()
    assert copy.id != workshop.id and copy.diagnostic_id == workshop.diagnostic_id
    assert copy.title == "Atelier Nord (copie)"
    assert (copy.kind, copy.sector_id, copy.theme_id, copy.place) == (
        workshop.kind, workshop.sector_id, None, "Salle des fêtes")
    assert (copy.start_time, copy.end_time, copy.date) == (time(14), time(17), None)
    assert (copy.moderation, copy.dot_budget, copy.dot_max_per_item) == (
        ModerationMode.PRE, 7, 2)
    assert copy.facilitators == [facilitator]
    assert copy.join_code != workshop.join_code and copy.status == WorkshopStatus.DRAFT
    assert copy.participants == [] and copy.contributions == []
    assert db.session.scalar(select(func.count()).select_from(AuditEntry)
                             .where(AuditEntry.workshop_id == copy.id)) == 0
    [entry] = [e for e in db.session.scalars(select(AuditEntry)
                                             .where(AuditEntry.workshop_id == workshop.id))
               if e.action == "duplicate_workshop"]
    assert entry.after == {"copy_id": copy.id, "title": copy.title}
    assert len(workshop.participants) == 1  # the original keeps everything


def test_a_long_title_keeps_its_suffix_within_the_column(db, make_workshop, make_user):
    workshop = make_workshop(title="x" * 200, status="draft")
    copy = planning.duplicate_workshop(db.session, workshop, make_user())
    assert len(copy.title) == 200 and copy.title.endswith(" (copie)")


# ---------------------------------------------------------------- workshops


def test_an_open_workshop_is_neither_archived_nor_deleted(db, make_workshop, make_user):
    workshop = make_workshop()
    with pytest.raises(DomainError, match="Clôturez d'abord"):
        archiving.archive_workshop(db.session, workshop, make_user())
    with pytest.raises(DomainError, match="Clôturez d'abord"):
        archiving.delete_workshop(db.session, workshop, workshop.title)
    db.session.expire_all()
    assert workshop.archived_at is None and count(db, Workshop) == 1


def test_an_archived_workshop_is_read_only_until_restored(db, make_workshop, make_user):
    staff = make_user()
    workshop = make_workshop(status="closed")
    archiving.archive_workshop(db.session, workshop, staff, now=lambda: NOW)
    assert workshop.archived_at == NOW and workshop.is_archived
    with pytest.raises(DomainError, match="archivé"):
        lifecycle.reopen_workshop(db.session, workshop, None)
    with pytest.raises(DomainError, match="archivé"):
        planning.update_workshop(db.session, workshop, kind=workshop.kind, title="Autre",
                                 sector_id=workshop.sector_id)
    archiving.restore_workshop(db.session, workshop, staff)
    lifecycle.reopen_workshop(db.session, workshop, None)
    assert workshop.status == WorkshopStatus.OPEN and not workshop.is_archived
    actions = [e.action for e in db.session.scalars(
        select(AuditEntry).where(AuditEntry.workshop_id == workshop.id))]
    assert actions[-3:] == ["archive_workshop", "restore_workshop", "reopen_workshop"]


def test_a_workshop_that_collected_something_cannot_be_deleted(db, make_participant):
    workshop = make_participant().workshop
    lifecycle.close_workshop(db.session, workshop, None)
    with pytest.raises(DomainError, match="archivez-le"):
        archiving.delete_workshop(db.session, workshop, workshop.title)
    assert count(db, Workshop) == 1


def test_deleting_an_empty_workshop_needs_its_title(db, make_workshop, make_user):
    workshop = make_workshop(title="Atelier  Sud", status="closed")
    archiving.archive_workshop(db.session, workshop, make_user())  # audited, then deleted
    with pytest.raises(DomainError, match="Recopiez le titre"):
        archiving.delete_workshop(db.session, workshop, "Atelier Nord")
    with pytest.raises(DomainError, match="Recopiez le titre"):
        archiving.delete_workshop(db.session, workshop, "")
    archiving.delete_workshop(db.session, workshop, " atelier sud ")
    db.session.commit()
    assert count(db, Workshop) == 0 and count(db, AuditEntry) == 0
    assert count(db, Diagnostic) == 1


# ---------------------------------------------------------------- diagnostics


def test_a_diagnostic_with_an_open_workshop_is_not_archived(db, make_workshop):
    diagnostic = make_workshop().diagnostic
    with pytest.raises(DomainError, match="Clôturez d'abord"):
        archiving.archive_diagnostic(db.session, diagnostic)


def test_an_archived_diagnostic_keeps_its_workshops_closed(db, make_workshop):
    workshop = make_workshop(status="closed")
    diagnostic = workshop.diagnostic
    archiving.archive_diagnostic(db.session, diagnostic, now=lambda: NOW)
    assert workshop.is_archived and workshop.archived_at is None
    with pytest.raises(DomainError, match="archivé"):
        lifecycle.open_workshop(db.session, workshop, None)
    archiving.restore_diagnostic(db.session, diagnostic)
    assert not workshop.is_archived


@pytest.mark.parametrize("collected", ["participant", "synthesis"])
def test_a_diagnostic_that_collected_something_cannot_be_deleted(
        db, make_participant, make_workshop, collected):
    if collected == "participant":
        diagnostic = make_participant().workshop.diagnostic
    else:
        diagnostic = make_workshop(status="draft").diagnostic
        db.session.add(SynthesisItem(diagnostic_id=diagnostic.id, kind="need", title="Locaux"))
    for workshop in diagnostic.workshops:
            if workshop.is_open:
                lifecycle.close_workshop(db.session, workshop, None)
    with pytest.raises(DomainError, match="archivez-le"):
        archiving.delete_diagnostic(db.session, diagnostic, diagnostic.title)
    assert count(db, Diagnostic) == 1


def test_deleting_an_empty_diagnostic_takes_its_frame_and_workshops(db, make_workshop):
    workshop = make_workshop(status="closed")
    diagnostic = workshop.diagnostic
    with pytest.raises(DomainError, match="Recopiez le titre"):
        archiving.delete_diagnostic(db.session, diagnostic, "autre chose")
    archiving.delete_diagnostic(db.session, diagnostic, "Diagnostic ESS")
    db.session.commit()
    assert count(db, Diagnostic) == 0 and count(db, Workshop) == 0
    assert count(db, AuditEntry) == 0
