"""A known workshop for the minutes tests: people, contributions, merges, scribe items, tallies.

Built through the domain services, then shaped with direct rows where the moderation and
voting services are not the point (hide, pend, merge, scribe entry, supports, dots), so the
same data serves the domain, page and browser tests.

Expected tallies (supports, dots) of the shown items:
  recommendation "Créer un fonds"   (0, 5)  → rank 1
  initiative "Coopérative Ozon"     (3, 2)  → rank 2 (its merged source brings 1 support, 1 dot)
  need "Des locaux"                 (1, 1)  → rank 3
  initiative "Jardin <script>"      (1, 1)  → rank 3 (tie)
  need typed by the scribe          (0, 0)  → not ranked
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date

from sqlalchemy.orm import Session

from diagnostic.frame import planning
from diagnostic.live import lifecycle, participation
from diagnostic.models import (
    Contribution,
    ContributionKind,
    ContributionStatus,
    Role,
    Support,
    User,
    Vocabulary,
    Vote,
    WorkshopKind,
)

XSS = "<script>alert('x')</script>"


@dataclass
class MinutesData:
    """Ids of the seeded objects, by role in the scenario."""

    workshop_id: int
    facilitator_email: str
    initiative: int
    xss_initiative: int
    merged_source: int
    need: int
    hidden_need: int
    scribe_need: int
    recommendation: int
    pending_recommendation: int


def _cid() -> str:
    return uuid.uuid4().hex


def seed_minutes(session: Session, *, close: bool = True, password: str = "pw-123456789"
                 ) -> MinutesData:
    """Create a diagnostic, one workshop and the scenario described in the module docstring."""
    diagnostic = planning.create_diagnostic(
        session, title="Diagnostic ESS", territory="Grand Toulouse",
        stakes=["Favoriser le développement de l'ESS", "Mieux accompagner"],
    )
    from diagnostic.models import Sector

    diagnostic.sectors.append(Sector(name="Nord", position=0))
    session.commit()
    workshop = planning.create_workshop(
        session, diagnostic, kind=WorkshopKind.TERRITORIAL, title="Atelier Nord",
        sector_id=diagnostic.sectors[0].id, date=date(2011, 4, 12), place="Salle Osète",
    )
    facilitator = User(email=f"anim-{_cid()[:8]}@example.org", name="Léa Animatrice",
                       role=Role.FACILITATOR)
    facilitator.set_password(password)
    session.add(facilitator)
    workshop.facilitators.append(facilitator)
    lifecycle.open_workshop(session, workshop, None)

    actor = {t.label: t.id for t in diagnostic.terms_of(Vocabulary.ACTOR_TYPE)}
    category = diagnostic.terms_of(Vocabulary.NEED_CATEGORY)[1].id
    join = participation.join_workshop
    alice = join(session, workshop, display_name="Alice Nommée", organisation="Coopérative Ozon",
                 actor_type_id=actor["Association"], agreed_to_be_named=True)
    bruno = join(session, workshop, display_name="Bruno Anonyme", organisation="Régie de quartier",
                 actor_type_id=actor["Association"])
    chloe = join(session, workshop, display_name="Chloé Discrète")
    dan = join(session, workshop, display_name="Dan Caché", organisation="coopérative  OZON",
               actor_type_id=actor["Élu·e"])

    def submit(participant, **data):
        contribution, _ = participation.submit_contribution(
            session, participant, {"client_id": _cid(), **data})
        return contribution

    initiative = submit(alice, kind="initiative", name="Coopérative Ozon",
                        description="Une coopérative d'activité et d'emploi.", jobs_fte="4,5",
                        commune="Toulouse", stage="established")
    xss = submit(bruno, kind="initiative", name=f"Jardin {XSS}", description=f"Potager {XSS}")
    source = submit(bruno, kind="initiative", name="CAE Ozon",
                    description="La même coopérative, dite autrement.")
    need = submit(chloe, kind="need", need_category_id=category, description="Des locaux")
    hidden = submit(chloe, kind="need", need_category_id=category,
                    description="Propos injurieux masqué")
    recommendation = submit(dan, kind="recommendation", stake_id=diagnostic.stakes[0].id,
                            description="Créer un fonds d'amorçage", horizon="short")
    pending = submit(dan, kind="recommendation", stake_id=diagnostic.stakes[1].id,
                     description="Préconisation en attente de validation")
    scribe = Contribution(
        workshop=workshop, kind=ContributionKind.NEED, client_id=_cid(), scribe_id=facilitator.id,
        on_behalf_of="Mme Durand", need_category_id=category,
        description="Un besoin dicté à l'animation",
    )
    session.add(scribe)
    source.merged_into_id = initiative.id
    hidden.status = ContributionStatus.HIDDEN
    pending.status = ContributionStatus.PENDING
    session.add_all([
        Support(contribution_id=initiative.id, participant_id=bruno.id),
        Support(contribution_id=initiative.id, participant_id=chloe.id),
        Support(contribution_id=source.id, participant_id=dan.id),
        Support(contribution_id=need.id, participant_id=alice.id),
        Support(contribution_id=xss.id, participant_id=alice.id),
        Support(contribution_id=hidden.id, participant_id=alice.id),
        Vote(contribution_id=recommendation.id, participant_id=alice.id, dots=3),
        Vote(contribution_id=recommendation.id, participant_id=bruno.id, dots=2),
        Vote(contribution_id=initiative.id, participant_id=chloe.id, dots=1),
        Vote(contribution_id=source.id, participant_id=alice.id, dots=1),
        Vote(contribution_id=need.id, participant_id=bruno.id, dots=1),
        Vote(contribution_id=xss.id, participant_id=dan.id, dots=1),
        Vote(contribution_id=hidden.id, participant_id=dan.id, dots=3),
    ])
    session.commit()
    if close:
        lifecycle.close_workshop(session, workshop, None)
        session.commit()
    return MinutesData(
        workshop_id=workshop.id, facilitator_email=facilitator.email,
        initiative=initiative.id, xss_initiative=xss.id, merged_source=source.id, need=need.id,
        hidden_need=hidden.id, scribe_need=scribe.id, recommendation=recommendation.id,
        pending_recommendation=pending.id,
    )
