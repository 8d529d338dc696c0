"""``diagnostic participant export`` and ``erase``: the rights of access and erasure from
the shell, for the authority's data-protection officer or an administrator.

``export`` writes everything stored about a participant (:mod:`diagnostic.privacy.access`)
to a file readable by its owner only; ``erase`` shows who and what, asks for confirmation
(unless ``--yes``), erases (:mod:`diagnostic.privacy.erasure`), commits, then removes the
diagnostic's generated export files that may quote the person.
"""

from __future__ import annotations

import json
from pathlib import Path

import click
from flask import Flask, current_app

from diagnostic.models import Participant, utcnow
from diagnostic.privacy.access import participant_data
from diagnostic.privacy.erasure import erase_participant

from . import export_jobs
from .cli_export import _check_output, write_atomically
from .extensions import db


def _participant(participant_id: int) -> Participant:
    participant = db.session.get(Participant, participant_id)
    if participant is None:
        raise click.ClickException(f"No participant with id {participant_id}.")
    return participant


def _describe(participant: Participant) -> str:
    """Who the participant is and what erasing them changes, for the confirmation."""
    data = participant_data(db.session, participant)
    contacts = sorted({c["contact"] for c in data["contributions"] if c["contact"]}
                      | ({participant.restitution_contact} if participant.restitution_contact
                         else set()))
    return "\n".join([
        f"Participant #{participant.id}: {participant.display_name}"
        + (f" ({participant.organisation})" if participant.organisation else ""),
        f"Workshop: {participant.workshop.title}"
        f" (diagnostic #{participant.workshop.diagnostic_id})",
        f"Contacts: {', '.join(contacts) or 'none'}",
        f"Contributions: {len(data['contributions'])} (kept, anonymised); supports "
        f"{len(data['supports'])} and votes {len(data['votes'])} (kept as counts).",
        "Erased: name, organisation, contacts, their mentions in texts, consents, phone access;"
        " the diagnostic's generated export files are removed.",
    ])


def register_participant_commands(app: Flask) -> None:
    """Attach the ``participant`` group (``export``, ``erase``) to ``app.cli``."""

    @app.cli.group("participant")
    def participant_group() -> None:
        """A participant's personal data: export it (right of access) or erase it."""

    @participant_group.command("export")
    @click.argument("participant_id", type=int)
    @click.option("-o", "--output", required=True, type=click.Path(path_type=Path),
                  help="File to write (replaced atomically, readable by its owner only).")
    def export_command(participant_id: int, output: Path) -> None:
        """Write everything stored about a participant to a JSON file."""
        _check_output(output)
        data = participant_data(db.session, _participant(participant_id))
        body = json.dumps(data, ensure_ascii=False, indent=2).encode("utf-8")
        write_atomically(output, body, private=True)
        click.echo(f"Wrote {output} ({len(body)} bytes).")

    @participant_group.command("erase")
    @click.argument("participant_id", type=int)
    @click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
    def erase_command(participant_id: int, yes: bool) -> None:
        """Erase a participant's personal data; their contributions stay, anonymised."""
        participant = _participant(participant_id)
        if participant.is_erased:
            click.echo(f"Participant #{participant.id} was already erased.")
            return
        click.echo(_describe(participant))
        if not yes and not click.confirm("Erase this participant's personal data?"):
            raise click.ClickException("Nothing erased.")
        diagnostic = participant.workshop.diagnostic
        try:
            erase_participant(db.session, participant, user=None, at=utcnow())
            db.session.commit()
        except BaseException:
            db.session.rollback()
            raise
        removed = export_jobs.remove_jobs_of(current_app, diagnostic.id,
                                             [w.id for w in diagnostic.workshops])
        click.echo(f"Erased participant #{participant.id}; removed {removed} export file(s).")
