"""The workshop audit log in words: one sentence per entry, values as people read them.

:func:`describe` turns an :class:`~diagnostic.models.AuditEntry`'s parts (action, before,
after, author, contribution) into a translated sentence such as « Passage en phase
Besoins par Claire Martin » or « Contribution n° 12 masquée par Claire Martin », and
:func:`details` into the few lines worth a "Détails" disclosure (the texts of an edit).
Both are pure: the caller passes ``translate`` (gettext's signature, French without it),
the diagnostic's time zone and lookups from ids to names. Every action a service records
has its sentence in :data:`SENTENCES`; an action added later without one still reads as a
sentence (:func:`_generic`), never as a Python value.

The synthesis log (:class:`~diagnostic.models.SynthesisAuditEntry`, whose actions share
names with the workshop's but describe synthesis items) is worded by the same functions
with ``journal=SYNTHESIS``: its sentences are in :mod:`.audit_synthesis`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from .audit_sentences import DETAILS, SENTENCES, Details, Sentence
from .audit_synthesis import SYNTHESIS_DETAILS, SYNTHESIS_SENTENCES
from .audit_values import (
    UNKNOWN_AUTHOR,
    Context,
    Entry,
    duration,
    field_label,
    value_text,
)
from .errors import N_

__all__ = ["SENTENCES", "SYNTHESIS", "SYNTHESIS_SENTENCES", "WORKSHOP", "Context", "Entry",
           "Journal", "describe", "details", "duration", "value_text"]


@dataclass(frozen=True)
class Journal:
    """The wording of one audit log: its sentences, its details, who acted without account."""

    sentences: Mapping[str, Sentence]
    details: Mapping[str, Details]
    unknown_author: str


WORKSHOP = Journal(SENTENCES, DETAILS, UNKNOWN_AUTHOR)
"""The workshop's facilitation and moderation log (:class:`~diagnostic.models.AuditEntry`)."""
SYNTHESIS = Journal(SYNTHESIS_SENTENCES, SYNTHESIS_DETAILS, N_("l'équipe"))
"""The synthesis log (:class:`~diagnostic.models.SynthesisAuditEntry`), kept by staff."""


def _empty(value: Any) -> bool:
    return value is None or value == "" or value == [] or value == {}


def _generic(e: Entry, ctx: Context, who: str) -> str:
    """An action without a sentence of its own: its name in words and what changed."""
    action = " ".join(e.action.replace("_", " ").split()) or "?"
    keys = [k for k in dict.fromkeys([*(e.before or {}), *(e.after or {})])
            if k != "id" and not (_empty(e.old(k)) and _empty(e.new(k)))]  # nothing to read
    changes = "; ".join(
        ctx._("%(field)s : %(before)s → %(after)s", field=field_label(k, ctx),
              before=value_text(k, e.old(k), ctx), after=value_text(k, e.new(k), ctx))
        if e.before and k in e.before else
        f"{field_label(k, ctx)} : {value_text(k, e.new(k), ctx)}"
        for k in keys
    )
    if e.contribution_id is not None:
        text = ctx._("Action « %(action)s » sur la contribution n° %(id)s par %(who)s",
                     action=action, id=e.contribution_id, who=who)
    elif e.item_id is not None:
        text = ctx._("Action « %(action)s » sur l'élément de synthèse n° %(id)s par %(who)s",
                     action=action, id=e.item_id, who=who)
    else:
        text = ctx._("Action « %(action)s » par %(who)s", action=action, who=who)
    return f"{text} ({changes})" if changes else text


def describe(entry: Entry | Any, ctx: Context | None = None,
             journal: Journal = WORKSHOP) -> str:
    """The sentence of an audit entry (an :class:`Entry`, an ``AuditEntry`` row or, with
    ``journal=SYNTHESIS``, a ``SynthesisAuditEntry`` row)."""
    ctx = ctx or Context()
    e = entry if isinstance(entry, Entry) else Entry.of(entry)
    who = e.who or ctx._(journal.unknown_author)
    sentence = journal.sentences.get(e.action, _generic)
    try:
        return sentence(e, ctx, who)
    except (AttributeError, KeyError, TypeError, ValueError):  # a malformed entry
        return _generic(e, ctx, who)


def details(entry: Entry | Any, ctx: Context | None = None,
            journal: Journal = WORKSHOP) -> list[str]:
    """The lines a "Détails" disclosure shows (the texts an edit, split or entry changed),
    none when the sentence says it all."""
    ctx = ctx or Context()
    e = entry if isinstance(entry, Entry) else Entry.of(entry)
    lines = journal.details.get(e.action)
    if lines is None:
        return []
    try:
        return lines(e, ctx)
    except (AttributeError, KeyError, TypeError, ValueError):  # the sentence says enough
        return []
