"""The restitution pages: staff (publish, settings, moderation, exports, validation) and
the public page (404s, comments without JavaScript, modes, closing date, no personal data)."""

from __future__ import annotations

import csv
import io
import re
import uuid
from datetime import UTC, datetime

import openpyxl
import pytest
from sqlalchemy import func, select

from diagnostic.live import participation
from diagnostic.models import (
    CommentStatus,
    ReportStatus,
    RestitutionComment,
    Role,
    Vocabulary,
)
from diagnostic.restitution import publishing
from tests.conftest import logged_in_client


@pytest.fixture
def setup(db, make_diagnostic, make_workshop, make_participant):
    """A diagnostic (zone La Réunion) with an open workshop, a need by a named author."""
    diagnostic = make_diagnostic(time_zone="Indian/Reunion")
    workshop = make_workshop(diagnostic)
    author = make_participant(workshop, display_name="Camille Secret",
                              organisation="Asso Confidentielle", agreed_to_be_named=True)
    category = diagnostic.terms_of(Vocabulary.NEED_CATEGORY)[0]
    need, _ = participation.submit_contribution(db.session, author, {
        "kind": "need", "description": "Des locaux partagés", "client_id": uuid.uuid4().hex,
        "need_category_id": category.id})
    db.session.commit()
    return diagnostic, workshop, author, need


@pytest.fixture
def staff(app, db, make_user):
    return logged_in_client(app, db, make_user())


def url_of(diagnostic, path=""):
    return f"/staff/diagnostics/{diagnostic.id}/restitution{path}"


def published(db, diagnostic, **settings):
    restitution = publishing.publish(db.session, diagnostic, None)
    if settings:
        publishing.configure(db.session, diagnostic, None, **settings)
    db.session.commit()
    return restitution


def stored(db) -> list[RestitutionComment]:
    db.session.expire_all()
    return list(db.session.scalars(select(RestitutionComment).order_by(RestitutionComment.id)))


def post_comment(client, restitution, **data):
    data.setdefault("client_id", uuid.uuid4().hex)
    return client.post(f"/restitution/{restitution.token}/comments", data=data)


def test_staff_publish_show_the_link_and_regenerate_it(staff, db, setup):
    diagnostic = setup[0]
    page = staff.get(url_of(diagnostic)).get_data(as_text=True)
    assert "Non publiée" in page
    assert f'href="/staff/diagnostics/{diagnostic.id}/restitution"' in page  # the tab
    assert staff.post(url_of(diagnostic, "/publish")).status_code == 302
    restitution = publishing.restitution_of(db.session, diagnostic)
    page = staff.get(url_of(diagnostic)).get_data(as_text=True)
    assert f"/restitution/{restitution.token}" in page
    old = restitution.token
    assert staff.get(f"/restitution/{old}").status_code == 200
    staff.post(url_of(diagnostic, "/new-link"))
    db.session.expire_all()
    assert staff.get(f"/restitution/{old}").status_code == 404
    assert staff.get(f"/restitution/{restitution.token}").status_code == 200
    qr = staff.get(url_of(diagnostic, "/qr")).get_data(as_text=True)
    assert "<svg" in qr and restitution.token in qr
    staff.post(url_of(diagnostic, "/unpublish"))
    assert staff.get(f"/restitution/{restitution.token}").status_code == 404


def test_unknown_tokens_and_other_diagnostics_are_404(client, staff, db, setup, make_diagnostic):
    diagnostic, _, _, need = setup
    assert client.get("/restitution/nope").status_code == 404
    assert client.get("/restitution/" + "x" * 300).status_code == 404
    restitution = published(db, diagnostic)
    assert post_comment(client, restitution, text="ok", target="999999").status_code == 404
    assert post_comment(client, restitution, text="ok", target="abc").status_code == 404
    other = make_diagnostic("Autre")
    comment = RestitutionComment(diagnostic_id=diagnostic.id, text="x",
                                 client_id=uuid.uuid4().hex)
    db.session.add(comment)
    db.session.commit()
    response = staff.post(url_of(other, f"/comments/{comment.id}"), data={"status": "approved"})
    assert response.status_code == 404
    assert staff.get(url_of(diagnostic, "/comments.pdf")).status_code == 404


def test_only_staff_use_the_staff_page(client, app, db, setup, make_user):
    diagnostic = setup[0]
    assert client.get(url_of(diagnostic)).status_code == 302  # to the login page
    facilitator = logged_in_client(app, db, make_user(role=Role.FACILITATOR))
    assert facilitator.get(url_of(diagnostic)).status_code == 403
    assert facilitator.post(url_of(diagnostic, "/publish")).status_code == 403
    assert facilitator.post(url_of(diagnostic, "/validate")).status_code == 403
    assert publishing.restitution_of(db.session, diagnostic) is None


def test_a_comment_without_javascript_waits_for_moderation(client, staff, db, setup):
    diagnostic, _, _, need = setup
    restitution = published(db, diagnostic)
    page = client.get(f"/restitution/{restitution.token}").get_data(as_text=True)
    assert "Des locaux partagés" in page and f'name="target" value="{need.id}"' in page
    assert "Camille Secret" not in page and "Asso Confidentielle" not in page
    client_id = uuid.uuid4().hex
    response = post_comment(client, restitution, text="Et à Blagnac ?", target=str(need.id),
                            author_name="Zoé", client_id=client_id)
    assert response.status_code == 302 and response.location.endswith(
        f"?sent={need.id}#item-{need.id}")
    post_comment(client, restitution, text="Et à Blagnac ?", target=str(need.id),
                 client_id=client_id)  # a resend
    page = client.get(response.location).get_data(as_text=True)
    assert "Merci, votre commentaire sera publié après modération" in page
    assert "Et à Blagnac ?" not in page  # not before moderation
    [comment] = stored(db)
    assert comment.status == CommentStatus.PENDING and comment.author_name == "Zoé"
    queue = staff.get(url_of(diagnostic)).get_data(as_text=True)
    assert "Et à Blagnac ?" in queue and "En attente : 1" in queue
    staff.post(url_of(diagnostic, f"/comments/{comment.id}"), data={"status": "approved"})
    page = client.get(f"/restitution/{restitution.token}").get_data(as_text=True)
    assert "Et à Blagnac ?" in page and "Zoé" not in page


@pytest.mark.parametrize("text, message", [
    ("", "Ce champ est obligatoire."),
    ("x" * 2001, "Ce texte est trop long."),
    ("a\x01b", "Ce texte contient des caractères non autorisés."),
])
def test_bad_comments_get_a_french_error_and_store_nothing(client, db, setup, text, message):
    restitution = published(db, setup[0])
    response = post_comment(client, restitution, text=text, target=str(setup[3].id))
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert stored(db) == []


def test_participant_mode_needs_the_join_session(app, client, db, setup, make_user):
    diagnostic, workshop, _, need = setup
    restitution = published(db, diagnostic, closes_at=None, identification="participant")
    page = client.get(f"/restitution/{restitution.token}").get_data(as_text=True)
    assert "Seules les personnes qui ont participé" in page and 'name="text"' not in page
    assert post_comment(client, restitution, text="Moi aussi").status_code == 403
    phone = app.test_client()
    assert phone.post(f"/j/{workshop.join_code}", data={"display_name": "Lou"}).status_code == 302
    assert 'name="text"' in phone.get(f"/restitution/{restitution.token}").get_data(as_text=True)
    assert post_comment(phone, restitution, text="Moi aussi").status_code == 302
    [comment] = stored(db)
    assert comment.participant_id is not None and comment.on_report
    staff = logged_in_client(app, db, make_user())
    rows = list(csv.reader(io.StringIO(staff.get(url_of(diagnostic, "/comments.csv")).get_data(
        as_text=True).lstrip("\ufeff"))))
    assert rows[1][1:3] == ["Rapport", "Le rapport dans son ensemble"] and rows[1][6] == "Lou"


def test_after_the_closing_date_the_page_is_read_only(client, db, setup):
    diagnostic = setup[0]
    closes = datetime(2011, 7, 1, 14, 0, tzinfo=UTC)  # 18:00 at La Réunion
    restitution = published(db, diagnostic, closes_at=closes, identification="anonymous")
    page = client.get(f"/restitution/{restitution.token}").get_data(as_text=True)
    assert ("Les commentaires sont clos depuis le 1 juillet 2011 à 18:00 "
            "(heure de La Réunion, UTC+4).") in page
    assert 'name="text"' not in page
    assert post_comment(client, restitution, text="Trop tard").status_code == 409
    assert stored(db) == []


def test_the_closing_date_is_shown_in_the_diagnostic_zone(client, db, setup):
    closes = datetime.now(UTC).replace(year=datetime.now(UTC).year + 1, month=7, day=1,
                                       hour=14, minute=0)
    restitution = published(db, setup[0], closes_at=closes, identification="anonymous")
    page = client.get(f"/restitution/{restitution.token}").get_data(as_text=True)
    assert f"Commentaires ouverts jusqu'au 1 juillet {closes.year} à 18:00 (heure" in page


def test_settings_take_the_closing_date_in_the_diagnostic_zone(staff, db, setup):
    diagnostic = setup[0]
    response = staff.post(url_of(diagnostic, "/settings"), data={
        "closes_on": "2011-07-01", "closes_at_time": "18:00", "identification": "participant"})
    assert response.status_code == 302
    restitution = publishing.restitution_of(db.session, diagnostic)
    closes = restitution.closes_at.replace(tzinfo=restitution.closes_at.tzinfo or UTC)
    assert closes == datetime(2011, 7, 1, 14, 0, tzinfo=UTC)  # La Réunion is UTC+4
    staff.post(url_of(diagnostic, "/publish"))
    page = staff.get(url_of(diagnostic)).get_data(as_text=True)
    assert "clos depuis le 1 juillet 2011 à 18:00 (heure de La Réunion, UTC+4)" in page
    assert 'value="2011-07-01"' in page and 'value="18:00"' in page
    bad = staff.post(url_of(diagnostic, "/settings"), data={"closes_on": "demain",
                                                            "identification": "anonymous"})
    assert bad.status_code == 400 and "Date invalide" in bad.get_data(as_text=True)


def test_comments_are_limited_per_address(client, db, setup):
    restitution = published(db, setup[0])
    client.application.config["RESTITUTION_COMMENTS_PER_ADDRESS"] = "2/minute"
    for n in range(2):
        assert post_comment(client, restitution, text=f"Avis {n}").status_code == 302
    response = post_comment(client, restitution, text="Encore un")
    assert response.status_code == 429 and "Trop de commentaires" in response.get_data(
        as_text=True)
    assert len(stored(db)) == 2


def test_exports_list_the_item_status_and_local_date(staff, db, setup):
    diagnostic, _, _, need = setup
    restitution = published(db, diagnostic)
    from diagnostic.restitution import comments

    comment, _ = comments.submit_comment(
        db.session, restitution, text="=HYPERLINK(\"x\")", client_id=uuid.uuid4().hex,
        target_id=need.id, now=datetime(2011, 7, 1, 8, 30, tzinfo=UTC))
    db.session.commit()
    response = staff.get(url_of(diagnostic, "/comments.csv"))
    assert response.status_code == 200 and "attachment" in response.headers["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    assert rows[0] == ["N°", "Concerne", "Élément", "Commentaire", "Statut", "Nom donné",
                       "Participant·e", "Date (heure de La Réunion)"]
    assert rows[1] == [str(comment.id), "Besoin", "Des locaux partagés",
                       "'=HYPERLINK(\"x\")", "En attente", "", "", "2011-07-01 12:30"]
    workbook = openpyxl.load_workbook(io.BytesIO(staff.get(url_of(diagnostic,
                                                                  "/comments.xlsx")).data))
    values = list(workbook.active.iter_rows(values_only=True))
    assert values[1][1:5] == ("Besoin", "Des locaux partagés", "'=HYPERLINK(\"x\")",
                              "En attente")
    assert values[1][7] == datetime(2011, 7, 1, 12, 30)


def test_marking_the_report_validated_sets_the_cover_status(staff, db, setup):
    diagnostic = setup[0]
    response = staff.post(url_of(diagnostic, "/validate"))
    assert response.status_code == 302
    db.session.expire_all()
    assert diagnostic.report_status == ReportStatus.VALIDATED
    assert diagnostic.report_validated_on is not None
    report = staff.get(f"/staff/diagnostics/{diagnostic.id}/report").get_data(as_text=True)
    assert "Version validée le" in report


class TestCsrf:
    @pytest.fixture
    def app_config(self, app_config):
        return {**app_config, "WTF_CSRF_ENABLED": True}

    def test_staff_and_public_forms_need_the_token(self, app, db, setup, make_user):
        diagnostic = setup[0]
        staff = logged_in_client(app, db, make_user())
        for path in ("/publish", "/validate", "/new-link", "/settings"):
            assert staff.post(url_of(diagnostic, path)).status_code == 400
        assert publishing.restitution_of(db.session, diagnostic) is None
        page = staff.get(url_of(diagnostic)).get_data(as_text=True)
        token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
        assert staff.post(url_of(diagnostic, "/publish"),
                          data={"csrf_token": token}).status_code == 302
        restitution = publishing.restitution_of(db.session, diagnostic)
        phone = app.test_client()
        assert post_comment(phone, restitution, text="Sans jeton").status_code == 400
        assert db.session.scalar(select(func.count()).select_from(RestitutionComment)) == 0


def test_the_synthesis_editor_shows_comments_beside_their_item(staff, client, db, setup):
    diagnostic, _, _, need = setup
    restitution = published(db, diagnostic)
    for text in ("Oui, à Blagnac aussi", "Hors sujet", "Pas encore lu"):
        post_comment(client, restitution, text=text, target=str(need.id))
    first, second, _ = stored(db)
    staff.post(url_of(diagnostic, f"/comments/{first.id}"), data={"status": "approved"})
    staff.post(url_of(diagnostic, f"/comments/{second.id}"), data={"status": "rejected"})
    page = staff.get(f"/staff/diagnostics/{diagnostic.id}/synthesis?kind=need").get_data(
        as_text=True)
    item = page[page.index(f'id="item-{need.id}"'):]
    assert "Restitution : 1 publié(s), 1 en attente" in item
    assert "Oui, à Blagnac aussi" in item and "Pas encore lu" in item
    assert "Hors sujet" not in page
