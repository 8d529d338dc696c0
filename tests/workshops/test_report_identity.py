"""Staff: the report's identity on the settings page (form, logo upload, logo route) and
the download names it sets."""

from __future__ import annotations

import io
import re
from datetime import date

import pytest
from PIL import Image
from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from diagnostic.frame import archiving
from diagnostic.models import Diagnostic, ReportStatus, Role
from tests.conftest import logged_in_client

SVG = (b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 100 40">'
       b'<rect width="100" height="40" fill="#036"/></svg>')


def png_bytes(size=(120, 40)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (20, 90, 160)).save(out, "PNG")
    return out.getvalue()


@pytest.fixture
def staff_client(client, login, make_user):
    login(make_user())
    return client


def post_identity(client, diagnostic, logo=None, filename="logo.png", **fields):
    data = {"identity-authority": "Communauté urbaine du Grand Toulouse",
            "identity-subtitle": "Diagnostic de l'ESS", "identity-status": "draft",
            "identity-download_stem": "", **{f"identity-{k}": v for k, v in fields.items()}}
    if logo is not None:
        data["identity-logo"] = FileStorage(io.BytesIO(logo), filename=filename)
    # Built in memory: Werkzeug's test client spools a large body to a temporary file it
    # never closes (see test_import_hostile.py).
    boundary, body = encode_multipart(data)
    return client.post(f"/staff/diagnostics/{diagnostic.id}/identity", data=body,
                       content_type=f"multipart/form-data; boundary={boundary}")


def reloaded(db, diagnostic) -> Diagnostic:
    db.session.expire_all()
    return db.session.get(Diagnostic, diagnostic.id)


def test_the_settings_page_has_the_publication_form(staff_client, make_diagnostic):
    diagnostic = make_diagnostic()
    page = staff_client.get(f"/staff/diagnostics/{diagnostic.id}/settings").text
    assert "Publication du rapport" in page
    assert 'enctype="multipart/form-data"' in page
    for label in ("Document de travail", "Version validée", "Logo (PNG ou SVG)",
                  "Début des noms de fichiers"):
        assert label in page
    assert '<label for="identity-logo">' in page
    assert "diagnostic-ess-rapport.pdf" in page  # the note says what downloads are called


def test_the_report_page_links_to_the_publication_settings(staff_client, make_diagnostic):
    diagnostic = make_diagnostic()
    page = staff_client.get(f"/staff/diagnostics/{diagnostic.id}/report").text
    assert f'href="/staff/diagnostics/{diagnostic.id}/settings#publication"' in page


def test_saving_an_identity_with_a_png_logo(staff_client, db, make_diagnostic):
    diagnostic = make_diagnostic()
    response = post_identity(staff_client, diagnostic, png_bytes(), status="validated",
                             validated_on="2011-06-30", version_date="2011-07-01",
                             download_stem="diagnostic-ess-grand-toulouse-2011")
    assert response.status_code == 302, response.text
    assert response.headers["Location"].endswith("/settings#publication")
    saved = reloaded(db, diagnostic)
    assert saved.report_authority == "Communauté urbaine du Grand Toulouse"
    assert saved.report_status == ReportStatus.VALIDATED
    assert saved.report_validated_on == date(2011, 6, 30)
    assert saved.report_version_date == date(2011, 7, 1)
    assert saved.report_logo_type == "image/png" and saved.report_logo_png
    page = staff_client.get(f"/staff/diagnostics/{diagnostic.id}/settings").text
    assert f'src="/staff/diagnostics/{diagnostic.id}/logo"' in page
    assert "Version validée le 30 juin 2011" in page
    assert "diagnostic-ess-grand-toulouse-2011-rapport.pdf" in page


def test_a_validated_status_without_date_is_validated_today(staff_client, db,
                                                            make_diagnostic):
    diagnostic = make_diagnostic()
    assert post_identity(staff_client, diagnostic, status="validated").status_code == 302
    assert reloaded(db, diagnostic).report_validated_on is not None


@pytest.mark.parametrize("logo, filename, message", [
    (b"GIF89a\x01\x00\x01\x00", "logo.png", "Le logo doit être une image PNG ou SVG."),
    (png_bytes(), "logo.svg", None),  # the name lies, the bytes say PNG: accepted as PNG
    (b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>', "logo.svg",
     "Le SVG contient du code"),
    (b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>', "logo.png",
     "Le SVG contient du code"),
])
def test_logos_are_judged_by_their_bytes(staff_client, db, make_diagnostic, logo, filename,
                                         message):
    diagnostic = make_diagnostic()
    response = post_identity(staff_client, diagnostic, logo, filename=filename,
                             authority="Changé")
    saved = reloaded(db, diagnostic)
    if message is None:
        assert response.status_code == 302
        assert saved.report_logo_type == "image/png"
        return
    assert response.status_code == 400
    assert message in response.text
    # The error is tied to the field; nothing changed.
    assert re.search(r'id="identity-logo"[^>]*aria-describedby="identity-logo-error[ "]',
                     response.text) or re.search(
        r'aria-describedby="identity-logo-error[^"]*"[^>]*id="identity-logo"', response.text)
    assert 'id="identity-logo-error"' in response.text
    assert saved.report_authority == "" and saved.report_logo is None


def test_a_too_large_logo_gets_a_french_message(app, staff_client, db, make_diagnostic):
    app.config["REPORT_LOGO_MAX_BYTES"] = 2048
    diagnostic = make_diagnostic()
    response = post_identity(staff_client, diagnostic, png_bytes((400, 400)) + b"\0" * 4096)
    assert response.status_code == 400
    assert "Le logo est trop volumineux : 2 Ko au plus." in response.text
    assert reloaded(db, diagnostic).report_logo is None


def test_a_logo_larger_than_max_content_length_is_refused_with_the_form(
        app, staff_client, db, make_diagnostic):
    """MAX_CONTENT_LENGTH (1 MiB) would answer a bare 413: the logo form takes more, to
    say why in French."""
    assert app.config["MAX_CONTENT_LENGTH"] <= app.config["REPORT_LOGO_MAX_BYTES"]
    diagnostic = make_diagnostic()
    big = png_bytes() + b"\0" * (app.config["REPORT_LOGO_MAX_BYTES"] + 10)
    response = post_identity(staff_client, diagnostic, big)
    assert response.status_code == 400
    assert "Le logo est trop volumineux : 1024 Ko au plus." in response.text
    assert "Publication du rapport" in response.text  # the page, not a bare error


def test_a_body_past_the_route_limit_gets_the_form_with_its_message(app, staff_client,
                                                                    make_diagnostic):
    app.config["IMPORT_MAX_BYTES"] = 1024
    app.config["REPORT_LOGO_MAX_BYTES"] = 1024
    diagnostic = make_diagnostic()
    # Past the route's limit in Flask (the transport's was set at start-up, larger):
    # Werkzeug refuses the body unread, the view still answers with its form.
    response = post_identity(staff_client, diagnostic, b"\0" * (200 * 1024))
    assert response.status_code == 413
    assert "Le logo est trop volumineux : 1 Ko au plus." in response.text


def test_removing_the_logo(staff_client, db, make_diagnostic):
    diagnostic = make_diagnostic()
    post_identity(staff_client, diagnostic, SVG, filename="logo.svg")
    assert reloaded(db, diagnostic).report_logo_type == "image/svg+xml"
    assert "Retirer le logo" in staff_client.get(
        f"/staff/diagnostics/{diagnostic.id}/settings").text
    post_identity(staff_client, diagnostic, remove_logo="y")
    saved = reloaded(db, diagnostic)
    assert saved.report_logo is None and saved.report_logo_png is None
    assert saved.report_logo_type is None


def test_field_errors_are_french_and_linked(staff_client, db, make_diagnostic):
    diagnostic = make_diagnostic()
    response = post_identity(staff_client, diagnostic, download_stem="Mon Rapport!",
                             validated_on="30/06/2011")
    assert response.status_code == 400
    assert "Le nom de fichier ne peut contenir que des lettres minuscules" in response.text \
        or "Date invalide" in response.text
    assert "Date invalide : indiquez-la comme 2011-06-30." in response.text
    response = post_identity(staff_client, diagnostic, download_stem="Mon Rapport!")
    assert "Le nom de fichier ne peut contenir que des lettres minuscules" in response.text
    assert 'aria-describedby="identity-download_stem-error' in response.text
    assert reloaded(db, diagnostic).download_stem is None


def test_an_archived_diagnostic_is_refused(staff_client, db, make_diagnostic):
    diagnostic = make_diagnostic()
    archiving.archive_diagnostic(db.session, diagnostic)
    db.session.commit()
    response = post_identity(staff_client, diagnostic, png_bytes())
    assert response.status_code == 409
    assert "Ce diagnostic est archivé" in response.text
    saved = reloaded(db, diagnostic)
    assert saved.report_authority == "" and saved.report_logo is None
    page = staff_client.get(f"/staff/diagnostics/{diagnostic.id}/settings").text
    assert "update_identity" not in page and "/identity" not in page  # no form to fill


def test_only_staff(client, db, login, make_user, make_diagnostic):
    diagnostic = make_diagnostic()
    diagnostic.report_logo, diagnostic.report_logo_type = SVG, "image/svg+xml"
    db.session.commit()
    assert post_identity(client, diagnostic).status_code == 302  # to the login page
    assert client.get(f"/staff/diagnostics/{diagnostic.id}/logo").status_code == 302
    login(make_user(role=Role.FACILITATOR))
    assert post_identity(client, diagnostic).status_code == 403
    assert client.get(f"/staff/diagnostics/{diagnostic.id}/logo").status_code == 403
    assert reloaded(db, diagnostic).report_authority == ""


def test_the_logo_route_serves_it_unable_to_run_anything(staff_client, db, make_diagnostic):
    diagnostic = make_diagnostic()
    assert staff_client.get(f"/staff/diagnostics/{diagnostic.id}/logo").status_code == 404
    post_identity(staff_client, diagnostic, SVG, filename="logo.svg")
    response = staff_client.get(f"/staff/diagnostics/{diagnostic.id}/logo")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "image/svg+xml"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Content-Security-Policy"].startswith(
        "default-src 'none'; style-src 'unsafe-inline'")
    assert response.data == SVG


class TestCsrf:
    @pytest.fixture
    def app_config(self, app_config):
        return {**app_config, "WTF_CSRF_ENABLED": True}

    def test_the_form_needs_its_token(self, app, db, make_user, make_diagnostic):
        client = logged_in_client(app, db, make_user())
        diagnostic = make_diagnostic()
        response = post_identity(client, diagnostic)
        assert response.status_code == 400
        assert "Ce formulaire a expiré" in response.text
        assert reloaded(db, diagnostic).report_authority == ""
        page = client.get(f"/staff/diagnostics/{diagnostic.id}/settings").text
        form = page[page.index('id="publication"'):]
        token = re.search(r'name="identity-csrf_token"[^>]*value="([^"]+)"', form).group(1)
        response = post_identity(client, diagnostic, **{"csrf_token": token})
        assert response.status_code == 302
        assert reloaded(db, diagnostic).report_authority.startswith("Communauté")


# ---------------------------------------------------------------- download names


def test_report_downloads_are_named_after_the_stem(staff_client, db, make_diagnostic):
    diagnostic = make_diagnostic(title="Diagnostic ÉSS — Grand Toulouse 2011")
    response = staff_client.get(f"/staff/diagnostics/{diagnostic.id}/report.csv")
    assert response.headers["Content-Disposition"] == (
        "attachment; filename=diagnostic-ess-grand-toulouse-2011-rapport.csv")
    post_identity(staff_client, diagnostic, download_stem="ess-2011")
    response = staff_client.get(f"/staff/diagnostics/{diagnostic.id}/report.json")
    assert response.headers["Content-Disposition"] == "attachment; filename=ess-2011-rapport.json"
