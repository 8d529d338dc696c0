"""A phone joins by code and contributes; the projected board shows it without reloading."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect
from sqlalchemy import func, select

from diagnostic.frame import planning
from diagnostic.live import lifecycle
from diagnostic.models import Contribution, Sector
from tests.e2e.conftest import STAFF_EMAIL, STAFF_PASSWORD

pytestmark = pytest.mark.e2e

PHONE = {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 2,
         "is_mobile": True, "has_touch": True}


def seed_open_workshop(server):
    """A diagnostic with one open territorial workshop; returns (workshop id, join code)."""
    with server.app_context() as db:
        diagnostic = planning.create_diagnostic(
            db.session, title="Diagnostic ESS du Grand Toulouse", territory="Grand Toulouse",
            stakes=["Favoriser le développement et la pérennité de cette économie"],
        )
        db.session.commit()
        diagnostic.sectors.append(Sector(name="Toulouse nord", position=0))
        db.session.commit()
        workshop = planning.create_workshop(
            db.session, diagnostic, kind="territorial", title="Atelier Toulouse nord",
            sector_id=diagnostic.sectors[0].id, place="Maison de quartier",
        )
        lifecycle.open_workshop(db.session, workshop, None)
        db.session.commit()
        return workshop.id, workshop.join_code


def open_board(browser, server, workshop_id):
    """A desktop context logged in as staff, showing the board."""
    context = browser.new_context(viewport={"width": 1600, "height": 900})
    page = context.new_page()
    page.goto(server.url + "/auth/login")
    page.fill("input[name=email]", STAFF_EMAIL)
    page.fill("input[name=password]", STAFF_PASSWORD)
    page.locator("#content form [type=submit]").first.click()
    page.goto(f"{server.url}/board/{workshop_id}")
    return context, page


def join_from_phone(browser, server, code, name="Dominique"):
    """A phone-sized context that types the code and a display name."""
    context = browser.new_context(**PHONE)
    page = context.new_page()
    page.goto(server.url + "/join")
    page.fill("input[name=code]", code.lower())
    page.locator("#content form [type=submit]").first.click()
    page.fill("input[name=display_name]", name)
    page.fill("input[name=organisation]", "Régie de quartier")
    page.locator("#content form [type=submit]").first.click()
    page.wait_for_url("**/contribute")
    return context, page


def test_phone_contribution_appears_live_on_board(browser, live_server, screenshot):
    workshop_id, code = seed_open_workshop(live_server)
    board_context, board = open_board(browser, live_server, workshop_id)
    expect(board.locator("body")).to_contain_text(code)
    phone_context, phone = join_from_phone(browser, live_server, code)
    screenshot(phone, "participant-contribute-empty")

    phone.click("[data-show-kind=initiative]")
    form = phone.locator("#form-initiative")
    form.locator("[name=name]").fill("Coopérative <b>Ozon</b>")
    form.locator("[name=description]").fill("Coopérative d'activité et d'emploi du nord.")
    form.locator("[name=commune]").fill("Toulouse")
    form.locator("button[type=submit]").click()

    column = board.locator("#column-initiative")
    expect(column.locator(".contribution")).to_have_count(1, timeout=10_000)
    expect(column).to_contain_text("Coopérative <b>Ozon</b>")  # shown as text, not HTML
    expect(phone.locator("#feed .contribution")).to_have_count(1)
    screenshot(phone, "participant-contribute-sent")
    screenshot(board, "board-live")

    with live_server.app_context() as db:
        stored = db.session.scalar(select(func.count()).select_from(Contribution))
    assert stored == 1
    phone_context.close()
    board_context.close()


def test_second_phone_sees_first_phone_contribution(browser, live_server):
    workshop_id, code = seed_open_workshop(live_server)
    first_context, first = join_from_phone(browser, live_server, code, "Alex")
    second_context, second = join_from_phone(browser, live_server, code, "Sam")
    first.click("[data-show-kind=need]")
    form = first.locator("#form-need")
    form.locator("[name=description]").fill("Des locaux partagés à loyer modéré")
    form.locator("[name=need_category_id]").select_option(index=1)
    form.locator("button[type=submit]").click()
    expect(second.locator("#feed .contribution")).to_have_count(1, timeout=10_000)
    expect(second.locator("#feed")).to_contain_text("Des locaux partagés à loyer modéré")
    # The author cannot +1 their own item, known as theirs from the send's answer (no
    # reload); the other phone can.
    expect(first.locator("#feed .support-button")).to_be_disabled(timeout=10_000)
    expect(first.locator("#feed .support-button")).to_have_attribute(
        "aria-label", re.compile("votre contribution"))
    expect(second.locator("#feed .support-button")).to_be_enabled()
    first_context.close()
    second_context.close()


def test_unknown_code_gives_a_clear_message(browser, live_server, screenshot):
    seed_open_workshop(live_server)
    context = browser.new_context(**PHONE)
    page = context.new_page()
    page.goto(live_server.url + "/join")
    page.fill("input[name=code]", "QQQQQQ")
    page.locator("#content form [type=submit]").first.click()
    expect(page.locator("body")).to_contain_text("Aucun atelier ne correspond")
    screenshot(page, "participant-join-unknown-code")
    context.close()
