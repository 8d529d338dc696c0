"""The report identity's migration (c4e8b1f2a9d3): up with defaults for existing rows, down."""

from __future__ import annotations

import pytest
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect, text

from diagnostic.models import Base
from workshops.paths import data_folder

BEFORE = "c4e8a1f2b7d3"  # the participant contact consent (issue 16 too)
IDENTITY = "c4e8b1f2a9d3"
COLUMNS = {"report_authority", "report_subtitle", "report_logo", "report_logo_type",
           "report_logo_png", "report_status", "report_validated_on", "report_version_date",
           "download_stem"}


@pytest.fixture
def bare(app, db):
    """The test database emptied, for the migrations to build it; emptied again after."""
    Base.metadata.drop_all(db.engine)
    yield db
    with db.engine.begin() as connection:
        connection.execute(text("DROP TABLE IF EXISTS alembic_version"))
    Base.metadata.drop_all(db.engine)
    Base.metadata.create_all(db.engine)


def columns(db) -> set[str]:
    return {c["name"] for c in inspect(db.engine).get_columns("diagnostic")}


def test_upgrade_keeps_existing_diagnostics_and_downgrade_removes_the_columns(bare):
    db = bare
    migrations = str(data_folder("migrations"))
    upgrade(directory=migrations, revision=BEFORE)
    assert not COLUMNS & columns(db)
    with db.engine.begin() as connection:
        connection.execute(text(
            "INSERT INTO diagnostic (title, territory, period, description, is_demo, time_zone,"
            " created_at)"
            " VALUES ('Ancien', 'Toulouse', '', '', false, 'Europe/Paris', CURRENT_TIMESTAMP)"))
    upgrade(directory=migrations, revision=IDENTITY)
    assert COLUMNS <= columns(db)
    with db.engine.connect() as connection:
        row = connection.execute(text(
            "SELECT title, report_authority, report_subtitle, report_status, report_logo,"
            " download_stem FROM diagnostic")).one()
    assert tuple(row) == ("Ancien", "", "", "draft", None, None)
    with db.engine.begin() as connection, pytest.raises(Exception):  # noqa: B017, PT011
        connection.execute(text("UPDATE diagnostic SET report_status = 'publié'"))
    downgrade(directory=migrations, revision=BEFORE)
    assert not COLUMNS & columns(db)
    with db.engine.connect() as connection:
        assert connection.execute(text("SELECT title FROM diagnostic")).scalar_one() == "Ancien"
    upgrade(directory=migrations, revision=IDENTITY)
    assert COLUMNS <= columns(db)
