/* The phone's own contributions the room does not see (pre-moderation): those awaiting
 * approval, badged "En attente de validation", and those refused, badged "Non retenue"
 * with the reason. The server sends them on every connect and sync (`my_contributions`)
 * and each change live (`my_contribution`, to the author's sockets only); one leaves the
 * list when the room sees it. A refusal is announced once per phone (remembered in local
 * storage), live or at the next visit. The pure parts are exported for tests. */

import { element } from "./dom.js";
import { renderContribution } from "./items.js";
import { listStore } from "./storage.js";

/** The list as the server sent it: newest first. */
export function fromServer(items) {
  return (items || []).filter((item) => item && item.id !== undefined)
    .slice().sort((a, b) => b.id - a.id);
}

/** One item of the author's channel, new or changed (withdrawn: it leaves the list). */
export function upsertMine(list, item) {
  const others = list.filter((other) => other.id !== item.id);
  return fromServer(item.withdrawn ? others : others.concat([item]));
}

/**
 * A room event about `item`: once the room sees it (published, or merged into a visible
 * one) or it is gone (deleted, or withdrawn by its author), it is no longer only ours. A
 * redacted version of an item we hold in full changes nothing otherwise: ours comes from
 * the author's channel.
 */
export function afterRoomItem(list, item) {
  if (!item || !list.some((other) => other.id === item.id)) return list;
  if (item.redacted && item.status !== "deleted" && !item.withdrawn) return list;
  return list.filter((other) => other.id !== item.id);
}

/** The refused items of `list` this phone has not announced yet (ids in `told`). */
export function refusalsToAnnounce(list, told) {
  return list.filter((item) => item.refused && !told.includes(item.id));
}

/** A short title for an item in a sentence: its name, else its description's start. */
export function titleOf(item, length = 60) {
  const text = (item.name || item.description || "").replace(/\s+/g, " ").trim();
  return text.length > length ? text.slice(0, length - 1) + "…" : text;
}

/** "Votre contribution « … » n'a pas été retenue." and its reason, in the page's language. */
export function refusalText(strings, item) {
  const text = (strings.refused_notice || "").replace("{title}", titleOf(item));
  return item.refusal_reason
    ? text + " " + (strings.refusal_reason || "").replace("{reason}", item.refusal_reason)
    : text;
}

/**
 * Draw the list in #my-items; announce refusals through `messages` (messages.js, slot
 * "notice"). Returns the live handlers.
 */
export function myItems(config, messages) {
  const strings = config.strings || {};
  const section = document.getElementById("my-items");
  const told = listStore("refusals-told:" + config.workshop_id,
    (list) => (Array.isArray(list) ? list.filter(Number.isInteger) : []));
  let list = [];

  function card(item) {
    const li = renderContribution(config, item, true);
    // Not a room item: votes.js and the feed's helpers look for .contribution[data-id].
    li.removeAttribute("data-id");
    li.dataset.mineId = String(item.id);
    li.classList.add("mine", item.refused ? "mine-refused" : "mine-pending");
    const badge = element("span", "badge " + (item.refused ? "badge-refused" : "badge-pending"),
      item.refused ? strings.badge_refused : strings.badge_pending);
    li.querySelector(".contribution-meta").prepend(badge);
    if (item.refused && item.refusal_reason) {
      li.append(element("p", "refusal-reason",
        (strings.refusal_reason || "").replace("{reason}", item.refusal_reason)));
    }
    return li;
  }
  function draw() {
    if (!section) return;
    section.querySelector("ul").replaceChildren(...list.map(card));
    section.hidden = list.length === 0;
  }
  function announce() {
    const fresh = refusalsToAnnounce(list, told.read());
    if (!fresh.length) return;
    messages.show("notice", fresh.map((item) => refusalText(strings, item)).join(" "), false);
    told.update((ids) => ids.concat(fresh.map((item) => item.id)).slice(-200));
  }
  function roomItem(item) {
    const next = afterRoomItem(list, item);
    if (next !== list) { list = next; draw(); }
  }

  draw();
  return {
    my_contributions(data) { list = fromServer(data && data.contributions); draw(); announce(); },
    my_contribution(item) { list = upsertMine(list, item); draw(); announce(); },
    workshop_state: (state) => (state.contributions || []).forEach(roomItem),
    contribution_added: roomItem,
    contribution_updated: roomItem,
  };
}
