"""``diagnostic purge``: end the retention of personal data, remove expired export files.

Run daily (README, *Retention*): it anonymises the participants of every diagnostic
whose report was validated more than ``retention_months`` ago
(:func:`diagnostic.privacy.retention.purge`, one transaction) and removes the generated
documents older than a day (:func:`workshops.export_jobs.cleanup`). ``--dry-run``
prints the same lines and changes nothing. The lines name diagnostics by id and title
and give counts: never a participant's name.
"""

from __future__ import annotations

from datetime import date

import click
from flask import Flask, current_app
from sqlalchemy import select

from diagnostic.models import Workshop
from diagnostic.privacy.retention import DiagnosticPurge, purge

from . import export_jobs
from .extensions import db


def _line(entry: DiagnosticPurge, dry_run: bool) -> str:
    """What happened to one diagnostic's personal data, in one line."""
    head = f"Diagnostic #{entry.diagnostic_id} {entry.title!r}:"
    if entry.expiry is None:
        return f"{head} report not validated, personal data kept."
    validated = f"report validated on {entry.validated_on.isoformat()}"
    if not entry.expired:
        return (f"{head} {validated}, personal data kept until {entry.expiry.isoformat()}"
                f" ({entry.kept} participant(s)).")
    would = "would be " if dry_run else ""
    done = [f"{entry.anonymised} participant(s) {would}anonymised"]
    for count, what in ((entry.scribe_entries, "scribe entry(ies)"),
                        (entry.audit_entries, "audit entry(ies)")):
        if count:
            done.append(f"{count} {what} {would}cleared")
    if entry.events:
        done.append(f"{entry.events} live event(s) of closed workshops {would}removed")
    return (f"{head} {validated}, personal data expired on {entry.expiry.isoformat()}: "
            + ", ".join(done) + ".")


def register_purge_command(app: Flask) -> None:
    """Attach ``purge`` to ``app.cli``."""

    @app.cli.command("purge")
    @click.option("--dry-run", is_flag=True, help="Print what would be done; change nothing.")
    @click.option("--today", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
                  hidden=True, help="The day to purge as of (tests).")
    def purge_command(dry_run: bool, today) -> None:
        """Anonymise participants whose retention period is over; remove expired exports.

        A diagnostic's participants keep their name, organisation and contacts for its
        retention period (12 months by default) after its report is validated; then they
        become "Participant·e anonymisé·e", their contributions kept.
        """
        day = today.date() if today is not None else date.today()
        # The command is the edge: one commit, or nothing at all.
        try:
            summary = purge(db.session, day, dry_run=dry_run)
            if dry_run:
                db.session.rollback()
            else:
                db.session.commit()
        except BaseException:
            db.session.rollback()
            raise
        if dry_run:
            click.echo(f"Dry run as of {day.isoformat()}: nothing is changed.")
        for entry in summary.diagnostics:
            click.echo(_line(entry, dry_run))
        app_object = current_app._get_current_object()
        if dry_run:
            folders = export_jobs.expired_folders(app_object)
            click.echo(f"Export files: {len(folders)} expired job folder(s) would be removed.")
        else:
            folders = export_jobs.cleanup(app_object)
            click.echo(f"Export files: {len(folders)} expired job folder(s) removed.")
            # The documents already generated of a purged diagnostic name its participants.
            for entry in summary.diagnostics:
                if entry.expired and entry.anonymised:
                    workshop_ids = list(db.session.scalars(select(Workshop.id).where(
                        Workshop.diagnostic_id == entry.diagnostic_id)))
                    removed = export_jobs.remove_jobs_of(app_object, entry.diagnostic_id,
                                                         workshop_ids)
                    if removed:
                        click.echo(f"Diagnostic #{entry.diagnostic_id}: {removed} generated "
                                   "document(s) removed.")
        total = summary.anonymised
        click.echo(f"{total} participant(s) {'would be ' if dry_run else ''}anonymised in all.")
