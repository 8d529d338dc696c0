"""The paper-form pages: downloads, upload → preview → import, roles, CSRF, broadcast."""

from __future__ import annotations

import io
import re

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader
from sqlalchemy import func, select

from diagnostic.models import Contribution, PaperImport, Role
from diagnostic.paper.columns import HEADERS
from tests.conftest import logged_in_client
from tests.diagnostic.paper.conftest import GOOD_ROWS, csv_bytes, xlsx_bytes
from tests.workshops.conftest import events


def count(db, model) -> int:
    db.session.expire_all()
    return db.session.scalar(select(func.count()).select_from(model))


@pytest.fixture
def staff(client, make_user, login):
    login(make_user())
    return client


def send(client, workshop, data, name="fiches.csv", **extra):
    return client.post(f"/staff/workshops/{workshop.id}/paper",
                       data={"spreadsheet": (io.BytesIO(data), name), **extra},
                       content_type="multipart/form-data")


def page_text(response) -> str:
    return re.sub(r"\s+", " ", response.get_data(as_text=True))


def test_the_paper_pages_are_for_staff_only(client, make_user, login, make_workshop):
    workshop = make_workshop()
    url = f"/staff/workshops/{workshop.id}/paper"
    assert client.get(url).status_code == 302  # to the login page
    login(make_user(role=Role.FACILITATOR))
    for path in ("", "/fiches.pdf", "/modele.xlsx", "/modele.csv"):
        assert client.get(url + path).status_code == 403
    assert send(client, workshop, csv_bytes(GOOD_ROWS)).status_code == 403


def test_the_workshop_page_links_to_the_paper_form(staff, make_workshop):
    workshop = make_workshop()
    page = staff.get(f"/staff/workshops/{workshop.id}").get_data(as_text=True)
    assert f'href="/staff/workshops/{workshop.id}/paper"' in page


def test_the_pdf_form_has_one_page_per_kind_with_the_taxonomies(staff, make_workshop):
    workshop = make_workshop(title="Atelier Nord-Est")
    response = staff.get(f"/staff/workshops/{workshop.id}/paper/fiches.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    pages = PdfReader(io.BytesIO(response.data)).pages
    texts = [page.extract_text() for page in pages]
    assert len(pages) == 3
    assert "Une initiative du territoire" in texts[0] and "Coopérative" in texts[0]
    assert "Catégorie de besoin" in texts[1] and "Locaux" in texts[1]
    assert "Enjeu" in texts[2] and "Court terme" in texts[2]
    assert all("Atelier Nord-Est" in text for text in texts)


def test_the_templates_have_every_column(staff, make_workshop):
    workshop = make_workshop()
    url = f"/staff/workshops/{workshop.id}/paper/modele"
    book = load_workbook(io.BytesIO(staff.get(url + ".xlsx").data))
    sheet = book["Contributions"]
    assert [cell.value for cell in sheet[1]] == list(HEADERS)
    assert "Instructions" in book.sheetnames
    lists = [v.formula1 for v in sheet.data_validations.dataValidation]
    assert len(lists) == 10 and all(f.startswith("'Listes'!") for f in lists)  # type + 9
    assert "Coopérative" in [c.value for c in book["Listes"]["B"]]
    csv = staff.get(url + ".csv")
    assert csv.data.startswith("\ufeffType;Nom de la structure".encode())


def test_errors_are_listed_and_nothing_is_imported(staff, db, make_workshop):
    workshop = make_workshop()
    rows = [*GOOD_ROWS, {"Type": "Besoin", "Description": "x",
                         "Catégorie de besoin": "Téléportation"}]
    response = send(staff, workshop, xlsx_bytes(rows), "fiches.xlsx")
    assert response.status_code == 302
    preview = staff.get(response.location)
    assert preview.status_code == 422
    text = page_text(preview)
    assert ("Ligne 5, colonne « Catégorie de besoin » : « Téléportation » ne figure pas "
            "dans la liste des choix.") in text
    assert 'id="paper-import"' not in text
    upload_id = int(response.location.rsplit("/", 1)[1])
    refused = staff.post(f"/staff/workshops/{workshop.id}/paper/{upload_id}/import")
    assert refused.status_code == 302 and count(db, Contribution) == 0


def test_a_clean_file_is_imported_once(staff, db, make_workshop):
    workshop = make_workshop()
    preview = staff.get(send(staff, workshop, csv_bytes(GOOD_ROWS)).location)
    assert preview.status_code == 200
    assert "Importer 3 contributions" in page_text(preview)
    upload_id = db.session.scalar(select(PaperImport.id))
    done = staff.post(f"/staff/workshops/{workshop.id}/paper/{upload_id}/import",
                      follow_redirects=True)
    assert "3 contributions importées (saisie papier)." in page_text(done)
    assert count(db, Contribution) == 3
    listing = staff.get(f"/staff/diagnostics/{workshop.diagnostic_id}/contributions")
    assert page_text(listing).count("Saisie papier") == 3
    assert page_text(listing).count("importée par Camille") == 3
    log = page_text(staff.get(f"/staff/workshops/{workshop.id}"))
    assert "Import papier par Camille (contributions ajoutées : 3)" in log
    again = staff.get(send(staff, workshop, csv_bytes(GOOD_ROWS, ",")).location)
    assert "3 lignes déjà importées, ignorées." in page_text(again)
    assert 'id="paper-import"' not in page_text(again)
    assert count(db, Contribution) == 3


def test_rows_imported_meanwhile_elsewhere_add_nothing(staff, db, make_workshop,
                                                       monkeypatch):
    """Two imports of the same rows at once: the second one's insert fails on the unique
    client id; it adds nothing and says so."""
    from diagnostic.paper import importer

    workshop = make_workshop()
    first = staff.get(send(staff, workshop, csv_bytes(GOOD_ROWS)).location)
    assert first.status_code == 200
    first_id = db.session.scalar(select(PaperImport.id))
    staff.post(f"/staff/workshops/{workshop.id}/paper/{first_id}/import")
    second = send(staff, workshop, csv_bytes(GOOD_ROWS, ","))
    second_id = db.session.scalar(select(func.max(PaperImport.id)))
    seen = importer.preview

    def unaware(*args):  # as if the first import had not committed yet
        checked = seen(*args)
        for row in checked.rows:
            row.already_imported = False
        return checked

    monkeypatch.setattr(importer, "preview", unaware)
    done = staff.post(f"/staff/workshops/{workshop.id}/paper/{second_id}/import",
                      follow_redirects=True)
    assert "importées par ailleurs : rien n&#39;a été ajouté" in page_text(done)
    assert count(db, Contribution) == 3
    assert second.status_code == 302


@pytest.mark.parametrize(("data", "name", "message"), [
    (b"", "f.csv", "Le fichier est vide."),
    (b"%PDF-1.7", "f.pdf", "Type de fichier inconnu"),
    (b"Nom;Commune\r\nA;B\r\n", "f.csv", "Colonnes obligatoires absentes"),
])
def test_a_refused_file_is_said_on_the_form(staff, db, make_workshop, data, name, message):
    response = send(staff, make_workshop(), data, name)
    assert response.status_code == 400 and message in page_text(response)
    assert count(db, PaperImport) == 0


class TestSizeLimits:
    """The limits made small, so that the test files stay in memory."""

    @pytest.fixture
    def app_config(self, app_config):
        return {**app_config, "PAPER_MAX_BYTES": 4096, "IMPORT_MAX_BYTES": 8192}

    @pytest.mark.parametrize(("size", "status"), [(4097, 400), (8192 + 70 * 1024, 413)])
    def test_a_file_too_large_gets_the_french_message(self, staff, db, make_workshop, size,
                                                      status):
        response = send(staff, make_workshop(), b"x" * size, "f.csv")
        assert response.status_code == status
        # Up to IMPORT_MAX_BYTES the form says the paper limit; beyond, the transport refuses
        # the body unread, with its own French message.
        assert ("Le fichier dépasse la taille maximale (0.00391 Mo)." if status == 400
                else "Envoi trop volumineux") in page_text(response)
        assert count(db, PaperImport) == 0


def test_an_import_is_broadcast_to_the_open_room(staff, db, make_workshop, board):
    workshop = make_workshop()
    screen = board(workshop)
    screen.get_received("/live")
    staff.get(send(staff, workshop, csv_bytes(GOOD_ROWS)).location)
    upload_id = db.session.scalar(select(PaperImport.id))
    staff.post(f"/staff/workshops/{workshop.id}/paper/{upload_id}/import")
    added = events(screen, "contribution_added")
    assert [item["kind"] for item in added] == ["initiative", "need", "recommendation"]
    assert all(item["paper"] for item in added)


class TestCsrf:
    @pytest.fixture
    def app_config(self, app_config):
        return {**app_config, "WTF_CSRF_ENABLED": True}

    def test_upload_and_import_need_the_token(self, app, db, make_user, make_workshop):
        client = logged_in_client(app, db, make_user())
        workshop = make_workshop()
        assert send(client, workshop, csv_bytes(GOOD_ROWS)).status_code == 400
        assert count(db, PaperImport) == 0
        page = client.get(f"/staff/workshops/{workshop.id}/paper").get_data(as_text=True)
        token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
        preview = send(client, workshop, csv_bytes(GOOD_ROWS), csrf_token=token)
        assert preview.status_code == 302
        upload_id = db.session.scalar(select(PaperImport.id))
        url = f"/staff/workshops/{workshop.id}/paper/{upload_id}/import"
        assert client.post(url).status_code == 400
        assert count(db, Contribution) == 0
        assert client.post(url, data={"csrf_token": token}).status_code == 302
        assert count(db, Contribution) == 3


def test_phones_see_imported_items_labelled_as_paper_entries(app, staff, db, make_workshop,
                                                             make_participant):
    workshop = make_workshop()
    participant = make_participant(workshop)
    staff.get(send(staff, workshop, csv_bytes(GOOD_ROWS)).location)
    upload_id = db.session.scalar(select(PaperImport.id))
    staff.post(f"/staff/workshops/{workshop.id}/paper/{upload_id}/import")
    phone = app.test_client()
    with phone.session_transaction() as session:
        session["participants"] = {str(workshop.id): participant.token}
    feed = page_text(phone.get(f"/j/{workshop.join_code}/contribute"))
    assert feed.count('<span class="contribution-scribe">saisie papier</span>') == 3
