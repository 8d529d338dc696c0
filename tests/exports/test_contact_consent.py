"""An initiative's contact is published only with its participant's consent, in every format.

One small workshop, composed from the database as the staff downloads are: the report
(HTML, PDF, DOCX, ODT, XLSX, CSV, JSON) and the minutes (HTML, PDF, DOCX) must show the
contacts of the participant who ticked "J'accepte que mes coordonnées (contact) figurent
dans le rapport", and nowhere the contacts of one who did not, of a scribe entry, or of an
unconsented item merged into a consented one.
"""

from __future__ import annotations

import io
import re

import docx
import pytest

from diagnostic.live import participation
from diagnostic.models import Contribution, ContributionKind, Workshop
from diagnostic.reporting.minutes_build import compose_minutes
from diagnostic.reporting.report_build import compose_report
from exports.formats import render, render_minutes
from tests.conftest import new_client_id
from tests.document_text import TEXT_OF

PUBLISHED = ["accord@coop.example", "05 36 49 11 22"]
"""The contacts of the participant who agreed: shown."""
PRIVATE = ["refus@secret.example", "06 39 98 33 44", "scribe@secret.example",
           "fusion@secret.example"]
"""Contacts of a participant who did not agree, of a scribe entry, of a merged source."""


@pytest.fixture
def seeded(db, make_diagnostic, make_workshop, make_participant, initiative_data):
    """A closed workshop with consented, unconsented, scribe and merged initiatives."""
    session = db.session
    diagnostic = make_diagnostic()
    workshop = make_workshop(diagnostic)
    agrees = make_participant(workshop, "Camille", agreed_to_publish_contact=True)
    refuses = make_participant(workshop, "Dominique", agreed_to_be_named=True)

    def initiative(participant, name, contact):
        contribution, _ = participation.submit_contribution(
            session, participant, initiative_data(workshop, name=name, contact=contact))
        return contribution

    root = initiative(agrees, "Coop Accord", PUBLISHED[0])
    initiative(agrees, "Jardin Accord", PUBLISHED[1])
    initiative(refuses, "Coop Refus", PRIVATE[0])
    initiative(refuses, "Jardin Refus", PRIVATE[1])
    merged = initiative(refuses, "Coop Accord bis", PRIVATE[3])
    merged.merged_into_id = root.id
    session.add(Contribution(
        workshop=workshop, participant_id=None, on_behalf_of="Mme Martin",
        kind=ContributionKind.INITIATIVE, client_id=new_client_id(), name="Coop Scribe",
        description="Saisie par l'animation.", contact=PRIVATE[2]))
    session.commit()
    return diagnostic, workshop


def flat(text: str) -> str:
    """``text`` without white space nor hyphens: a contact wrapped or hyphenated still matches."""
    return re.sub(r"[\s\-\u00ad\u2010]", "", text)


def check(text: str) -> None:
    for contact in PUBLISHED:
        assert flat(contact) in flat(text), f"consented contact {contact!r} missing"
    for contact in PRIVATE:
        assert flat(contact) not in flat(text), f"unconsented contact {contact!r} published"


def test_the_composed_report_keeps_only_consented_contacts(db, seeded):
    diagnostic, _workshop = seeded
    report = compose_report(db.session, diagnostic)
    contacts = {item.name: item.contact for item in report.initiatives}
    assert contacts == {"Coop Accord": PUBLISHED[0], "Jardin Accord": PUBLISHED[1],
                        "Coop Refus": None, "Jardin Refus": None, "Coop Scribe": None}
    rows = {row.name: row.contact for row in report.contributions}
    assert rows["Coop Accord bis"] is None and rows["Coop Accord"] == PUBLISHED[0]


@pytest.mark.parametrize("fmt", sorted(TEXT_OF))
def test_report_formats_publish_only_consented_contacts(db, seeded, fmt):
    diagnostic, _workshop = seeded
    check(TEXT_OF[fmt](render(fmt, compose_report(db.session, diagnostic))))


@pytest.mark.parametrize("fmt", ["html", "docx", "pdf"])
def test_minutes_publish_only_consented_contacts(db, seeded, fmt):
    _diagnostic, workshop = seeded
    minutes = compose_minutes(db.session, db.session.get(Workshop, workshop.id))
    check(TEXT_OF[fmt](render_minutes(fmt, minutes)))


def test_the_staff_archive_keeps_every_contact(db, seeded):
    from diagnostic.archive.dump import dump_diagnostic

    diagnostic, _workshop = seeded
    archive = dump_diagnostic(db.session, diagnostic)
    assert {c["contact"] for c in archive["contributions"]} == {*PUBLISHED, *PRIVATE}
    consents = {p["display_name"]: p["agreed_to_publish_contact"]
                for p in archive["participants"]}
    assert consents == {"Camille": True, "Dominique": False}


def test_the_directory_has_no_contact_column_when_nobody_agreed(db, seeded):
    """Without a single consented contact, the directory annex drops its Contact column
    (an empty column would only say that nobody agreed); with one, it is there."""
    diagnostic, workshop = seeded

    def directory_headers(report) -> tuple[list[str], list[str]]:
        html = render("html", report).decode("utf-8")
        table = html.split('<table class="report-directory', 1)[1].split("</thead>", 1)[0]
        in_html = [" ".join(re.sub(r"<[^>]+>", "", h).split())
                   for h in re.findall(r"<th[^>]*>.*?</th>", table, re.S)]
        document = docx.Document(io.BytesIO(render("docx", report)))
        names = {"Nom", "Famille", "Secteur", "Commune"}
        table = next(t for t in document.tables
                     if {c.text for c in t.rows[0].cells} >= names | {"Site web"})
        return in_html, [cell.text for cell in table.rows[0].cells]

    report = compose_report(db.session, diagnostic)
    for headers in directory_headers(report):
        assert "Contact" in headers and "Site web" in headers
    for initiative in report.initiatives:  # as if nobody had agreed
        initiative.contact = None
    for headers in directory_headers(report):
        assert "Contact" not in headers and "Site web" in headers
