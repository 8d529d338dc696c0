"""``diagnostic participant export`` and ``erase`` (Flask's CLI runner)."""

from __future__ import annotations

import json
import stat

import pytest

from diagnostic.live import participation
from diagnostic.models import AuditEntry, Participant

NAME = "Zélie Brandouin"
EMAIL = "zelie.brandouin@lilas.example"


@pytest.fixture
def zelie(db, make_participant, initiative_data):
    person = make_participant(None, NAME, organisation="Lilas Bleus")
    participation.submit_contribution(db.session, person, initiative_data(
        person.workshop, contact=EMAIL))
    db.session.commit()
    return person


def test_export_writes_an_owner_only_file(runner, zelie, tmp_path):
    (tmp_path / "out").mkdir()
    output = tmp_path / "out" / "zelie.json"
    result = runner.invoke(args=["participant", "export", str(zelie.id), "-o", str(output)])
    assert result.exit_code == 0, result.output
    assert stat.S_IMODE(output.stat().st_mode) == 0o600
    data = json.loads(output.read_text(encoding="utf-8"))
    assert data["participant"]["display_name"] == NAME
    assert data["contributions"][0]["contact"] == EMAIL
    assert [p.name for p in output.parent.iterdir()] == ["zelie.json"]  # no temporary left


def test_export_refuses_unknown_ids_and_bad_paths(runner, zelie, tmp_path):
    result = runner.invoke(args=["participant", "export", "999", "-o", str(tmp_path / "a")])
    assert result.exit_code == 1 and "No participant with id 999" in result.output
    result = runner.invoke(args=["participant", "export", str(zelie.id), "-o", str(tmp_path)])
    assert result.exit_code == 1 and "is a directory" in result.output


def erased(db, person) -> bool:
    db.session.expire_all()
    return db.session.get(Participant, person.id).is_erased


def test_erase_asks_for_confirmation(runner, db, zelie):
    result = runner.invoke(args=["participant", "erase", str(zelie.id)], input="n\n")
    assert result.exit_code == 1 and "Nothing erased." in result.output
    assert NAME in result.output and EMAIL in result.output  # who, and what
    assert not erased(db, zelie)
    result = runner.invoke(args=["participant", "erase", str(zelie.id)], input="y\n")
    assert result.exit_code == 0, result.output
    assert erased(db, zelie)
    entry = db.session.query(AuditEntry).filter_by(action="participant_erased").one()
    assert entry.after == {"participant": zelie.id, "reason": "request"} and entry.user_id is None


def test_erase_with_yes_and_twice(runner, db, zelie):
    result = runner.invoke(args=["participant", "erase", str(zelie.id), "--yes"])
    assert result.exit_code == 0 and "Erased participant" in result.output
    assert erased(db, zelie)
    result = runner.invoke(args=["participant", "erase", str(zelie.id), "--yes"])
    assert result.exit_code == 0 and "already erased" in result.output
    assert db.session.query(AuditEntry).filter_by(action="participant_erased").count() == 1
    result = runner.invoke(args=["participant", "erase", "999", "--yes"])
    assert result.exit_code == 1
