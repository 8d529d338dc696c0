"""``diagnostic export`` and ``diagnostic import``: documents and archives from the shell.

``export`` composes the report of a diagnostic (or the minutes of a workshop) in the
language asked, renders it through :mod:`exports.formats` and writes the file
atomically (a temporary file in the same folder, then a rename), so a reader never sees
half a document. The JSON export carries the full archive of the diagnostic
(:mod:`diagnostic.archive`), pseudonymised with ``--no-personal-data``; ``import``
restores a diagnostic from such a file or from a bare archive.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import click
from flask import Flask
from flask_babel import force_locale, gettext

from diagnostic.errors import DomainError
from diagnostic.models import Diagnostic, Workshop
from exports.formats import FORMATS, MINUTES_FORMATS, render, render_minutes

from .extensions import db


def write_atomically(path: Path, body: bytes, *, private: bool = False) -> None:
    """Write ``body`` to ``path`` through a temporary file renamed over it.

    The file is readable by everyone (0644) unless ``private`` (0600: personal data).
    """
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.",
                                         suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as output:
            output.write(body)
            output.flush()
            os.fsync(output.fileno())
        os.chmod(temporary, 0o600 if private else 0o644)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _check_output(path: Path) -> None:
    """A clear error before any work when ``path`` cannot be written."""
    if path.is_dir():
        raise click.ClickException(f"{path} is a directory: give a file name.")
    if not path.parent.is_dir():
        raise click.ClickException(f"The directory {path.parent} does not exist.")


def _export_report(diagnostic_id: int, fmt: str, lang: str, with_archive: bool,
                   personal_data: bool = True) -> bytes:
    """The report of a diagnostic in ``fmt`` (with its archive in JSON); without
    ``personal_data``, no author, organisation nor contact, and a pseudonymised archive."""
    from diagnostic.archive.dump import dump_diagnostic
    from diagnostic.privacy.public_copy import without_personal_data
    from diagnostic.reporting.report_build import compose_report

    diagnostic = db.session.get(Diagnostic, diagnostic_id)
    if diagnostic is None:
        raise click.ClickException(f"No diagnostic with id {diagnostic_id}.")
    report = compose_report(db.session, diagnostic, translate=gettext)
    archive = dump_diagnostic(db.session, diagnostic) \
        if (fmt == "json" and with_archive) or not personal_data else None
    if not personal_data:
        report, archive = without_personal_data(
            report, archive, keep_archive=fmt == "json" and with_archive)
    return render(fmt, report, translate=gettext, lang=lang, archive=archive)


def _export_minutes(workshop_id: int, fmt: str, lang: str) -> bytes:
    """The minutes of a workshop in ``fmt``."""
    from diagnostic.reporting.minutes_build import compose_minutes

    if fmt not in MINUTES_FORMATS:
        raise click.ClickException(
            f"Minutes export as {fmt} is not available (use {', '.join(MINUTES_FORMATS)}).")
    workshop = db.session.get(Workshop, workshop_id)
    if workshop is None:
        raise click.ClickException(f"No workshop with id {workshop_id}.")
    minutes = compose_minutes(db.session, workshop, translate=gettext)
    return render_minutes(fmt, minutes, translate=gettext, lang=lang)


def register_export_commands(app: Flask) -> None:
    """Attach ``export`` and ``import`` to ``app.cli``."""
    languages = list(app.config.get("LANGUAGES", ("fr", "en")))
    default = app.config.get("BABEL_DEFAULT_LOCALE", languages[0])

    @app.cli.command("export")
    @click.option("--diagnostic", "diagnostic_id", type=int, help="Id of the diagnostic.")
    @click.option("--workshop", "workshop_id", type=int,
                  help="Id of a workshop: export its minutes instead (pdf, docx, odt, html).")
    @click.option("--format", "fmt", required=True, type=click.Choice(list(FORMATS)))
    @click.option("-o", "--output", required=True, type=click.Path(path_type=Path),
                  help="File to write (replaced atomically).")
    @click.option("--lang", type=click.Choice(languages), default=default,
                  show_default=True, help="Language of the document.")
    @click.option("--no-archive", is_flag=True,
                  help="JSON only: leave out the archive (participants' personal data).")
    @click.option("--no-personal-data", is_flag=True,
                  help="Report only: no participant's name, organisation or contact; in "
                       "JSON, a pseudonymised archive (docs/PRIVACY.md).")
    def export_command(diagnostic_id: int | None, workshop_id: int | None, fmt: str,
                       output: Path, lang: str, no_archive: bool,
                       no_personal_data: bool) -> None:
        """Write the report of a diagnostic, or a workshop's minutes, to a file.

        The JSON report holds the full archive of the diagnostic (restored by
        ``diagnostic import``); it contains participants' names and organisations, so
        the file is written readable by its owner only. With ``--no-personal-data`` the
        report names nobody and the archive is pseudonymised: it still restores.
        """
        if (diagnostic_id is None) == (workshop_id is None):
            raise click.UsageError("Give exactly one of --diagnostic and --workshop.")
        if no_personal_data and workshop_id is not None:
            raise click.UsageError("--no-personal-data applies to a diagnostic's report.")
        _check_output(output)
        with force_locale(lang):
            if diagnostic_id is not None:
                body = _export_report(diagnostic_id, fmt, lang, not no_archive,
                                      personal_data=not no_personal_data)
            else:
                body = _export_minutes(workshop_id, fmt, lang)
        # An archive, even pseudonymised, names staff accounts (e-mail addresses).
        private = fmt == "json" and diagnostic_id is not None and not no_archive
        write_atomically(output, body, private=private)
        click.echo(f"Wrote {output} ({len(body)} bytes).")

    @app.cli.command("import")
    @click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
    @click.option("--title", default=None, help="Title of the restored diagnostic.")
    def import_command(file: Path, title: str | None) -> None:
        """Restore a diagnostic from a JSON report (or a bare archive); prints its new id.

        The file is refused (exit code 1, the reasons on stderr, nothing written) when it
        exceeds IMPORT_MAX_BYTES or IMPORT_MAX_DEPTH or fails the checks of live input.
        """
        from .archive_import import import_archive, refusal_lines

        with force_locale(default):
            # The command is the edge: one commit, or a rollback of whatever was inserted.
            try:
                with file.open("rb") as stream:
                    diagnostic = import_archive(stream, title=title)
                db.session.commit()
            except OSError as exc:
                db.session.rollback()
                raise click.ClickException(f"{file} cannot be read: {exc}") from exc
            except DomainError as exc:
                db.session.rollback()
                reasons = "\n  ".join(refusal_lines(exc, gettext))
                raise click.ClickException(f"{file} cannot be imported: {reasons}") from exc
            except BaseException:
                db.session.rollback()
                raise
        click.echo(f"Imported diagnostic #{diagnostic.id}: {diagnostic.title}")
