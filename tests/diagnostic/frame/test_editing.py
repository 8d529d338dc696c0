"""Setting up a diagnostic's frame: fields, ordered stakes, sectors, themes and terms."""

import pytest
from sqlalchemy import func, select

from diagnostic.errors import ValidationError
from diagnostic.frame import editing, planning
from diagnostic.live import participation
from diagnostic.models import Sector, Stake, Term, Theme, Vocabulary, WorkshopKind
from tests.conftest import new_client_id


def titles(diagnostic):
    return [stake.title for stake in diagnostic.stakes]


def test_update_diagnostic(db, make_diagnostic):
    diagnostic = make_diagnostic()
    editing.update_diagnostic(db.session, diagnostic, title=" ESS 2024 ",
                              territory="Toulouse Métropole", period="2024",
                              description="Nouvelle édition")
    db.session.expire_all()
    assert (diagnostic.title, diagnostic.territory, diagnostic.period) == (
        "ESS 2024", "Toulouse Métropole", "2024")


@pytest.mark.parametrize("field, value", [
    ("title", ""), ("title", "   "), ("title", "x" * 201),
    ("territory", ""), ("period", "x" * 101), ("title", "T\x00"), ("description", "a\x1bb"),
])
def test_update_diagnostic_refuses_bad_fields(db, make_diagnostic, field, value):
    diagnostic = make_diagnostic()
    fields = {"title": "T", "territory": "Terr", "period": "", "description": ""}
    fields[field] = value
    with pytest.raises(ValidationError) as exc:
        editing.update_diagnostic(db.session, diagnostic, **fields)
    assert field in exc.value.errors
    db.session.expire_all()
    assert diagnostic.title == "Diagnostic ESS" and diagnostic.territory == "Grand Toulouse"


def test_stakes_are_added_moved_and_deleted_in_order(db, make_diagnostic):
    diagnostic = make_diagnostic(stakes=["A", "B"])
    c = editing.add_stake(db.session, diagnostic, title="C")
    assert titles(diagnostic) == ["A", "B", "C"]
    editing.move_item(db.session, c, -1)
    assert titles(diagnostic) == ["A", "C", "B"]
    editing.move_item(db.session, c, -1)
    editing.move_item(db.session, c, -1)  # already first: stays first
    assert titles(diagnostic) == ["C", "A", "B"]
    editing.move_item(db.session, diagnostic.stakes[1], 1)
    assert titles(diagnostic) == ["C", "B", "A"]
    editing.delete_stake(db.session, diagnostic.stakes[0])
    assert titles(diagnostic) == ["B", "A"]
    assert [s.position for s in diagnostic.stakes] == [0, 1]
    editing.update_stake(db.session, diagnostic.stakes[0], title="B renamed")
    assert titles(diagnostic) == ["B renamed", "A"]


@pytest.mark.parametrize("title", ["", "  ", "x" * 301])
def test_stake_title_is_checked(db, make_diagnostic, title):
    diagnostic = make_diagnostic(stakes=["A"])
    with pytest.raises(ValidationError) as exc:
        editing.add_stake(db.session, diagnostic, title=title)
    assert "title" in exc.value.errors
    with pytest.raises(ValidationError):
        editing.update_stake(db.session, diagnostic.stakes[0], title=title)
    db.session.expire_all()
    assert titles(diagnostic) == ["A"]


def recommend(db, workshop, stake):
    participant = participation.join_workshop(db.session, workshop, display_name="Sam")
    return participation.submit_contribution(db.session, participant, {
        "kind": "recommendation", "client_id": new_client_id(), "stake_id": stake.id,
        "description": "Créer un fonds d'amorçage.",
    })[0]


def test_a_stake_cited_by_a_recommendation_is_kept(db, make_workshop):
    workshop = make_workshop()
    stake = workshop.diagnostic.stakes[0]
    recommend(db, workshop, stake)
    with pytest.raises(editing.InUse) as exc:
        editing.delete_stake(db.session, stake)
    assert "préconisation" in str(exc.value)
    assert db.session.get(Stake, stake.id) is not None
    editing.update_stake(db.session, stake, title="Renamed")
    assert stake.title == "Renamed"


def test_sectors_unique_names_and_delete_refused_when_used(db, make_diagnostic):
    diagnostic = make_diagnostic()
    east = editing.add_sector(db.session, diagnostic, name="Est", communes="Balma, L'Union")
    assert [s.name for s in diagnostic.sectors] == ["Nord", "Sud", "Est"]
    with pytest.raises(ValidationError) as exc:
        editing.add_sector(db.session, diagnostic, name=" nord ")
    assert exc.value.errors == {"name": "Ce nom est déjà utilisé."}
    with pytest.raises(ValidationError):
        editing.update_sector(db.session, east, name="Sud")
    editing.update_sector(db.session, east, name="Est", communes="Balma")  # its own name is fine
    planning.create_workshop(db.session, diagnostic, kind=WorkshopKind.TERRITORIAL,
                             title="Atelier Est", sector_id=east.id)
    with pytest.raises(editing.InUse) as exc:
        editing.delete_sector(db.session, east)
    assert "Est" in str(exc.value) and "atelier" in str(exc.value)
    editing.update_sector(db.session, east, name="Secteur Est")
    assert east.name == "Secteur Est"
    editing.delete_sector(db.session, diagnostic.sectors[1])
    assert [s.name for s in diagnostic.sectors] == ["Nord", "Secteur Est"]
    assert db.session.scalar(select(func.count()).select_from(Sector)) == 2


def test_themes_delete_refused_when_used(db, make_diagnostic):
    diagnostic = make_diagnostic()
    theme = editing.add_theme(db.session, diagnostic, name="Services à la personne")
    used = diagnostic.themes[0]
    planning.create_workshop(db.session, diagnostic, kind=WorkshopKind.THEMATIC,
                             title="Atelier ES", theme_id=used.id)
    with pytest.raises(editing.InUse):
        editing.delete_theme(db.session, used)
    with pytest.raises(ValidationError):
        editing.add_theme(db.session, diagnostic, name="ENTREPRENEURIAT SOLIDAIRE")
    editing.update_theme(db.session, used, name="Entrepreneuriat", description="CAE, couveuses")
    editing.delete_theme(db.session, theme)
    assert [t.name for t in diagnostic.themes] == ["Entrepreneuriat"]
    assert db.session.scalar(select(func.count()).select_from(Theme)) == 1


def test_terms_added_renamed_and_deleted(db, make_diagnostic):
    diagnostic = make_diagnostic()
    term = editing.add_term(db.session, diagnostic, "need_category", label="Foncier")
    assert diagnostic.terms_of(Vocabulary.NEED_CATEGORY)[-1] is term
    with pytest.raises(ValidationError) as exc:
        editing.add_term(db.session, diagnostic, Vocabulary.NEED_CATEGORY, label="foncier")
    assert "label" in exc.value.errors
    # The same label in another vocabulary is fine.
    editing.add_term(db.session, diagnostic, Vocabulary.ESS_FAMILY, label="Foncier")
    with pytest.raises(ValidationError) as exc:
        editing.add_term(db.session, diagnostic, "colours", label="Bleu")
    assert "vocabulary" in exc.value.errors
    editing.rename_term(db.session, term, label="Foncier et locaux")
    editing.move_item(db.session, term, -1)
    labels = [t.label for t in diagnostic.terms_of(Vocabulary.NEED_CATEGORY)]
    assert labels[-2:] == ["Foncier et locaux", "Emploi et recrutement"]
    editing.delete_term(db.session, term)
    assert db.session.get(Term, term.id) is None


def test_terms_used_by_a_contribution_or_participant_are_kept(
    db, make_workshop, make_participant, initiative_data
):
    workshop = make_workshop()
    diagnostic = workshop.diagnostic
    family = diagnostic.terms_of(Vocabulary.ESS_FAMILY)[1]
    actor = diagnostic.terms_of(Vocabulary.ACTOR_TYPE)[0]
    author = make_participant(workshop, actor_type_id=actor.id)
    participation.submit_contribution(db.session, author, initiative_data(workshop))
    for term in (family, actor):
        with pytest.raises(editing.InUse) as exc:
            editing.delete_term(db.session, term)
        assert term.label in str(exc.value)
        assert db.session.get(Term, term.id) is not None
    editing.rename_term(db.session, family, label="SCOP")
    assert family.label == "SCOP"
