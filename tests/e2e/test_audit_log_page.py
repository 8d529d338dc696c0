"""The staff workshop page's audit log, as a person reads it in the browser."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from diagnostic.live import facilitation, lifecycle, moderation
from diagnostic.models import User, Workshop
from tests.e2e.test_facilitation_flow import seed_items
from tests.e2e.test_workshop_flow import STAFF_EMAIL, open_board, seed_open_workshop

pytestmark = pytest.mark.e2e


def run_the_workshop(server, workshop_id: int) -> list[int]:
    """A morning of facilitation: phases, a timer, settings, moderation; returns item ids."""
    ids = seed_items(server, workshop_id)
    with server.app_context() as db:
        workshop = db.session.get(Workshop, workshop_id)
        staff = db.session.scalar(select(User).where(User.email == STAFF_EMAIL))
        lifecycle.set_phase(db.session, workshop, staff, "initiatives")
        facilitation.set_timer(db.session, workshop, staff, 600)
        facilitation.set_moderation(db.session, workshop, staff, "pre")
        facilitation.set_vote_settings(db.session, workshop, staff, 5, 2)
        moderation.hide(db.session, workshop, staff, ids[0])
        moderation.edit(db.session, workshop, staff, ids[1],
                        {"description": "Épicerie solidaire ouverte à tous, quartier nord."})
        moderation.merge(db.session, workshop, staff, ids[2], ids[1])
        lifecycle.set_phase(db.session, workshop, staff, "needs")
        db.session.commit()
    return ids


def test_the_log_reads_as_sentences(browser, live_server, screenshot):
    workshop_id, _code = seed_open_workshop(live_server)
    hidden, target, source = run_the_workshop(live_server, workshop_id)
    context, page = open_board(browser, live_server, workshop_id)
    page.set_viewport_size({"width": 1366, "height": 768})
    page.goto(f"{live_server.url}/staff/workshops/{workshop_id}#audit-log")
    log = page.locator("#audit-log")
    expect(log).to_contain_text("Passage en phase Besoins par")
    expect(log).to_contain_text(f"Contribution n° {hidden} masquée par")
    expect(log).to_contain_text(f"Contribution n° {source} fusionnée dans la n° {target} par")
    expect(log).to_contain_text("Gommettes : 5 par personne, 2 au plus par contribution")
    expect(log).to_contain_text("Mode de modération : a priori")
    expect(log).to_contain_text(re.compile(r"Minuterie de 10 min lancée par .* \(fin prévue à "
                                           r"\d\d:\d\d\)"))
    text = log.inner_text()
    assert not re.search(r"set_phase|phase_ends_at|\d{4}-\d\d-\d\dT|\[\d", text)
    page.get_by_text("Détails").first.click()
    expect(log.locator("details[open]")).to_contain_text("→")
    log.screenshot(path=str(screenshot(page, "staff-workshop-audit-log-page").with_name(
        "staff-workshop-audit-log.png")))

    with live_server.app_context() as db:
        diagnostic_id = db.session.get(Workshop, workshop_id).diagnostic_id
    page.goto(f"{live_server.url}/staff/diagnostics/{diagnostic_id}")
    zone = page.get_by_label("Fuseau horaire")
    expect(zone).to_have_value("Europe/Paris")
    zone.select_option("Indian/Reunion")
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_label("Fuseau horaire")).to_have_value("Indian/Reunion")
    page.goto(f"{live_server.url}/staff/workshops/{workshop_id}")
    expect(page.locator("#audit-log")).to_contain_text("heure de La Réunion, UTC+4")
    page.set_viewport_size({"width": 390, "height": 844})
    screenshot(page, "staff-workshop-audit-log-phone")
    context.close()
