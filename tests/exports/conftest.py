"""A small hand-built Report: the exporters are pure, so their tests need no database."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from diagnostic.reporting.report import (
    Context,
    ContributionRow,
    CountRow,
    Group,
    Initiative,
    Method,
    Need,
    NeedRef,
    Recommendation,
    Report,
    StakeInfo,
    WorkshopSummary,
)

MOMENT = datetime(2011, 4, 12, 14, 30, tzinfo=UTC)


def _row(**fields) -> ContributionRow:
    blank = dict.fromkeys(ContributionRow.__dataclass_fields__)
    blank.update(answered_need_ids=[], created_at=MOMENT, workshop_id=1)
    blank.update(fields)
    return ContributionRow(**blank)


def build_report(text: str = "Texte", extra_rows: tuple[ContributionRow, ...] = ()) -> Report:
    """A report whose every user-text field holds ``text`` (names, descriptions, labels)."""
    common = dict(workshop_id=1, workshop_title=f"Atelier {text}", author=f"Auteur {text}",
                  organisation=f"Structure {text}", created_at=MOMENT, workshop_ids=[1])
    initiative = Initiative(
        id=1, description=f"Initiative {text}", name=f"Nom {text}", ess_family="Coopérative",
        activity_sector=f"Secteur {text}", commune="Toulouse", jobs_fte=4.5,
        stage="established", stage_label="Consolidée", contact=None,
        website="https://example.org", **common)
    need = Need(id=2, description=f"Besoin {text}", actor_type="Association",
                category=f"Catégorie {text}", urgency="high", urgency_label="Forte", **common)
    recommendation = Recommendation(
        id=3, description=f"Préconisation {text}", stake_id=10, stake=f"Enjeu {text}",
        responsible_party="Intercommunalité", horizon="short", horizon_label="Court terme",
        answered_needs=[NeedRef(2, f"Besoin {text}")], **common)
    kinds = [CountRow("initiative", "Initiatives", 1), CountRow("need", "Besoins", 1),
             CountRow("recommendation", "Préconisations", 1)]
    rows = [
        _row(id=1, kind="initiative", kind_label="Initiative", workshop_title=f"Atelier {text}",
             description=f"Initiative {text}", name=f"Nom {text}", jobs_fte=4.5,
             organisation=f"Structure {text}", author=f"Auteur {text}"),
        _row(id=2, kind="need", kind_label="Besoin", workshop_title=f"Atelier {text}",
             description=f"Besoin {text}", need_category=f"Catégorie {text}"),
        _row(id=3, kind="recommendation", kind_label="Préconisation",
             workshop_title=f"Atelier {text}", description=f"Préconisation {text}",
             stake_id=10, stake=f"Enjeu {text}", answered_need_ids=[2]),
        *extra_rows,
    ]
    return Report(
        diagnostic_id=7,
        generated_at=MOMENT,
        context=Context(title=f"Diagnostic {text}", territory=f"Territoire {text}",
                        period="2011", description=f"Description {text}", is_demo=False,
                        stakes=[StakeInfo(10, 0, f"Enjeu {text}", "")]),
        method=Method(
            workshops=[WorkshopSummary(
                id=1, title=f"Atelier {text}", kind="territorial",
                kind_label="Atelier territorial", subject=f"Secteur {text}",
                date=date(2011, 4, 12), place=f"Lieu {text}", status="closed",
                status_label="Clos", participants=2, contributions=kinds,
                total_contributions=3)],
            workshop_count=1, participant_count=2, contribution_count=len(rows),
            contributions_by_kind=kinds,
            participants_by_actor_type=[CountRow(5, f"Acteur {text}", 1),
                                        CountRow(None, "Non précisé", 1)],
        ),
        initiatives=[initiative],
        needs=[need],
        recommendations=[recommendation],
        initiatives_by_sector=[Group(20, f"Secteur {text}", [initiative])],
        initiatives_by_family=[Group(None, "Non classé", [initiative])],
        needs_by_category=[Group(30, f"Catégorie {text}", [need])],
        recommendations_by_stake=[Group(10, f"Enjeu {text}", [recommendation])],
        organisations=[f"Structure {text}"],
        contributions=rows,
    )


@pytest.fixture
def make_report():
    """``make_report(text="...", extra_rows=(...))`` → a small Report (no database)."""
    return build_report


@pytest.fixture
def row():
    """``row(id=..., description=...)`` → a ContributionRow with blank optional fields."""
    return _row
