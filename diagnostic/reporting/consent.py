"""What the report may publish of a participant: their contact only with their consent.

An initiative's ``contact`` (an e-mail address, a phone number...) is personal data. The
report, the minutes and their exports (HTML, PDF, DOCX, ODT, CSV, XLSX, the report part of
the JSON) show it only when the contribution's participant ticked "J'accepte que mes
coordonnées (contact) figurent dans le rapport" (:attr:`Participant.agreed_to_publish_contact`).
A contribution without a participant (typed by the facilitation in scribe mode, or whose
participant was deleted) has no recorded consent: its contact is not published either.
Staff keep seeing every contact on their pages and in the archive, to follow up.
"""

from __future__ import annotations

from ..models import Contribution, Participant


def published_contact(contribution: Contribution, participant: Participant | None) -> str | None:
    """``contribution.contact`` if ``participant`` (its author) agreed to publish it, else None."""
    if participant is None or participant.id != contribution.participant_id:
        return None
    if not participant.agreed_to_publish_contact:
        return None
    return contribution.contact or None
