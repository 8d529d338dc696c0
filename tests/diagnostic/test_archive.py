"""The diagnostic archive: dump → restore → dump loses nothing; bad documents change nothing."""

from __future__ import annotations

import copy
import hashlib
import json
from datetime import UTC, datetime

import pytest
from sqlalchemy import func, inspect, select

from diagnostic import moderation
from diagnostic.archive.dump import dump_diagnostic
from diagnostic.archive.restore import restore_diagnostic
from diagnostic.archive.schema import (
    BY_KEY,
    DIAGNOSTIC,
    NOT_ARCHIVED_TABLES,
    SECTIONS,
    USERS,
    Section,
    check_spec,
)
from diagnostic.demo.loader import load_demo
from diagnostic.errors import ValidationError
from diagnostic.events import record_event
from diagnostic.models import (
    AuditEntry,
    Base,
    ContributionKind,
    ContributionStatus,
    Diagnostic,
    ModerationMode,
    Participant,
    Phase,
    RejectedPair,
    Role,
    Support,
    SynthesisAuditEntry,
    SynthesisItem,
    Vocabulary,
    Vote,
    Workshop,
)
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

    voters = live.participants
    targets = [c for c in live.contributions if c.participant_id != voters[0].id][:3]
    session.add_all([Support(contribution_id=targets[0].id, participant_id=voters[0].id),
                     Support(contribution_id=targets[1].id, participant_id=voters[0].id),
                     Vote(contribution_id=targets[2].id, participant_id=voters[0].id, dots=2)])
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


def test_every_table_and_column_is_archived_or_excluded():
    check_spec()
    tables = {section.table.name for section in SECTIONS} | set(NOT_ARCHIVED_TABLES)
    assert tables == set(Base.metadata.tables)
    for mapper in Base.registry.mappers:
        table = mapper.local_table
        if table.name in NOT_ARCHIVED_TABLES:
            continue
        section = next(s for s in SECTIONS if s.table is table)
        handled = {c.name for c in inspect(mapper.class_).columns}
        implicit = {c for c, target in section.refs.items() if target == DIAGNOSTIC}
        assert handled - implicit - set(section.excluded) == {
            c.name for c in table.columns if c.name not in implicit | set(section.excluded)}


def test_dumped_rows_hold_every_column(db, rich):
    archive = dump_diagnostic(db.session, rich)
    for section in SECTIONS:
        rows = rows_of(archive, section)
        assert rows, f"the fixture leaves section {section.key} empty"
        expected = set()
        for column in section.table.columns:
            if section.refs.get(column.name) == DIAGNOSTIC or column.name in section.excluded:
                continue
            expected.add(column.name.removesuffix("_id") + "_email"
                         if section.refs.get(column.name) == USERS else column.name)
        assert all(set(row) == expected for row in rows), section.key
    assert "token" not in archive["participants"][0]


def test_a_new_foreign_key_must_be_declared(monkeypatch):
    broken = Section("contributions", BY_KEY["contributions"].table, "workshop_id",
                     {"workshop_id": "workshops"})
    sections = tuple(broken if s.key == "contributions" else s for s in SECTIONS)
    monkeypatch.setattr("diagnostic.archive.schema.SECTIONS", sections)
    with pytest.raises(RuntimeError, match="foreign keys"):
        check_spec()


def test_round_trip_loses_nothing(db, rich):
    archive = json.loads(json.dumps(dump_diagnostic(db.session, rich)))
    restored = restore_diagnostic(db.session, archive)
    assert restored.id != rich.id
    again = dump_diagnostic(db.session, restored)
    assert modulo_ids(again) == modulo_ids(archive)
    # Spot checks of what the comparison covers.
    assert again["diagnostic"]["title"] == rich.title
    assert {row["user_email"] for row in again["workshop_facilitators"]} == {
        "Anim@Example.org", "staff@example.org"}
    merged = [c for c in again["contributions"] if c["merged_into_id"]]
    split = [c for c in again["contributions"] if c["split_from_id"]]
    assert len(merged) == 1 and len(split) == 1
    assert {c["id"] for c in again["contributions"]} >= {merged[0]["merged_into_id"],
                                                          split[0]["split_from_id"]}
    scribed = next(c for c in again["contributions"] if c["scribe_email"])
    assert scribed["on_behalf_of"] == "Mme Martin"
    # updated_at survives the second pass that sets the self-references.
    original = next(c for c in archive["contributions"] if c["merged_into_id"])
    assert merged[0]["updated_at"] == original["updated_at"]


def test_references_to_rows_outside_the_archive_are_cut(db, rich):
    """A row written during the dump, or left dangling by SQLite, never breaks a restore."""
    if db.engine.dialect.name != "sqlite":
        pytest.skip("the database enforces foreign keys: such rows cannot be written here")
    workshop = rich.workshops[0]
    participant = workshop.participants[0]
    db.session.add_all([
        AuditEntry(workshop_id=workshop.id, contribution_id=999_999, action="edit"),
        Support(contribution_id=999_999, participant_id=participant.id),
        Participant(workshop_id=workshop.id, display_name="Sans type", token="t" * 40,
                    actor_type_id=999_999),
    ])
    db.session.commit()
    archive = dump_diagnostic(db.session, rich)
    assert archive["audit_entries"][-1]["contribution_id"] is None
    assert archive["audit_entries"][-1]["action"] == "edit"
    assert 999_999 not in {s["contribution_id"] for s in archive["supports"]}
    assert archive["participants"][-1]["actor_type_id"] is None
    restored = dump_diagnostic(db.session, restore_diagnostic(db.session, archive))
    assert modulo_ids(restored) == modulo_ids(archive)


def test_restore_twice_in_the_same_database_remaps_codes_and_client_ids(db, rich):
    archive = dump_diagnostic(db.session, rich)
    first = restore_diagnostic(db.session, archive, title="Première copie")
    second = restore_diagnostic(db.session, archive, title="Seconde copie")
    codes = db.session.scalars(select(Workshop.join_code)).all()
    assert len(codes) == len(set(codes)) == 3 * len(rich.workshops)
    for copy_ in (first, second):
        dumped = dump_diagnostic(db.session, copy_)
        assert modulo_ids(dumped)["contributions"] == modulo_ids(archive)["contributions"]
        for old, new in zip(archive["contributions"], dumped["contributions"], strict=True):
            digest = hashlib.sha256(old["client_id"].encode()).hexdigest()[:48]
            assert new["client_id"] == f"r{copy_.id}-{digest}"
    assert [d.title for d in db.session.scalars(select(Diagnostic).order_by(Diagnostic.id))][
        -2:] == ["Première copie", "Seconde copie"]


def test_free_join_codes_and_client_ids_are_kept(db, rich):
    archive = dump_diagnostic(db.session, rich)
    for index, workshop in enumerate(archive["workshops"]):
        workshop["join_code"] = "XYZ34" + "ACDEFGHJK"[index]
    for contribution in archive["contributions"]:
        contribution["client_id"] = "copy-" + contribution["client_id"]
    restored = dump_diagnostic(db.session, restore_diagnostic(db.session, archive))
    assert modulo_ids(restored, keep_codes=True) == modulo_ids(archive, keep_codes=True)


def test_participants_get_new_tokens(db, rich):
    restored = restore_diagnostic(db.session, dump_diagnostic(db.session, rich))
    old = {p.token for w in rich.workshops for p in w.participants}
    new = {p.token for w in restored.workshops for p in w.participants}
    assert len(new) == len(old) and not old & new


def test_unknown_accounts_are_dropped(db, rich):
    archive = dump_diagnostic(db.session, rich)
    for row in archive["workshop_facilitators"]:
        row["user_email"] = "gone@example.org"
    for row in archive["contributions"] + archive["audit_entries"]:
        if row.get("scribe_email") or row.get("user_email"):
            row["scribe_email" if "scribe_email" in row else "user_email"] = "gone@example.org"
    restored = restore_diagnostic(db.session, archive)
    dumped = dump_diagnostic(db.session, restored)
    assert dumped["workshop_facilitators"] == []
    assert all(row["scribe_email"] is None for row in dumped["contributions"])
    assert all(row["user_email"] is None for row in dumped["audit_entries"])
    assert len(dumped["audit_entries"]) == len(archive["audit_entries"])


def _set(path: str, value):
    """A mutation setting ``doc[section][index][field] = value``."""
    section, index, field = path.split(".")

    def mutate(doc):
        doc[section][int(index)][field] = value
    return mutate


def _delete(path: str):
    def mutate(doc):
        *parents, last = path.split(".")
        target = doc
        for part in parents:
            target = target[int(part)] if part.isdigit() else target[part]
        del target[int(last) if last.isdigit() else last]
    return mutate


CORRUPTIONS = {
    "schema not a string": (lambda doc: doc.update(schema=[]), "schema"),
    "wrong schema": (lambda doc: doc.update(schema="diagnostic-report"), "schema"),
    "wrong version": (lambda doc: doc.update(version=2), "version"),
    "version as text": (lambda doc: doc.update(version="1"), "version"),
    "missing section": (_delete("votes"), "votes"),
    "unknown section": (lambda doc: doc.update(users=[]), "users"),
    "section not a list": (lambda doc: doc.update(stakes={}), "stakes"),
    "row not an object": (lambda doc: doc["terms"].append(3), "terms[46]"),
    "missing key": (_delete("contributions.0.description"), "contributions[0].description"),
    "missing id": (_delete("stakes.0.id"), "stakes[0].id"),
    "unknown field": (_set("workshops.0.colour", "red"), "workshops[0].colour"),
    "dangling reference": (_set("contributions.0.workshop_id", 99999),
                           "contributions[0].workshop_id"),
    "dangling self reference": (_set("contributions.3.merged_into_id", 99999),
                                "contributions[3].merged_into_id"),
    "dangling pair": (_set("rejected_pairs.0.first_id", 99999), "rejected_pairs[0].first_id"),
    "integer as text": (_set("workshops.0.dot_budget", "5"), "workshops[0].dot_budget"),
    "boolean as number": (_set("participants.0.agreed_to_be_named", 1),
                          "participants[0].agreed_to_be_named"),
    "number as boolean": (_set("contributions.0.jobs_fte", True), "contributions[0].jobs_fte"),
    "bad moment": (_set("contributions.0.created_at", "hier"), "contributions[0].created_at"),
    "bad date": (_set("workshops.0.date", "2011-13-01"), "workshops[0].date"),
    "unknown enum": (_set("contributions.0.kind", "idée"), "contributions[0].kind"),
    "null in a required field": (_set("stakes.0.title", None), "stakes[0].title"),
    "text too long": (_set("sectors.0.name", "x" * 201), "sectors[0].name"),
    "duplicate id": (lambda doc: doc["stakes"][1].update(id=doc["stakes"][0]["id"]),
                     "stakes[1].id"),
    "duplicate client id": (lambda doc: doc["contributions"][1].update(
        client_id=doc["contributions"][0]["client_id"]), "contributions[1].client_id"),
    "bad e-mail": (_set("workshop_facilitators.0.user_email", 12),
                   "workshop_facilitators[0].user_email"),
    # Passes the checks of each field but not the database's own rules.
    "territorial without sector": (_set("workshops.0.sector_id", None), "archive"),
    "support given twice": (lambda doc: doc["supports"].append(
        {**doc["supports"][0], "id": 10**6}), "archive"),
}


@pytest.mark.parametrize("name", list(CORRUPTIONS))
def test_corrupt_documents_are_refused_and_nothing_is_written(db, rich_archive, name):
    archive = rich_archive
    assert count_rows(db)["user"] == 2
    CORRUPTIONS[name][0](archive)
    before = count_rows(db)
    with pytest.raises(ValidationError) as caught:
        restore_diagnostic(db.session, archive)
    assert CORRUPTIONS[name][1] in caught.value.errors, caught.value.errors
    assert all(isinstance(message, str) for message in caught.value.errors.values())
    if CORRUPTIONS[name][1] == "archive":
        # Refused by the database midway: the caller, as an edge does on error, rolls back.
        db.session.rollback()
    db.session.expire_all()
    assert count_rows(db) == before


def test_the_cached_archive_restores(db, rich_archive):
    restored = restore_diagnostic(db.session, rich_archive)
    assert modulo_ids(dump_diagnostic(db.session, restored), keep_codes=True) == modulo_ids(
        rich_archive, keep_codes=True)


@pytest.mark.parametrize("document", [None, [], "diagnostic-archive", 1])
def test_a_document_that_is_not_an_object_is_refused(db, document):
    with pytest.raises(ValidationError) as caught:
        restore_diagnostic(db.session, document)
    assert set(caught.value.errors) == {"schema"}


@pytest.mark.parametrize("title", ["", "   ", "x" * 201])
def test_a_bad_title_is_refused(db, rich, title):
    before = count_rows(db)
    with pytest.raises(ValidationError) as caught:
        restore_diagnostic(db.session, dump_diagnostic(db.session, rich), title=title)
    assert "title" in caught.value.errors
    assert count_rows(db) == before


def test_omitted_fields_with_defaults_take_them(db, rich):
    archive = dump_diagnostic(db.session, rich)
    del archive["workshops"][0]["dot_budget"]
    del archive["contributions"][0]["website"]
    restored = dump_diagnostic(db.session, restore_diagnostic(db.session, archive))
    assert restored["workshops"][0]["dot_budget"] == 5
    assert restored["contributions"][0]["website"] is None


def test_hidden_and_pending_statuses_survive(db, rich):
    archive = dump_diagnostic(db.session, rich)
    statuses = {c["status"] for c in archive["contributions"]}
    assert ContributionStatus.HIDDEN.value in statuses
    restored = dump_diagnostic(db.session, restore_diagnostic(db.session, archive))
    assert [c["status"] for c in restored["contributions"]] == [
        c["status"] for c in archive["contributions"]]
