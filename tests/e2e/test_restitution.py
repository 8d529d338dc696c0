"""The restitution loop in real browsers: staff publish, a phone comments, staff moderate.

On the Grand Toulouse demo: staff publish the participant page; a phone (390x844) opens
the public link, reads it and comments on a need without an account; staff approve the
comment in the moderation queue and find it beside the need in the synthesis editor; the
phone then sees it published. The public page is checked with axe.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.axe import AXE_CONTEXT, check_accessibility
from tests.e2e.conftest import STAFF_EMAIL, STAFF_PASSWORD

pytestmark = pytest.mark.e2e

COMMENT = "Les locaux partagés manquent aussi à Colomiers : à ajouter."


def test_publish_comment_moderate_and_see_it_in_the_synthesis(browser, live_server,
                                                              screenshot):
    from diagnostic.demo.loader import load_demo

    with live_server.app_context() as db:
        diagnostic_id = load_demo(db.session).id
        db.session.commit()
    staff = browser.new_context(viewport={"width": 1366, "height": 768},
                                **AXE_CONTEXT).new_page()
    staff.goto(live_server.url + "/auth/login")
    staff.fill("input[name=email]", STAFF_EMAIL)
    staff.fill("input[name=password]", STAFF_PASSWORD)
    staff.locator("#content form [type=submit]").first.click()
    staff.goto(f"{live_server.url}/staff/diagnostics/{diagnostic_id}")
    staff.locator("nav.tabs").get_by_role("link", name="Restitution").click()
    staff.get_by_role("button", name="Publier la page").click()
    expect(staff.locator(".flash-success")).to_contain_text("Page de restitution publiée")
    link = staff.locator("#public-link").input_value()
    assert re.search(r"/restitution/[A-Za-z0-9_-]{43}$", link)
    screenshot(staff, "restitution-staff-published")
    staff.get_by_role("link", name="QR code à imprimer").click()
    expect(staff.locator("svg.join-qr")).to_be_visible()
    expect(staff.locator(".restitution-poster-url")).to_have_text(link)
    screenshot(staff, "restitution-staff-qr")
    staff.go_back()

    phone = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True,
                                has_touch=True, **AXE_CONTEXT).new_page()
    phone.goto(link)
    expect(phone.locator("h1")).to_have_text(re.compile("ESS"))  # one h1: documents below
    need = phone.locator("#needs article.restitution-item").first
    need_id = need.get_attribute("id")
    screenshot(phone, "restitution-phone-page")
    check_accessibility(phone, "the restitution page on a phone")
    need.locator("summary", has_text="Commenter").click()
    need.get_by_label("Votre commentaire").fill(COMMENT)
    need.get_by_role("button", name="Envoyer le commentaire").click()
    expect(phone.locator(".flashes")).to_contain_text(
        "Merci, votre commentaire sera publié après modération")
    assert phone.url.endswith(f"#{need_id}")
    expect(phone.locator(f"#{need_id} .restitution-sent")).to_be_visible()
    expect(phone.locator(f"#{need_id} blockquote")).to_have_count(0)  # not yet moderated
    screenshot(phone, "restitution-phone-thanks")

    staff.reload()
    queue = staff.locator("#moderation li", has_text=COMMENT)
    expect(queue).to_have_count(1)
    expect(staff.locator(".restitution-counts")).to_contain_text("En attente : 1")
    screenshot(staff, "restitution-staff-queue")
    check_accessibility(staff, "the staff restitution page")
    queue.get_by_role("button", name=re.compile("^Publier")).click()
    expect(staff.locator(".flash-success")).to_contain_text("Commentaire publié")
    expect(staff.locator(".restitution-counts")).to_contain_text("Publiés : 1")

    staff.goto(f"{live_server.url}/staff/diagnostics/{diagnostic_id}/synthesis?kind=need")
    item = staff.locator(f"li.synthesis-item#{need_id}")
    notes = item.locator("details.item-comments")
    expect(notes.locator("summary")).to_have_text("Restitution : 1 publié(s), 0 en attente")
    notes.locator("summary").click()
    expect(notes).to_contain_text(COMMENT)
    item.scroll_into_view_if_needed()
    screenshot(staff, "restitution-staff-synthesis")

    phone.reload()
    expect(phone.locator(f"#{need_id} blockquote")).to_have_text(COMMENT)
