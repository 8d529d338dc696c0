"""Importing an archive file, shared by the staff page and ``diagnostic import``.

:func:`import_archive` reads the file within the configured limits (``IMPORT_MAX_BYTES``,
``IMPORT_MAX_DEPTH``), takes the archive out of a JSON report if need be and restores
it (``IMPORT_MAX_ERRORS`` problems listed at most); it flushes and the caller, the edge,
commits once or rolls back. :func:`refusal_lines` is what the refused user reads.
"""

from __future__ import annotations

from typing import BinaryIO

from flask import current_app
from flask_babel import ngettext

from diagnostic.archive.document import read_document
from diagnostic.archive.restore import restore_diagnostic
from diagnostic.errors import DomainError
from diagnostic.models import Diagnostic

from .extensions import db
from .i18n import gettext


def import_archive(stream: BinaryIO, *, title: str | None = None) -> Diagnostic:
    """A new diagnostic from the archive (or JSON report) in ``stream``; not committed.

    Raises :class:`~diagnostic.errors.DomainError` (a
    :class:`~diagnostic.archive.document.DocumentRefused` or a ``ValidationError``) on a
    file that cannot be imported; what was inserted before is for the caller to roll back.
    """
    from exports.json import archive_of

    config = current_app.config
    document = read_document(stream, max_bytes=config["IMPORT_MAX_BYTES"],
                             max_depth=config["IMPORT_MAX_DEPTH"])
    return restore_diagnostic(db.session, archive_of(document), title=title,
                              max_errors=config["IMPORT_MAX_ERRORS"])


def refusal_lines(error: DomainError, translate=gettext) -> list[str]:
    """The reason a file was refused, then one line per problem (``path : message``)."""
    lines = [translate(error.message, **error.params)]
    for path, message in getattr(error, "errors", {}).items():
        lines.append(f"{path}: {translate(message)}")
    omitted = getattr(error, "omitted", 0)
    if omitted:
        lines.append(ngettext("… et %(num)d autre erreur.", "… et %(num)d autres erreurs.",
                              omitted))
    return lines
