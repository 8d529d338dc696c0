"""The contribution rows of the report benchmark's diagnostic, built in memory.

:class:`ContributionRows` turns the workshops and participants that
:mod:`bench.report_data` inserted into rows for ``insert(Contribution)``: initiatives citing
structures of the workshop's territory or theme (often ones cited before, spelled another
way), needs drawn from each workshop's focus topics, recommendations answering needs of
the same or earlier workshops; then supports and dot votes once the ids are known.
"""

from __future__ import annotations

import math
import random
from datetime import UTC, datetime, timedelta
from typing import Any

from diagnostic.models import (
    ContributionKind,
    ContributionStatus,
    Horizon,
    Urgency,
    Vocabulary,
    WorkshopKind,
)

from . import report_content as content
from .report_text import (
    Structure,
    initiative_description,
    need_text,
    recommendation_text,
    slug,
    spell_structure,
)

WORKSHOP_HOURS = 3
# Every row has every typed field, so the bulk insert batches rows of all kinds together.
EMPTY_FIELDS: dict[str, Any] = dict.fromkeys((
    "name", "ess_family_id", "activity_sector_id", "commune", "jobs_fte", "stage", "website",
    "actor_type_id", "need_category_id", "urgency", "stake_id", "responsible_party_id",
    "horizon"))


def split(total: int, parts: int, rng: random.Random, spread: float = 0.3) -> list[int]:
    """``total`` split into ``parts`` uneven shares (±``spread``) that sum exactly to it."""
    weights = [1 + rng.uniform(-spread, spread) for _ in range(parts)]
    raw = [total * w / sum(weights) for w in weights]
    shares = [math.floor(x) for x in raw]
    for index in sorted(range(parts), key=lambda i: shares[i] - raw[i])[: total - sum(shares)]:
        shares[index] += 1
    return shares


class ContributionRows:
    """Makes the contribution, support and vote rows of one generated diagnostic."""

    def __init__(self, rng: random.Random, diagnostic_id: int,
                 terms: dict[Vocabulary, dict[str, int]], stake_ids: list[int],
                 sector_communes: dict[int, list[str]], theme_sectors: dict[int, tuple[str, ...]],
                 structures: list[Structure]) -> None:
        self.rng, self.did, self.terms, self.stake_ids = rng, diagnostic_id, terms, stake_ids
        self.sector_communes, self.theme_sectors = sector_communes, theme_sectors
        self.communes = sorted({c for cs in sector_communes.values() for c in cs})
        self.structures = structures

    def pick_structure(self, workshop: dict[str, Any]) -> Structure:
        """A structure of the workshop's territory or theme, often one cited before."""
        rng = self.rng
        if workshop["kind"] == WorkshopKind.TERRITORIAL:
            communes = set(self.sector_communes[workshop["sector_id"]])
            eligible = [s for s in self.structures if s.commune in communes]
        else:
            sectors = self.theme_sectors[workshop["theme_id"]]
            eligible = [s for s in self.structures if s.sector in sectors]
        eligible = eligible or self.structures
        cited = [s for s in eligible if s.citations]
        fresh = [s for s in eligible if not s.citations]
        if cited and (not fresh or rng.random() < 0.5):
            return rng.choice(cited)
        return rng.choice(fresh)

    def contributions(self, workshops: list[dict[str, Any]],
                      parts: dict[int, list[dict[str, Any]]], total: int
                      ) -> tuple[list[dict[str, Any]], list[tuple[int, int]]]:
        """``total`` contribution rows over the workshops (35/35/30 per kind, in phase order)
        and the (recommendation row, need row) index pairs of the needs they answer."""
        rng = self.rng
        rows: list[dict[str, Any]] = []
        links: list[tuple[int, int]] = []  # (recommendation row, need row)
        needs_by_topic: dict[int, list[int]] = {}
        for workshop, count in zip(workshops, split(total, len(workshops), rng),
                                   strict=True):
            authors = parts[workshop["id"]]
            start = datetime.combine(workshop["date"], datetime.min.time(), tzinfo=UTC) \
                + timedelta(hours=14)
            step = timedelta(hours=WORKSHOP_HOURS) / max(1, count)
            n_init, n_need = round(count * 0.35), round(count * 0.35)
            focus = rng.sample(range(len(content.NEED_TOPICS)), 8)
            local_needs: dict[int, list[int]] = {}
            for index in range(count):
                author = rng.choice(authors)
                row = {"workshop_id": workshop["id"], "participant_id": author["id"],
                       "status": ContributionStatus.PUBLISHED,
                       "client_id": f"bench-{self.did}-{len(rows):06d}",
                       "created_at": start + step * index, "updated_at": start + step * index}
                if index < n_init:
                    row.update(self.initiative(workshop))
                elif index < n_init + n_need:
                    topic = rng.choice(focus) if rng.random() < 0.6 \
                        else rng.randrange(len(content.NEED_TOPICS))
                    row.update(self.need(topic, author))
                    local_needs.setdefault(topic, []).append(len(rows))
                else:
                    row.update(self.recommendation())
                    links += self.answered(len(rows), row.pop("_topic"), local_needs,
                                           needs_by_topic)
                rows.append({**EMPTY_FIELDS, **row})
            for topic, indexes in local_needs.items():
                needs_by_topic.setdefault(topic, []).extend(indexes)
        return rows, links

    def initiative(self, workshop: dict[str, Any]) -> dict[str, Any]:
        """The fields of an initiative citing a structure, spelled one way or another."""
        rng = self.rng
        structure = self.pick_structure(workshop)
        first = structure.citations == 0
        structure.citations += 1
        commune = structure.commune if first or rng.random() < 0.8 \
            else rng.choice(self.communes)
        return {
            "kind": ContributionKind.INITIATIVE,
            "name": structure.name if first else spell_structure(structure, commune, rng),
            "commune": commune,
            "ess_family_id": self.terms[Vocabulary.ESS_FAMILY][structure.family]
            if rng.random() < 0.92 else None,
            "activity_sector_id": self.terms[Vocabulary.ACTIVITY_SECTOR][structure.sector]
            if rng.random() < 0.9 else None,
            "jobs_fte": structure.jobs if rng.random() < 0.85 else None,
            "stage": structure.stage if rng.random() < 0.9 else None,
            "website": f"https://{slug(structure.proper)}.example.org"
            if rng.random() < 0.15 else None,
            "description": initiative_description(structure, commune, rng),
        }

    def need(self, topic: int, author: dict[str, Any]) -> dict[str, Any]:
        """The fields of a need on ``topic``, phrased one of many ways."""
        rng = self.rng
        category = content.NEED_TOPICS[topic][0]
        actor_type = author["actor_type_id"] if rng.random() < 0.7 else \
            rng.choice(list(self.terms[Vocabulary.ACTOR_TYPE].values()))
        return {
            "kind": ContributionKind.NEED, "description": need_text(topic, rng),
            "need_category_id": self.terms[Vocabulary.NEED_CATEGORY][category],
            "actor_type_id": actor_type,
            "urgency": rng.choices([*Urgency, None], weights=(2, 5, 4, 1))[0],
        }

    def recommendation(self) -> dict[str, Any]:
        """The fields of a recommendation (its topic is kept aside to link needs)."""
        rng = self.rng
        topic = rng.randrange(len(content.RECOMMENDATION_TOPICS))
        stake, party = content.RECOMMENDATION_TOPICS[topic][:2]
        parties = self.terms[Vocabulary.RESPONSIBLE_PARTY]
        if rng.random() < 0.25:
            party = rng.choice(list(parties))
        return {
            "kind": ContributionKind.RECOMMENDATION, "_topic": topic,
            "description": recommendation_text(topic, party, rng),
            "stake_id": self.stake_ids[stake - 1] if rng.random() < 0.85
            else rng.choice(self.stake_ids),
            "responsible_party_id": parties[party] if rng.random() < 0.9 else None,
            "horizon": rng.choices([*Horizon, None], weights=(4, 5, 2, 1))[0],
        }

    def answered(self, rec: int, topic: int, local: dict[int, list[int]],
                 earlier: dict[int, list[int]]) -> list[tuple[int, int]]:
        """Up to two needs (of this workshop first, else earlier ones) a recommendation answers."""
        rng = self.rng
        if rng.random() < 0.35:
            return []
        needs = {n for t in content.RECOMMENDATION_TOPICS[topic][3] for n in local.get(t, ())}
        if not needs:
            needs = {n for t in content.RECOMMENDATION_TOPICS[topic][3]
                     for n in earlier.get(t, ())[-20:]}
        chosen = rng.sample(sorted(needs), min(len(needs), rng.choice((1, 1, 2))))
        return [(rec, need) for need in chosen]

    def supports_and_votes(self, rows, ids, parts
                           ) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
        """+1s from other participants of the workshop, then dot votes (budget 5, max 3)."""
        rng = self.rng
        supports, votes = [], []
        by_workshop: dict[int, list[int]] = {}
        for row, cid in zip(rows, ids, strict=True):
            by_workshop.setdefault(row["workshop_id"], []).append(cid)
            others = [p["id"] for p in parts[row["workshop_id"]]
                      if p["id"] != row["participant_id"]]
            count = min(len(others), int(rng.expovariate(1 / 2.5)))
            supports += [{"contribution_id": cid, "participant_id": pid,
                          "created_at": row["created_at"] + timedelta(minutes=5)}
                         for pid in rng.sample(others, count)]
        for workshop_id, participants in parts.items():
            items = by_workshop.get(workshop_id, [])
            for participant in participants:
                if not items or rng.random() < 0.4:
                    continue
                budget = 5
                for cid in rng.sample(items, min(len(items), rng.randint(1, 3))):
                    dots = min(budget, rng.randint(1, 3))
                    if dots:
                        votes.append({"contribution_id": cid, "participant_id": participant["id"],
                                      "dots": dots})
                    budget -= dots
        return supports, votes
