"""axe-core on every page a person uses: the suite fails on any WCAG 2.1 A/AA violation.

One server for the module, with realistic data built through the domain services: the
Grand Toulouse demo (closed workshops, report, synthesis, minutes), an open workshop under
pre-moderation with hidden, merged, scribe and pending items (the console), and a workshop
in the vote phase. One browser context per kind of visitor (phone, phone without
JavaScript, staff, facilitator, nobody logged in), each page checked where people see it.
"""

from __future__ import annotations

import re
from types import SimpleNamespace

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from diagnostic.frame import planning
from diagnostic.live import facilitation, lifecycle, participation, supports
from diagnostic.models import (
    Contribution,
    ContributionKind,
    ModerationMode,
    Phase,
    Sector,
    User,
    Workshop,
)
from tests.conftest import new_client_id
from tests.e2e.axe import AXE_CONTEXT, check_accessibility
from tests.e2e.conftest import STAFF_EMAIL, STAFF_PASSWORD, start_live_server
from tests.e2e.test_workshop_flow import PHONE
from tests.minutes_data import seed_minutes

pytestmark = pytest.mark.e2e

FACILITATOR_PASSWORD = "pw-123456789"


def seed_vote_workshop(session) -> Workshop:
    """An open workshop in the vote phase with three initiatives, one already supported."""
    diagnostic = planning.create_diagnostic(session, title="Diagnostic ESS du Sud",
                                            territory="Muretain")
    session.commit()
    diagnostic.sectors.append(Sector(name="Muret", position=0))
    session.commit()
    workshop = planning.create_workshop(session, diagnostic, kind="territorial",
                                        title="Atelier Muret", sector_id=diagnostic.sectors[0].id)
    lifecycle.open_workshop(session, workshop, None)
    author = participation.join_workshop(session, workshop, display_name="Autrice")
    fan = participation.join_workshop(session, workshop, display_name="Fan")
    session.commit()
    ids = []
    for name in ("Épicerie solidaire", "Recyclerie du Nord",
                 "Coopérative d'activité et d'emploi des métiers du bâtiment et de la "
                 "rénovation énergétique du Muretain"):
        item, _ = participation.submit_contribution(session, author, {
            "kind": "initiative", "client_id": new_client_id(), "name": name,
            "description": f"{name} : une initiative du territoire."})
        session.commit()
        ids.append(item.id)
    supports.support_contribution(session, fan, ids[0])
    lifecycle.set_phase(session, workshop, None, Phase.VOTE)
    facilitation.set_vote_settings(session, workshop, None, 3, 2)
    session.commit()
    return workshop


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """The server and the ids of its data."""
    from diagnostic.demo.loader import load_demo

    server = start_live_server(tmp_path_factory.mktemp("a11y"))
    with server.app_context() as db:
        demo = load_demo(db.session)
        db.session.commit()
        closed = next(w for w in demo.workshops if w.status.value == "closed")
        seeded = seed_minutes(db.session, close=False, password=FACILITATOR_PASSWORD)
        live = db.session.get(Workshop, seeded.workshop_id)
        facilitation.set_moderation(db.session, live, None, ModerationMode.PRE.value)
        db.session.commit()
        vote = seed_vote_workshop(db.session)
        data = SimpleNamespace(
            diagnostic=demo.id, closed_workshop=closed.id, live=live.id,
            live_code=live.join_code, live_diagnostic=live.diagnostic_id,
            facilitator=seeded.facilitator_email,
            facilitator_id=db.session.scalar(select(User.id).where(
                User.email == seeded.facilitator_email)),
            vote=vote.id, vote_code=vote.join_code,
            hidden=seeded.hidden_need, pending=seeded.pending_recommendation,
            demo_need=db.session.scalar(
                select(Contribution.id).join(Workshop).where(
                    Workshop.diagnostic_id == demo.id, Contribution.kind == ContributionKind.NEED,
                    Contribution.merged_into_id.is_(None)).order_by(Contribution.id)))
    yield SimpleNamespace(server=server, url=server.url, data=data)
    server.stop()


def logged_in(browser, url: str, email: str, password: str, **options):
    context = browser.new_context(**AXE_CONTEXT, **options)
    page = context.new_page()
    page.goto(url + "/auth/login")
    page.fill("input[name=email]", email)
    page.fill("input[name=password]", password)
    page.locator("#content form [type=submit]").first.click()
    page.wait_for_url(re.compile(r".*/staff/.*"))
    return context, page


@pytest.fixture(scope="module")
def staff(browser, site):
    context, page = logged_in(browser, site.url, STAFF_EMAIL, STAFF_PASSWORD,
                              viewport={"width": 1280, "height": 900})
    yield page
    context.close()


@pytest.fixture(scope="module")
def phone(browser, site):
    context = browser.new_context(**AXE_CONTEXT, **PHONE)
    yield context.new_page()
    context.close()


# Staff pages: (name, path with the data's ids).
STAFF_PAGES = [
    ("diagnostics", "/staff/"),
    ("diagnostic", "/staff/diagnostics/{diagnostic}"),
    ("settings", "/staff/diagnostics/{diagnostic}/settings"),
    ("taxonomies", "/staff/diagnostics/{diagnostic}/taxonomies"),
    ("contributions", "/staff/diagnostics/{diagnostic}/contributions"),
    ("synthesis", "/staff/diagnostics/{diagnostic}/synthesis"),
    ("synthesis-needs", "/staff/diagnostics/{diagnostic}/synthesis?kind=need"),
    ("synthesis-suggestions", "/staff/diagnostics/{diagnostic}/synthesis/suggestions"),
    ("synthesis-similar", "/staff/diagnostics/{diagnostic}/synthesis/similar/{demo_need}"),
    ("synthesis-thesaurus", "/staff/diagnostics/{diagnostic}/synthesis/thesaurus"),
    ("synthesis-board", "/staff/diagnostics/{diagnostic}/synthesis/board"),
    ("synthesis-board-recommendations",
     "/staff/diagnostics/{diagnostic}/synthesis/board?kind=recommendation"),
    ("report", "/staff/diagnostics/{diagnostic}/report"),
    ("workshop", "/staff/workshops/{closed_workshop}"),
    ("workshop-live", "/staff/workshops/{live}"),
    ("workshop-form", "/staff/workshops/{live}/edit"),
    ("workshop-new", "/staff/diagnostics/{diagnostic}/workshops/new"),
    ("minutes", "/staff/workshops/{closed_workshop}/minutes"),
    ("minutes-live", "/staff/workshops/{live}/minutes"),
    ("facilitation", "/staff/facilitation"),
    ("accounts", "/staff/accounts"),
    ("account-new", "/staff/accounts/new"),
    ("account-deactivate", "/staff/accounts/{facilitator_id}/deactivate"),
    ("account-reset", "/staff/accounts/{facilitator_id}/reset"),
    ("own-account", "/auth/account"),
    ("workshop-remove", "/staff/workshops/{closed_workshop}/remove"),
    ("diagnostic-remove", "/staff/diagnostics/{diagnostic}/remove"),
    ("not-found", "/staff/workshops/999999"),
]


@pytest.mark.parametrize("name, path", STAFF_PAGES, ids=[name for name, _ in STAFF_PAGES])
def test_staff_pages(staff, site, name, path):
    response = staff.goto(site.url + path.format(**vars(site.data)))
    assert response.status == (404 if name == "not-found" else 200)
    check_accessibility(staff, name)


def test_staff_pages_on_a_phone(staff, site):
    staff.set_viewport_size({"width": 390, "height": 844})
    try:
        for path in ("/staff/diagnostics/{diagnostic}/report",
                     "/staff/diagnostics/{diagnostic}/synthesis",
                     "/staff/workshops/{closed_workshop}/minutes"):
            staff.goto(site.url + path.format(**vars(site.data)))
            check_accessibility(staff, path)
    finally:
        staff.set_viewport_size({"width": 1280, "height": 900})


def test_export_job_page(staff, site):
    staff.goto(f"{site.url}/staff/diagnostics/{site.data.diagnostic}/report")
    staff.locator("form[action$='/report/export'] button").first.click()
    staff.wait_for_url(re.compile(r".*/staff/exports/.*"))
    check_accessibility(staff, "export job")
    expect(staff.locator(".export-status")).to_have_attribute("data-status", "done",
                                                              timeout=120_000)
    check_accessibility(staff, "export job done")


@pytest.mark.parametrize("path", [
    "/staff/diagnostics/{diagnostic}/report.html",
    "/staff/workshops/{closed_workshop}/minutes.html",
], ids=["report-html", "minutes-html"])
def test_downloaded_documents(staff, site, path):
    """The report and minutes as downloaded: self-contained HTML documents."""
    response = staff.request.get(site.url + path.format(**vars(site.data)))
    assert response.ok
    staff.goto("about:blank")
    staff.set_content(response.text())
    check_accessibility(staff, path)


def test_console_with_hidden_items_and_a_pending_queue(staff, site, screenshot):
    staff.goto(f"{site.url}/facilitate/{site.data.live}")
    expect(staff.locator(f'.console-item[data-id="{site.data.hidden}"]')).to_have_attribute(
        "data-status", "hidden", timeout=10_000)
    expect(staff.locator(f'#pending-list .console-item[data-id="{site.data.pending}"]')
           ).to_be_visible()
    check_accessibility(staff, "console")
    # An inline editor open ("Reformuler").
    staff.locator(f'.console-item[data-id="{site.data.hidden}"] .action-edit').click()
    check_accessibility(staff, "console with the rewording editor")
    screenshot(staff, "a11y-console")
    # The confirmation of closing, open (then cancelled: the workshop stays open).
    staff.locator("#lifecycle-close").click()
    expect(staff.locator("#close-dialog")).to_be_visible()
    check_accessibility(staff, "console with the close dialog")
    staff.keyboard.press("Escape")
    expect(staff.locator("#close-dialog")).to_be_hidden()


@pytest.mark.parametrize("size", [(1366, 768), (1920, 1080)], ids=["1366", "1920"])
def test_board(staff, site, size, screenshot):
    staff.set_viewport_size({"width": size[0], "height": size[1]})
    try:
        for workshop in (site.data.live, site.data.vote):
            staff.goto(f"{site.url}/board/{workshop}")
            expect(staff.locator(".board-column .contribution").first).to_be_visible(
                timeout=10_000)
            check_accessibility(staff, f"board {workshop} at {size}")
    finally:
        staff.set_viewport_size({"width": 1280, "height": 900})


def test_facilitator_pages_and_forbidden(browser, site):
    context, page = logged_in(browser, site.url, site.data.facilitator, FACILITATOR_PASSWORD,
                              viewport={"width": 1280, "height": 900})
    check_accessibility(page, "facilitator's workshops")
    page.goto(f"{site.url}/facilitate/{site.data.live}")
    expect(page.locator("#console-initiative .console-item").first).to_be_visible(
        timeout=10_000)
    check_accessibility(page, "facilitator's console")
    response = page.goto(f"{site.url}/staff/diagnostics/{site.data.diagnostic}")
    assert response.status == 403
    check_accessibility(page, "403")
    context.close()


def test_public_pages(browser, site):
    context = browser.new_context(**AXE_CONTEXT, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    for path, status in (("/", 200), ("/auth/login", 200), ("/no-such-page", 404)):
        response = page.goto(site.url + path)
        assert response.status == status
        check_accessibility(page, path)
    # A login refused: the form with its error.
    page.goto(site.url + "/auth/login")
    page.fill("input[name=email]", STAFF_EMAIL)
    page.fill("input[name=password]", "not-the-password")
    page.locator("#content form [type=submit]").first.click()
    expect(page.locator("#content")).to_contain_text("incorrect", ignore_case=True)
    check_accessibility(page, "login refused")
    context.close()


def test_phone_pages(phone, site, screenshot):
    phone.goto(site.url + "/join")
    check_accessibility(phone, "join")
    phone.fill("input[name=code]", "QQQQQQ")
    phone.locator("#content form [type=submit]").first.click()
    check_accessibility(phone, "join with an unknown code")
    phone.fill("input[name=code]", site.data.live_code)
    phone.locator("#content form [type=submit]").first.click()
    expect(phone.locator("input[name=display_name]")).to_be_visible()
    check_accessibility(phone, "name")
    phone.fill("input[name=display_name]", "Camille")
    phone.locator("#content form [type=submit]").first.click()
    phone.wait_for_url("**/contribute")
    expect(phone.locator("#feed .contribution").first).to_be_visible(timeout=10_000)
    expect(phone.locator("#live-status")).not_to_be_empty(timeout=10_000)
    check_accessibility(phone, "contribute with items")
    # A refused form (required fields left empty) shows its errors.
    phone.click("[data-show-kind=need]")
    phone.locator("#form-need button[type=submit]").click()
    expect(phone.locator("#form-need .form-errors")).not_to_be_empty(timeout=10_000)
    check_accessibility(phone, "contribute with a refused form")
    screenshot(phone, "a11y-phone-contribute")
    # Pre-moderated: a need sent waits, shown to its author with a badge.
    phone.click("[data-show-kind=initiative]")
    phone.fill("#form-initiative [name=name]", "Jardin partagé")
    phone.fill("#form-initiative [name=description]", "Un jardin partagé au pied des immeubles.")
    phone.locator("#form-initiative button[type=submit]").click()
    expect(phone.locator("#my-items")).to_contain_text("Jardin partagé", timeout=10_000)
    check_accessibility(phone, "contribute with an item awaiting approval")


def test_phone_during_the_vote(phone, site, screenshot):
    phone.goto(f"{site.url}/j/{site.data.vote_code}")
    phone.fill("input[name=display_name]", "Camille")
    phone.locator("#content form [type=submit]").first.click()
    phone.wait_for_url("**/contribute")
    expect(phone.locator("#feed .dot-plus").first).to_be_visible(timeout=10_000)
    phone.locator("#feed .dot-plus").first.click()
    expect(phone.locator("#feed .my-dots").first).to_have_text("1", timeout=10_000)
    check_accessibility(phone, "contribute during the vote")
    screenshot(phone, "a11y-phone-vote")


def test_phone_without_javascript(browser, site):
    context = browser.new_context(**AXE_CONTEXT, **PHONE, java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{site.url}/j/{site.data.live_code}")
    page.fill("input[name=display_name]", "Sans JS")
    page.locator("#content form [type=submit]").first.click()
    page.wait_for_url("**/contribute")
    # axe needs scripts: run it in a second page of a scripted context on the same HTML.
    # (its <base> makes the stylesheets load: contrast is computed on the styled page).
    scripted = browser.new_context(**AXE_CONTEXT, **PHONE).new_page()

    def show(html: str) -> None:
        scripted.set_content(html.replace("<head>", f'<head><base href="{site.url}/">', 1))
        scripted.wait_for_load_state("load")

    show(page.content())
    check_accessibility(scripted, "contribute without JavaScript")
    # A form sent without JavaScript and refused: the page with its errors.
    page.locator("#form-need button[type=submit]").click()
    show(page.content())
    check_accessibility(scripted, "contribute without JavaScript, refused")
    scripted.context.close()
    context.close()
