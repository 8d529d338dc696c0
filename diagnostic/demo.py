"""Load the Grand Toulouse 2011 demo diagnostic (fictitious contributions).

Everything goes through the services (:func:`~diagnostic.services.create_diagnostic`,
``create_workshop``, ``join_workshop``, ``submit_contribution``) so the demo data passes
the same validation as live input. Timestamps are set to the 2011 workshop dates and
client ids are derived from the data, so two loads give the same content (only the
random join codes differ). The data itself lives in :mod:`diagnostic.demo_data`.
"""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from . import demo_data as data
from . import services
from .errors import N_, DomainError
from .live import participation
from .models import Diagnostic, Sector, Theme, Vocabulary, WorkshopKind, WorkshopStatus

# Workshops started at 14:00 UTC (16:00 in Toulouse); one contribution every few minutes.
START = time(14, 0)
STEP = timedelta(minutes=4)


def demo_exists(session: Session) -> bool:
    """True when a demo diagnostic is already in the database."""
    return session.scalar(select(Diagnostic.id).where(Diagnostic.is_demo.is_(True)).limit(1)) \
        is not None


def load_demo(session: Session) -> Diagnostic:
    """Create the demo diagnostic with its workshops and contributions; refuse a second one."""
    if demo_exists(session):
        raise DomainError(N_("Le diagnostic de démonstration est déjà chargé."))
    diagnostic = services.create_diagnostic(
        session, title=data.TITLE, territory=data.TERRITORY, period=data.PERIOD,
        description=data.DESCRIPTION, stakes=list(data.STAKES), is_demo=True,
    )
    for position, (name, communes) in enumerate(data.SECTORS):
        diagnostic.sectors.append(Sector(position=position, name=name, communes=communes))
    for position, (name, description) in enumerate(data.THEMES):
        diagnostic.themes.append(Theme(position=position, name=name, description=description))
    session.commit()
    loader = _Loader(session, diagnostic)
    for number, spec in enumerate(data.WORKSHOPS, start=1):
        loader.workshop(number, spec)
    return diagnostic


class _Loader:
    """Resolves the labels of the demo data to ids and submits it through the services."""

    def __init__(self, session: Session, diagnostic: Diagnostic) -> None:
        self.session = session
        self.diagnostic = diagnostic
        self.terms = {
            vocabulary: {t.label: t.id for t in diagnostic.terms_of(vocabulary)}
            for vocabulary in Vocabulary
        }
        self.stake_ids = [s.id for s in diagnostic.stakes]
        self.need_ids: dict[str, int] = {}

    def term(self, vocabulary: Vocabulary, label: str | None) -> int | None:
        """The id of a default term by label (a KeyError means a typo in the data)."""
        return None if label is None else self.terms[vocabulary][label]

    def workshop(self, number: int, spec: dict[str, Any]) -> None:
        """Create, open and fill one workshop, then close it unless it stays open."""
        kind = WorkshopKind(spec["kind"])
        subjects = self.diagnostic.sectors if kind == WorkshopKind.TERRITORIAL \
            else self.diagnostic.themes
        subject_id = next(s.id for s in subjects if s.name == spec["subject"])
        workshop = services.create_workshop(
            self.session, self.diagnostic, kind=kind, title=spec["title"],
            sector_id=subject_id if kind == WorkshopKind.TERRITORIAL else None,
            theme_id=subject_id if kind == WorkshopKind.THEMATIC else None,
            date=spec["date"], place=spec["place"],
        )
        participation.open_workshop(self.session, workshop)
        start = datetime.combine(spec["date"], START, tzinfo=UTC)
        participants = []
        for person in spec["participants"]:
            participant = participation.join_workshop(
                self.session, workshop, display_name=person["display_name"],
                organisation=person["organisation"],
                actor_type_id=self.term(Vocabulary.ACTOR_TYPE, person["actor_type"]),
                agreed_to_be_named=person["agreed_to_be_named"],
            )
            participant.created_at = start
            participants.append(participant)
        for index, item in enumerate(spec["contributions"]):
            author = participants[index % len(participants)]
            payload = self.payload(item, f"demo-{self.diagnostic.id}-{number:02d}-{index:03d}")
            contribution, _ = participation.submit_contribution(self.session, author, payload)
            contribution.created_at = contribution.updated_at = start + STEP * (index + 1)
            if item["kind"] == "need":
                self.need_ids[item["key"]] = contribution.id
        if not spec.get("open"):
            workshop.status = WorkshopStatus.CLOSED
        self.session.commit()

    def payload(self, item: dict[str, Any], client_id: str) -> dict[str, Any]:
        """The payload a client would send for one demo contribution."""
        kind = item["kind"]
        payload: dict[str, Any] = {
            "kind": kind, "client_id": client_id, "description": item["description"],
        }
        if kind == "initiative":
            jobs = item["jobs_fte"]
            payload.update(
                name=item["name"], commune=item["commune"], stage=item["stage"],
                jobs_fte="" if jobs is None else str(jobs),
                ess_family_id=self.term(Vocabulary.ESS_FAMILY, item["ess_family"]),
                activity_sector_id=self.term(Vocabulary.ACTIVITY_SECTOR,
                                             item["activity_sector"]),
            )
        elif kind == "need":
            payload.update(
                urgency=item["urgency"],
                actor_type_id=self.term(Vocabulary.ACTOR_TYPE, item["actor_type"]),
                need_category_id=self.term(Vocabulary.NEED_CATEGORY, item["need_category"]),
            )
        else:
            payload.update(
                stake_id=self.stake_ids[item["stake"] - 1], horizon=item["horizon"],
                responsible_party_id=self.term(Vocabulary.RESPONSIBLE_PARTY,
                                               item["responsible_party"]),
                answered_need_ids=[self.need_ids[key] for key in item["needs"]],
            )
        return payload
