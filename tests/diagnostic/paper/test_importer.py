"""Storing, previewing and importing a paper-form upload: all or nothing, once."""

from __future__ import annotations

import hashlib

import pytest
from sqlalchemy import func, select

from diagnostic.audit_text import describe
from diagnostic.errors import DomainError
from diagnostic.live.events import staged
from diagnostic.models import (
    AuditEntry,
    Contribution,
    ContributionStatus,
    ModerationMode,
    PaperImport,
)
from diagnostic.paper import importer
from diagnostic.paper.parse import FileRefused
from diagnostic.reporting.minutes_build import compose_minutes

from .conftest import csv_bytes, xlsx_bytes


def count(db, model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def upload(db, workshop, user, data, name="fiches.csv"):
    stored = importer.store_upload(db.session, workshop, user, name, data)
    db.session.commit()
    return stored


def test_an_upload_is_kept_with_its_hash_and_author(db, make_workshop, make_user, good_rows):
    workshop, user = make_workshop(), make_user()
    data = csv_bytes(good_rows)
    stored = upload(db, workshop, user, data)
    assert (stored.content, stored.sha256, stored.user_id, stored.status) == (
        data, hashlib.sha256(data).hexdigest(), user.id, "pending")


def test_a_new_upload_replaces_the_one_left_unconfirmed(db, make_workshop, make_user,
                                                         good_rows):
    workshop, user, other = make_workshop(), make_user(), make_user()
    first = upload(db, workshop, user, csv_bytes(good_rows)).id
    kept = upload(db, workshop, other, csv_bytes(good_rows)).id
    second = upload(db, workshop, user, csv_bytes(good_rows, ",")).id
    assert sorted(db.session.scalars(select(PaperImport.id))) == [kept, second]
    assert first not in (kept, second)


def test_an_unreadable_file_is_not_kept(db, make_workshop, make_user):
    with pytest.raises(FileRefused):
        importer.store_upload(db.session, make_workshop(), make_user(), "f.csv", b"")
    db.session.rollback()
    assert count(db, PaperImport) == 0


def test_import_stores_published_paper_entries_audited_and_announced(
        db, make_workshop, make_user, good_rows):
    workshop, user = make_workshop(), make_user()
    workshop.moderation = ModerationMode.PRE  # staff imports are published all the same
    stored = upload(db, workshop, user, xlsx_bytes(good_rows), "fiches.xlsx")
    done = importer.import_upload(db.session, workshop, user, stored)
    announced = [m.name for m in staged(db.session)]
    db.session.commit()
    assert len(done.new) == 3 and announced == ["contribution_added"] * 3
    items = db.session.scalars(select(Contribution).order_by(Contribution.id)).all()
    assert {(c.status, c.scribe_id, c.paper_import_id, c.participant_id) for c in items} == {
        (ContributionStatus.PUBLISHED, user.id, stored.id, None)}
    assert [c.kind.value for c in items] == ["initiative", "need", "recommendation"]
    entry = db.session.scalars(select(AuditEntry).where(
        AuditEntry.action == "paper_import")).one()
    assert describe(entry) == "Import papier par Camille (contributions ajoutées : 3)"
    assert (stored.status, stored.created_count) == ("imported", 3)
    minutes = compose_minutes(db.session, workshop)
    assert {item.scribe_note for section in minutes.sections
            for item in section.items} == {"Saisie papier"}


def test_a_closed_workshop_imports_without_announcing(db, make_workshop, make_user,
                                                      good_rows):
    workshop, user = make_workshop(status="closed"), make_user()
    stored = upload(db, workshop, user, csv_bytes(good_rows))
    importer.import_upload(db.session, workshop, user, stored)
    assert staged(db.session) == []
    db.session.commit()
    assert count(db, Contribution) == 3


def test_one_bad_row_writes_nothing(db, make_workshop, make_user, good_rows):
    workshop, user = make_workshop(), make_user()
    good_rows[2]["Enjeu"] = "Inconnu"
    stored = upload(db, workshop, user, csv_bytes(good_rows))
    entries = count(db, AuditEntry)
    with pytest.raises(DomainError, match="Corrigez les erreurs"):
        importer.import_upload(db.session, workshop, user, stored)
    db.session.rollback()
    assert count(db, Contribution) == 0 and count(db, AuditEntry) == entries
    assert stored.status == "pending"


def test_a_file_imported_again_adds_nothing(db, make_workshop, make_user, good_rows):
    workshop, user = make_workshop(), make_user()
    first = upload(db, workshop, user, csv_bytes(good_rows))
    importer.import_upload(db.session, workshop, user, first)
    db.session.commit()
    with pytest.raises(DomainError, match="déjà été importé"):
        importer.import_upload(db.session, workshop, user, first)
    db.session.rollback()
    # The same rows in another file (one more row, one repeated, another separator).
    extra = {"Type": "Besoin", "Description": "Un fonds d'amorçage.",
             "Catégorie de besoin": "Financement"}
    second = upload(db, workshop, user, csv_bytes([*good_rows, extra, extra], ","))
    checked = importer.preview(db.session, workshop, second)
    assert (checked.already, checked.repeated, len(checked.new)) == (3, 1, 1)
    importer.import_upload(db.session, workshop, user, second)
    db.session.commit()
    assert count(db, Contribution) == 4 and second.skipped_count == 4
    entry = db.session.scalars(select(AuditEntry).order_by(AuditEntry.id.desc())).first()
    assert describe(entry) == ("Import papier par Camille (contributions ajoutées : 1 ; "
                               "lignes ignorées, déjà importées ou répétées : 4)")


def test_the_same_rows_in_another_workshop_are_new_there(db, make_workshop, make_user,
                                                         good_rows):
    user = make_user()
    first = make_workshop()
    other = make_workshop(diagnostic=first.diagnostic, title="Atelier Sud")
    for workshop in (first, other):
        importer.import_upload(db.session, workshop, user,
                               upload(db, workshop, user, csv_bytes(good_rows)))
        db.session.commit()
    assert count(db, Contribution) == 6


def test_an_upload_of_another_workshop_is_not_found(db, make_workshop, make_user,
                                                    good_rows):
    workshop, user = make_workshop(), make_user()
    other = make_workshop(diagnostic=workshop.diagnostic, title="Atelier Sud")
    stored = upload(db, workshop, user, csv_bytes(good_rows))
    with pytest.raises(DomainError, match="introuvable"):
        importer.upload_of(db.session, other, stored.id)


def test_the_file_is_emptied_once_imported_and_never_archived(db, make_workshop, make_user,
                                                              good_rows):
    from diagnostic.archive.dump import dump_diagnostic

    workshop, user = make_workshop(), make_user()
    good_rows[0]["Contact"] = "camille.secret@example.org"
    stored = upload(db, workshop, user, csv_bytes(good_rows))
    pending = dump_diagnostic(db.session, workshop.diagnostic)["paper_imports"]
    assert [set(row) & {"content"} for row in pending] == [set()]  # not even while pending
    importer.import_upload(db.session, workshop, user, stored)
    db.session.commit()
    assert stored.content == b"" and stored.sha256  # the rows are contributions now
    with pytest.raises(DomainError):  # its preview is gone with it
        importer.preview(db.session, workshop, stored)
