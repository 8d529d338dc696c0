"""An archive without participants' personal data: :func:`anonymised`.

The staff archive (:func:`~.dump.dump_diagnostic`) holds every row, names and contacts
included. :func:`anonymised` turns it into one that can leave the authority (open data,
a consultant, a bug report) and still restores with ``diagnostic import``:

- participants keep their actor type, dates and erasure mark; their display name
  becomes a neutral pseudonym ("Participant·e 1", "Participant·e 2"… in archive order;
  an erased participant keeps "Participant·e anonymisé·e"); organisation, restitution
  contact and every consent flag are emptied;
- the consent register (``consent_records``) is left out: it only makes sense for a
  person who can be named;
- contributions lose their ``contact`` and ``on_behalf_of`` (the name of a person
  without a phone a facilitator typed for);
- workshop audit entries keep who (a staff account), what and when, without the
  personal fields in their ``before``/``after``; the live events of the workshops
  are left out (their payloads repeat names; restoring does not need them: a phone
  catching up on a restored workshop gets the whole state);
- staff e-mail addresses (facilitators, scribes, audit authors) and the privacy
  notice's data-protection officer contact stay: they are the authority's
  professional contacts, not participants' personal data.

Free text (descriptions, titles) is kept as typed: a participant who wrote a name in a
description is not found by this function.
"""

from __future__ import annotations

import copy
from typing import Any

ERASED_NAME = "Participant·e anonymisé·e"
PSEUDONYM = "Participant·e {number}"

PARTICIPANT_BLANKS: dict[str, Any] = {
    "organisation": "", "restitution_contact": None, "agreed_to_be_named": False,
    "agreed_to_publish_contact": False, "contact_consent_at": None,
    "agreed_to_be_contacted": False,
}
CONTRIBUTION_BLANKS: dict[str, Any] = {"contact": None, "on_behalf_of": None}
COMMENT_BLANKS: dict[str, Any] = {"author_name": None}
PERSONAL_KEYS = frozenset({"display_name", *PARTICIPANT_BLANKS, *CONTRIBUTION_BLANKS,
                           *COMMENT_BLANKS})
"""Fields that carry personal data, also removed from audit ``before``/``after``."""
LEFT_OUT = ("consent_records", "workshop_events")


def anonymised(document: dict[str, Any]) -> dict[str, Any]:
    """A copy of the archive ``document`` without participants' personal data."""
    result = copy.deepcopy(document)
    number = 0
    for row in result.get("participants", []):
        if row.get("erased_at") is not None:
            row["display_name"] = ERASED_NAME
        else:
            number += 1
            row["display_name"] = PSEUDONYM.format(number=number)
        row.update((key, value) for key, value in PARTICIPANT_BLANKS.items() if key in row)
    for row in result.get("contributions", []):
        row.update(CONTRIBUTION_BLANKS)
    for row in result.get("restitution_comments", []):
        row.update(COMMENT_BLANKS)
    for row in result.get("audit_entries", []):
        for side in ("before", "after"):
            if isinstance(row.get(side), dict):
                row[side] = {key: value for key, value in row[side].items()
                             if key not in PERSONAL_KEYS}
    for key in LEFT_OUT:
        if key in result:
            result[key] = []
    return result


def personal_values(document: dict[str, Any]) -> set[str]:
    """Every name, organisation and contact the archive ``document`` holds (non-empty)."""
    values = set()
    for row in document.get("participants", []):
        values.update((row.get("display_name"), row.get("organisation"),
                       row.get("restitution_contact")))
    for row in document.get("contributions", []):
        values.update((row.get("contact"), row.get("on_behalf_of")))
    values.discard(ERASED_NAME)
    return {value for value in values if isinstance(value, str) and value.strip()}
