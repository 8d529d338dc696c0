"""``diagnostic purge`` through the real CLI, on aged diagnostics and old export files."""

from __future__ import annotations

import os
from datetime import date

import pytest
from sqlalchemy import select

from diagnostic.models import Contribution, Participant, Workshop
from tests.privacy_data import TODAY, aged_diagnostic
from workshops import export_jobs

ERASED = "Participant·e anonymisé·e"


@pytest.fixture
def aged(db, make_diagnostic, make_workshop, make_participant, initiative_data):
    """Validated 13 months ago, 11 months ago, and not validated (as of TODAY)."""
    def make(title, validated_on, people):
        return aged_diagnostic(db, make_diagnostic, make_workshop, make_participant,
                               initiative_data, title=title, validated_on=validated_on,
                               people=people)
    return (make("Ancien", date(2025, 2, 15), ("Alix", "Bérénice")),
            make("Récent", date(2025, 4, 15), ("Claude",)),
            make("Brouillon", None, ("Dominique",)))


@pytest.fixture
def jobs(app):
    """An export job folder two days old and one just written."""
    root = export_jobs.jobs_root(app)
    old, fresh = root / ("a" * 32), root / ("b" * 32)
    for folder in (old, fresh):
        folder.mkdir(parents=True)
        (folder / "rapport.pdf").write_bytes(b"%PDF")
    past = os.stat(fresh).st_mtime - 2 * export_jobs.KEEP_FOR
    os.utime(old, (past, past))
    return old, fresh


def people(db, diagnostic) -> list[str]:
    db.session.expire_all()
    return list(db.session.scalars(
        select(Participant.display_name).join(Workshop)
        .where(Workshop.diagnostic_id == diagnostic.id).order_by(Participant.id)))


def contacts(db, diagnostic) -> set[str | None]:
    return set(db.session.scalars(
        select(Contribution.contact).join(Workshop).where(Workshop.diagnostic_id == diagnostic.id)))


def purge(runner, *options):
    result = runner.invoke(args=["purge", "--today", TODAY.isoformat(), *options])
    assert result.exit_code == 0, result.output
    return result.output


def test_purge_anonymises_expired_diagnostics_and_removes_old_exports(runner, db, aged, jobs):
    old, recent, draft = aged
    output = purge(runner)
    assert (f"Diagnostic #{old.id} 'Ancien': report validated on 2025-02-15, personal data"
            " expired on 2026-02-15: 2 participant(s) anonymised, 1 scribe entry(ies)"
            " cleared, 1 audit entry(ies) cleared, 4 live event(s) of closed workshops"
            " removed.") in output
    assert (f"Diagnostic #{recent.id} 'Récent': report validated on 2025-04-15, personal"
            " data kept until 2026-04-15 (1 participant(s)).") in output
    assert f"Diagnostic #{draft.id} 'Brouillon': report not validated, personal data kept." \
        in output
    assert "Export files: 1 expired job folder(s) removed." in output
    assert people(db, old) == [ERASED, ERASED]
    assert contacts(db, old) == {None}
    assert people(db, recent) == ["Claude"] and people(db, draft) == ["Dominique"]
    assert contacts(db, recent) == {"claude@contact.example", "scribe@contact.example"}
    old_job, fresh_job = jobs
    assert not old_job.exists() and fresh_job.exists()


def test_a_second_run_is_a_no_op(runner, db, aged, jobs):
    old, _recent, _draft = aged
    purge(runner)
    output = purge(runner)
    assert "expired on 2026-02-15: 0 participant(s) anonymised." in output
    assert "Export files: 0 expired job folder(s) removed." in output
    assert "0 participant(s) anonymised in all." in output
    assert people(db, old) == [ERASED, ERASED]


def test_dry_run_changes_and_deletes_nothing(runner, db, aged, jobs):
    old, _recent, _draft = aged
    output = purge(runner, "--dry-run")
    assert "Dry run as of 2026-03-15: nothing is changed." in output
    assert ("2 participant(s) would be anonymised, 1 scribe entry(ies) would be cleared, 1"
            " audit entry(ies) would be cleared, 4 live event(s) of closed workshops would be"
            " removed.") in output
    assert "Export files: 1 expired job folder(s) would be removed." in output
    assert people(db, old) == ["Alix", "Bérénice"]
    assert "alix@contact.example" in contacts(db, old)
    assert all(folder.exists() for folder in jobs)
    assert "2 participant(s) anonymised" in purge(runner)  # the real run still has work


def test_the_period_passes_one_day_at_a_time(runner, db, aged):
    _old, recent, _draft = aged
    before = runner.invoke(args=["purge", "--today", "2026-04-14"])
    assert "personal data kept until 2026-04-15" in before.output
    assert people(db, recent) == ["Claude"]
    runner.invoke(args=["purge", "--today", "2026-04-15"])
    assert people(db, recent) == [ERASED]


def test_purge_is_listed_with_its_dry_run_option(runner):
    result = runner.invoke(args=["purge", "--help"])
    assert "--dry-run" in result.output and "--today" not in result.output
