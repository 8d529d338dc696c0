"""The Grand Toulouse 2011 demo diagnostic."""

import json
from collections import Counter
from datetime import date

import pytest
from sqlalchemy import func, select

from diagnostic.demo.loader import load_demo
from diagnostic.errors import DomainError
from diagnostic.frame.identity import minutes_filename, report_filename
from diagnostic.live import participation
from diagnostic.models import (
    Contribution,
    ContributionKind,
    Diagnostic,
    Vocabulary,
    WorkshopKind,
    WorkshopStatus,
)
from diagnostic.reporting.report_build import compose_report
from exports.csv import render_contributions_csv
from exports.html import render_report_html
from exports.json import render_report_json
from tests.conftest import new_client_id

BRIEF_STAKES = [
    "Favoriser le développement et la pérennité de cette économie et de ses emplois",
    "Mieux répondre aux attentes et aux besoins des structures de l'ESS",
    "Mieux accompagner l'entrepreneuriat solidaire",
    "Inscrire pleinement l'ESS dans la dynamique du projet de pôle de complémentarité sur "
    "l'autonomie porté par le Grand Toulouse",
    "Favoriser les liens entre l'ESS et l'économie classique (pôles de compétitivité, "
    "pépinières…)",
    "Diffuser les valeurs et les bonnes pratiques de l'ESS auprès des élus, des techniciens, "
    "des acteurs économiques et des citoyens",
]


@pytest.fixture
def demo(db):
    demo = load_demo(db.session)
    db.session.commit()
    return demo


def contributions(db, demo):
    return [c for w in demo.workshops for c in w.contributions]


def test_frame_of_the_demo(demo):
    assert demo.is_demo and "(démonstration)" in demo.title
    assert demo.territory == "Communauté urbaine du Grand Toulouse"
    assert demo.period == "Avril – juin 2011"
    assert "démonstration" in demo.description.lower() and "fictif" in demo.description
    assert [s.title for s in demo.stakes] == BRIEF_STAKES
    assert "Colomiers" in next(s.communes for s in demo.sectors if s.name == "Ouest")


def test_the_demo_report_has_its_identity(db, demo):
    identity = compose_report(db.session, demo, with_minutes=False).context.identity
    assert identity.authority == "Communauté urbaine du Grand Toulouse"
    # The aims of the 2011 announcement (shared/seeds), not the title again.
    assert identity.subtitle.startswith("État des lieux des initiatives économiques solidaires")
    # A draft: its contributions are invented, no authority validated them.
    assert identity.status == "draft" and identity.validated_on is None
    assert identity.logo_type == "image/svg+xml" and b"D\xc3\xa9mo" in identity.logo
    assert identity.logo_png.startswith(b"\x89PNG")
    assert report_filename(demo, "pdf") == "diagnostic-ess-grand-toulouse-2011-rapport.pdf"
    nord = next(w for w in demo.workshops if w.subject == "Toulouse nord")
    assert minutes_filename(nord, "pdf") == (
        "diagnostic-ess-grand-toulouse-2011-compte-rendu-atelier-toulouse-nord.pdf")


def test_workshops_territorial_and_the_two_thematic(demo):
    thematic = [w for w in demo.workshops if w.kind == WorkshopKind.THEMATIC]
    assert sorted(w.subject for w in thematic) == [
        "Entrepreneuriat solidaire", "Services à la personne"]
    assert all(w.subject in w.title for w in thematic)
    territorial = {w.subject for w in demo.workshops if w.kind == WorkshopKind.TERRITORIAL}
    assert territorial == {s.name for s in demo.sectors}
    for workshop in demo.workshops:
        assert date(2011, 4, 1) <= workshop.date <= date(2011, 6, 30) and workshop.place
        assert 5 <= len(workshop.participants) <= 12


def test_exactly_one_open_workshop_that_a_newcomer_can_join(db, demo):
    statuses = Counter(w.status for w in demo.workshops)
    assert statuses == {WorkshopStatus.CLOSED: len(demo.workshops) - 1, WorkshopStatus.OPEN: 1}
    open_workshop = next(w for w in demo.workshops if w.is_open)
    assert len(open_workshop.contributions) >= 3
    found = participation.find_workshop_by_code(db.session, open_workshop.join_code)
    newcomer = participation.join_workshop(db.session, found, display_name="Nouvelle")
    _, created = participation.submit_contribution(db.session, newcomer, {
        "kind": "need", "client_id": new_client_id(), "description": "Un besoin",
        "need_category_id": demo.terms_of(Vocabulary.NEED_CATEGORY)[0].id,
    })
    assert created


def test_contributions_cover_every_kind_and_stake(db, demo):
    items = contributions(db, demo)
    assert 60 <= len(items) <= 100
    kinds = Counter(c.kind for c in items)
    assert set(kinds) == set(ContributionKind) and min(kinds.values()) >= 15
    recommendations = [c for c in items if c.kind == ContributionKind.RECOMMENDATION]
    assert {c.stake_id for c in recommendations} == {s.id for s in demo.stakes}
    assert sum(1 for c in recommendations if c.answered_needs) >= 10
    # Needs answered across workshops, as a synthesis does.
    assert any(n.workshop_id != c.workshop_id for c in recommendations for n in c.answered_needs)


def test_the_same_initiative_is_cited_in_several_workshops(db, demo):
    initiatives = [c for c in contributions(db, demo) if c.kind == ContributionKind.INITIATIVE]
    for stem in ("recyclerie", "tolosa", "bien vieillir", "entraide"):
        cited = [c for c in initiatives if stem in c.name.lower()]
        assert len({c.workshop_id for c in cited}) >= 2, stem
        assert len({c.name for c in cited}) == len(cited), "spellings should vary"


def test_a_second_load_is_refused(db, demo):
    with pytest.raises(DomainError) as exc:
        load_demo(db.session)
    assert "démonstration" in exc.value.message
    assert db.session.scalar(select(func.count()).select_from(Diagnostic)) == 1


def test_load_is_deterministic(db, demo):
    first = sorted((c.client_id, c.description) for c in contributions(db, demo))
    assert first[0][0].startswith(f"demo-{demo.id}-")
    db.session.delete(demo)
    db.session.commit()
    assert db.session.scalar(select(func.count()).select_from(Contribution)) == 0
    again = load_demo(db.session)
    db.session.commit()
    second = sorted((c.client_id.replace(f"demo-{again.id}-", f"demo-{demo.id}-"),
                     c.description) for c in contributions(db, again))
    assert second == first


def test_the_demo_report_composes_and_exports(db, demo):
    report = compose_report(db.session, demo)
    assert len(report.recommendations_by_stake) == 6
    assert report.method.workshop_count == len(demo.workshops)
    assert report.method.contribution_count == len(report.contributions)
    assert len(report.organisations) >= 20
    data = json.loads(render_report_json(report))
    assert len(data["contributions"]) == report.method.contribution_count
    assert render_contributions_csv(report).count(b"\r\n") >= len(report.contributions) + 1
    assert "Préconisations par enjeu" in render_report_html(report).decode()


def test_the_demo_shows_consented_contacts_and_keeps_the_others_for_staff(db, demo):
    """Three demo participants agreed to publish their (fictitious) contacts; two did not."""
    given = {c.contact for c in contributions(db, demo) if c.contact}
    published = {"contact@panier-partage.example", "05 36 49 12 34",
                 "atelier@velo-solidaire.example"}
    assert given == published | {"benevoles@recyclerie-garonne.example", "06 39 98 45 67"}
    report = compose_report(db.session, demo)
    assert {i.contact for i in report.initiatives if i.contact} == published
    page = render_report_html(report).decode()
    assert all(contact in page for contact in published)
    assert "benevoles@recyclerie-garonne.example" not in page and "06 39 98 45 67" not in page
