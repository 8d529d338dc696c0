"""The participant list (émargement) of a workshop: XLSX and PDF for staff only, names
only with the participant's consent, erased people anonymised, no contact ever."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime, time

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from diagnostic.live.facilitation import set_facilitators
from diagnostic.models import Role, Vocabulary
from diagnostic.privacy.attendance import attendance_sheet
from diagnostic.privacy.erasure import erase_participant
from exports.attendance import render_attendance_pdf, render_attendance_xlsx
from tests.conftest import logged_in_client

HIDDEN = "Bérénice Sansaccord"
RESTITUTION = "berenice@example.org"
ERASED = "Gaspard Effacé"


@pytest.fixture
def workshop(db, make_diagnostic, make_workshop, make_participant):
    diagnostic = make_diagnostic(title="Diagnostic ESS Nord")
    workshop = make_workshop(diagnostic, title="Atelier Toulouse Nord", date=date(2011, 4, 12),
                             place="Salle des fêtes, Blagnac", start_time=time(14),
                             end_time=time(17))
    actor = diagnostic.terms_of(Vocabulary.ACTOR_TYPE)[0]
    make_participant(workshop, "Claire Martin", organisation="Coop des Lilas",
                     actor_type_id=actor.id, agreed_to_be_named=True)
    make_participant(workshop, HIDDEN, organisation="Régie de quartier",
                     agreed_to_be_contacted=True, restitution_contact=RESTITUTION)
    gone = make_participant(workshop, ERASED, organisation="Asso Effacée",
                            agreed_to_be_named=True)
    make_participant(workshop, "=HYPERLINK(\"http://x\")", agreed_to_be_named=True)
    erase_participant(db.session, gone, user=None, at=datetime(2026, 1, 2, tzinfo=UTC))
    db.session.commit()
    return workshop


def test_the_sheet_follows_the_consents(db, workshop):
    sheet = attendance_sheet(db.session, workshop)
    assert [(r.number, r.name, r.organisation) for r in sheet.rows] == [
        (1, "Claire Martin", "Coop des Lilas"),
        (2, "Nom non communiqué", "Régie de quartier"),
        (3, "Participant·e anonymisé·e", ""),
        (4, "=HYPERLINK(\"http://x\")", ""),
    ]
    assert sheet.rows[0].actor_type and sheet.named_count == 2
    assert sheet.zone_place == "heure de Paris"


def test_an_anonymous_workshop_names_nobody(db, make_workshop, make_participant):
    workshop = make_workshop(anonymous=True)
    make_participant(workshop, "Pseudonyme 42", agreed_to_be_named=True)
    assert [r.name for r in attendance_sheet(db.session, workshop).rows] == [
        "Participation anonyme"]


def test_the_xlsx_opens_with_no_formula_nor_hidden_data(db, workshop):
    body = render_attendance_xlsx(attendance_sheet(db.session, workshop))
    page = load_workbook(io.BytesIO(body)).active
    cells = [c for row in page.iter_rows() for c in row if c.value is not None]
    text = " ".join(str(c.value) for c in cells)
    assert "Atelier Toulouse Nord" in text and "Salle des fêtes, Blagnac" in text
    assert "12 avril 2011, 14:00–17:00" in text
    assert "Arrivée (heure de Paris)" in text and "Claire Martin" in text
    for secret in (HIDDEN, RESTITUTION, ERASED, "Asso Effacée"):
        assert secret not in text
    formula = next(c for c in cells if str(c.value).startswith("=HYPERLINK"))
    assert formula.data_type == "s" and formula.quotePrefix


def test_the_pdf_has_a_signature_column_and_no_hidden_data(db, workshop):
    body = render_attendance_pdf(attendance_sheet(db.session, workshop))
    reader = PdfReader(io.BytesIO(body))
    text = " ".join(" ".join(page.extract_text() for page in reader.pages).split())
    assert "Atelier Toulouse Nord" in text and "Signature" in text
    assert "Claire Martin" in text and "Nom non communiqué" in text
    assert "Participant·e anonymisé·e" in text
    for secret in (HIDDEN, RESTITUTION, ERASED):
        assert secret not in text


def test_the_header_repeats_on_every_page(db, make_workshop, make_participant):
    workshop = make_workshop()
    for number in range(60):
        make_participant(workshop, f"Personne {number}", agreed_to_be_named=True)
    reader = PdfReader(io.BytesIO(render_attendance_pdf(attendance_sheet(db.session,
                                                                          workshop))))
    assert len(reader.pages) >= 2
    assert all("Signature" in page.extract_text() for page in reader.pages)


def test_only_staff_download_it(app, db, client, make_user, make_workshop, workshop):
    urls = [f"/staff/workshops/{workshop.id}/emargement.{fmt}" for fmt in ("xlsx", "pdf")]
    assert all(client.get(url).status_code == 302 for url in urls)  # to the login page
    own, other = make_user(role=Role.FACILITATOR), make_user(role=Role.FACILITATOR)
    set_facilitators(db.session, workshop, None, [own.id])
    set_facilitators(db.session, make_workshop(workshop.diagnostic, title="Autre"), None,
                     [other.id])
    db.session.commit()
    for facilitator in (own, other):  # the participants' pages are staff only
        browser = logged_in_client(app, db, facilitator)
        assert all(browser.get(url).status_code == 403 for url in urls)
    staff = logged_in_client(app, db, make_user())
    page = staff.get(f"/staff/workshops/{workshop.id}").get_data(as_text=True)
    assert "emargement.xlsx" in page and "emargement.pdf" in page
    xlsx, pdf = (staff.get(url) for url in urls)
    assert xlsx.status_code == pdf.status_code == 200
    assert pdf.data.startswith(b"%PDF") and xlsx.data.startswith(b"PK")
    assert xlsx.headers["Cache-Control"] == "no-store"
    assert "emargement-atelier" in pdf.headers["Content-Disposition"]
