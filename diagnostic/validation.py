"""Validation of a contribution payload, shared by the HTTP forms and the live socket.

:func:`clean_contribution` takes the raw mapping a client sent (form data or JSON) and
returns the typed fields to store, or raises :class:`ValidationError` naming each bad
field. Unknown keys are ignored; empty strings count as absent.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from typing import Any

from .errors import N_, ValidationError
from .models import (
    ContributionKind,
    Diagnostic,
    Horizon,
    Stage,
    Urgency,
    Vocabulary,
)

CLIENT_ID_RE = re.compile(r"^[A-Za-z0-9_-]{8,64}$")
URL_RE = re.compile(r"^https?://[^\s/$.?#][^\s]*$", re.IGNORECASE)
# "javascript:", "mailto:", "data:"...: a scheme is letters before a colon, with no dot
# (so "exemple.fr:8080" is a host and port, not a scheme).
SCHEME_RE = re.compile(r"^[a-z][a-z0-9+-]*:", re.IGNORECASE)
# A bare host people type: dotted labels of letters (any script), digits and hyphens, a
# top-level domain of two letters or more, then an optional port and path.
BARE_HOST_RE = re.compile(
    r"^(?:[^\W_](?:[^\W_]|-)*\.)+[^\W\d_]{2,}\.?(?::\d{1,5})?(?:[/?#]\S*)?$"
)
WEBSITE_MESSAGE = N_("Adresse web invalide (par exemple : www.exemple.fr ou "
                     "https://exemple.fr).")
MAX_DESCRIPTION = 2000
MAX_NEEDS_ANSWERED = 20

# Text fields per kind: (field, max length, required).
TEXT_FIELDS: dict[ContributionKind, list[tuple[str, int, bool]]] = {
    ContributionKind.INITIATIVE: [
        ("name", 200, True),
        ("commune", 120, False),
        ("contact", 200, False),
        ("website", 300, False),
    ],
    ContributionKind.NEED: [],
    ContributionKind.RECOMMENDATION: [],
}

# Taxonomy fields per kind: (field, vocabulary, required).
TERM_FIELDS: dict[ContributionKind, list[tuple[str, Vocabulary, bool]]] = {
    ContributionKind.INITIATIVE: [
        ("ess_family_id", Vocabulary.ESS_FAMILY, False),
        ("activity_sector_id", Vocabulary.ACTIVITY_SECTOR, False),
    ],
    ContributionKind.NEED: [
        ("actor_type_id", Vocabulary.ACTOR_TYPE, False),
        ("need_category_id", Vocabulary.NEED_CATEGORY, True),
    ],
    ContributionKind.RECOMMENDATION: [
        ("responsible_party_id", Vocabulary.RESPONSIBLE_PARTY, False),
    ],
}

# Fixed choices per kind: (field, enum).
CHOICE_FIELDS: dict[ContributionKind, list[tuple[str, type]]] = {
    ContributionKind.INITIATIVE: [("stage", Stage)],
    ContributionKind.NEED: [("urgency", Urgency)],
    ContributionKind.RECOMMENDATION: [("horizon", Horizon)],
}


class ControlCharacters(ValueError):
    """Text holding a NUL byte or another control character (tab and newlines aside)."""


# C0 control characters and DEL, except tab, line feed and carriage return: PostgreSQL
# refuses NUL in text, and none of them is anything a person types. Lone surrogates (a JSON
# "\ud800") are no character at all: they cannot be encoded to store them.
CONTROL_RE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")
CONTROL_MESSAGE = N_("Ce texte contient des caractères non autorisés.")


def _text(value: Any) -> str:
    """A submitted text, stripped ('' for None); TypeError unless it is a string.

    JSON ``true``, ``12345`` or ``NaN`` is not text: it is refused, not stored as "True".
    Text with control characters raises :class:`ControlCharacters`.
    """
    if value is None:
        return ""
    if not isinstance(value, str):
        raise TypeError
    if CONTROL_RE.search(value):
        raise ControlCharacters
    return value.strip()


MAX_ID = 2**31 - 1  # an INTEGER column's largest value; SQLite cannot bind beyond 2**63


def is_id(value: Any) -> bool:
    """Whether ``value`` can be a row id sent as JSON: an int (not a bool) in range."""
    return isinstance(value, int) and not isinstance(value, bool) and 0 < value <= MAX_ID


def _int_or_none(value: Any) -> int | None:
    """An id sent as a JSON integer or as digits (a form); None when absent.

    A bool is not an id (``True == 1`` in Python), nor is a float.
    """
    if isinstance(value, int) and not isinstance(value, bool):
        number = value
    else:
        text = _text(value)
        if not text:
            return None
        if not text.isascii() or not text.isdigit() or len(text) > 12:
            raise ValueError
        number = int(text)
    if not is_id(number):
        raise ValueError
    return number


def _number_or_none(value: Any) -> float | None:
    """A finite number sent as a JSON number or as text ("4,5"); None when absent."""
    if isinstance(value, bool):
        raise TypeError
    if isinstance(value, int | float):
        number = float(value)
    else:
        text = _text(value).replace(",", ".")
        if not text:
            return None
        number = float(text)
    if not math.isfinite(number):
        raise ValueError
    return number


def clean_text(field: str, value: Any, max_length: int, *, required: bool = False) -> str | None:
    """One free-text field (stripped, None when empty), or a ValidationError naming it."""
    try:
        text = _text(value)
    except ControlCharacters:
        raise ValidationError({field: CONTROL_MESSAGE}) from None
    except TypeError:
        raise ValidationError({field: N_("Valeur invalide.")}) from None
    if required and not text:
        raise ValidationError({field: N_("Ce champ est obligatoire.")})
    # Counted as the page's counter counts (static/js/counter.js): a line break is one
    # character, though a form posts it as CR LF.
    if len(text.replace("\r\n", "\n")) > max_length:
        raise ValidationError({field: N_("Ce texte est trop long.")})
    return text or None


def complete_website(text: str) -> str:
    """A website as typed, completed with ``https://`` when it has no scheme.

    "www.exemple.fr" and "exemple.fr/page" become "https://..."; "www.exemple" and
    "exemple" are refused (a bare host needs two labels besides a leading "www", the last
    one of two letters or more); an http(s) address is kept as it is; any other
    scheme (``javascript:``, ``mailto:``) and anything that is not an address raise
    ``ValueError``. The one rule of every place a website is entered:
    the phone and console forms, the facilitator's edits and archive imports.
    """
    text = text.strip()
    if text.startswith("//"):  # protocol-relative: a bare host after all
        text = text[2:]
    elif URL_RE.match(text):
        return text
    if SCHEME_RE.match(text) or not BARE_HOST_RE.match(text) or not _named_host(text):
        raise ValueError(text)
    return "https://" + text


def _named_host(text: str) -> bool:
    """Whether a bare address names a host: two labels or more besides a leading "www"
    ("exemple.fr", "www.exemple.fr"), so "www.exemple" (a typo for a site) is refused.
    BARE_HOST_RE already requires a last label of two letters or more."""
    host = re.split(r"[:/?#]", text, maxsplit=1)[0].rstrip(".")
    labels = host.split(".")
    if labels[0].casefold() == "www":
        labels = labels[1:]
    return len(labels) >= 2


def clean_client_id(value: Any) -> str:
    """The client-generated id, or a ValidationError if malformed."""
    try:
        client_id = _text(value)
    except (TypeError, ValueError):
        client_id = ""
    if not CLIENT_ID_RE.match(client_id):
        raise ValidationError({"client_id": N_("Identifiant de contribution invalide.")})
    return client_id


def clean_kind(value: Any) -> ContributionKind:
    """The contribution kind, or a ValidationError."""
    try:
        return ContributionKind(_text(value))
    except (TypeError, ValueError):
        raise ValidationError({"kind": N_("Type de contribution inconnu.")}) from None


def clean_contribution(diagnostic: Diagnostic, data: Mapping[str, Any]) -> dict[str, Any]:
    """Validate ``data`` against the diagnostic's taxonomies; return the fields to store.

    The result holds ``kind``, ``client_id``, ``description``, the kind's typed fields and,
    for a recommendation, ``answered_need_ids`` (checked by the caller against the workshop).
    """
    if not isinstance(data, Mapping):
        raise ValidationError({"__all__": N_("Contribution illisible.")})
    errors: dict[str, str] = {}
    kind = clean_kind(data.get("kind"))
    cleaned: dict[str, Any] = {"kind": kind}
    try:
        cleaned["client_id"] = clean_client_id(data.get("client_id"))
    except ValidationError as exc:
        errors.update(exc.errors)

    fields = [("description", MAX_DESCRIPTION, True), *TEXT_FIELDS[kind]]
    for field, max_length, required in fields:
        try:
            value = clean_text(field, data.get(field), max_length, required=required) or ""
        except ValidationError as exc:
            errors.update(exc.errors)
            continue
        if field == "website" and value:
            try:
                value = complete_website(value)
            except ValueError:
                errors[field] = WEBSITE_MESSAGE
                continue
            if len(value) > max_length:
                errors[field] = N_("Ce texte est trop long.")
                continue
        cleaned[field] = value or None

    for field, vocabulary, required in TERM_FIELDS[kind]:
        try:
            term_id = _int_or_none(data.get(field))
        except (TypeError, ValueError):
            errors[field] = N_("Choix invalide.")
            continue
        if term_id is None and required:
            errors[field] = N_("Ce champ est obligatoire.")
        elif term_id is not None and not diagnostic.has_term(vocabulary, term_id):
            errors[field] = N_("Choix invalide.")
        else:
            cleaned[field] = term_id

    for field, choices in CHOICE_FIELDS[kind]:
        try:
            value = _text(data.get(field))
            cleaned[field] = choices(value) if value else None
        except (TypeError, ValueError):
            errors[field] = N_("Choix invalide.")

    if kind == ContributionKind.INITIATIVE:
        try:
            cleaned["jobs_fte"] = _number_or_none(data.get("jobs_fte"))
            if cleaned["jobs_fte"] is not None and not 0 <= cleaned["jobs_fte"] <= 100000:
                raise ValueError
        except (TypeError, ValueError):
            errors["jobs_fte"] = N_("Indiquez un nombre d'emplois (ETP) entre 0 et 100 000.")

    if kind == ContributionKind.RECOMMENDATION:
        try:
            stake_id = _int_or_none(data.get("stake_id"))
        except (TypeError, ValueError):
            stake_id = -1
        if stake_id is None:
            errors["stake_id"] = N_("Ce champ est obligatoire.")
        elif not diagnostic.has_stake(stake_id):
            errors["stake_id"] = N_("Choix invalide.")
        else:
            cleaned["stake_id"] = stake_id
        try:
            cleaned["answered_need_ids"] = _need_ids(data.get("answered_need_ids"))
        except (TypeError, ValueError):
            errors["answered_need_ids"] = N_("Liste de besoins invalide.")

    if errors:
        raise ValidationError(errors)
    return cleaned


def _need_ids(value: Any) -> list[int]:
    """A short list of distinct need ids from a list, a single value or nothing."""
    if value in (None, ""):
        return []
    values = value if isinstance(value, list | tuple) else [value]
    if len(values) > MAX_NEEDS_ANSWERED:
        raise ValueError
    ids = []
    for item in values:
        need_id = _int_or_none(item)
        if need_id is None:
            raise ValueError
        if need_id not in ids:
            ids.append(need_id)
    return ids
