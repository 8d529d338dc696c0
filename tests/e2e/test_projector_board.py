"""The board on a projector (1366×768 and 1920×1080) with a full room: it fits the screen,
the header collapses once the collection starts, cards are large and clamped, full columns
turn their pages by themselves (driven by Playwright's clock, never by waiting)."""

from __future__ import annotations

import os
import re
import shutil

import pytest
from playwright.sync_api import expect

from diagnostic.live import lifecycle, participation
from diagnostic.models import Vocabulary, Workshop
from tests.conftest import new_client_id
from tests.e2e.conftest import ARTIFACTS, ROOT, STAFF_EMAIL, STAFF_PASSWORD
from tests.e2e.test_workshop_flow import seed_open_workshop

pytestmark = pytest.mark.e2e

SIZES = {"1366x768": (1366, 768), "1920x1080": (1920, 1080)}
PER_KIND = 32
LONG_TEXT = ("Une coopérative d'habitants qui rénove des logements vacants du centre-bourg "
             "avec des artisans du territoire et une épicerie solidaire au rez-de-chaussée. "
             * 13)[:2000]
NAMES = ["Régie de quartier Nord", "Épicerie solidaire La Cagette", "Ressourcerie du Canal",
         "Coopérative Ozon", "Jardins de Cocagne", "Tiers-lieu La Fabrique",
         "Association Vélo-Cité", "SCIC Énergies citoyennes"]
SENTENCES = [
    "Un lieu de rencontre ouvert à toutes et tous.",
    "Elle emploie des personnes éloignées de l'emploi et forme aux métiers du réemploi.",
    "Le projet manque de locaux adaptés et cherche un bail à loyer modéré près de la gare.",
    "Des bénévoles animent des ateliers de réparation chaque samedi matin pour les "
    "habitantes et habitants du quartier.",
]


def seed_room(server, phase: str | None = None, with_items: bool = True) -> tuple[int, str]:
    """An open workshop with PER_KIND published items of each kind (a 2,000-character one
    the newest of each column), in ``phase`` if given; returns (workshop id, join code)."""
    workshop_id, code = seed_open_workshop(server)
    with server.app_context() as db:
        workshop = db.session.get(Workshop, workshop_id)
        category = workshop.diagnostic.terms_of(Vocabulary.NEED_CATEGORY)[0].id
        stake = workshop.diagnostic.stakes[0].id
        authors = [participation.join_workshop(
            db.session, workshop, display_name=f"Participant·e {n}", agreed_to_be_named=n % 2 == 0,
            organisation="Collectif") for n in range(12)]
        for n in range(PER_KIND if with_items else 0):
            for kind in ("initiative", "need", "recommendation"):
                last = n == PER_KIND - 1
                text = LONG_TEXT if last else " ".join(SENTENCES[: 1 + n % len(SENTENCES)])
                data = {"kind": kind, "client_id": new_client_id(), "description": text}
                if kind == "initiative":
                    data.update(name=NAMES[n % len(NAMES)] + f" {n + 1}", commune="Toulouse")
                if kind == "need":
                    data.update(need_category_id=category, urgency="high")
                if kind == "recommendation":
                    data.update(stake_id=stake, horizon="short")
                participation.submit_contribution(db.session, authors[n % len(authors)], data)
        if phase:
            lifecycle.set_phase(db.session, workshop, None, phase)
        db.session.commit()
    return workshop_id, code


def open_projector(browser, server, workshop_id: int, size: str, clock: bool = False,
                   query: str = "", live: str = "En direct", **options):
    """A logged-in desktop context at ``size`` showing the board; with ``clock``, the page's
    timers only move when the test runs Playwright's clock (they are not paused: the clock
    runs as usual, and ``run_for`` jumps ahead)."""
    width, height = SIZES[size]
    context = browser.new_context(viewport={"width": width, "height": height}, **options)
    page = context.new_page()
    page.goto(server.url + "/auth/login")
    page.fill("input[name=email]", STAFF_EMAIL)
    page.fill("input[name=password]", STAFF_PASSWORD)
    page.locator("#content form [type=submit]").first.click()
    expect(page).not_to_have_url(re.compile(r"/auth/login"))
    if clock:
        page.clock.install()
    page.goto(f"{server.url}/board/{workshop_id}{query}")
    expect(page.locator("#live-status")).to_have_text(live, timeout=10_000)
    return context, page


def assert_fits(page) -> None:
    """The document is no taller nor wider than the window: nothing to scroll."""
    sizes = page.evaluate("""() => ({
        height: document.documentElement.scrollHeight, inner: window.innerHeight,
        width: document.documentElement.scrollWidth, innerWidth: window.innerWidth})""")
    assert sizes["height"] <= sizes["inner"], sizes
    assert sizes["width"] <= sizes["innerWidth"], sizes


def font_px(locator) -> float:
    """The computed font size of the first element of ``locator``, in CSS pixels."""
    return locator.first.evaluate("node => parseFloat(getComputedStyle(node).fontSize)")


def in_view(page, selector: str) -> bool:
    """Whether the element is fully inside the window and not transparent."""
    return page.locator(selector).first.evaluate("""node => {
        const box = node.getBoundingClientRect();
        return box.width > 0 && box.top >= 0 && box.left >= 0 && box.bottom <= innerHeight
            && box.right <= innerWidth && getComputedStyle(node).opacity !== "0";
    }""")


def save_for_readme(path, name: str) -> None:
    """Copy a screenshot to docs/screenshots/ (shown in the README) when asked with
    ``DOCS_SCREENSHOTS=1``: a plain test run leaves the checkout as it was."""
    if os.environ.get("DOCS_SCREENSHOTS") != "1":
        return
    folder = ROOT / "docs" / "screenshots"
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(path, folder / name)


@pytest.mark.parametrize("size", SIZES)
def test_join_screen_before_the_collection(browser, live_server, screenshot, size):
    workshop_id, code = seed_room(live_server, with_items=False)
    context, page = open_projector(browser, live_server, workshop_id, size)
    height = SIZES[size][1]
    expect(page.locator("body")).to_have_class("board-page board-welcome")
    expect(page.locator("#join-code")).to_have_text(code)
    qr = page.locator(".join-qr").bounding_box()
    assert qr["height"] >= 0.35 * height  # scanned from the back rows
    assert font_px(page.locator(".join-code")) >= 0.07 * height
    assert in_view(page, ".join-qr") and in_view(page, ".join-code")
    expect(page.locator(".board-join-url")).to_contain_text(f"/j/{code}")
    expect(page.locator("#column-initiative .feed")).to_have_attribute(
        "data-empty", "Aucune contribution pour l'instant.")
    assert_fits(page)
    screenshot(page, f"board-welcome-{size}")
    context.close()


@pytest.mark.parametrize("size", SIZES)
def test_full_room_during_the_collection(browser, live_server, screenshot, size):
    workshop_id, code = seed_room(live_server, phase="initiatives")
    context, page = open_projector(browser, live_server, workshop_id, size, clock=True)
    width, height = SIZES[size]
    column = page.locator("#column-initiative")
    expect(column.locator(".contribution")).to_have_count(PER_KIND)
    assert_fits(page)

    # A compact bar, the code and the QR code still there.
    expect(page.locator("body")).to_have_class("board-page board-compact")
    header = page.locator(".board-header").bounding_box()
    assert header["height"] <= 0.22 * height, header
    assert in_view(page, "#join-code") and in_view(page, ".join-qr")
    expect(page.locator("#join-code")).to_have_text(code)
    assert page.locator(".join-qr").bounding_box()["height"] >= 0.15 * height

    # Large type: 24 px at 1080p (and a proportion of it on a smaller screen), clamped cards.
    body = font_px(column.locator(".contribution-description"))
    meta = font_px(column.locator(".contribution-details"))
    if height >= 1080:
        assert body >= 24 and meta >= 18, (body, meta)
    else:
        assert body >= 16 and meta >= 13, (body, meta)
    long_card = column.locator(".contribution").first  # the newest, 2,000 characters
    text = long_card.locator(".contribution-description")
    clamped = text.evaluate("node => [node.scrollHeight, node.clientHeight]")
    assert clamped[0] > clamped[1]
    assert clamped[1] <= 3.5 * body * 1.3
    assert long_card.bounding_box()["height"] < 0.4 * height

    # Newest first with the count; the page indicator of a full column.
    expect(page.locator("#count-initiative")).to_have_text(str(PER_KIND))
    expect(page.locator("#count-need")).to_have_text(str(PER_KIND))
    assert long_card.get_attribute("data-id") == str(max(
        int(card.get_attribute("data-id")) for card in column.locator(".contribution").all()))
    pages = int(column.get_attribute("data-pages"))
    assert pages > 1
    expect(column.locator(".board-pager")).to_have_text(f"Page 1/{pages}")
    first_of_page = column.locator(".contribution:not(.off-page)")
    shown = first_of_page.count()
    assert 1 <= shown < PER_KIND
    second_page_first = column.locator(".contribution").nth(shown)
    assert not in_view(page, f"#column-initiative .contribution >> nth={shown}")

    # The current phase's column has the most room.
    widths = [page.locator(f"#column-{kind}").bounding_box()["width"]
              for kind in ("initiative", "need", "recommendation")]
    assert widths[0] > 1.5 * widths[1]

    # Controls: full screen and pause, labelled, usable with the keyboard.
    expect(page.get_by_role("button", name="Plein écran")).to_be_visible()
    expect(page.get_by_role("button", name="Arrêter le défilement")).to_be_visible()
    screenshot(page, f"board-collection-{size}")
    save_for_readme(ARTIFACTS / f"board-collection-{size}.png", f"board-{size}.png")

    # The clock turns every full column's page; focus stays where it was.
    page.locator("#fullscreen-button").focus()
    seconds = page.evaluate(
        "JSON.parse(document.getElementById('live-config').textContent).projector.rotate_seconds")
    page.clock.run_for(seconds * 1000)
    expect(column.locator(".board-pager")).to_have_text(f"Page 2/{pages}")
    expect(page.locator("#column-need .board-pager")).to_contain_text("Page 2/")
    expect(second_page_first).not_to_have_class("off-page")
    page.wait_for_function(
        f"""() => {{
        const card = document.querySelectorAll('#column-initiative .contribution')[{shown}];
        const list = card.parentElement.getBoundingClientRect();
        return Math.abs(card.getBoundingClientRect().top - list.top) < 2; }}""")
    expect(column.locator(".contribution").first).to_have_class(
        "contribution kind-initiative off-page")
    screenshot(page, f"board-collection-page-2-{size}")
    assert page.evaluate("document.activeElement.id") == "fullscreen-button"
    assert_fits(page)

    # Paused, the pages stay put; resumed, they turn again.
    page.get_by_role("button", name="Arrêter le défilement").click()
    page.clock.run_for(seconds * 3000)
    expect(column.locator(".board-pager")).to_have_text(f"Page 2/{pages} · en pause")
    page.get_by_role("button", name="Reprendre le défilement").click()
    page.clock.run_for(seconds * 1000)
    expect(column.locator(".board-pager")).to_have_text(f"Page 3/{pages}" if pages > 2
                                                       else f"Page 1/{pages}")
    context.close()


def test_the_bar_collapses_live_when_the_collection_starts(browser, live_server, screenshot):
    workshop_id, code = seed_room(live_server, with_items=False)
    context, board = open_projector(browser, live_server, workshop_id, "1366x768")
    expect(board.locator("body")).to_have_class("board-page board-welcome")
    console = context.new_page()  # the facilitator's console, same login
    console.goto(f"{live_server.url}/facilitate/{workshop_id}")
    console.click("#content [data-phase=initiatives]")
    expect(board.locator("body")).to_have_class("board-page board-compact", timeout=10_000)
    expect(board.locator("#phase-label")).to_have_text("Initiatives")
    assert board.locator(".board-header").bounding_box()["height"] <= 0.22 * 768
    assert in_view(board, "#join-code") and in_view(board, ".join-qr")
    assert_fits(board)
    context.close()


def test_the_printed_board_shows_every_card_whole(browser, live_server, screenshot):
    workshop_id, _code = seed_room(live_server, phase="needs")
    context, page = open_projector(browser, live_server, workshop_id, "1366x768")
    column = page.locator("#column-need")
    expect(column.locator(".contribution")).to_have_count(PER_KIND)
    expect(column.locator(".contribution.off-page").first).to_be_attached()
    page.emulate_media(media="print")
    for selector in ("#fullscreen-button", "#rotation-button", ".board-pager"):
        expect(page.locator(selector).first).to_be_hidden()
    for card in column.locator(".contribution").all():  # none dimmed out of its page
        assert card.evaluate("node => getComputedStyle(node).opacity") == "1"
    text = column.locator(".contribution").first.locator(".contribution-description")
    sizes = text.evaluate("node => [node.scrollHeight, node.clientHeight]")
    assert sizes[0] <= sizes[1] + 1, sizes  # the 2,000 characters, not three lines
    assert sizes[1] > 8 * 1.3 * font_px(text)  # many more lines than on the screen
    # The document is as long as its cards (several A4 pages), not one screen.
    assert page.evaluate("document.documentElement.scrollHeight") > 3 * 768
    assert 12 <= font_px(text) <= 16  # 10 pt
    pdf = page.pdf(format="A4")
    (ARTIFACTS / "board-print.pdf").write_bytes(pdf)
    screenshot(page, "board-print")
    assert pdf.count(b"/Type /Page") - pdf.count(b"/Type /Pages") > 3
    context.close()


def test_english_board_full_screen_by_keyboard_and_no_motion(browser, live_server, screenshot):
    workshop_id, _code = seed_room(live_server, phase="vote")
    context, page = open_projector(browser, live_server, workshop_id, "1920x1080", clock=True,
                                   query="?lang=en", live="Live", reduced_motion="reduce")
    column = page.locator("#column-recommendation")
    expect(column.locator(".contribution")).to_have_count(PER_KIND)
    expect(page.locator("body")).to_have_class("board-page board-compact")
    pages = int(column.get_attribute("data-pages"))
    expect(column.locator(".board-pager")).to_have_text(f"Page 1/{pages}")
    expect(column.locator(".feed")).to_have_attribute("data-empty", "No contributions yet.")

    # Full screen from the keyboard; the button then says how to leave it.
    button = page.get_by_role("button", name="Full screen")
    button.focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("button", name="Exit full screen")).to_be_visible()
    assert page.evaluate("document.fullscreenElement === document.documentElement")
    page.keyboard.press("Enter")
    expect(page.get_by_role("button", name="Full screen")).to_be_visible()
    assert page.evaluate("document.fullscreenElement") is None

    # No motion: the page turns at once (no smooth scroll), the cards do not fade.
    seconds = page.evaluate(
        "JSON.parse(document.getElementById('live-config').textContent).projector.rotate_seconds")
    shown = column.locator(".contribution:not(.off-page)").count()
    assert column.locator(".contribution").first.evaluate(
        "node => getComputedStyle(node).transitionDuration") == "0s"
    page.clock.run_for(seconds * 1000)
    expect(column.locator(".board-pager")).to_have_text(f"Page 2/{pages}")
    offsets = page.evaluate(f"""() => {{
        const list = document.querySelector('#column-recommendation .feed');
        const card = list.querySelectorAll('.contribution')[{shown}];
        return [list.scrollTop, card.offsetTop - list.firstElementChild.offsetTop]; }}""")
    assert offsets[0] == offsets[1]
    page.get_by_role("button", name="Pause the pages").click()
    expect(page.get_by_role("button", name="Resume the pages")).to_be_focused()
    expect(column.locator(".board-pager")).to_have_text(f"Page 2/{pages} · paused")
    screenshot(page, "board-english-vote-1920x1080")
    context.close()
