"""The affinity board in Chromium, on the Grand Toulouse demo: staff group needs and sort
them under the stakes with the mouse (SortableJS), then with the keyboard alone, and
filter the cards; each action reaches the database and the synthesis log, the board is
redrawn and the focus stays on the moved card. Screenshots at 1366×768 and 1920×1080.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from diagnostic.models import Contribution, Diagnostic, SynthesisAuditEntry, SynthesisItem
from tests.e2e.axe import AXE_CONTEXT, check_accessibility
from tests.e2e.conftest import ARTIFACTS, STAFF_EMAIL, STAFF_PASSWORD
from tests.e2e.test_content_security_policy import COLLECT

pytestmark = pytest.mark.e2e

SIZES = [(1366, 768), (1920, 1080)]


def group_of(server, contribution_id: int) -> SynthesisItem | None:
    """The synthesis group of a contribution as the server saved it (None: alone)."""
    with server.app_context() as db:
        contribution = db.session.get(Contribution, contribution_id)
        if contribution.synthesis_item_id is None:
            return None
        group = db.session.get(SynthesisItem, contribution.synthesis_item_id)
        db.session.expunge(group)
        return group


def audit_actions(server) -> list[str]:
    with server.app_context() as db:
        return list(db.session.scalars(select(SynthesisAuditEntry.action)
                                       .order_by(SynthesisAuditEntry.id)))


def card_id(card) -> int:
    return int(card.get_attribute("data-id"))


def drag(page, source, target, before_drop=None) -> None:
    """Press on ``source``, move in small steps (SortableJS's pointer mode follows them)
    and let go over the middle of ``target`` (``before_drop()`` called just before)."""
    source.scroll_into_view_if_needed()
    start = source.bounding_box()
    page.mouse.move(start["x"] + start["width"] / 2, start["y"] + start["height"] / 2)
    page.mouse.down()
    page.mouse.move(start["x"] + start["width"] / 2 + 12, start["y"] + start["height"] / 2 + 12,
                    steps=4)
    end = target.bounding_box()
    page.mouse.move(end["x"] + end["width"] / 2, end["y"] + end["height"] / 2, steps=25)
    if before_drop:
        before_drop()
    page.mouse.up()


def focused(page) -> str:
    """What has the focus: the id of its card or column title, else its tag."""
    return page.evaluate("""() => {
        const node = document.activeElement;
        const card = node.closest('.board-card');
        if (card && node.classList.contains('card-grip')) return card.id;
        return node.id || node.tagName;
    }""")


def test_group_and_move_with_the_mouse_and_the_keyboard(browser, live_server, screenshot):
    from diagnostic.demo.loader import load_demo

    with live_server.app_context() as db:
        diagnostic = load_demo(db.session)
        db.session.commit()
        diagnostic_id = diagnostic.id
        stakes = [s.id for s in db.session.get(Diagnostic, diagnostic_id).stakes]
    # The page runs under the app's Content-Security-Policy (the drags must break none of
    # its rules); axe, which needs the policy bypassed, reads copies of it (as_shown).
    context = browser.new_context(viewport={"width": 1366, "height": 768})
    context.add_init_script(COLLECT)
    page = context.new_page()
    checker = browser.new_context(viewport={"width": 1366, "height": 768},
                                  **AXE_CONTEXT).new_page()

    def as_shown(where: str) -> None:
        """axe on the page as it is now (its state, not its scripts, copied)."""
        copy = re.sub(r'<script type="module"[^>]*></script>', "", page.content())
        checker.set_content(copy.replace("<head>", f'<head><base href="{live_server.url}/">', 1))
        checker.wait_for_load_state("load")
        check_accessibility(checker, where)

    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(live_server.url + "/auth/login")
    page.fill("input[name=email]", STAFF_EMAIL)
    page.fill("input[name=password]", STAFF_PASSWORD)
    page.locator("#content form [type=submit]").first.click()
    page.goto(f"{live_server.url}/staff/diagnostics/{diagnostic_id}/synthesis?kind=need")
    page.get_by_role("link", name="Tableau d'affinités").click()
    expect(page.locator("#content h2").first).to_have_text("Tableau d'affinités")
    board = page.locator("#board-columns")
    no_stake = board.locator("#column-none .board-card")
    expect(no_stake.first).to_be_visible()
    total = no_stake.count()
    assert total > 10
    expect(page.locator("#board-count")).to_have_text(f"{total} cartes affichées sur {total}")
    as_shown("the affinity board")
    screenshot(page, "staff-affinity-board-1366")

    # The mouse: a card dropped on another makes one group of both.
    first, second = card_id(no_stake.nth(0)), card_id(no_stake.nth(1))

    def while_dragging():
        expect(no_stake.nth(0)).to_have_class(re.compile("is-drop-target"))
        # Of the viewport: a full-page one would resize it under the pointer.
        page.screenshot(path=str(ARTIFACTS / "staff-affinity-board-dragging.png"))

    drag(page, no_stake.nth(1).locator(".card-grip"), no_stake.nth(0).locator(".card-grip"),
         while_dragging)
    message = page.locator("#board-message")
    expect(message).to_have_text("Cartes regroupées : elles forment un seul élément de la "
                                 "synthèse.")
    merged = board.locator(f"#card-{first}")
    expect(merged.locator(".badge.group")).to_have_text("2 contributions")
    expect(board.locator(f"#card-{second}")).to_have_count(0)
    assert group_of(live_server, first).id == group_of(live_server, second).id
    assert focused(page) == f"card-{first}"  # the moved card keeps the focus
    # ... and a card dropped on a column goes under that stake.
    third = card_id(no_stake.nth(1))
    target = board.locator(f"#column-{stakes[1]}")
    drag(page, no_stake.nth(1).locator(".card-grip"), target.locator(".board-cards"))
    expect(message).to_contain_text("Carte déplacée dans la colonne « Mieux répondre")
    expect(target.locator(f"#card-{third}")).to_be_visible()
    expect(target.locator("[data-count]")).to_have_text("1")
    assert group_of(live_server, third).stake_id == stakes[1]
    assert audit_actions(live_server) == ["merge", "move"]
    log = page.locator("#synthesis-audit ul.audit-log > li")
    expect(log.first).to_contain_text("placé sous l'enjeu « Mieux répondre")

    # The keyboard alone: from the filter's button, Tab reaches the first card.
    page.locator("#board-q").focus()
    for _ in range(4):
        page.keyboard.press("Tab")
        if focused(page).startswith("card-"):
            break
    assert focused(page) == f"card-{first}"
    page.keyboard.press("ArrowDown")
    fourth = card_id(no_stake.nth(1))
    assert focused(page) == f"card-{fourth}"
    page.keyboard.press("Space")  # picked up
    expect(board.locator(f"#card-{fourth} .card-grip")).to_have_attribute("aria-pressed", "true")
    expect(page.locator("#board-live")).to_contain_text("prise")
    page.keyboard.press("ArrowUp")  # the first card is the target
    expect(board.locator(f"#card-{first}")).to_have_class(re.compile("is-drop-target"))
    expect(page.locator("#board-live")).to_contain_text("Regrouper avec « ")
    page.screenshot(path=str(ARTIFACTS / "staff-affinity-board-keyboard.png"))
    as_shown("the affinity board, a card picked up")
    page.keyboard.press("Enter")
    expect(merged.locator(".badge.group")).to_have_text("3 contributions")
    assert group_of(live_server, fourth).id == group_of(live_server, first).id
    expect(page.locator(f"#card-{first} .card-grip")).to_be_focused()
    # Escape puts a picked-up card down where it was.
    page.keyboard.press("Enter")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Escape")
    expect(page.locator(f"#card-{first} .card-grip")).to_be_focused()
    expect(page.locator(f"#card-{first} .card-grip")).to_have_attribute("aria-pressed", "false")
    assert audit_actions(live_server) == ["merge", "move", "merge"]
    # Move: pick the group up, up to its column's title, right to the next stake's, Enter.
    page.keyboard.press("Space")
    page.keyboard.press("ArrowUp")
    assert focused(page) == "column-none-title"
    page.keyboard.press("ArrowRight")
    assert focused(page) == f"column-{stakes[0]}-title"
    expect(page.locator("#board-live")).to_contain_text("Déplacer dans la colonne « ")
    page.keyboard.press("Enter")
    expect(board.locator(f"#column-{stakes[0]} #card-{first}")).to_be_visible()
    expect(page.locator(f"#card-{first} .card-grip")).to_be_focused()
    assert group_of(live_server, first).stake_id == stakes[0]
    assert audit_actions(live_server) == ["merge", "move", "merge", "move"]

    # The filter hides the cards without the words as they are typed.
    page.locator("#board-q").fill("locaux")
    shown = board.locator(".board-card:visible")
    expect(shown.first).to_be_visible()
    assert 0 < shown.count() < total
    for text in shown.all_inner_texts():
        assert "locaux" in text.lower(), text
    expect(page.locator("#board-count")).to_have_text(
        re.compile(rf"^{shown.count()} cartes? affichées? sur {total - 2}$"))
    as_shown("the affinity board, filtered")
    page.locator("#board-q").fill("")
    expect(board.locator(".board-card:visible")).to_have_count(total - 2)
    screenshot(page, "staff-affinity-board-1366-after")
    page.set_viewport_size({"width": 1920, "height": 1080})
    screenshot(page, "staff-affinity-board-1920")
    page.goto(f"{live_server.url}/staff/diagnostics/{diagnostic_id}/synthesis/board"
              "?kind=recommendation")
    expect(board.locator(".board-card").first).to_be_visible()
    as_shown("the recommendations' affinity board")
    screenshot(page, "staff-affinity-board-recommendations-1920")
    # A refused drop (a recommendation keeps its workshop's stake unless given another
    # one) says why, in the page, and changes nothing.
    card = board.locator(f"#column-{stakes[0]} .board-card").first
    card.locator(".card-grip").focus()
    page.keyboard.press("Enter")
    page.keyboard.press("Home")
    page.keyboard.press("ArrowLeft")
    assert focused(page) == "column-none-title"
    page.keyboard.press("Enter")
    expect(message).to_have_text(re.compile("^Cette préconisation garde l'enjeu choisi"))
    expect(message).to_have_class(re.compile("is-error"))
    expect(card.locator(".card-grip")).to_be_focused()
    assert audit_actions(live_server) == ["merge", "move", "merge", "move"]
    assert errors == [] and page.evaluate("window.__violations") == []
    checker.context.close()
    context.close()


def test_without_javascript_the_card_forms_group_and_move(browser, live_server):
    from diagnostic.demo.loader import load_demo

    with live_server.app_context() as db:
        diagnostic_id = load_demo(db.session).id
        db.session.commit()
    context = browser.new_context(viewport={"width": 1366, "height": 768},
                                  java_script_enabled=False)
    page = context.new_page()
    page.goto(live_server.url + "/auth/login")
    page.fill("input[name=email]", STAFF_EMAIL)
    page.fill("input[name=password]", STAFF_PASSWORD)
    page.locator("#content form [type=submit]").first.click()
    page.goto(f"{live_server.url}/staff/diagnostics/{diagnostic_id}/synthesis/board")
    cards = page.locator("#column-none .board-card")
    first, second = card_id(cards.nth(0)), card_id(cards.nth(1))
    card = cards.nth(1)
    card.locator("summary", has_text="Actions").click()
    card.screenshot(path=str(ARTIFACTS / "staff-affinity-board-card-forms.png"))
    card.get_by_label("Regrouper avec…").select_option(str(first))
    card.get_by_role("button", name="Regrouper").click()
    expect(page.locator(".flash-success")).to_contain_text("Cartes regroupées")
    expect(page.locator(f"#card-{first} .badge.group")).to_have_text("2 contributions")
    assert group_of(live_server, second).id == group_of(live_server, first).id
    card = page.locator(f"#card-{first}")
    card.locator("summary", has_text="Actions").click()
    card.get_by_label("Déplacer vers…").select_option(index=2)
    card.get_by_role("button", name="Déplacer").click()
    expect(page.locator(".flash-success")).to_contain_text("Carte déplacée dans la colonne")
    assert group_of(live_server, first).stake_id is not None
    assert audit_actions(live_server) == ["merge", "move"]
    context.close()
