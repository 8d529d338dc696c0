"""Archives to dump and restore: the demo with every kind of row, and its document."""

from __future__ import annotations

import copy
import json
from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select

from diagnostic.archive.dump import dump_diagnostic
from diagnostic.archive.schema import DIAGNOSTIC, SECTIONS, USERS, Section
from diagnostic.demo.loader import load_demo
from diagnostic.live import moderation
from diagnostic.live.events import record_event
from diagnostic.models import (
    Base,
    ConsentPurpose,
    ConsentRecord,
    ContributionKind,
    Diagnostic,
    ModerationMode,
    Phase,
    PrivacyNotice,
    RejectedPair,
    Restitution,
    RestitutionComment,
    Role,
    Support,
    SynthesisAuditEntry,
    SynthesisItem,
    Vocabulary,
    Vote,
)
from diagnostic.paper import importer
from tests.conftest import new_client_id


@pytest.fixture
def rich(db, make_user):
    """The demo diagnostic with every kind of row: moderation, votes, synthesis, events."""
    session = db.session
    staff = make_user(email="staff@example.org")
    facilitator = make_user(role=Role.FACILITATOR, email="Anim@Example.org")
    return enrich_demo(session, staff, facilitator)


_CACHE: dict[str, dict] = {}


@pytest.fixture
def rich_archive(db, make_user):
    """The archive of ``rich`` as parsed JSON, in a database holding only its two accounts.

    Built once per test session (loading the demo takes seconds): for the tests of
    refused documents, which need a document and a database, not the original rows.
    """
    staff = make_user(email="staff@example.org")
    facilitator = make_user(role=Role.FACILITATOR, email="Anim@Example.org")
    if "archive" not in _CACHE:
        demo = enrich_demo(db.session, staff, facilitator)
        _CACHE["archive"] = json.loads(json.dumps(dump_diagnostic(db.session, demo)))
        for table in reversed(Base.metadata.sorted_tables):
            if table.name != "user":
                db.session.execute(table.delete())
        db.session.commit()
        db.session.expire_all()
    return copy.deepcopy(_CACHE["archive"])


def enrich_demo(session, staff, facilitator) -> Diagnostic:
    """Load the demo and add what it lacks: merges, a split, votes, synthesis, events."""
    demo = load_demo(session)
    session.commit()
    first = demo.workshops[0]
    live = next(w for w in demo.workshops if w.is_open)
    first.facilitators.append(facilitator)
    live.facilitators.extend([facilitator, staff])
    live.phase, live.moderation = Phase.VOTE, ModerationMode.PRE
    live.phase_ends_at = datetime(2011, 6, 20, 15, 30, tzinfo=UTC)
    live.dot_budget, live.dot_max_per_item = 7, 2
    session.commit()

    initiatives = [c for c in first.contributions if c.kind == ContributionKind.INITIATIVE]
    moderation.merge(session, first, facilitator, initiatives[1].id, initiatives[0].id)
    moderation.split(session, first, facilitator, initiatives[2].id, ["Une part", "L'autre"])
    moderation.hide(session, first, staff, initiatives[3].id)
    initiatives[0].contact, initiatives[0].website = "contact@ozon.fr", "https://ozon.example"
    initiatives[0].jobs_fte = 2.75
    moderation.scribe_contribution(session, live, facilitator, {
        "kind": "need", "client_id": new_client_id(), "on_behalf_of": "Mme Martin",
        "description": "Un local partagé pour les associations du quartier.",
        "need_category_id": demo.terms_of(Vocabulary.NEED_CATEGORY)[1].id, "urgency": "high",
        "actor_type_id": demo.terms_of(Vocabulary.ACTOR_TYPE)[0].id})

    category = demo.terms_of(Vocabulary.NEED_CATEGORY)[0].label
    paper = importer.store_upload(session, first, staff, "fiches.csv", (
        f"\ufeffType;Description;Catégorie de besoin\r\nBesoin;Un véhicule partagé.;{category}\r\n"
    ).encode())
    importer.import_upload(session, first, staff, paper)

    voters = live.participants
    targets = [c for c in live.contributions if c.participant_id != voters[0].id][:3]
    session.add_all([Support(contribution_id=targets[0].id, participant_id=voters[0].id),
                     Support(contribution_id=targets[1].id, participant_id=voters[0].id),
                     Vote(contribution_id=targets[2].id, participant_id=voters[0].id, dots=2)])
    session.add_all([
        PrivacyNotice(diagnostic_id=demo.id, version=1, controller="Toulouse Métropole",
                      purpose="Diagnostic de l'ESS", legal_basis="Mission d'intérêt public",
                      dpo_contact="dpo@example.org", rights="Écrire au DPO.",
                      retention_months=18, created_by_id=staff.id),
        ConsentRecord(participant_id=voters[0].id, purpose=ConsentPurpose.RESTITUTION,
                      granted=True, notice_version=1, source="phone"),
    ])
    voters[0].agreed_to_be_contacted, voters[0].notice_version = True, 1
    voters[0].restitution_contact = "voter@example.org"
    voters[-1].erased_at = datetime(2012, 7, 1, tzinfo=UTC)
    live.anonymous = True
    demo.retention_months = 18
    initiatives[3].withdrawn_at = datetime(2011, 6, 20, 15, 0, tzinfo=UTC)
    record_event(session, live, "contribution_added", {"id": targets[0].id, "é": "ü"})
    record_event(session, live, "phase_changed", {"phase": "vote"})

    needs = [c for c in demo.workshops[1].contributions if c.kind == ContributionKind.NEED]
    other_needs = [c for c in demo.workshops[2].contributions if c.kind == ContributionKind.NEED]
    item = SynthesisItem(diagnostic_id=demo.id, kind=ContributionKind.NEED,
                         title="Accès aux locaux", summary="Locaux partagés\net abordables",
                         position=0, priority=True, stake_id=demo.stakes[1].id)
    session.add(item)
    session.flush()
    needs[0].synthesis_item_id = other_needs[0].synthesis_item_id = item.id
    first_id, second_id = sorted([needs[1].id, other_needs[1].id])
    session.add_all([
        RejectedPair(diagnostic_id=demo.id, first_id=first_id, second_id=second_id,
                     user_id=staff.id),
        SynthesisAuditEntry(diagnostic_id=demo.id, item_id=item.id, user_id=staff.id,
                            action="merge", before=None,
                            after={"contribution_ids": [needs[0].id, other_needs[0].id]}),
    ])
    session.flush()
    closes = datetime(2011, 9, 30, 22, 0, tzinfo=UTC)
    session.add_all([
        Restitution(diagnostic_id=demo.id, token="r" * 43, identification="participant",
                    published_at=datetime(2011, 9, 1, 8, 0, tzinfo=UTC), closes_at=closes),
        RestitutionComment(diagnostic_id=demo.id, synthesis_item_id=item.id,
                           contribution_id=needs[0].id, text="D'accord, et à Blagnac ?",
                           status="approved", participant_id=voters[0].id,
                           client_id=new_client_id(), moderated_by_id=staff.id,
                           moderated_at=datetime(2011, 9, 3, tzinfo=UTC)),
        RestitutionComment(diagnostic_id=demo.id, text="Merci pour ce rapport.",
                           author_name="Zoé", client_id=new_client_id()),
    ])
    session.commit()
    return demo


def count_rows(db) -> dict[str, int]:
    """Rows in every table."""
    return {table.name: db.session.scalar(select(func.count()).select_from(table))
            for table in Base.metadata.sorted_tables}


def rows_of(document: dict, section: Section) -> list[dict]:
    value = document[section.key]
    return [value] if section.key == DIAGNOSTIC else value


def modulo_ids(document: dict, *, keep_codes: bool = False) -> dict:
    """``document`` with every id replaced by the row's position in its section.

    Join codes and client ids are dropped unless ``keep_codes`` (they change when taken).
    """
    document = copy.deepcopy(document)
    positions = {section.key: {row["id"]: index
                               for index, row in enumerate(rows_of(document, section))}
                 for section in SECTIONS if section.has_id}
    for section in SECTIONS:
        for row in rows_of(document, section):
            if section.has_id:
                row["id"] = positions[section.key][row["id"]]
            for column, target in section.refs.items():
                if target not in (DIAGNOSTIC, USERS) and row[column] is not None:
                    row[column] = positions[target][row[column]]
            if not keep_codes:
                row.pop("join_code", None)
                row.pop("client_id", None)
    return document
