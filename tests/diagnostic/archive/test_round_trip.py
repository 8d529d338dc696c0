"""The diagnostic archive: every row and column dumped, dump → restore → dump loses nothing."""

from __future__ import annotations

import hashlib
import json

import pytest
from sqlalchemy import inspect, select

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
from diagnostic.models import (
    AuditEntry,
    Base,
    ContributionStatus,
    Diagnostic,
    Participant,
    Support,
    Workshop,
)
from tests.diagnostic.archive.conftest import modulo_ids, rows_of


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
        for key in ("contributions", "restitution_comments"):
            for old, new in zip(archive[key], dumped[key], strict=True):
                digest = hashlib.sha256(old["client_id"].encode()).hexdigest()[:48]
                assert new["client_id"] == f"r{copy_.id}-{digest}"
    assert [d.title for d in db.session.scalars(select(Diagnostic).order_by(Diagnostic.id))][
        -2:] == ["Première copie", "Seconde copie"]


def test_free_join_codes_and_client_ids_are_kept(db, rich):
    archive = dump_diagnostic(db.session, rich)
    for index, workshop in enumerate(archive["workshops"]):
        workshop["join_code"] = "XYZ34" + "ACDEFGHJK"[index]
    for row in archive["contributions"] + archive["restitution_comments"]:
        row["client_id"] = "copy-" + row["client_id"]
    restored = dump_diagnostic(db.session, restore_diagnostic(db.session, archive))
    assert modulo_ids(restored, keep_codes=True) == modulo_ids(archive, keep_codes=True)


def test_participants_get_new_tokens(db, rich):
    restored = restore_diagnostic(db.session, dump_diagnostic(db.session, rich))
    old = {p.token for w in rich.workshops for p in w.participants}
    new = {p.token for w in restored.workshops for p in w.participants}
    assert len(new) == len(old) and not old & new
    from diagnostic.restitution.publishing import restitution_of

    page = restitution_of(db.session, restored)
    assert page.token != restitution_of(db.session, rich).token and len(page.token) == 43


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


def test_the_time_zone_round_trips_and_an_old_archive_gets_the_default(db, make_diagnostic):
    diagnostic = make_diagnostic(time_zone="Indian/Reunion")
    archive = json.loads(json.dumps(dump_diagnostic(db.session, diagnostic)))
    assert archive[DIAGNOSTIC]["time_zone"] == "Indian/Reunion"
    assert restore_diagnostic(db.session, archive).time_zone == "Indian/Reunion"
    del archive[DIAGNOSTIC]["time_zone"]  # an archive made before the setting existed
    assert restore_diagnostic(db.session, archive).time_zone == "Europe/Paris"


def test_the_consent_to_publish_contacts_round_trips_and_an_old_archive_did_not_agree(
        db, make_workshop, make_participant):
    workshop = make_workshop()
    make_participant(workshop, "Camille", agreed_to_publish_contact=True)
    make_participant(workshop, "Dominique")
    archive = json.loads(json.dumps(dump_diagnostic(db.session, workshop.diagnostic)))
    given = {p["display_name"]: (p["agreed_to_publish_contact"], p["contact_consent_at"])
             for p in archive["participants"]}
    assert given["Camille"][0] is True and given["Camille"][1] is not None
    assert given["Dominique"] == (False, None)

    restored = restore_diagnostic(db.session, archive)
    again = {p["display_name"]: (p["agreed_to_publish_contact"], p["contact_consent_at"])
             for p in dump_diagnostic(db.session, restored)["participants"]}
    assert again == given

    for row in archive["participants"]:  # an archive made before the consent existed
        del row["agreed_to_publish_contact"], row["contact_consent_at"]
    old = restore_diagnostic(db.session, archive)
    assert {(p.agreed_to_publish_contact, p.contact_consent_at)
            for w in old.workshops for p in w.participants} == {(False, None)}
