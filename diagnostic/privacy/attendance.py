"""The participant list of a workshop (*feuille d'émargement*), for the authority's records.

:func:`attendance_sheet` reads one workshop's participants into plain dataclasses that
:mod:`exports.attendance` prints (XLSX, PDF). It is a staff document, yet one that leaves
the tool (printed, filed, possibly communicated on request as an administrative
document), so it follows the consents the way the published report does:

- the **name** is printed only if the participant agreed to be named
  (``agreed_to_be_named``); otherwise "Nom non communiqué" (the person may sign the
  printed sheet); in an anonymous workshop no name is asked: "Participation anonyme";
- an **erased** participant is "Participant·e anonymisé·e", without organisation;
- the **organisation** and the **actor type** are printed (the report lists the
  organisations that took part; an actor type is a category);
- **contacts** (restitution e-mail, initiatives' contacts) and consent flags are never
  printed: a list of attendance does not need them.

Times are given in the diagnostic's zone. Reads only.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from ..errors import N_
from ..hours import clock_time
from ..models import Participant, Workshop
from ..reporting.common import Translate, identity_translate
from ..taxonomy import enum_label
from ..time_zones import local, zone_caption, zone_place
from .erasure import ERASED_NAME

NOT_NAMED = N_("Nom non communiqué")
ANONYMOUS = N_("Participation anonyme")


@dataclass(frozen=True)
class AttendanceRow:
    """One participant as the sheet prints them."""

    number: int
    name: str
    named: bool
    """Whether ``name`` is the person's own (consent given, not erased)."""
    organisation: str
    actor_type: str
    joined_at: datetime
    """In the diagnostic's zone."""
    erased: bool = False


@dataclass
class AttendanceSheet:
    """The heading and the rows of one workshop's participant list."""

    diagnostic: str
    territory: str
    authority: str
    workshop: str
    kind: str
    subject: str
    day: date | None
    start_time: str | None
    end_time: str | None
    place: str
    time_zone: str
    zone_caption: str
    """The zone with its offset when the list was made: "heure de Paris, UTC+1"."""
    zone_place: str
    """The zone in words, for a column header: "heure de Paris"."""
    generated_at: datetime
    """In the diagnostic's zone."""
    anonymous: bool
    rows: list[AttendanceRow] = field(default_factory=list)

    @property
    def named_count(self) -> int:
        return sum(1 for row in self.rows if row.named)


def _row(number: int, person: Participant, anonymous: bool, zone: str,
         translate: Translate) -> AttendanceRow:
    erased = person.erased_at is not None
    named = not erased and not anonymous and person.agreed_to_be_named
    if erased:
        name = translate(ERASED_NAME)
    elif anonymous:
        name = translate(ANONYMOUS)
    elif named:
        name = person.display_name
    else:
        name = translate(NOT_NAMED)
    return AttendanceRow(
        number=number, name=name, named=named,
        organisation="" if erased else (person.organisation or "").strip(),
        actor_type=person.actor_type.label if person.actor_type is not None else "",
        joined_at=local(person.created_at, zone), erased=erased,
    )


def attendance_sheet(session: Session, workshop: Workshop,
                     translate: Translate | None = None,
                     now: datetime | None = None) -> AttendanceSheet:
    """The participant list of ``workshop``, in the order people joined."""
    translate = translate or identity_translate
    diagnostic = workshop.diagnostic
    zone = diagnostic.time_zone
    people = session.scalars(
        select(Participant).where(Participant.workshop_id == workshop.id)
        .options(joinedload(Participant.actor_type))
        .order_by(Participant.created_at, Participant.id)
    ).all()
    generated = local(now or datetime.now(UTC), zone)
    return AttendanceSheet(
        diagnostic=diagnostic.title, territory=diagnostic.territory,
        authority=diagnostic.report_authority or "",
        workshop=workshop.title, kind=translate(enum_label(workshop.kind) or ""),
        subject=workshop.subject, day=workshop.date,
        start_time=clock_time(workshop.start_time), end_time=clock_time(workshop.end_time),
        place=workshop.place or "", time_zone=zone,
        zone_caption=zone_caption(generated, zone, translate),
        zone_place=zone_place(zone, translate), generated_at=generated,
        anonymous=workshop.anonymous,
        rows=[_row(number, person, workshop.anonymous, zone, translate)
              for number, person in enumerate(people, start=1)],
    )
