"""Staff edit the thesaurus the duplicate suggestions of their diagnostic use.

:func:`save_thesaurus` checks a text (:func:`.thesaurus.parse`, French messages by line),
stores it on the diagnostic (``None``: back to the default) and records what it added
and removed in the synthesis audit log. It flushes; the caller commits. The cached
suggestions of the diagnostic are scored again on their next read: the index is keyed
by the thesaurus it was built with (:mod:`.index`).
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from ..frame.archiving import require_not_archived
from ..models import Diagnostic, SynthesisAuditEntry, User
from . import thesaurus

MAX_LOGGED = 200  # concept lines kept in an audit entry, added and removed each


def current_text(diagnostic: Diagnostic) -> str:
    """The thesaurus text staff see: the diagnostic's own, else the default."""
    return diagnostic.thesaurus if diagnostic.thesaurus is not None \
        else thesaurus.default_text()


def save_thesaurus(session: Session, diagnostic: Diagnostic, user: User | None,
                   text: str | None) -> thesaurus.Thesaurus:
    """Store ``text`` as the diagnostic's thesaurus (``None``: the default again).

    Raises :class:`~.thesaurus.ThesaurusError` (nothing changed) when a line is wrong.
    """
    require_not_archived(diagnostic)
    before = thesaurus.of_text(diagnostic.thesaurus)
    if text is not None:
        text = "\n".join(line.rstrip() for line in text.replace("\r\n", "\n").split("\n"))
        after = thesaurus.parse(text)
        if after.digest == thesaurus.default().digest:
            text = None  # the default, maybe re-typed: keep following it
    else:
        after = thesaurus.default()
    diagnostic.thesaurus = text
    change = thesaurus.changes(before, after)
    session.add(SynthesisAuditEntry(
        diagnostic_id=diagnostic.id, item_id=None,
        user_id=user.id if user is not None else None, action="thesaurus", before=None,
        after={"added": change["added"][:MAX_LOGGED], "removed": change["removed"][:MAX_LOGGED],
               "added_count": len(change["added"]), "removed_count": len(change["removed"]),
               "default": text is None},
    ))
    session.flush()
    return after
