"""Retention: personal data expires ``retention_months`` after the report is validated."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select

from diagnostic.models import (
    AuditEntry,
    Contribution,
    Participant,
    ReportStatus,
    Workshop,
    WorkshopEvent,
)
from diagnostic.privacy.retention import add_months, due_participants, expiry_of, purge
from tests.privacy_data import TODAY, aged_diagnostic

AT = datetime(2026, 3, 15, 3, 0, tzinfo=UTC)


@pytest.mark.parametrize(("day", "months", "expected"), [
    (date(2025, 1, 31), 1, date(2025, 2, 28)),
    (date(2024, 1, 31), 1, date(2024, 2, 29)),
    (date(2025, 3, 31), 1, date(2025, 4, 30)),
    (date(2025, 1, 15), 12, date(2026, 1, 15)),
    (date(2025, 11, 30), 3, date(2026, 2, 28)),
    (date(2024, 2, 29), 12, date(2025, 2, 28)),
    (date(2025, 12, 31), 0, date(2025, 12, 31)),
    (date(2025, 5, 10), 25, date(2027, 6, 10)),
])
def test_add_months(day, months, expected):
    assert add_months(day, months) == expected


@pytest.fixture
def aged(db, make_diagnostic, make_workshop, make_participant, initiative_data):
    def factory(title, validated_on, people):
        return aged_diagnostic(db, make_diagnostic, make_workshop, make_participant,
                               initiative_data, title=title, validated_on=validated_on,
                               people=people)
    return factory


def test_expiry_is_the_retention_period_after_validation(aged):
    diagnostic = aged("Validé", date(2025, 1, 31), ("Alix",))
    assert expiry_of(diagnostic) == date(2026, 1, 31)
    diagnostic.retention_months = 1
    assert expiry_of(diagnostic) == date(2025, 2, 28)
    diagnostic.report_status = ReportStatus.DRAFT  # no longer validated: kept
    assert expiry_of(diagnostic) is None


def test_not_validated_keeps_everything(aged):
    diagnostic = aged("Brouillon", None, ("Alix",))
    assert expiry_of(diagnostic) is None


def names(db, diagnostic) -> list[str]:
    db.session.expire_all()
    return list(db.session.scalars(
        select(Participant.display_name).join(Workshop)
        .where(Workshop.diagnostic_id == diagnostic.id).order_by(Participant.id)))


def events(db, diagnostic) -> int:
    return len(db.session.scalars(select(WorkshopEvent.id).join(Workshop)
                                  .where(Workshop.diagnostic_id == diagnostic.id)).all())


def test_purge_anonymises_only_expired_diagnostics(db, aged):
    old = aged("Ancien", date(2025, 2, 15), ("Alix", "Bérénice"))  # 13 months ago
    recent = aged("Récent", date(2025, 4, 15), ("Claude",))  # 11 months ago
    draft = aged("Brouillon", None, ("Dominique",))
    assert [p.display_name for p in due_participants(db.session, TODAY)] == ["Alix", "Bérénice"]

    summary = purge(db.session, TODAY, dry_run=False, at=AT)
    db.session.commit()

    rows = {entry.title: entry for entry in summary.diagnostics}
    assert (rows["Ancien"].anonymised, rows["Ancien"].expiry) == (2, date(2026, 2, 15))
    assert rows["Ancien"].scribe_entries == 1 and rows["Ancien"].expired
    assert (rows["Récent"].anonymised, rows["Récent"].kept) == (0, 1)
    assert rows["Récent"].expiry == date(2026, 4, 15) and not rows["Récent"].expired
    assert (rows["Brouillon"].expiry, rows["Brouillon"].kept) == (None, 1)
    assert summary.anonymised == 2
    assert names(db, old) == ["Participant·e anonymisé·e"] * 2
    assert names(db, recent) == ["Claude"] and names(db, draft) == ["Dominique"]

    erased = db.session.scalars(select(Participant).join(Workshop)
                                .where(Workshop.diagnostic_id == old.id)).all()
    assert all(p.is_erased and p.organisation == "" and p.restitution_contact is None
               for p in erased)
    contributions = db.session.scalars(select(Contribution).join(Workshop)
                                       .where(Workshop.diagnostic_id == old.id)).all()
    assert len(contributions) == 3  # kept, anonymised
    assert all(c.contact is None and c.on_behalf_of is None for c in contributions)
    audit = db.session.scalars(select(AuditEntry).join(Workshop).where(
        Workshop.diagnostic_id == old.id, AuditEntry.action == "edit")).one()
    assert (audit.before, audit.after) == ({"commune": "Muret"}, {"commune": "Toulouse"})
    assert rows["Ancien"].audit_entries == 1 and rows["Ancien"].events > 0
    assert events(db, old) == 0 and events(db, recent) > 0
    recent_audit = db.session.scalars(select(AuditEntry).join(Workshop).where(
        Workshop.diagnostic_id == recent.id, AuditEntry.action == "edit")).one()
    assert "contact" in recent_audit.after
    kept = db.session.scalars(select(Contribution).join(Workshop)
                              .where(Workshop.diagnostic_id == recent.id)).all()
    assert {c.contact for c in kept} == {"claude@contact.example", "scribe@contact.example"}
    assert due_participants(db.session, TODAY) == []


def test_the_expiry_day_itself_purges(db, aged):
    diagnostic = aged("Pile", date(2025, 3, 15), ("Alix",))
    assert purge(db.session, date(2026, 3, 14), dry_run=False).anonymised == 0
    assert purge(db.session, date(2026, 3, 15), dry_run=False).anonymised == 1
    assert names(db, diagnostic) == ["Participant·e anonymisé·e"]


def test_a_second_run_is_a_no_op(db, aged):
    aged("Ancien", date(2025, 2, 15), ("Alix",))
    purge(db.session, TODAY, dry_run=False, at=AT)
    db.session.commit()
    again = purge(db.session, TODAY, dry_run=False)
    entry = again.diagnostics[0]
    assert again.anonymised == 0 and entry.scribe_entries == 0
    assert (entry.audit_entries, entry.events) == (0, 0)
    assert not db.session.dirty and not db.session.new


def test_dry_run_changes_nothing(db, aged):
    old = aged("Ancien", date(2025, 2, 15), ("Alix", "Bérénice"))
    logged = events(db, old)
    summary = purge(db.session, TODAY, dry_run=True)
    assert summary.anonymised == 2 and summary.dry_run
    assert summary.diagnostics[0].events == logged > 0
    assert summary.diagnostics[0].scribe_entries == 1
    db.session.commit()
    assert names(db, old) == ["Alix", "Bérénice"] and events(db, old) == logged
    assert {c.contact for c in db.session.scalars(select(Contribution))} == {
        "alix@contact.example", "bérénice@contact.example", "scribe@contact.example"}
