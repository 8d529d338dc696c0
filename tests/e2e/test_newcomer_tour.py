"""The newcomer's tour of the README, in a real browser on the demo diagnostic.

Staff log in, open the Grand Toulouse 2011 demo, open a workshop and project its board;
a phone joins with the code and contributes; staff read the report and download it.
"""

from __future__ import annotations

import csv
import io
import json
import subprocess

import pytest
from playwright.sync_api import expect

from bench.server import console_script
from tests.e2e.conftest import STAFF_EMAIL, STAFF_PASSWORD
from tests.e2e.test_workshop_flow import PHONE

pytestmark = pytest.mark.e2e


def test_newcomer_tour_on_the_demo(browser, live_server, screenshot):
    subprocess.run([console_script("diagnostic"), "load-demo"], env=live_server.env, check=True,
                   capture_output=True)
    staff_context = browser.new_context(viewport={"width": 1280, "height": 900},
                                        accept_downloads=True)
    staff = staff_context.new_page()
    staff.goto(live_server.url + "/")
    screenshot(staff, "home")
    staff.goto(live_server.url + "/auth/login")
    staff.fill("input[name=email]", STAFF_EMAIL)
    staff.fill("input[name=password]", STAFF_PASSWORD)
    staff.locator("#content form [type=submit]").first.click()
    expect(staff.locator("h1")).to_contain_text("Diagnostics")
    screenshot(staff, "staff-diagnostics")

    staff.get_by_role("link", name="Grand Toulouse").first.click()
    expect(staff.locator("body")).to_contain_text("Favoriser le développement et la pérennité")
    screenshot(staff, "staff-diagnostic")

    # A draft or closed workshop is opened again for the newcomer's own session.
    staff.get_by_role("link", name="Entrepreneuriat solidaire").first.click()
    code = staff.locator(".join-code, #join-code").first.inner_text().strip().replace(" ", "")
    staff.get_by_role("button", name="Rouvrir l'atelier").click()
    expect(staff.locator("body")).to_contain_text("Ouvert")
    screenshot(staff, "staff-workshop")
    staff.get_by_role("link", name="Ouvrir le tableau projeté").click()
    board = staff
    expect(board.locator("#join-code")).to_contain_text(code[:3])

    phone_context = browser.new_context(**PHONE)
    phone = phone_context.new_page()
    phone.goto(live_server.url + "/join")
    screenshot(phone, "participant-join")
    phone.fill("input[name=code]", code)
    phone.locator("#content form [type=submit]").first.click()
    phone.fill("input[name=display_name]", "Camille")
    screenshot(phone, "participant-name")
    phone.locator("#content form [type=submit]").first.click()
    phone.click("[data-show-kind=recommendation]")
    form = phone.locator("#form-recommendation")
    text = "Créer un fonds d'amorçage pour les SCIC"
    form.locator("[name=description]").fill(text)
    form.locator("[name=stake_id]").select_option(index=3)
    form.locator("button[type=submit]").click()
    expect(board.locator("#column-recommendation")).to_contain_text(
        "Créer un fonds d'amorçage pour les SCIC", timeout=10_000
    )
    screenshot(board, "board-demo")

    staff.goto(live_server.url + "/staff/")
    staff.get_by_role("link", name="Grand Toulouse").first.click()
    staff.get_by_role("link", name="Rapport").first.click()
    expect(staff.locator("body")).to_contain_text("Créer un fonds d'amorçage pour les SCIC")
    screenshot(staff, "staff-report")
    for fmt in ("csv", "json", "html"):
        with staff.expect_download() as info:
            staff.locator(f"a[href$='report.{fmt}']").first.click()
        data = info.value.path().read_bytes()
        if fmt == "csv":
            rows = csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";")
            assert any(text in cell for row in rows for cell in row)
        elif fmt == "json":
            assert text in json.dumps(json.loads(data), ensure_ascii=False)
        else:
            page = data.decode()
            assert page.lower().startswith("<!doctype html>")
            assert "Créer un fonds d&#39;amorçage pour les SCIC" in page
    phone_context.close()
    staff_context.close()
