"""Readable pages: the audit log in sentences, times in the diagnostic's zone, one word for
dots, "Home" and "Welcome" in English."""

from __future__ import annotations

import csv
import html
import io
import re
from datetime import UTC, datetime
from pathlib import Path

import openpyxl
import pytest
from babel.messages.extract import extract_from_dir

from diagnostic.live import facilitation, lifecycle, moderation
from diagnostic.models import AuditEntry, Contribution, Role
from diagnostic.reporting.minutes_build import compose_minutes
from diagnostic.reporting.report_build import compose_report
from exports.csv import render_contributions_csv
from exports.html import render_report_html
from exports.minutes_html import render_minutes_html
from exports.xlsx import render_report_xlsx

ROOT = Path(__file__).resolve().parents[2]
WINTER = datetime(2026, 12, 2, 17, 18, 46, tzinfo=UTC)
SUMMER = datetime(2026, 6, 2, 17, 18, 46, tzinfo=UTC)
ISO_MOMENT = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d")


def visible_text(page: str) -> str:
    """The text a reader sees: no tags (nor their attributes), entities decoded."""
    return html.unescape(re.sub(r"<[^>]+>", " ", page))


def log_of(page: str) -> str:
    return page.split('id="audit-log"')[1].split("</section>")[0]


def at(db, moment: datetime) -> None:
    """Date every audit entry and contribution so far at ``moment`` (UTC)."""
    for entry in db.session.query(AuditEntry):
        entry.created_at = moment
    for contribution in db.session.query(Contribution):
        contribution.created_at = moment
    db.session.commit()


@pytest.fixture
def logged_workshop(db, make_diagnostic, make_workshop, make_user, initiative_data):
    """A workshop in ``zone`` whose log holds a phase, a timer, a vote setting and a hide."""

    def factory(zone: str = "Europe/Paris", moment: datetime = WINTER):
        workshop = make_workshop(make_diagnostic(time_zone=zone))
        animator = make_user(role=Role.FACILITATOR)
        animator.name = "Claire Martin"
        facilitation.set_facilitators(db.session, workshop, None, [animator.id])
        lifecycle.set_phase(db.session, workshop, animator, "needs")
        facilitation.set_timer(db.session, workshop, animator, 600, now=lambda: moment)
        facilitation.set_vote_settings(db.session, workshop, animator, 5, 2)
        moderation.scribe_contribution(db.session, workshop, animator, initiative_data(workshop))
        item, _ = moderation.scribe_contribution(db.session, workshop, animator,
                                                 initiative_data(workshop))
        moderation.hide(db.session, workshop, animator, item.id)
        lifecycle.close_workshop(db.session, workshop, animator)
        db.session.commit()
        at(db, moment)
        return workshop, item

    return factory


def test_the_staff_workshop_page_shows_sentences_not_keys(client, login, make_user,
                                                         logged_workshop):
    workshop, item = logged_workshop()
    login(make_user())
    page = client.get(f"/staff/workshops/{workshop.id}").get_data(as_text=True)
    log = visible_text(log_of(page))
    for sentence in ("Passage en phase Besoins par Claire Martin",
                     "Minuterie de 10 min lancée par Claire Martin (fin prévue à 18:28)",
                     "Gommettes : 5 par personne, 2 au plus par contribution "
                     "(réglage de Claire Martin)",
                     f"Contribution n° {item.id} masquée par Claire Martin",
                     "Animation confiée à Claire Martin par l'animation",
                     "Atelier clos par Claire Martin"):
        assert sentence in log, sentence
    assert "02/12/2026 18:18" in log and "heure de Paris, UTC+1" in log
    for raw in ("set_phase", "set_timer", "phase_ends_at", "facilitators", "dot_budget",
                "hide", "[", "None"):
        assert raw not in log, raw
    assert not ISO_MOMENT.search(log)


def test_the_log_reads_in_english(client, login, make_user, logged_workshop):
    workshop, item = logged_workshop()
    login(make_user())
    page = client.get(f"/staff/workshops/{workshop.id}?lang=en").get_data(as_text=True)
    log = visible_text(log_of(page))
    assert "Moved to the Needs phase by Claire Martin" in log
    assert f"Contribution no. {item.id} hidden by Claire Martin" in log
    assert "Workshop closed by Claire Martin" in log
    assert "Paris time, UTC+1" in log


def test_a_diagnostic_in_reunion_shows_its_times_four_hours_ahead_of_utc(
        client, login, make_user, logged_workshop, db):
    workshop, _item = logged_workshop("Indian/Reunion")
    login(make_user())
    log = visible_text(log_of(client.get(f"/staff/workshops/{workshop.id}").get_data(
        as_text=True)))
    assert "02/12/2026 21:18" in log and "(fin prévue à 21:28)" in log
    assert "heure de La Réunion, UTC+4" in log

    report = compose_report(db.session, workshop.diagnostic)
    assert report.time_zone == "Indian/Reunion"
    page = visible_text(render_report_html(report).decode())
    assert "(heure de La Réunion, UTC+4)." in page and "(UTC)" not in page
    minutes = compose_minutes(db.session, workshop)
    text = visible_text(render_minutes_html(minutes).decode())
    assert "Compte-rendu généré le" in text and "(heure de La Réunion, UTC+4)." in text

    rows = list(csv.reader(io.StringIO(render_contributions_csv(report).decode("utf-8-sig")),
                           delimiter=";"))
    assert rows[1][rows[0].index("Date (heure de La Réunion)")] == "2026-12-02 21:18:46"
    sheet = openpyxl.load_workbook(io.BytesIO(render_report_xlsx(report)))["Contributions"]
    headers = [cell.value for cell in sheet[1]]
    assert sheet.cell(2, headers.index("Date (heure de La Réunion)") + 1).value == \
        datetime(2026, 12, 2, 21, 18, 46)


@pytest.mark.parametrize(("moment", "shown", "offset"), [
    (WINTER, "18:18", "UTC+1"), (SUMMER, "19:18", "UTC+2")])
def test_paris_by_default_with_summer_and_winter_time(client, login, make_user, logged_workshop,
                                                      db, moment, shown, offset):
    workshop, _item = logged_workshop(moment=moment)
    assert workshop.diagnostic.time_zone == "Europe/Paris"
    login(make_user())
    log = visible_text(log_of(client.get(f"/staff/workshops/{workshop.id}").get_data(
        as_text=True)))
    assert f" {shown}" in log and f"heure de Paris, {offset}" in log
    report = compose_report(db.session, workshop.diagnostic)
    rows = list(csv.reader(io.StringIO(render_contributions_csv(report).decode("utf-8-sig")),
                           delimiter=";"))
    assert rows[1][rows[0].index("Date (heure de Paris)")].endswith(f"{shown}:46")


def test_the_zone_is_chosen_in_the_diagnostic_form_and_an_unknown_one_is_refused(
        client, login, make_user, make_diagnostic, db):
    diagnostic = make_diagnostic()
    login(make_user())
    form = client.get(f"/staff/diagnostics/{diagnostic.id}").get_data(as_text=True)
    assert 'name="time_zone"' in form and 'value="Indian/Reunion"' in form
    assert re.search(r'<option (selected )?value="Europe/Paris"( selected)?>', form).group(0) \
        .count("selected") == 1
    data = {"title": diagnostic.title, "territory": "La Réunion"}
    refused = client.post(f"/staff/diagnostics/{diagnostic.id}",
                          data={**data, "time_zone": "Mars/Olympus"})
    assert refused.status_code == 400
    assert "Fuseau horaire inconnu : choisissez-en un dans la liste." in html.unescape(
        refused.get_data(as_text=True))
    db.session.expire_all()
    assert diagnostic.time_zone == "Europe/Paris"
    saved = client.post(f"/staff/diagnostics/{diagnostic.id}",
                        data={**data, "time_zone": "Indian/Reunion"})
    assert saved.status_code == 302
    db.session.expire_all()
    assert diagnostic.time_zone == "Indian/Reunion"


def test_a_new_diagnostic_takes_the_chosen_zone(client, login, make_user, db):
    from diagnostic.models import Diagnostic

    login(make_user())
    response = client.post("/staff/diagnostics", data={
        "title": "Diagnostic ESS Réunion", "territory": "La Réunion",
        "time_zone": "Indian/Reunion"})
    assert response.status_code == 302
    assert db.session.query(Diagnostic).one().time_zone == "Indian/Reunion"


def _french_strings() -> list[str]:
    """Every translatable French string of the code and templates, and the JS sources."""
    method_map = [("diagnostic/**.py", "python"), ("workshops/**.py", "python"),
                  ("exports/**.py", "python"), ("templates/**.html", "jinja2")]
    keywords = {"_": None, "gettext": None, "ngettext": (1, 2), "pgettext": ((1, "c"), 2),
                "N_": None, "_l": None, "lazy_gettext": None}
    strings = []
    for _file, _line, message, _comments, _context in extract_from_dir(
            str(ROOT), method_map, keywords=keywords):
        strings.extend(message if isinstance(message, tuple) else [message])
    for path in (ROOT / "static" / "js").glob("*.js"):
        strings.extend(re.findall(r'"([^"\n]*)"', path.read_text()))
    return strings


def test_dots_are_gommettes_in_every_french_string():
    strings = _french_strings()
    assert any("gommette" in s for s in strings)
    says_points = [s for s in strings if re.search(r"\bpoints?\b", s, re.I)]
    assert says_points == []


def test_home_is_home_and_the_welcome_phase_is_welcome_in_english(client, login, make_user,
                                                                  make_workshop):
    index = client.get("/?lang=en").get_data(as_text=True)
    assert re.search(r"<title>Home ·", index)
    workshop = make_workshop()
    login(make_user())
    board = client.get(f"/board/{workshop.id}?lang=en").get_data(as_text=True)
    assert re.search(r'id="phase-label">([^<]*)<', board).group(1) == "Welcome"
    console = client.get(f"/facilitate/{workshop.id}?lang=en").get_data(as_text=True)
    assert '"welcome": "Welcome"' in console and "Home" not in visible_text(console)
    css = (ROOT / "static" / "css" / "console.css").read_text()
    phase_name = re.search(r"\.phase-name \{[^}]*\}", css).group(0)
    assert "uppercase" not in phase_name  # "Welcome", not "WELCOME"
    french = client.get(f"/board/{workshop.id}?lang=fr").get_data(as_text=True)
    assert re.search(r'id="phase-label">Accueil<', french)
