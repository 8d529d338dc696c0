"""The report without participants' personal data: :func:`impersonal_report`.

The published report names a participant only with their consent, and prints a contact
only with its author's consent (:mod:`.consent`); it always lists the organisations
that took part. The copy written with ``--no-personal-data`` (and the staff download
*sans données personnelles*) drops all of it, whatever was consented: every author,
organisation, contact and scribe note ("typed for …") of the items, sources and minutes,
the lists of organisations and of named participants, and the minutes' *Contact* fact.
Counts (participants, organisations, supports) and the facilitators (staff) stay.
"""

from __future__ import annotations

import copy
import dataclasses
from collections.abc import Iterable
from typing import Any

from .minutes import Fact
from .report import Report

BLANKED = frozenset({"author", "organisation", "contact", "scribe_note"})
"""Fields set to None wherever they appear."""
EMPTIED = frozenset({"organisations", "named"})
"""Lists emptied wherever they appear."""


def impersonal_report(report: Report, personal: Iterable[str] = ()) -> Report:
    """A copy of ``report`` without personal data; a fact whose value is one of the
    ``personal`` strings (the contacts of :func:`~diagnostic.archive.anonymise.
    personal_values`) is left out too."""
    result = copy.deepcopy(report)
    _scrub(result, frozenset(personal), set())
    return result


def _scrub(value: Any, personal: frozenset[str], seen: set[int]) -> None:
    """Blank the personal fields of ``value`` and of everything it holds, in place."""
    if id(value) in seen:
        return
    seen.add(id(value))
    if isinstance(value, list | tuple):
        for item in value:
            _scrub(item, personal, seen)
    elif isinstance(value, dict):
        for item in value.values():
            _scrub(item, personal, seen)
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        for field in dataclasses.fields(value):
            name = field.name
            if name in BLANKED:
                setattr(value, name, None)
            elif name in EMPTIED:
                setattr(value, name, [])
            elif name == "facts":
                setattr(value, name, [fact for fact in getattr(value, name)
                                      if not _is_personal(fact, personal)])
            else:
                _scrub(getattr(value, name), personal, seen)


def _is_personal(fact: Fact, personal: frozenset[str]) -> bool:
    return isinstance(fact.value, str) and fact.value in personal
