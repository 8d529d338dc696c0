/* Withdrawing one's own contribution from the phone. While the workshop is open, each of
 * the participant's own items (in the feed, and in the list of their unpublished ones)
 * has a "Retirer" button; it asks in the page's native <dialog id="withdraw-dialog">
 * (labelled, keyboard usable: Escape or "Annuler" cancel and give the focus back), then
 * sends `withdraw_contribution` over the socket. Every screen removes the item on the
 * server's event; this phone also at its ack. Without JavaScript the server-rendered
 * "Retirer" links open a confirmation page instead (workshops/withdraw_pages.py).
 * The pure rules are exported for tests. */

import { emitWithAck } from "./acks.js";
import { element, shortTitle } from "./dom.js";

/** Whether item `id` gets a "Retirer" button: the workshop open, the item ours, not gone. */
export function canWithdraw(state, id) {
  return Boolean(state.open) && state.own.has(id) && !state.gone.has(id);
}

/** The participant's own ids after `my_votes` (`own`): the server's list, minus the gone. */
export function ownFrom(mine, gone) {
  return new Set(((mine && mine.own) || []).filter((id) => !gone.has(id)));
}

/** "Retirer ma contribution « {title} »" with the item's title. */
export function withdrawName(template, title) {
  return String(template || "").replace("{title}", title);
}

/** A card's item id: a feed card's `data-id`, an unpublished one's `data-mine-id`. */
function idOf(li) {
  return Number(li.dataset.id || li.dataset.mineId);
}

function titleOf(li) {
  const node = li.querySelector(".contribution-name") ||
    li.querySelector(".contribution-description");
  return shortTitle(node ? node.textContent : "");
}

/**
 * Start: `messages` (messages.js) shows the outcome in the "withdraw" slot. Returns the
 * live `handlers`, `attach(socket)`, `markOwn(id)` (an item just sent) and `decorate(li)`
 * (add the button to a card before it is inserted, so the focus can come back to it).
 */
export function startWithdraw(config, messages) {
  const S = config.strings || {};
  const dialog = document.getElementById("withdraw-dialog");
  const status = document.getElementById("withdraw-status");
  // Until the socket says which items are ours, the server-rendered links tell.
  const state = {
    open: config.status === "open",
    own: new Set(Array.from(document.querySelectorAll("[data-withdraw-id]"),
      (link) => Number(link.dataset.withdrawId))),
    gone: new Set(),
  };
  let socket = null;
  let asked = null; // { id, opener } while the dialog is open
  if (status) status.tabIndex = -1;
  if (messages) messages.register("withdraw", (text) => { if (status) status.textContent = text; });
  const say = (text, isError) => {
    if (messages) messages.show("withdraw", text, isError);
    else if (status) status.textContent = text || "";
  };

  function decorate(li) {
    const id = idOf(li);
    const row = li.querySelector(":scope > .withdraw-row");
    if (!canWithdraw(state, id)) {
      if (row) row.remove();
      return li;
    }
    if (row && row.querySelector("button")) return li;
    if (row) row.remove(); // the no-JS link: the button (and its dialog) replaces it
    const button = element("button", "danger withdraw-button", S.withdraw);
    button.type = "button";
    button.dataset.focusKey = "withdraw-" + id;
    button.setAttribute("aria-label", withdrawName(S.withdraw_named, titleOf(li)));
    button.addEventListener("click", () => ask(id, button, li));
    const line = element("p", "withdraw-row");
    line.append(button);
    li.append(line);
    return li;
  }
  const cards = () => document.querySelectorAll(
    "#feed .contribution[data-id], #my-items .contribution[data-mine-id]");
  const decorateAll = () => cards().forEach(decorate);

  function ask(id, opener, li) {
    if (!dialog || typeof dialog.showModal !== "function") {
      if (window.confirm(S.withdraw_question)) send(id);
      return;
    }
    asked = { id, opener };
    document.getElementById("withdraw-dialog-item").textContent = "« " + titleOf(li) + " »";
    dialog.returnValue = "";
    dialog.showModal();
    document.getElementById("withdraw-cancel").focus();
  }
  if (dialog) {
    dialog.addEventListener("close", () => {
      const answer = asked;
      asked = null;
      document.getElementById("withdraw-dialog-item").textContent = ""; // its words go too
      if (!answer) return;
      if (dialog.returnValue === "confirm") send(answer.id, answer.opener);
      else if (document.contains(answer.opener)) answer.opener.focus(); // cancelled, Escape
    });
  }

  function send(id, opener) {
    if (!socket) { say(S.timeout, true); return; }
    if (opener) opener.setAttribute("aria-disabled", "true");
    emitWithAck(socket, "withdraw_contribution", { id: id }, ({ outcome, ack }) => {
      if (opener) opener.removeAttribute("aria-disabled");
      if (!ack) { say(S.timeout, true); return; }
      if (outcome !== "ok") { say(ack.error, true); return; }
      remove(id);
      say(S.withdrawn, false);
      if (status) status.focus(); // its button is gone: the focus goes to what happened
    });
  }
  function remove(id) {
    state.gone.add(id);
    state.own.delete(id);
    document.querySelectorAll('#feed .contribution[data-id="' + id + '"], ' +
      '#my-items .contribution[data-mine-id="' + id + '"]').forEach((li) => li.remove());
    const section = document.getElementById("my-items");
    if (section && !section.querySelector(".contribution")) section.hidden = true;
  }
  function setOpen(open) {
    state.open = open;
    decorateAll();
  }
  function itemChanged(item) {
    if (item && item.withdrawn) remove(item.id);
  }

  const observer = new MutationObserver(decorateAll);
  document.querySelectorAll("#feed, #my-items ul").forEach((list) => {
    observer.observe(list, { childList: true });
  });
  decorateAll();

  const handlers = {
    my_votes(mine) { state.own = ownFrom(mine, state.gone); decorateAll(); },
    workshop_state(data) { setOpen(Boolean(data.workshop) && data.workshop.status === "open"); },
    workshop_status(data) { setOpen(data.status === "open"); },
    contribution_updated: itemChanged,
    my_contribution: itemChanged,
  };
  function markOwn(id) {
    if (!id || state.own.has(id) || state.gone.has(id)) return;
    state.own.add(id);
    decorateAll();
  }
  return { handlers, markOwn, decorate, attach: (s) => { socket = s; } };
}
