"""Report composition on a small known data set."""

from dataclasses import asdict
from datetime import date

import pytest
from sqlalchemy import event

from diagnostic.live import participation
from diagnostic.models import ContributionStatus, Vocabulary, WorkshopKind
from diagnostic.reporting.report import NeedRef
from diagnostic.reporting.report_build import compose_report
from tests.conftest import new_client_id


def term(diagnostic, vocabulary, label):
    return next(t.id for t in diagnostic.terms_of(vocabulary) if t.label == label)


@pytest.fixture
def dataset(db, make_diagnostic, make_workshop, make_participant):
    """Two held workshops (+ a draft), three participants, published and hidden items."""
    diagnostic = make_diagnostic()
    nord = make_workshop(diagnostic, title="Atelier Nord", date=date(2011, 4, 12))
    theme = make_workshop(diagnostic, kind=WorkshopKind.THEMATIC, title="Atelier ES",
                          theme_id=diagnostic.themes[0].id, date=date(2011, 5, 26))
    make_workshop(diagnostic, status="draft", title="Atelier prévu")
    actor = lambda label: term(diagnostic, Vocabulary.ACTOR_TYPE, label)  # noqa: E731
    alice = make_participant(nord, "Alice", organisation="Régie A",
                             actor_type_id=actor("Association"), agreed_to_be_named=True)
    bob = make_participant(nord, "Bob Secret", organisation="")
    chris = make_participant(theme, "Chris Caché", organisation="coop b",
                             actor_type_id=actor("Coopérative"))
    make_participant(theme, "Dana", organisation="  Régie  a ")

    def submit(who, kind, **fields):
        data = {"kind": kind, "client_id": new_client_id(), **fields}
        return participation.submit_contribution(db.session, who, data)[0]

    sector = lambda label: term(diagnostic, Vocabulary.ACTIVITY_SECTOR, label)  # noqa: E731
    category = lambda label: term(diagnostic, Vocabulary.NEED_CATEGORY, label)  # noqa: E731
    items = {
        "coop": submit(alice, "initiative", name="Coop Ozon", description="CAE",
                       ess_family_id=term(diagnostic, Vocabulary.ESS_FAMILY, "Coopérative"),
                       activity_sector_id=sector("Insertion et emploi"), stage="established",
                       jobs_fte="4,5"),
        "asso": submit(bob, "initiative", name="Aide à domicile", description="SAP",
                       activity_sector_id=sector("Services à la personne")),
        "hidden_init": submit(bob, "initiative", name="Spam", description="spam"),
        "locaux": submit(bob, "need", description="Des locaux",
                         need_category_id=category("Locaux"), urgency="high"),
        "hidden_need": submit(chris, "need", description="Caché",
                              need_category_id=category("Financement")),
    }
    items["rec1"] = submit(chris, "recommendation", description="Une pépinière ESS",
                           stake_id=diagnostic.stakes[1].id, horizon="medium",
                           answered_need_ids=[items["locaux"].id, items["hidden_need"].id])
    items["rec0"] = submit(alice, "recommendation", description="Des clauses d'insertion",
                           stake_id=diagnostic.stakes[0].id)
    for key in ("hidden_init", "hidden_need"):
        items[key].status = ContributionStatus.HIDDEN
    db.session.commit()
    return diagnostic, nord, theme, items


def test_method_counts_held_workshops_participants_and_kinds(db, dataset):
    diagnostic, nord, theme, _ = dataset
    method = compose_report(db.session, diagnostic).method
    assert [w.title for w in method.workshops] == ["Atelier Nord", "Atelier ES"]
    first, second = method.workshops
    assert first.kind_label == "Atelier territorial" and first.subject == "Nord"
    assert second.kind_label == "Atelier thématique"
    assert second.subject == "Entrepreneuriat solidaire"
    assert first.status_label == "Ouvert" and first.date == date(2011, 4, 12)
    assert (first.participants, second.participants) == (2, 2)
    assert [(r.key, r.count) for r in first.contributions] == [
        ("initiative", 2), ("need", 1), ("recommendation", 1)]
    assert first.total_contributions == 4 and second.total_contributions == 1
    assert (method.workshop_count, method.participant_count, method.contribution_count) == (
        2, 4, 5)
    assert [(r.label, r.count) for r in method.contributions_by_kind] == [
        ("Initiatives", 2), ("Besoins", 1), ("Préconisations", 2)]
    assert [(r.label, r.count) for r in method.participants_by_actor_type] == [
        ("Association", 1), ("Coopérative", 1), ("Non précisé", 2)]


def test_groups_follow_taxonomy_order_with_unclassified_last(db, dataset):
    diagnostic, *_ , items = dataset
    report = compose_report(db.session, diagnostic)
    assert [(g.label, [i.name for i in g.items]) for g in report.initiatives_by_sector] == [
        ("Services à la personne", ["Aide à domicile"]), ("Insertion et emploi", ["Coop Ozon"])]
    assert [(g.label, g.key) for g in report.initiatives_by_family] == [
        ("Coopérative", items["coop"].ess_family_id), ("Non classé", None)]
    assert [(g.label, len(g.items)) for g in report.needs_by_category] == [("Locaux", 1)]
    stakes = diagnostic.stakes
    assert [(g.label, [i.description for i in g.items]) for g in
            report.recommendations_by_stake] == [
        (stakes[0].title, ["Des clauses d'insertion"]), (stakes[1].title, ["Une pépinière ESS"])]
    assert [s.title for s in report.context.stakes] == [s.title for s in stakes]


def test_hidden_contributions_are_excluded_everywhere(db, dataset):
    diagnostic, *_, items = dataset
    report = compose_report(db.session, diagnostic)
    text = repr(asdict(report))
    assert "Spam" not in text and "Caché" not in text
    assert len(report.contributions) == 5
    rec = next(r for r in report.recommendations if r.id == items["rec1"].id)
    assert rec.answered_needs == [NeedRef(items["locaux"].id, "Des locaux")]
    row = next(r for r in report.contributions if r.id == items["rec1"].id)
    assert row.answered_need_ids == [items["locaux"].id]


def test_names_only_with_consent_and_organisations_listed(db, dataset):
    diagnostic, *_, items = dataset
    report = compose_report(db.session, diagnostic)
    coop = next(i for i in report.initiatives if i.id == items["coop"].id)
    asso = next(i for i in report.initiatives if i.id == items["asso"].id)
    assert coop.author == "Alice" and coop.organisation == "Régie A"
    assert asso.author is None and asso.organisation is None
    text = repr(asdict(report))
    assert "Bob Secret" not in text and "Chris Caché" not in text and "Dana" not in text
    assert report.organisations == ["coop b", "Régie A"]


def test_items_and_rows_resolve_every_field(db, dataset):
    diagnostic, nord, _, items = dataset
    report = compose_report(db.session, diagnostic)
    coop = next(i for i in report.initiatives if i.id == items["coop"].id)
    assert (coop.ess_family, coop.activity_sector, coop.jobs_fte) == (
        "Coopérative", "Insertion et emploi", 4.5)
    assert (coop.stage, coop.stage_label) == ("established", "Consolidée")
    assert coop.mentions == 1 and coop.workshop_ids == [nord.id] and coop.sources == []
    need = report.needs[0]
    assert (need.category, need.urgency_label) == ("Locaux", "Forte")
    row = next(r for r in report.contributions if r.id == items["rec1"].id)
    assert (row.kind_label, row.workshop_title, row.horizon_label) == (
        "Préconisation", "Atelier ES", "Moyen terme")
    assert row.stake == diagnostic.stakes[1].title
    assert row.created_at.tzinfo is not None
    assert report.generated_at.tzinfo is not None
    # Moments are given in the diagnostic's zone (Europe/Paris by default).
    assert str(report.generated_at.tzinfo) == report.time_zone == "Europe/Paris"
    assert str(row.created_at.tzinfo) == "Europe/Paris"


def test_labels_go_through_translate(db, dataset):
    diagnostic, *_ = dataset
    report = compose_report(db.session, diagnostic, lambda m, **p: "EN " + (m % p if p else m))
    assert report.method.contributions_by_kind[0].label == "EN Initiatives"
    assert report.method.participants_by_actor_type[-1].label == "EN Non précisé"
    assert report.initiatives_by_family[-1].label == "EN Non classé"
    assert report.method.workshops[0].kind_label == "EN Atelier territorial"


def test_query_count_does_not_grow_with_contributions(db, dataset, initiative_data):
    diagnostic, nord, _, _ = dataset

    def queries() -> int:
        db.session.expire_all()
        statements = []
        listener = lambda *args: statements.append(args[2])  # noqa: E731
        event.listen(db.engine, "before_cursor_execute", listener)
        try:
            compose_report(db.session, diagnostic)
        finally:
            event.remove(db.engine, "before_cursor_execute", listener)
        return len(statements)

    before = queries()
    for n in range(15):
        participant = participation.join_workshop(db.session, nord, display_name=f"P{n}",
                                             organisation=f"Org {n}")
        participation.submit_contribution(db.session, participant, initiative_data(nord))
    # Ten queries for the report (the tenth counts the restitution's approved comments),
    # then each held workshop's minutes (its annex) in a fixed number; none of it grows
    # with the number of contributions.
    held = len(compose_report(db.session, diagnostic).minutes)
    assert queries() == before <= 10 + 8 * held
