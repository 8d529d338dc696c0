"""Every page of the app under its Content-Security-Policy, in Chromium: no violation.

The policy (workshops/security_headers.py) allows no inline script or style: a page that
relied on one would silently lose it. Each page is loaded with a listener for the
``securitypolicyviolation`` events (installed before the page's own scripts), the
console's CSP errors and the page's uncaught errors; the live pages are given time to
open their socket.
"""

from __future__ import annotations

import pytest

from diagnostic.models import Workshop
from tests.e2e.conftest import STAFF_EMAIL, STAFF_PASSWORD
from tests.e2e.test_workshop_flow import PHONE, seed_open_workshop
from tests.minutes_data import seed_minutes

pytestmark = pytest.mark.e2e

COLLECT = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__violations.push(`${event.violatedDirective} ${event.blockedURI} ` +
                           `${event.sourceFile}:${event.lineNumber}`);
});
"""


def watch(context):
    """A page of ``context`` whose CSP violations and console errors are recorded."""
    context.add_init_script(COLLECT)
    page = context.new_page()
    page.errors = []
    page.on("console", lambda message: message.type == "error"
            and "Content Security Policy" in message.text and page.errors.append(message.text))
    page.on("pageerror", lambda error: page.errors.append(str(error)))
    return page


def visit(page, url: str, problems: dict) -> None:
    response = page.goto(url)
    assert response.status == 200, url
    assert "content-security-policy" in response.headers, url
    page.wait_for_timeout(1500)  # let the live pages connect and draw
    found = page.evaluate("window.__violations") + page.errors
    if found:
        problems[url] = found
    page.errors.clear()


def test_no_page_breaks_the_content_security_policy(browser, live_server):
    with live_server.app_context() as db:
        seeded = seed_minutes(db.session)
        diagnostic_id = db.session.get(Workshop, seeded.workshop_id).diagnostic_id
    workshop_id, code = seed_open_workshop(live_server)
    problems: dict[str, list[str]] = {}
    base = live_server.url

    staff_context = browser.new_context(viewport={"width": 1280, "height": 900})
    staff = watch(staff_context)
    visit(staff, base + "/auth/login", problems)
    staff.fill("input[name=email]", STAFF_EMAIL)
    staff.fill("input[name=password]", STAFF_PASSWORD)
    staff.locator("#content form [type=submit]").first.click()
    staff.wait_for_url("**/staff/**")
    for path in ("/", "/staff/", f"/staff/diagnostics/{diagnostic_id}",
                 f"/staff/diagnostics/{diagnostic_id}/settings",
                 f"/staff/diagnostics/{diagnostic_id}/taxonomies",
                 f"/staff/diagnostics/{diagnostic_id}/contributions",
                 f"/staff/diagnostics/{diagnostic_id}/synthesis",
                 f"/staff/diagnostics/{diagnostic_id}/synthesis/suggestions",
                 f"/staff/diagnostics/{diagnostic_id}/synthesis/board",
                 f"/staff/diagnostics/{diagnostic_id}/report",
                 f"/staff/diagnostics/{diagnostic_id}/workshops/new",
                 f"/staff/workshops/{seeded.workshop_id}",
                 f"/staff/workshops/{seeded.workshop_id}/minutes",
                 f"/staff/workshops/{workshop_id}", f"/staff/workshops/{workshop_id}/edit",
                 "/staff/facilitation", f"/board/{workshop_id}",
                 f"/facilitate/{workshop_id}"):
        visit(staff, base + path, problems)
    # The report page's stylesheet applied (through the nonce), not blocked.
    staff.goto(f"{base}/staff/diagnostics/{diagnostic_id}/report")
    assert staff.evaluate("document.styleSheets.length") >= 2

    phone_context = browser.new_context(**PHONE)
    phone = watch(phone_context)
    visit(phone, base + "/join", problems)
    phone.fill("input[name=code]", code.lower())
    phone.locator("#content form [type=submit]").first.click()
    phone.fill("input[name=display_name]", "Dominique")
    phone.locator("#content form [type=submit]").first.click()
    phone.wait_for_url("**/contribute")
    visit(phone, phone.url, problems)
    phone.click("[data-show-kind=initiative]")
    form = phone.locator("#form-initiative")
    form.locator("[name=name]").fill("Coopérative Ozon")
    form.locator("[name=description]").fill("Coopérative d'activité et d'emploi.")
    form.locator("button[type=submit]").click()
    phone.locator("#feed .contribution").first.wait_for()
    found = phone.evaluate("window.__violations") + phone.errors
    if found:
        problems["contribute (after a submission)"] = found

    staff_context.close()
    phone_context.close()
    assert problems == {}
