"""Aged diagnostics for the retention tests: validated long ago, recently, or not at all."""

from __future__ import annotations

from datetime import date

from diagnostic.live import lifecycle, participation
from diagnostic.models import AuditEntry, Contribution, ContributionKind, ReportStatus
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
    session.add(AuditEntry(workshop_id=workshop.id, action="edit",
                           before={"contact": "old@contact.example", "commune": "Muret"},
                           after={"contact": f"{people[0].lower()}@contact.example",
                                  "commune": "Toulouse"}))
    lifecycle.close_workshop(session, workshop, None)
    if validated_on is not None:
        diagnostic.report_status = ReportStatus.VALIDATED
        diagnostic.report_validated_on = validated_on
    session.commit()
    return diagnostic


PEOPLE = {
    # display name: (organisation, initiative contact, restitution e-mail)
    "Zéphyrine Quillard": ("Les Ateliers Brindille", "zephyrine@brindille.example",
                           "z.quillard@perso.example"),
    "Anatole Vernier": ("Coopérative Hirondelle", "06 12 34 56 78", "anatole@perso.example"),
}
SCRIBED_FOR = "Mme Eulalie Tournesol"
SCRIBED_CONTACT = "eulalie@tournesol.example"
EDITED_CONTACT = "corrige@brindille.example"


def personal_diagnostic(db, make_diagnostic, make_workshop, make_participant,
                        initiative_data, facilitator):
    """A closed workshop whose participants agreed to everything (so the report names
    them and prints their contacts), with a scribe entry for someone without a phone, a
    contact corrected by the facilitator (an audit entry), consents and live events."""
    from diagnostic.live import lifecycle, moderation
    from diagnostic.models import ConsentPurpose, ConsentRecord

    session = db.session
    diagnostic = make_diagnostic("Diagnostic personnel")
    workshop = make_workshop(diagnostic)
    workshop.facilitators.append(facilitator)
    first = None
    for name, (organisation, contact, restitution) in PEOPLE.items():
        participant = make_participant(workshop, name, organisation=organisation,
                                       agreed_to_be_named=True, agreed_to_publish_contact=True)
        participant.agreed_to_be_contacted = True
        participant.restitution_contact = restitution
        session.add(ConsentRecord(participant_id=participant.id,
                                  purpose=ConsentPurpose.RESTITUTION, granted=True,
                                  notice_version=1, source="join"))
        contribution, _ = participation.submit_contribution(session, participant, initiative_data(
            workshop, name=f"Initiative de {organisation.split()[-1]}", contact=contact))
        first = first or contribution
    moderation.scribe_contribution(session, workshop, facilitator, {
        **initiative_data(workshop, name="Jardin partagé", contact=SCRIBED_CONTACT),
        "on_behalf_of": SCRIBED_FOR})
    moderation.edit(session, workshop, facilitator, first.id, {"contact": EDITED_CONTACT})
    lifecycle.close_workshop(session, workshop, facilitator)
    session.commit()
    return diagnostic


def personal_strings() -> list[str]:
    """Every name, organisation and contact of :func:`personal_diagnostic`."""
    values = [SCRIBED_FOR, SCRIBED_CONTACT, EDITED_CONTACT]
    for name, details in PEOPLE.items():
        values += [name, *details]
    return values
