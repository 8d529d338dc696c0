"""Aged diagnostics for the retention tests: validated long ago, recently, or not at all."""

from __future__ import annotations

from datetime import date

from diagnostic.live import participation
from diagnostic.models import Contribution, ContributionKind, ReportStatus
from tests.conftest import new_client_id

TODAY = date(2026, 3, 15)


def aged_diagnostic(db, make_diagnostic, make_workshop, make_participant, initiative_data, *,
                    title: str, validated_on: date | None, people: tuple[str, ...]):
    """A diagnostic whose report was validated on ``validated_on`` (None: not validated),
    with one workshop, a participant per name (organisation and contact derived from it)
    each with an initiative, and a scribe entry typed for "<first name> sans téléphone"."""
    session = db.session
    diagnostic = make_diagnostic(title)
    workshop = make_workshop(diagnostic)
    for name in people:
        participant = make_participant(workshop, name, organisation=f"Asso {name}",
                                       agreed_to_be_named=True, agreed_to_publish_contact=True)
        participant.restitution_contact = f"{name.lower()}@restitution.example"
        participant.agreed_to_be_contacted = True
        participation.submit_contribution(session, participant, initiative_data(
            workshop, name=f"Coop {name}", contact=f"{name.lower()}@contact.example"))
    session.add(Contribution(
        workshop=workshop, participant_id=None, on_behalf_of=f"{people[0]} sans téléphone",
        kind=ContributionKind.INITIATIVE, client_id=new_client_id(), name="Coop Scribe",
        description="Saisie par l'animation.", contact="scribe@contact.example"))
    if validated_on is not None:
        diagnostic.report_status = ReportStatus.VALIDATED
        diagnostic.report_validated_on = validated_on
    session.commit()
    return diagnostic
