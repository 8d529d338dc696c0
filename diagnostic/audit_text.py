"""The workshop audit log in words: one sentence per entry, values as people read them.

:func:`describe` turns an :class:`~diagnostic.models.AuditEntry`'s parts (action, before,
after, author, contribution) into a translated sentence such as « Passage en phase
Besoins par Claire Martin » or « Contribution n° 12 masquée par Claire Martin », and
:func:`details` into the few lines worth a "Détails" disclosure (the texts of an edit).
Both are pure: the caller passes ``translate`` (gettext's signature, French without it),
the diagnostic's time zone and lookups from ids to names. Every action a service records
has its sentence in :data:`SENTENCES`; an action added later without one still reads as a
sentence (:func:`_generic`), never as a Python value.
"""

from __future__ import annotations

from typing import Any

from .audit_sentences import SENTENCES
from .audit_values import (
    DETAIL_TEXT,
    UNKNOWN_AUTHOR,
    Context,
    Entry,
    duration,
    field_label,
    quote,
    value_text,
)

__all__ = ["SENTENCES", "Context", "Entry", "describe", "details", "duration", "value_text"]


def _generic(e: Entry, ctx: Context, who: str) -> str:
    """An action without a sentence of its own: its name in words and what changed."""
    action = " ".join(e.action.replace("_", " ").split()) or "?"
    keys = list(dict.fromkeys([*(e.before or {}), *(e.after or {})]))
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
    else:
        text = ctx._("Action « %(action)s » par %(who)s", action=action, who=who)
    return f"{text} ({changes})" if changes else text


def describe(entry: Entry | Any, ctx: Context | None = None) -> str:
    """The sentence of an audit entry (an :class:`Entry` or an ``AuditEntry`` row)."""
    ctx = ctx or Context()
    e = entry if isinstance(entry, Entry) else Entry.of(entry)
    who = e.who or ctx._(UNKNOWN_AUTHOR)
    sentence = SENTENCES.get(e.action, _generic)
    try:
        return sentence(e, ctx, who)
    except (AttributeError, KeyError, TypeError, ValueError):  # a malformed entry
        return _generic(e, ctx, who)


def details(entry: Entry | Any, ctx: Context | None = None) -> list[str]:
    """The lines a "Détails" disclosure shows: the texts an edit, split or entry changed."""
    ctx = ctx or Context()
    e = entry if isinstance(entry, Entry) else Entry.of(entry)
    if e.action == "edit":
        return [
            ctx._("%(field)s : %(before)s → %(after)s", field=field_label(k, ctx),
                  before=value_text(k, e.old(k), ctx, DETAIL_TEXT),
                  after=value_text(k, v, ctx, DETAIL_TEXT))
            for k, v in (e.after or {}).items()
        ]
    if e.action == "split":
        first, second = e.new("description"), e.new("new_description")
        return [ctx._("Première partie : %(text)s", text=quote(first, DETAIL_TEXT)),
                ctx._("Seconde partie : %(text)s", text=quote(second, DETAIL_TEXT))]
    if e.action == "scribe" and e.new("description"):
        return [ctx._("Texte : %(value)s", value=quote(e.new("description"), DETAIL_TEXT))]
    return []
