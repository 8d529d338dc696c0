"""The workshop with a keyboard only: after the first page load, nothing but Tab,
Shift+Tab, Enter, Space and Escape (``page.keyboard``). After each action the focus is
where the person left it: on the control they used (or its new version, or the next item
of the queue), never dropped to the page.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from diagnostic.live import facilitation, lifecycle, participation
from diagnostic.models import ModerationMode, Participant, Phase, Workshop
from tests.conftest import new_client_id
from tests.e2e.conftest import STAFF_EMAIL, STAFF_PASSWORD
from tests.e2e.test_workshop_flow import PHONE, seed_open_workshop
from tests.live_server import join_over_http

pytestmark = pytest.mark.e2e

# Each card is a new element after a room event: the marker tells that the one focused
# now is the new version (the focus followed the re-rendering).
MARK_CARD = "card => { card.dataset.old = 'yes'; }"


def seed_items(server, workshop_id: int, names: list[str], *, phase: Phase,
               pending: list[str] = ()) -> list[int]:
    """Published initiatives (then pending ones, under pre-moderation) by one participant;
    returns their ids in that order."""
    with server.app_context() as db:
        workshop = db.session.get(Workshop, workshop_id)
        author = participation.join_workshop(db.session, workshop, display_name="Autrice")
        db.session.commit()
        ids = []
        for name in names:
            if name in pending:
                workshop.moderation = ModerationMode.PRE
            item, _ = participation.submit_contribution(db.session, author, {
                "kind": "initiative", "client_id": new_client_id(), "name": name,
                "description": f"{name} : une initiative du territoire."})
            db.session.commit()
            ids.append(item.id)
        lifecycle.set_phase(db.session, workshop, None, phase)
        facilitation.set_vote_settings(db.session, workshop, None, 3, 2)
        db.session.commit()
        return ids


def phone_on(browser, server, code: str, own: str | None = None):
    """A phone joined over HTTP (its cookie given to the browser), on the contribute page;
    ``own``: the name of an initiative it sent before."""
    http = join_over_http(server, code, "Camille")
    if own:
        with server.app_context() as db:
            camille = db.session.scalar(select(Participant).filter_by(display_name="Camille"))
            participation.submit_contribution(db.session, camille, {
                "kind": "initiative", "client_id": new_client_id(), "name": own,
                "description": f"{own} : la mienne."})
            db.session.commit()
    context = browser.new_context(**PHONE)
    context.add_cookies([{"name": c.name, "value": c.value, "url": server.url}
                         for c in http.cookies])
    page = context.new_page()
    page.goto(f"{server.url}/j/{code}/contribute")
    expect(page.locator("#live-status")).not_to_be_empty(timeout=10_000)
    return context, page


def active(page) -> dict:
    """What has the focus: its tag, name, label, focus key and card."""
    return page.evaluate("""() => {
        const node = document.activeElement;
        const card = node.closest('[data-id]');
        return {tag: node.tagName.toLowerCase(), name: node.getAttribute('name'),
                label: (node.getAttribute('aria-label') || node.textContent.trim()).slice(0, 80),
                key: node.dataset.focusKey || null, classes: node.className,
                card: card ? card.dataset.id : null, old: card ? card.dataset.old : null};
    }""")


def tab_to(page, selector: str, limit: int = 80, backwards: bool = False) -> None:
    """Press Tab (or Shift+Tab) until the focus is on ``selector``."""
    for _ in range(limit):
        if page.evaluate("s => document.activeElement.matches(s)", selector):
            return
        page.keyboard.press("Shift+Tab" if backwards else "Tab")
    raise AssertionError(f"{selector} never got the focus; it is on {active(page)}")


def wait_focus(page, selector: str) -> None:
    """Wait until the focus is on ``selector`` (the re-rendering may come a moment later)."""
    try:
        page.wait_for_function("s => document.activeElement.matches(s)", arg=selector,
                               timeout=10_000)
    except Exception as error:  # the focus is elsewhere: say where
        raise AssertionError(f"focus not on {selector} but on {active(page)}") from error


def card(page, item_id: int):
    return page.locator(f'#feed .contribution[data-id="{item_id}"]')


def test_a_participant_contributes_and_supports_with_the_keyboard(
        browser, live_server, screenshot):
    workshop_id, code = seed_open_workshop(live_server)
    (other,) = seed_items(live_server, workshop_id, ["Épicerie solidaire"],
                          phase=Phase.INITIATIVES)
    context, phone = phone_on(browser, live_server, code, own="Ma structure")
    expect(card(phone, other)).to_be_visible()

    # A contribution typed and sent from the keyboard; the focus waits in the first field.
    form = "#form-initiative"
    tab_to(phone, f"{form} [name=name]")
    phone.keyboard.type("Recyclerie du Nord")
    phone.keyboard.press("Tab")
    phone.keyboard.type("Collecte et réemploi d'objets.")
    tab_to(phone, f"{form} button[type=submit]")
    phone.keyboard.press("Enter")
    expect(phone.locator("#feed .contribution")).to_have_count(3, timeout=10_000)
    expect(phone.locator(f"{form} [name=name]")).to_have_value("")
    wait_focus(phone, f"{form} [name=name]")

    # Support another's item: the name says which and how many; the focus stays on it
    # when its card is drawn again with the new tally.
    support = f'#feed .contribution[data-id="{other}"] .support-button'
    expect(phone.locator(support)).to_have_attribute(
        "aria-label", "+1 pour « Épicerie solidaire » — aucun soutien")
    card(phone, other).evaluate(MARK_CARD)
    tab_to(phone, support, backwards=True)
    phone.keyboard.press("Space")
    expect(phone.locator(support)).to_have_attribute("aria-pressed", "true", timeout=10_000)
    expect(phone.locator(support)).to_have_attribute(
        "aria-label", "+1 pour « Épicerie solidaire » — 1 soutien")
    expect(card(phone, other)).not_to_have_attribute("data-old", "yes")  # drawn again
    wait_focus(phone, support)
    # Space again withdraws the support, still from the same button.
    phone.keyboard.press("Space")
    expect(phone.locator(support)).to_have_attribute("aria-pressed", "false", timeout=10_000)
    expect(phone.locator(support)).to_have_attribute(
        "aria-label", "+1 pour « Épicerie solidaire » — aucun soutien")
    wait_focus(phone, support)
    # One's own item: its +1 is named for what it is.
    mine = phone.locator("#feed .contribution", has_text="Ma structure")
    expect(mine.locator(".support-button")).to_have_attribute(
        "aria-label", "+1 impossible sur votre contribution « Ma structure » — aucun soutien")
    screenshot(phone, "keyboard-phone-support")
    context.close()


def test_a_participant_votes_with_dots_from_the_keyboard(browser, live_server, screenshot):
    workshop_id, code = seed_open_workshop(live_server)
    long_name = ("Coopérative d'activité et d'emploi des métiers du bâtiment et de la "
                 "rénovation énergétique")
    first, second = seed_items(live_server, workshop_id, ["Épicerie solidaire", long_name],
                               phase=Phase.VOTE)
    context, phone = phone_on(browser, live_server, code)
    plus = f'#feed .contribution[data-id="{first}"] .dot-plus'
    minus = f'#feed .contribution[data-id="{first}"] .dot-minus'
    expect(phone.locator(plus)).to_have_attribute(
        "aria-label", "Ajouter une gommette à « Épicerie solidaire » (0 sur 2)", timeout=10_000)
    # A long title is cut at a word, with an ellipsis.
    expect(card(phone, second).locator(".dot-plus")).to_have_attribute(
        "aria-label", "Ajouter une gommette à « Coopérative d'activité et d'emploi des métiers du "
                      "bâtiment… » (0 sur 2)")

    tab_to(phone, plus)
    for expected in ("1", "2"):
        card(phone, first).evaluate(MARK_CARD)
        phone.keyboard.press("Enter")
        expect(card(phone, first).locator(".my-dots")).to_have_text(expected, timeout=10_000)
        expect(card(phone, first)).not_to_have_attribute("data-old", "yes")
        wait_focus(phone, plus)
    expect(phone.locator(plus)).to_have_attribute(
        "aria-label", "Ajouter une gommette à « Épicerie solidaire » (2 sur 2)")
    phone.keyboard.press("Enter")  # a third dot on one item: refused, focus kept
    expect(phone.locator("#vote-error")).to_contain_text("Au plus 2", timeout=10_000)
    wait_focus(phone, plus)
    phone.keyboard.press("Shift+Tab")
    wait_focus(phone, minus)
    phone.keyboard.press("Space")
    expect(card(phone, first).locator(".my-dots")).to_have_text("1", timeout=10_000)
    wait_focus(phone, minus)
    expect(phone.locator(minus)).to_have_attribute(
        "aria-label", "Retirer une gommette de « Épicerie solidaire » (1 sur 2)")
    screenshot(phone, "keyboard-phone-vote")
    context.close()


def test_a_facilitator_moderates_with_the_keyboard(browser, live_server, screenshot):
    workshop_id, _ = seed_open_workshop(live_server)
    shown, other, first_pending, second_pending = seed_items(
        live_server, workshop_id,
        ["Épicerie solidaire", "Régie de quartier", "Jardins partagés", "Ressourcerie"],
        phase=Phase.INITIATIVES, pending=["Jardins partagés", "Ressourcerie"])
    context = browser.new_context(viewport={"width": 1366, "height": 900})
    console = context.new_page()
    console.goto(live_server.url + "/auth/login")
    console.fill("input[name=email]", STAFF_EMAIL)
    console.fill("input[name=password]", STAFF_PASSWORD)
    console.locator("#content form [type=submit]").first.click()
    console.goto(f"{live_server.url}/facilitate/{workshop_id}")  # keyboard only from here
    item = f'.console-item[data-id="{shown}"]'
    expect(console.locator(f"{item} .action-hide")).to_have_attribute(
        "aria-label", "Masquer « Épicerie solidaire »", timeout=10_000)

    # Hide, then restore: the focus goes from "Masquer" to "Rétablir" and back.
    tab_to(console, f"{item} .action-hide")
    console.keyboard.press("Enter")
    expect(console.locator(item)).to_have_attribute("data-status", "hidden", timeout=10_000)
    wait_focus(console, f"{item} .action-restore")
    expect(console.locator(f"{item} .action-restore")).to_have_attribute(
        "aria-label", "Rétablir « Épicerie solidaire »")
    console.keyboard.press("Enter")
    expect(console.locator(item)).to_have_attribute("data-status", "published", timeout=10_000)
    wait_focus(console, f"{item} .action-hide")

    # "Reformuler" opens its editor in place; Escape closes it and gives the focus back.
    tab_to(console, f"{item} .action-edit")
    console.keyboard.press("Enter")
    wait_focus(console, f"{item} .console-editor [name=name]")
    console.keyboard.press("Escape")
    expect(console.locator(f"{item} .console-editor form")).to_have_count(0)
    wait_focus(console, f"{item} .action-edit")

    # The pre-moderation queue: approve the newest, the focus moves to the next one's
    # "Valider"; approve it, the focus goes to the queue's title.
    queue = "#pending-list"
    newest = f'{queue} .console-item[data-id="{second_pending}"]'
    oldest = f'{queue} .console-item[data-id="{first_pending}"]'
    expect(console.locator(f"{queue} .console-item")).to_have_count(2)
    tab_to(console, f"{newest} .action-approve", backwards=True)
    console.keyboard.press("Enter")
    expect(console.locator(newest)).to_have_count(0, timeout=10_000)
    wait_focus(console, f"{oldest} .action-approve")
    expect(console.locator(f"{oldest} .action-approve")).to_have_attribute(
        "aria-label", "Valider « Jardins partagés »")
    screenshot(console, "keyboard-console-queue")
    console.keyboard.press("Enter")
    expect(console.locator(f"{queue} .console-item")).to_have_count(0, timeout=10_000)
    wait_focus(console, "#pending-title")
    expect(console.locator(
        f'#console-initiative .console-item[data-id="{first_pending}"]')).to_have_attribute(
        "data-status", "published")
    context.close()


CONTRAST = """(element) => {
  const channel = (c) => {
    c /= 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  };
  const luminance = (rgb) => {
    const [r, g, b] = rgb.match(/\\d+(\\.\\d+)?/g).slice(0, 3).map(Number);
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b);
  };
  let node = element.parentElement, background = "rgba(0, 0, 0, 0)";
  while (node && /rgba\\(0, 0, 0, 0\\)|transparent/.test(background)) {
    background = getComputedStyle(node).backgroundColor;
    node = node.parentElement;
  }
  const style = getComputedStyle(element);
  const [a, b] = [luminance(style.outlineColor), luminance(background)].sort((x, y) => y - x);
  return { ratio: (a + 0.05) / (b + 0.05), width: parseFloat(style.outlineWidth) };
}"""


def test_the_focus_ring_contrasts_with_the_page(browser, live_server):
    """WCAG 1.4.11: a keyboard user sees where the focus is (3:1 against what surrounds it)."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(live_server.url + "/auth/login")
    tab_to(page, "input[name=email]")
    ring = page.locator("input[name=email]").evaluate(CONTRAST)
    assert ring["width"] >= 2 and ring["ratio"] >= 3, ring
    context.close()
