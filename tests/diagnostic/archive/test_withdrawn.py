"""A withdrawn contribution (a tombstone without text) survives an export/import round trip."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from diagnostic.archive.dump import dump_diagnostic
from diagnostic.archive.parse import parse_archive
from diagnostic.archive.restore import restore_diagnostic
from diagnostic.errors import ValidationError
from diagnostic.live import participation
from diagnostic.live.withdrawal import withdraw_contribution


@pytest.fixture
def archive(db, make_workshop, make_participant, initiative_data):
    workshop = make_workshop()
    author = make_participant(workshop, "Autrice")
    item, _ = participation.submit_contribution(db.session, author, initiative_data(workshop))
    withdraw_contribution(db.session, author, item.id, at=datetime(2026, 5, 4, tzinfo=UTC))
    db.session.commit()
    return json.loads(json.dumps(dump_diagnostic(db.session, workshop.diagnostic)))


def test_the_tombstone_passes_the_import_checks_and_stays_withdrawn(db, archive):
    [row] = archive["contributions"]
    assert row["withdrawn_at"] and row["description"] == "" and row["name"] is None
    parse_archive(archive)
    restored = dump_diagnostic(db.session, restore_diagnostic(db.session, archive))
    [again] = restored["contributions"]
    assert again["withdrawn_at"] == row["withdrawn_at"] and again["description"] == ""


def test_a_withdrawn_row_carrying_text_is_checked_like_live_input(archive):
    row = archive["contributions"][0]
    row.update(description="Un texte glissé dans l'archive", name="Ozon",
               website="javascript:alert(1)")
    with pytest.raises(ValidationError) as refused:
        parse_archive(archive)
    assert list(refused.value.errors) == ["contributions[0].website"]
