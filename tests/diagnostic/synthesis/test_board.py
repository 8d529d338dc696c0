"""The affinity board's domain: cards in stake columns, filters, and moving an item."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from diagnostic.errors import DomainError, NotFound
from diagnostic.frame import archiving
from diagnostic.frame.archiving import ArchivedError
from diagnostic.live import lifecycle, moderation, participation
from diagnostic.models import (
    Contribution,
    ContributionKind,
    SynthesisAuditEntry,
    SynthesisItem,
    Vocabulary,
)
from diagnostic.reporting.report_build import compose_report
from diagnostic.synthesis import editing
from diagnostic.synthesis.board import build_board, filter_board, fold
from tests.conftest import new_client_id

NEED = ContributionKind.NEED
RECOMMENDATION = ContributionKind.RECOMMENDATION


@pytest.fixture
def two(db, make_diagnostic, make_workshop, make_participant):
    """Two workshops: alike needs in both, a recommendation with its workshop's stake."""
    diagnostic = make_diagnostic()
    workshops = [make_workshop(diagnostic, title=f"Atelier {n}", date=date(2011, 5, 2 + n))
                 for n in range(2)]
    people = [make_participant(w, f"P{w.id}") for w in workshops]
    category = diagnostic.terms_of(Vocabulary.NEED_CATEGORY)[0].id

    def submit(who, kind, **fields):
        data = {"kind": kind, "client_id": new_client_id(), **fields}
        if kind == "need":
            data["need_category_id"] = category
        return participation.submit_contribution(db.session, who, data)[0]

    items = {
        "locaux_a": submit(people[0], "need", description="Trouver des locaux abordables"),
        "locaux_b": submit(people[1], "need", description="Des LOCAUX à loyer modéré"),
        "finance": submit(people[1], "need", description="Financer le démarrage"),
        "garage": submit(people[0], "initiative", name="Garage", description="Réparations"),
        "pepiniere": submit(people[1], "recommendation", description="Créer une pépinière",
                            stake_id=diagnostic.stakes[0].id),
        "fonds": submit(people[0], "recommendation", description="Un fonds d'amorçage",
                        stake_id=diagnostic.stakes[1].id),
    }
    items["fonds"].stake_id = None  # as if its stake had been deleted since
    db.session.commit()
    return diagnostic, workshops, items


def columns(board) -> list[tuple[int | None, list[int]]]:
    return [(c.stake_id, [card.id for card in c.cards]) for c in board.columns]


def test_cards_stand_in_their_stake_columns(db, two):
    diagnostic, workshops, items = two
    stakes = diagnostic.stakes
    group = editing.merge(db.session, diagnostic, None,
                          [items["locaux_b"].id, items["locaux_a"].id])
    editing.move(db.session, diagnostic, None, items["finance"].id, stakes[1].id)
    needs = build_board(db.session, diagnostic, NEED, "Sans enjeu")
    assert [c.title for c in needs.columns] == ["Sans enjeu", *(s.title for s in stakes)]
    found = dict(columns(needs))
    assert found[None] == [items["locaux_a"].id] and found[stakes[1].id] == [items["finance"].id]
    card = needs.columns[0].cards[0]
    assert card.group_id == group.id and card.member_ids == [items["locaux_a"].id,
                                                             items["locaux_b"].id]
    assert card.title == "Trouver des locaux abordables"  # the first member's text
    assert card.workshop_titles == ["Atelier 0", "Atelier 1"]
    recommendations = dict(columns(build_board(db.session, diagnostic, RECOMMENDATION, "-")))
    assert recommendations[stakes[0].id] == [items["pepiniere"].id]  # its workshop's stake
    assert recommendations[None] == [items["fonds"].id]
    with pytest.raises(ValueError):
        build_board(db.session, diagnostic, ContributionKind.INITIATIVE, "-")


def test_a_group_s_title_names_its_card_and_hidden_items_stay_out(db, two):
    diagnostic, workshops, items = two
    editing.update_item(db.session, diagnostic, None, items["finance"].id,
                        {"title": "Financement"})
    moderation.hide(db.session, workshops[0], None, items["locaux_a"].id)
    board = build_board(db.session, diagnostic, NEED, "-")
    assert [card.title for card in board.cards] == ["Des LOCAUX à loyer modéré", "Financement"]


def test_filters_keep_the_columns_and_match_words_without_accents_or_case(db, two):
    diagnostic, workshops, items = two
    board = build_board(db.session, diagnostic, NEED, "-")
    assert fold("  Des LOCAUX à\tloyer ") == "des locaux a loyer"
    by_word = filter_board(board, keyword="locaux à")
    assert [c.id for c in by_word.cards] == [items["locaux_a"].id, items["locaux_b"].id]
    assert len(by_word.columns) == len(board.columns)
    assert [c.id for c in filter_board(board, keyword="LOYER modere").cards] == [
        items["locaux_b"].id]
    assert [c.id for c in filter_board(board, workshops[1].id).cards] == [
        items["locaux_b"].id, items["finance"].id]
    assert filter_board(board, workshops[0].id, "financer").cards == []
    assert filter_board(board).cards == board.cards


def test_move_puts_the_group_under_a_stake_and_is_audited(db, two):
    diagnostic, workshops, items = two
    stake = diagnostic.stakes[1]
    item = editing.move(db.session, diagnostic, None, items["finance"].id, stake.id)
    assert item.stake_id == stake.id
    assert db.session.get(Contribution, items["finance"].id).synthesis_item_id == item.id
    entry = db.session.scalars(select(SynthesisAuditEntry)).one()
    assert (entry.action, entry.item_id, entry.before) == ("move", item.id, None)
    assert entry.after["stake_id"] == stake.id and entry.after["members"] == [
        items["finance"].id]
    editing.move(db.session, diagnostic, None, items["finance"].id, None)
    assert item.stake_id is None
    last = db.session.scalars(select(SynthesisAuditEntry).order_by(
        SynthesisAuditEntry.id.desc())).first()
    assert last.before["stake_id"] == stake.id and last.after["stake_id"] is None


def test_a_recommendation_moves_to_another_stake_but_keeps_its_workshop_s(db, two):
    diagnostic, workshops, items = two
    stakes = diagnostic.stakes
    pepiniere = items["pepiniere"].id
    with pytest.raises(DomainError, match="déjà sous cet enjeu"):
        editing.move(db.session, diagnostic, None, pepiniere, stakes[0].id)
    with pytest.raises(DomainError, match="garde l'enjeu choisi en atelier"):
        editing.move(db.session, diagnostic, None, pepiniere, None)
    editing.move(db.session, diagnostic, None, pepiniere, stakes[1].id)
    report = compose_report(db.session, diagnostic)
    assert [r.stake_id for r in report.recommendations if r.id == pepiniere] == [stakes[1].id]
    # Back to its workshop's stake, explicitly.
    editing.move(db.session, diagnostic, None, pepiniere, stakes[0].id)
    assert db.session.get(Contribution, pepiniere).synthesis_item_id is not None


@pytest.mark.parametrize("case", ["initiative", "foreign stake", "junk stake", "unknown",
                                  "already none"])
def test_refused_moves_change_nothing(db, two, make_diagnostic, case):
    diagnostic, workshops, items = two
    other = make_diagnostic(title="Autre diagnostic")
    target, stake, error = {
        "initiative": (items["garage"].id, diagnostic.stakes[0].id, DomainError),
        "foreign stake": (items["finance"].id, other.stakes[0].id, NotFound),
        "junk stake": (items["finance"].id, -1, NotFound),
        "unknown": (999_999, diagnostic.stakes[0].id, NotFound),
        "already none": (items["finance"].id, None, DomainError),
    }[case]
    with pytest.raises(error):
        editing.move(db.session, diagnostic, None, target, stake)
    db.session.rollback()
    assert db.session.scalar(select(func.count()).select_from(SynthesisItem)) == 0
    assert db.session.scalar(select(func.count()).select_from(SynthesisAuditEntry)) == 0


def test_an_archived_diagnostic_refuses_moves(db, two):
    diagnostic, workshops, items = two
    for workshop in workshops:
        lifecycle.close_workshop(db.session, workshop, None)
    archiving.archive_diagnostic(db.session, diagnostic)
    with pytest.raises(ArchivedError):
        editing.move(db.session, diagnostic, None, items["finance"].id,
                     diagnostic.stakes[0].id)


def test_a_need_takes_a_stake_in_the_editor_too(db, two):
    diagnostic, workshops, items = two
    stake = diagnostic.stakes[1]
    item = editing.update_item(db.session, diagnostic, None, items["finance"].id,
                               {"stake_id": stake.id})
    assert item.stake_id == stake.id
    initiative = editing.update_item(db.session, diagnostic, None, items["garage"].id,
                                     {"stake_id": stake.id})
    assert initiative.stake_id is None  # an initiative is not under a stake
