"""Generate a large closed diagnostic for the report benchmark: ``python -m bench.report_data``.

Fifty workshops and 10,000 published contributions by default (the issue's size), in
French, on the Grand Toulouse demo frame (stakes, territorial sectors and their communes,
the ESS taxonomies), with a few more themes for the thematic workshops. The same
structures are cited in several workshops with spelling variants (case, accents,
articles, abbreviations, an added place name, a typo) and the same needs come back phrased
several ways, so duplicate suggestion has real work. Supports and dot votes are spread
over the contributions; recommendations answer needs of their own or earlier workshops.

Everything is deterministic for a given seed and written with bulk inserts
(``session.execute(insert(Model), rows)`` with ids given by the generator): a few seconds
for 10,000 contributions on SQLite.
"""

from __future__ import annotations

import argparse
import json
import math
import random
import time
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import create_engine, func, insert, select, text
from sqlalchemy.orm import Session

from diagnostic.demo.loader import demo_archive
from diagnostic.frame import planning
from diagnostic.models import (
    Base,
    Contribution,
    ContributionKind,
    ContributionStatus,
    Participant,
    Phase,
    Sector,
    Support,
    Theme,
    Vocabulary,
    Vote,
    Workshop,
    WorkshopKind,
    WorkshopStatus,
    recommendation_need,
)

from . import report_content as content
from .report_rows import ContributionRows, split
from .report_text import Structure, make_structures, of_place

# Themes beyond the demo's two, with the activity sectors their initiatives come from.
THEME_SECTORS: dict[str, tuple[str, ...]] = {
    "Entrepreneuriat solidaire": ("Insertion et emploi", "Éducation et formation",
                                  "Finance solidaire"),
    "Services à la personne": ("Services à la personne", "Action sociale et santé"),
    "Finance solidaire": ("Finance solidaire",),
    "Économie circulaire": ("Environnement et économie circulaire",),
    "Alimentation et circuits courts": ("Alimentation et agriculture",),
    "Mobilité solidaire": ("Mobilité",),
    "Insertion par l'activité économique": ("Insertion et emploi", "Habitat et logement"),
    "Culture et lien social": ("Culture et loisirs", "Action sociale et santé"),
    "Numérique et tiers-lieux": ("Numérique", "Éducation et formation"),
}
ACTOR_OF_FAMILY = {
    content.ASSO: "Association", content.COOP: "Coopérative", content.MUT: "Mutuelle",
    content.IAE: "Structure d'insertion", content.EQUI: "Coopérative", content.FOND: "Autre",
    content.AUTRE: "Autre",
}
FIRST_DAY, LAST_DAY = date(2011, 1, 11), date(2011, 12, 13)


@dataclass
class Generated:
    """What :func:`generate` made: the diagnostic's id, row counts, seconds taken."""

    diagnostic_id: int
    counts: dict[str, int]
    seconds: float


def _weekday(day: date) -> date:
    """``day``, or the next Tuesday when it falls on a weekend."""
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return day


class _Generator:
    """Builds the rows of one diagnostic in memory, then inserts them table by table."""

    def __init__(self, session: Session, workshops: int, contributions: int,
                 participants: int, seed: int) -> None:
        self.session = session
        self.rng = random.Random(seed)
        self.n_workshops, self.n_contributions = workshops, contributions
        self.n_participants = max(participants, 2 * workshops)

    def run(self) -> int:
        """Create the diagnostic and every row; return the diagnostic id."""
        demo = demo_archive()
        diagnostic = planning.create_diagnostic(
            self.session, title=f"Diagnostic de l'ESS du Grand Toulouse (banc d'essai : "
            f"{self.n_workshops} ateliers, {self.n_contributions} contributions)",
            territory=demo["diagnostic"]["territory"], period="Janvier – décembre 2011",
            description="Données générées pour mesurer la composition et l'export du rapport.",
            stakes=[stake["title"] for stake in demo["stakes"]],
        )
        for position, sector in enumerate(demo["sectors"]):
            diagnostic.sectors.append(Sector(position=position, name=sector["name"],
                                             communes=sector["communes"]))
        for position, name in enumerate(THEME_SECTORS):
            diagnostic.themes.append(Theme(position=position, name=name,
                                           description=f"Atelier thématique : {name.lower()}."))
        self.session.commit()
        self.did = diagnostic.id
        self.terms = {v: {t.label: t.id for t in diagnostic.terms_of(v)} for v in Vocabulary}
        self.stake_ids = [s.id for s in diagnostic.stakes]
        self.sector_communes = {s.id: s.communes.split(", ") for s in diagnostic.sectors}
        self.communes = sorted({c for cs in self.sector_communes.values() for c in cs})
        self.theme_sectors = {t.id: THEME_SECTORS[t.name] for t in diagnostic.themes}
        workshops = self.insert_workshops(diagnostic)
        self.structures = self.make_structures()
        parts = self.insert_participants(workshops)
        self.insert_contributions(workshops, parts)
        self.session.commit()
        return self.did

    def insert(self, model: type[Base], rows: list[dict[str, Any]]) -> list[int]:
        """Bulk-insert ``rows`` with ids given here (after the table's highest), return them.

        Explicit ids spare ``RETURNING`` (slow in SQLAlchemy's many-values mode on
        SQLite); on PostgreSQL the id sequence is moved past them afterwards.
        """
        table = model.__table__
        first = (self.session.scalar(select(func.max(table.c.id))) or 0) + 1
        for offset, row in enumerate(rows):
            row["id"] = first + offset
        self.session.execute(insert(model), rows)
        if rows and self.session.get_bind().dialect.name == "postgresql":
            self.session.execute(text(
                f"SELECT setval(pg_get_serial_sequence('\"{table.name}\"', 'id'), "
                f"{first + len(rows) - 1})"))
        return [row["id"] for row in rows]

    def insert_workshops(self, diagnostic) -> list[dict[str, Any]]:
        """Territorial and thematic workshops, closed, spread over 2011."""
        rng, n = self.rng, self.n_workshops
        thematic = max(1, round(n * 0.28)) if n >= 2 else 0
        kinds = self._spread_kinds(n, thematic)
        existing = set(self.session.scalars(select(Workshop.join_code)))
        rows, rounds = [], {}
        span = (LAST_DAY - FIRST_DAY).days
        for index, kind in enumerate(kinds):
            day = _weekday(FIRST_DAY + timedelta(days=span * index // max(1, n - 1)))
            if kind == WorkshopKind.TERRITORIAL:
                subject = diagnostic.sectors[sum(k == kind for k in kinds[:index]) % 6]
                place = f"Salle municipale, {rng.choice(self.sector_communes[subject.id])}"
            else:
                themes = diagnostic.themes
                subject = themes[sum(k == kind for k in kinds[:index]) % len(themes)]
                place = rng.choice(("Maison des associations, Toulouse",
                                    "Pépinière d'entreprises, Toulouse",
                                    "Hôtel de communauté, Toulouse"))
            rounds[subject.name] = rounds.get(subject.name, 0) + 1
            label = "Atelier territorial" if kind == WorkshopKind.TERRITORIAL \
                else "Atelier thématique"
            code = self._join_code(existing)
            rows.append({
                "diagnostic_id": self.did, "kind": kind,
                "title": f"{label} — {subject.name}, session {rounds[subject.name]}",
                "sector_id": subject.id if kind == WorkshopKind.TERRITORIAL else None,
                "theme_id": subject.id if kind == WorkshopKind.THEMATIC else None,
                "date": day, "place": place, "status": WorkshopStatus.CLOSED,
                "phase": Phase.CLOSED, "join_code": code,
                "created_at": datetime.combine(day, datetime.min.time(), tzinfo=UTC)
                - timedelta(days=21),
            })
        self.insert(Workshop, rows)
        return rows

    def _spread_kinds(self, n: int, thematic: int) -> list[WorkshopKind]:
        """``n`` workshop kinds with the ``thematic`` ones spread evenly among them."""
        slots = {round((i + 0.5) * n / thematic) for i in range(thematic)} if thematic else set()
        kinds = [WorkshopKind.THEMATIC if i in slots else WorkshopKind.TERRITORIAL
                 for i in range(n)]
        if n >= 2 and WorkshopKind.TERRITORIAL not in kinds:
            kinds[0] = WorkshopKind.TERRITORIAL
        return kinds

    def _join_code(self, existing: set[str]) -> str:
        """A fresh join code, deterministic for the seed."""
        while True:
            code = "".join(self.rng.choice(planning.JOIN_CODE_ALPHABET)
                           for _ in range(planning.JOIN_CODE_LENGTH))
            if code not in existing:
                existing.add(code)
                return code

    def make_structures(self) -> list[Structure]:
        """The structures the initiatives cite: about one for 1.9 citations."""
        wanted = max(1, math.ceil(self.n_contributions * 0.35 / 1.9))
        return make_structures(wanted, self.communes, self.rng)

    def insert_participants(self, workshops) -> dict[int, list[dict[str, Any]]]:
        """About 40 participants per workshop with organisations and actor types."""
        rng, actor = self.rng, self.terms[Vocabulary.ACTOR_TYPE]
        rows = []
        for workshop, count in zip(workshops, split(self.n_participants, len(workshops), rng),
                                   strict=True):
            for _ in range(max(2, count)):
                draw = rng.random()
                if draw < 0.55:
                    structure = rng.choice(self.structures)
                    organisation, actor_type = structure.name, ACTOR_OF_FAMILY[structure.family]
                elif draw < 0.75:
                    organisation, actor_type = rng.choice(content.INSTITUTIONS)
                    if rng.random() < 0.4:
                        organisation += f" {of_place(rng.choice(self.communes))}"
                elif draw < 0.9:
                    organisation, actor_type = "", "Citoyen·ne"
                else:
                    organisation, actor_type = "", None
                named = rng.random() < 0.1
                number = len(rows) + 1
                rows.append({
                    "workshop_id": workshop["id"],
                    "display_name": rng.choice(content.FIRST_NAMES) if named
                    else f"Participant·e {number}",
                    "organisation": organisation, "agreed_to_be_named": named,
                    "actor_type_id": actor[actor_type] if actor_type else None,
                    "token": f"bench-{self.did}-{rng.getrandbits(96):024x}",
                    "created_at": datetime.combine(workshop["date"], datetime.min.time(),
                                                   tzinfo=UTC) + timedelta(hours=14),
                })
        self.insert(Participant, rows)
        by_workshop: dict[int, list[dict[str, Any]]] = {}
        for row in rows:
            by_workshop.setdefault(row["workshop_id"], []).append(row)
        return by_workshop

    def insert_contributions(self, workshops, parts) -> None:
        """Contributions (see :class:`ContributionRows`), their links, supports and votes."""
        maker = ContributionRows(self.rng, self.did, self.terms, self.stake_ids,
                                 self.sector_communes, self.theme_sectors, self.structures)
        rows, links = maker.contributions(workshops, parts, self.n_contributions)
        ids = self.insert(Contribution, rows)
        if links:
            self.session.execute(recommendation_need.insert(),
                                 [{"recommendation_id": ids[r], "need_id": ids[n]}
                                  for r, n in links])
        supports, votes = maker.supports_and_votes(rows, ids, parts)
        if supports:
            self.session.execute(insert(Support), supports)
        if votes:
            self.session.execute(insert(Vote), votes)


def count_rows(session: Session, diagnostic_id: int) -> dict[str, int]:
    """Rows of the diagnostic per table (contributions per kind too), to check a generation."""
    in_diagnostic = Workshop.diagnostic_id == diagnostic_id

    def scalar(query) -> int:
        return session.scalar(query) or 0

    contributions = select(Contribution.id).join(Workshop).where(in_diagnostic)
    counts = {
        "workshops": scalar(select(func.count(Workshop.id)).where(in_diagnostic)),
        "closed_workshops": scalar(select(func.count(Workshop.id)).where(
            in_diagnostic, Workshop.status == WorkshopStatus.CLOSED)),
        "participants": scalar(select(func.count(Participant.id)).join(Workshop)
                               .where(in_diagnostic)),
        "contributions": scalar(select(func.count()).select_from(contributions.subquery())),
        "published": scalar(select(func.count(Contribution.id)).join(Workshop).where(
            in_diagnostic, Contribution.status == ContributionStatus.PUBLISHED)),
        "supports": scalar(select(func.count(Support.id))
                           .where(Support.contribution_id.in_(contributions))),
        "votes": scalar(select(func.count(Vote.id))
                        .where(Vote.contribution_id.in_(contributions))),
        "answered_need_links": scalar(
            select(func.count()).select_from(recommendation_need)
            .where(recommendation_need.c.recommendation_id.in_(contributions))),
        "distinct_initiative_names": scalar(
            select(func.count(func.distinct(Contribution.name))).join(Workshop)
            .where(in_diagnostic, Contribution.kind == ContributionKind.INITIATIVE)),
    }
    for kind in ContributionKind:
        counts[kind.value] = scalar(select(func.count(Contribution.id)).join(Workshop).where(
            in_diagnostic, Contribution.kind == kind))
    return counts


def generate(url: str, *, workshops: int = 50, contributions: int = 10_000,
             participants: int | None = None, seed: int = 2011) -> Generated:
    """Create the schema if needed and one generated diagnostic in the database at ``url``."""
    if workshops < 1 or contributions < workshops:
        raise ValueError("need at least one workshop and one contribution per workshop")
    started = time.perf_counter()
    engine = create_engine(url)
    try:
        Base.metadata.create_all(engine)
        with Session(engine) as session:
            generator = _Generator(session, workshops, contributions,
                                   participants or 40 * workshops, seed)
            diagnostic_id = generator.run()
            seconds = time.perf_counter() - started
            counts = count_rows(session, diagnostic_id)
            counts["structures_cited"] = sum(1 for s in generator.structures if s.citations)
            counts["structures_cited_twice_or_more"] = sum(
                1 for s in generator.structures if s.citations >= 2)
    finally:
        engine.dispose()
    return Generated(diagnostic_id, counts, round(seconds, 2))


def main(argv: list[str] | None = None) -> int:
    """Generate one diagnostic and print its id, counts and the time taken (JSON)."""
    parser = argparse.ArgumentParser(prog="python -m bench.report_data", description=__doc__)
    parser.add_argument("--database-url", required=True,
                        help="SQLAlchemy URL, e.g. sqlite:////tmp/report-bench.db")
    parser.add_argument("--workshops", type=int, default=50)
    parser.add_argument("--contributions", type=int, default=10_000)
    parser.add_argument("--participants", type=int, default=None,
                        help="default: 40 per workshop")
    parser.add_argument("--seed", type=int, default=2011)
    args = parser.parse_args(argv)
    result = generate(args.database_url, workshops=args.workshops,
                      contributions=args.contributions, participants=args.participants,
                      seed=args.seed)
    print(json.dumps({"diagnostic_id": result.diagnostic_id, "seconds": result.seconds,
                      "counts": result.counts}, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())


def load_demo_database(url: str) -> int:
    """Create the schema at ``url`` and load the Grand Toulouse demo; its diagnostic id."""
    from sqlalchemy import create_engine
    from sqlalchemy.orm import Session

    from diagnostic.demo.loader import load_demo
    from diagnostic.models import Base

    engine = create_engine(url)
    try:
        Base.metadata.create_all(engine)
        with Session(engine) as session:
            diagnostic_id = load_demo(session).id
            session.commit()
    finally:
        engine.dispose()
    return diagnostic_id
