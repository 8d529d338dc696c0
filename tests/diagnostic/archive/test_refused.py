"""The diagnostic archive: bad documents are refused and change nothing."""

from __future__ import annotations

import base64

import pytest

from diagnostic.archive.dump import dump_diagnostic
from diagnostic.archive.restore import restore_diagnostic
from diagnostic.errors import ValidationError
from tests.diagnostic.archive.conftest import count_rows, modulo_ids


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
    "unknown time zone": (lambda doc: doc["diagnostic"].update(time_zone="Mars/Olympus"),
                          "diagnostic.time_zone"),
    # The report's identity goes through the settings page's checks (frame/identity.py).
    "logo not base64": (lambda doc: doc["diagnostic"].update(report_logo="<svg>!"),
                        "diagnostic.report_logo"),
    "logo with a script": (lambda doc: doc["diagnostic"].update(report_logo=base64.b64encode(
        b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>').decode()),
        "diagnostic.report_logo"),
    "logo not an image": (lambda doc: doc["diagnostic"].update(
        report_logo=base64.b64encode(b"GIF89a").decode()), "diagnostic.report_logo"),
    "bad file name stem": (lambda doc: doc["diagnostic"].update(download_stem="Mon Rapport"),
                           "diagnostic.download_stem"),
    "validated without a day": (lambda doc: doc["diagnostic"].update(
        report_status="validated", report_validated_on=None), "diagnostic.report_validated_on"),
    "unknown report status": (lambda doc: doc["diagnostic"].update(report_status="publié"),
                              "diagnostic.report_status"),
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
