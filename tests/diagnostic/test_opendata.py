"""The open-data directory: what it holds (report initiatives after merges, public fields
only), its files against their schemas, the search, and the audited publication."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime

import pytest

from diagnostic.errors import DomainError
from diagnostic.frame import archiving
from diagnostic.live import moderation, participation
from diagnostic.models import SynthesisAuditEntry
from diagnostic.opendata.directory import build_directory, facets, public_website, search
from diagnostic.opendata.publication import (
    publish_open_data,
    published_diagnostic,
    published_diagnostics,
    unpublish_open_data,
)
from exports.opendata import directory_csv, directory_json
from tests.opendata_checks import table_errors, validate_json

NOW = datetime(2026, 12, 7, 9, 30, tzinfo=UTC)
SECRET_CONTACT = "claire.secret@example.org"


@pytest.fixture
def stocked(db, make_workshop, make_participant, initiative_data):
    """A workshop with a named author who published contacts, a merge, a hidden item,
    a formula-like name and an odd website."""
    workshop = make_workshop(title="Atelier Nord")
    author = make_participant(workshop, "Claire Dupont", organisation="Coop Secrète",
                              agreed_to_be_named=True, agreed_to_publish_contact=True)

    def add(**fields):
        item, _ = participation.submit_contribution(db.session, author,
                                                    initiative_data(workshop, **fields))
        return item

    kept = add(name="Épicerie solidaire", commune="Blagnac", contact=SECRET_CONTACT,
               website="www.epicerie.example.org",
               description="Une épicerie à prix réduits.")
    duplicate = add(name="Epicerie solidaire bis", commune="Blagnac")
    hidden = add(name="Régie cachée", commune="Colomiers")
    formula = add(name="=HYPERLINK(\"http://evil\")", commune="Toulouse",
                  description="-2+3 une formule")
    moderation.merge(db.session, workshop, None, duplicate.id, kept.id)
    moderation.hide(db.session, workshop, None, hidden.id)
    formula.website = "javascript:alert(1)"  # never stored by the forms; guarded anyway
    db.session.commit()
    return workshop, kept, formula


def test_the_directory_is_the_reports_initiatives_with_public_fields_only(db, stocked):
    workshop, kept, formula = stocked
    directory = build_directory(db.session, workshop.diagnostic, now=NOW)
    by_id = {e.id: e for e in directory.entries}
    assert set(by_id) == {kept.id, formula.id}  # merged folded in, hidden left out
    entry = by_id[kept.id]
    assert (entry.name, entry.commune, entry.workshops) == (
        "Épicerie solidaire", "Blagnac", ("Atelier Nord",))
    assert entry.website == "https://www.epicerie.example.org"
    assert entry.ess_family  # the factory's family term
    assert by_id[formula.id].website is None

    for body in (directory_csv(directory), directory_json(directory)):
        text = body.decode("utf-8")
        for personal in (SECRET_CONTACT, "Claire Dupont", "Coop Secrète", "javascript"):
            assert personal not in text


def test_the_files_validate_against_their_schemas(db, stocked):
    workshop, _kept, formula = stocked
    publish_open_data(db.session, workshop.diagnostic, None, now=lambda: NOW)
    directory = build_directory(db.session, workshop.diagnostic, now=NOW)

    document = validate_json(directory_json(directory))
    assert document["count"] == 2 and document["licence"]["name"].startswith("Licence Ouverte")
    assert document["published_at"] == "2026-12-07T09:30:00+00:00"
    assert document["diagnostic"]["territory"] == "Grand Toulouse"

    body = directory_csv(directory)
    assert table_errors(body) == []
    rows = list(csv.DictReader(io.StringIO(body.decode("utf-8"))))
    by_id = {int(row["id"]): row for row in rows}
    assert by_id[formula.id]["name"].startswith("'=")  # no formula for spreadsheets
    assert by_id[formula.id]["description"].startswith("'-")


def test_the_schema_checks_catch_a_broken_file(db, stocked):
    """The checkers used above do fail: a row without its id, a JSON entry with a contact."""
    workshop, *_ = stocked
    directory = build_directory(db.session, workshop.diagnostic, now=NOW)
    broken_csv = directory_csv(directory).replace(b"\r\n", b"\r\n,", 1)
    assert table_errors(broken_csv)
    broken_json = directory_json(directory).replace(b'"commune"', b'"contact"', 1)
    with pytest.raises(AssertionError):
        validate_json(broken_json)


def test_search_ignores_accents_and_case_and_filters_by_facet(db, stocked):
    workshop, kept, formula = stocked
    entries = build_directory(db.session, workshop.diagnostic).entries
    assert [e.id for e in search(entries, "EPICERIE")] == [kept.id]
    assert [e.id for e in search(entries, "prix réduits épicerie")] == [kept.id]
    assert [e.id for e in search(entries, commune="blagnac")] == [kept.id]
    assert [e.id for e in search(entries, commune="Toulouse")] == [formula.id]
    assert search(entries, "épicerie", commune="Toulouse") == []
    family = entries[0].ess_family
    assert len(search(entries, family=family)) == 2
    assert search(entries, sector="Agriculture") == []
    assert facets(entries).communes == ["Blagnac", "Toulouse"]


def test_a_commune_spelt_two_ways_is_one_choice(db, stocked, make_participant,
                                                initiative_data):
    workshop, *_ = stocked
    author = make_participant(workshop, "Léa")
    for commune in ("blagnac ", "Blagnac"):
        participation.submit_contribution(db.session, author, initiative_data(
            workshop, name=f"Atelier vélo {commune}", commune=commune))
    db.session.commit()
    entries = build_directory(db.session, workshop.diagnostic).entries
    assert facets(entries).communes == ["Blagnac", "Toulouse"]
    assert len(search(entries, commune="Blagnac")) == 3


@pytest.mark.parametrize("url, public", [
    ("https://exemple.fr/a?b=c", "https://exemple.fr/a?b=c"),
    ("http://exemple.fr", "http://exemple.fr"),
    ("javascript:alert(1)", None), ("mailto:a@b.fr", None), ("ftp://exemple.fr", None),
    ("https://", None), ("https://exemple.fr/a b", None), ("", None), (None, None),
])
def test_only_http_websites_are_published(url, public):
    assert public_website(url) == public


def test_publication_is_audited_and_reversible(db, make_diagnostic, make_user):
    diagnostic = make_diagnostic()
    staff = make_user()
    assert published_diagnostic(db.session, diagnostic.id) is None
    publish_open_data(db.session, diagnostic, staff, now=lambda: NOW)
    with pytest.raises(DomainError):
        publish_open_data(db.session, diagnostic, staff)
    assert published_diagnostics(db.session) == [diagnostic]
    unpublish_open_data(db.session, diagnostic, staff)
    with pytest.raises(DomainError):
        unpublish_open_data(db.session, diagnostic, staff)
    assert published_diagnostic(db.session, diagnostic.id) is None
    entries = db.session.scalars(db.select(SynthesisAuditEntry).where(
        SynthesisAuditEntry.diagnostic_id == diagnostic.id).order_by(SynthesisAuditEntry.id))
    assert [(e.action, e.user_id) for e in entries] == [
        ("open_data_published", staff.id), ("open_data_unpublished", staff.id)]


def test_an_archived_diagnostic_cannot_be_published_but_can_be_withdrawn(db, make_diagnostic):
    diagnostic = make_diagnostic()
    publish_open_data(db.session, diagnostic, None)
    archiving.archive_diagnostic(db.session, diagnostic)
    unpublish_open_data(db.session, diagnostic, None)
    with pytest.raises(DomainError):
        publish_open_data(db.session, diagnostic, None)


def test_an_imported_copy_starts_unpublished(db, make_diagnostic):
    from diagnostic.archive.dump import dump_diagnostic
    from diagnostic.archive.restore import restore_diagnostic

    diagnostic = make_diagnostic()
    publish_open_data(db.session, diagnostic, None)
    db.session.commit()
    document = dump_diagnostic(db.session, diagnostic)
    assert "open_data_published_at" not in document["diagnostic"]
    copy = restore_diagnostic(db.session, document)
    assert copy.id != diagnostic.id and copy.open_data_published_at is None
