"""A contribution its author withdrew is in no document: report, minutes, CSV, XLSX, JSON."""

from __future__ import annotations

import io
import zipfile
from datetime import UTC, datetime

from diagnostic.live import lifecycle, participation
from diagnostic.live.withdrawal import withdraw_contribution
from diagnostic.reporting.minutes_build import compose_minutes
from diagnostic.reporting.report_build import compose_report
from exports.csv import render_contributions_csv
from exports.json import render_report_json
from exports.xlsx import render_report_xlsx

KEPT = "Une régie de quartier"


def test_a_withdrawn_item_is_in_no_document(db, make_workshop, make_participant,
                                            initiative_data):
    workshop = make_workshop()
    author = make_participant(workshop, "Autrice", agreed_to_be_named=True)
    gone, _ = participation.submit_contribution(db.session, author, initiative_data(
        workshop, name="Épicerie des Izards"))
    participation.submit_contribution(db.session, author, initiative_data(
        workshop, name="Régie", description=KEPT))
    withdraw_contribution(db.session, author, gone.id, at=datetime(2026, 5, 4, tzinfo=UTC))
    lifecycle.close_workshop(db.session, workshop, None)
    db.session.commit()

    minutes = compose_minutes(db.session, workshop)
    assert minutes.total == 1
    assert (minutes.excluded.hidden, minutes.excluded.pending) == (0, 0)  # not even counted
    report = compose_report(db.session, workshop.diagnostic)
    assert [row.id for row in report.contributions] == [gone.id + 1]
    assert [item.id for item in report.initiatives] == [gone.id + 1]
    csv = render_contributions_csv(report).decode("utf-8-sig")
    assert len(csv.strip().splitlines()) == 2 and KEPT in csv
    assert "Izards" not in render_report_json(report).decode()
    with zipfile.ZipFile(io.BytesIO(render_report_xlsx(report))) as book:
        sheets = "".join(book.read(name).decode() for name in book.namelist()
                         if name.endswith(".xml"))
    assert KEPT in sheets and "Izards" not in sheets
