"""The rights of access and erasure end to end (issue 17).

A participant joins through the join page (a distinctive name and organisation, agreeing to
be named and to have their contact published), contributes from their phone's socket an
initiative with an e-mail and a phone number and a need naming their organisation; staff
fold the need into a synthesis item whose summary quotes it. Staff download their data (the
JSON holds all of it), then erase them, and every place is searched for the name, the
organisation and the contacts: the staff pages, the board, the phones' pages, the live
state and replays sockets receive, the minutes and the report in every format, the JSON
archive, and a diagnostic restored from that archive. The erased mark
"Participant·e anonymisé·e" is never published as an author either.
"""

from __future__ import annotations

import json
import re
import unicodedata

import pytest
from sqlalchemy import select

from diagnostic.archive.dump import dump_diagnostic
from diagnostic.models import Contribution, Diagnostic, Participant, Role, Vocabulary, Workshop
from diagnostic.reporting.minutes_build import compose_minutes
from diagnostic.reporting.report_build import compose_report
from diagnostic.synthesis import editing
from exports.formats import FORMATS, MINUTES_FORMATS, render, render_minutes
from tests.conftest import new_client_id
from tests.document_text import TEXT_OF
from workshops.extensions import socketio

NS = "/live"
NAME = "Zélie Brandouin-Quérat"
ORGANISATION = "Coopérative des Lilas Bleus de Fenouillet"
EMAIL = "zelie.bq@lilas-bleus.example"
PHONE = "06 71 82 93 04"
ERASED = "Participant·e anonymisé·e"


def fold(text: str) -> str:
    """``text`` lower-cased, without accents, white space, hyphens nor soft hyphens: a name
    wrapped, hyphenated or set in capitals by a document still matches."""
    bare = "".join(c for c in unicodedata.normalize("NFKD", text)
                   if not unicodedata.combining(c))
    return re.sub(r"[\s\-\u00ad\u2010\u2011.]", "", bare.casefold())


SECRETS = {"name": fold(NAME), "surname": fold("Brandouin"), "organisation": fold(ORGANISATION),
           "email": fold(EMAIL), "phone": fold(PHONE)}


def leaks(text: str) -> list[str]:
    """Which of the participant's data ``text`` still holds."""
    folded = fold(text)
    return [key for key, secret in SECRETS.items() if secret in folded]


@pytest.fixture
def staff(client, make_user, login):
    login(make_user(role=Role.STAFF))
    return client


def join(app, workshop, name: str, organisation: str = "", **consents):
    """A phone joining through the join page (ticking ``consents``), then its socket."""
    http = app.test_client()
    form = {"display_name": name, "organisation": organisation,
            **{key: "y" for key, value in consents.items() if value}}
    response = http.post(f"/j/{workshop.join_code}", data=form)
    assert response.status_code == 302, response.get_data(as_text=True)
    socket = socketio.test_client(app, namespace=NS, flask_test_client=http,
                                  auth={"workshop_id": workshop.id})
    return http, socket


def submit(socket, payload: dict) -> int:
    ack = socket.emit("submit_contribution", payload, namespace=NS, callback=True)
    assert ack["ok"], ack
    return ack["id"]


@pytest.fixture
def story(app, db, staff, make_diagnostic, make_workshop, initiative_data):
    """The participant's contributions, someone else's, supports both ways, a synthesis
    item quoting the organisation; returns (diagnostic, workshop, participant, phone)."""
    diagnostic = make_diagnostic()
    workshop = make_workshop(diagnostic, title="Atelier Nord")
    category = diagnostic.terms_of(Vocabulary.NEED_CATEGORY)[0].id
    phone, socket = join(app, workshop, NAME, organisation=ORGANISATION,
                         agreed_to_be_named=True, agreed_to_publish_contact=True)
    participant = db.session.scalars(select(Participant).where(
        Participant.workshop_id == workshop.id)).one()
    assert participant.organisation == ORGANISATION and participant.agreed_to_publish_contact
    submit(socket, initiative_data(workshop, name="Jardin partagé du Ramier",
                                   contact=f"{EMAIL} / {PHONE}",
                                   description=f"Lancé par {NAME}, joignable au {PHONE}."))
    need = submit(socket, {"kind": "need", "client_id": new_client_id(),
                           "need_category_id": category,
                           "description": f"La {ORGANISATION} cherche un local."})
    _other_http, other = join(app, workshop, "Paul")
    theirs = submit(other, {"kind": "need", "client_id": new_client_id(),
                            "need_category_id": category, "description": "Un local partagé."})
    assert socket.emit("support", {"id": theirs}, namespace=NS, callback=True)["ok"]
    assert other.emit("support", {"id": need}, namespace=NS, callback=True)["ok"]
    item = editing.merge(db.session, diagnostic, None, [need, theirs])
    item.summary = f"Locaux : la {ORGANISATION} et d'autres."
    db.session.commit()
    socket.disconnect(namespace=NS)
    other.disconnect(namespace=NS)
    return diagnostic, workshop, participant, phone


def staff_pages(diagnostic_id: int, workshop_id: int) -> list[str]:
    base = f"/staff/diagnostics/{diagnostic_id}"
    return [f"/staff/workshops/{workshop_id}", f"{base}/contributions", f"{base}/synthesis",
            f"/facilitate/{workshop_id}", f"{base}/participants", f"{base}/report",
            f"/staff/workshops/{workshop_id}/minutes", f"/board/{workshop_id}",
            f"{base}/report.csv", f"{base}/report.html"]


def live_payloads(app, db, make_user, workshop: Workshop) -> str:
    """Everything a new phone, a board and a console receive on connecting (state and a
    replay of every recorded event), as one JSON text."""
    # The test's sockets share this test's session (a server's each have their own): read
    # the rows afresh, as a server process would.
    db.session.expire_all()
    received = []
    http = app.test_client()
    http.post(f"/j/{workshop.join_code}", data={"display_name": "Nouvelle"})
    for auth in ({"workshop_id": workshop.id}, {"workshop_id": workshop.id, "last_seq": 0}):
        phone = socketio.test_client(app, namespace=NS, flask_test_client=http, auth=auth)
        received += phone.get_received(NS)
        phone.disconnect(namespace=NS)
    team = app.test_client()
    user = make_user(role=Role.STAFF)
    team.post("/auth/login", data={"email": user.email, "password": "correct horse battery"})
    for role in ("board", "facilitator"):
        for extra in ({}, {"last_seq": 0}):
            socket = socketio.test_client(app, namespace=NS, flask_test_client=team,
                                          auth={"workshop_id": workshop.id, "role": role,
                                                **extra})
            received += socket.get_received(NS)
            socket.disconnect(namespace=NS)
    assert any(r["name"] == "events_replay" for r in received)
    assert any(r["name"] == "console_state" for r in received)
    return json.dumps(received, ensure_ascii=False)


def test_before_the_erasure_the_data_is_everywhere(app, db, staff, story, make_user):
    """The checks below can fail: before the erasure they find the data."""
    diagnostic, workshop, participant, _phone = story
    pages = {url: staff.get(url).get_data(as_text=True)
             for url in staff_pages(diagnostic.id, workshop.id)}
    assert set(leaks(pages[f"/staff/diagnostics/{diagnostic.id}/contributions"])) == set(SECRETS)
    assert "name" in leaks(pages[f"/staff/diagnostics/{diagnostic.id}/report.html"])
    assert "name" in leaks(live_payloads(app, db, make_user, workshop))
    report = compose_report(db.session, diagnostic)
    assert set(leaks(TEXT_OF["docx"](render("docx", report)))) >= {"name", "email", "phone"}


def test_access_then_erasure_leaves_no_trace(app, db, staff, story, make_user, runner,
                                             tmp_path):
    diagnostic, workshop, participant, phone = story
    base = f"/staff/diagnostics/{diagnostic.id}/participants"
    found = staff.get(base, query_string={"q": "lilas bleus"}).get_data(as_text=True)
    assert f"{base}/{participant.id}" in found

    # Right of access: the JSON holds all of it.
    data = staff.get(f"{base}/{participant.id}/data.json").get_json()
    assert data["participant"]["display_name"] == NAME
    assert data["participant"]["organisation"] == ORGANISATION
    assert data["participant"]["agreed_to_be_named"] is True
    assert data["participant"]["agreed_to_publish_contact"] is True
    assert [c["kind"] for c in data["contributions"]] == ["initiative", "need"]
    assert data["contributions"][0]["contact"] == f"{EMAIL} / {PHONE}"
    assert ORGANISATION in data["contributions"][1]["description"]
    assert len(data["supports"]) == 1
    assert data["live_events"] and data["workshop"]["id"] == workshop.id

    # Right to erasure.
    response = staff.post(f"{base}/{participant.id}/erase", follow_redirects=True)
    assert response.status_code == 200 and ERASED in response.get_data(as_text=True)

    # The phone lost access.
    assert phone.get(f"/j/{workshop.join_code}/contribute").status_code == 302

    # Staff pages, the board, the participant page of another phone.
    for url in staff_pages(diagnostic.id, workshop.id):
        response = staff.get(url)
        assert response.status_code == 200, url
        assert leaks(response.get_data(as_text=True)) == [], url
    log = staff.get(f"/staff/workshops/{workshop.id}").get_data(as_text=True)
    assert (f"Données personnelles de la personne participante n° {participant.id} effacées "
            "à sa demande par Camille") in log
    other = app.test_client()
    other.post(f"/j/{workshop.join_code}", data={"display_name": "Curieuse"})
    assert leaks(other.get(f"/j/{workshop.join_code}/contribute").get_data(as_text=True)) == []
    for query in ("brandouin", "lilas bleus", EMAIL, "71 82"):
        assert "Personne ne correspond" in staff.get(base, query_string={"q": query}) \
            .get_data(as_text=True), query

    # What phones, boards and consoles receive.
    live = live_payloads(app, db, make_user, workshop)
    assert leaks(live) == []
    assert ERASED not in live  # never published as an author

    # The contributions stay, anonymised; the counts stay.
    db.session.expire_all()
    kept = db.session.scalars(select(Contribution).where(
        Contribution.participant_id == participant.id).order_by(Contribution.id)).all()
    assert [c.kind.value for c in kept] == ["initiative", "need"]
    assert kept[1].description == "La [anonymisé] cherche un local."
    report = compose_report(db.session, db.session.get(Diagnostic, diagnostic.id))
    assert sum(n.supports for n in report.needs) == 2

    # The archive (staff JSON export from the command line) and its round trip.
    archive_file = tmp_path / "archive.json"
    result = runner.invoke(args=["export", "--diagnostic", str(diagnostic.id), "--format",
                                 "json", "-o", str(archive_file)])
    assert result.exit_code == 0, result.output
    assert leaks(archive_file.read_text(encoding="utf-8")) == []
    result = runner.invoke(args=["import", str(archive_file), "--title", "Copie"])
    assert result.exit_code == 0, result.output
    copy = db.session.scalars(select(Diagnostic).where(Diagnostic.title == "Copie")).one()
    restored = [p for w in copy.workshops for p in w.participants
                if p.display_name == ERASED]
    assert len(restored) == 1 and restored[0].is_erased
    assert not restored[0].agreed_to_be_named and restored[0].organisation == ""
    assert leaks(json.dumps(dump_diagnostic(db.session, copy), ensure_ascii=False)) == []
    for url in staff_pages(copy.id, copy.workshops[0].id):
        assert leaks(staff.get(url).get_data(as_text=True)) == [], url


@pytest.mark.slow
def test_no_document_holds_the_erased_data(db, staff, story):
    """The report in every format and the minutes in every format, after the erasure."""
    diagnostic, workshop, participant, _phone = story
    staff.post(f"/staff/diagnostics/{diagnostic.id}/participants/{participant.id}/erase")
    db.session.expire_all()
    diagnostic = db.session.get(Diagnostic, diagnostic.id)
    report = compose_report(db.session, diagnostic)
    for fmt in FORMATS:
        archive = dump_diagnostic(db.session, diagnostic) if fmt == "json" else None
        text = TEXT_OF[fmt](render(fmt, report, archive=archive))
        assert leaks(text) == [], fmt
        if fmt != "json":  # the staff archive lists the participant row itself
            assert fold(ERASED) not in fold(text), fmt
    minutes = compose_minutes(db.session, db.session.get(Workshop, workshop.id))
    for fmt in MINUTES_FORMATS:
        text = TEXT_OF[fmt](render_minutes(fmt, minutes))
        assert leaks(text) == [], fmt
        assert fold(ERASED) not in fold(text), fmt


def test_a_socket_connected_before_the_erasure_loses_access(app, db, staff, make_workshop,
                                                            initiative_data):
    workshop = make_workshop()
    _phone, socket = join(app, workshop, NAME)
    participant = db.session.scalars(select(Participant)).one()
    submit(socket, initiative_data(workshop))
    staff.post(f"/staff/diagnostics/{workshop.diagnostic_id}/participants/{participant.id}"
               "/erase")
    db.session.expire_all()
    ack = socket.emit("submit_contribution", initiative_data(workshop), namespace=NS,
                      callback=True)
    assert not ack["ok"]
    assert db.session.query(Contribution).count() == 1
