/* Supports (+1) and dot voting on every contribution card (phones), tallies on the board.
 * Cards are drawn by participant.js / board.js; this module adds a `.vote-box` to each
 * `.contribution[data-id]` it sees (MutationObserver) and keeps it up to date from the
 * socket's events. Strings come from the server in #live-config (config.votes).
 * Text only through textContent. */

import { emitWithAck } from "./acks.js";
import { element, shortTitle } from "./dom.js";

/**
 * Start voting on the page's cards; returns the live `handlers` and `attach(socket)`,
 * which gives it the socket its actions go through. `messages` (messages.js, phones):
 * the refusal of an action is its "vote" message, cleared when it goes stale.
 */
export function startVotes(config, messages) {
  const S = config.votes;
  const isBoard = config.role === "board";
  const state = {
    phase: config.phase || null,
    tallies: {}, // id -> {supports, dots}
    supported: new Set(),
    busy: new Set(), // ids whose support or withdrawal is on its way
    own: new Set(),
    votes: {}, // id -> my dots (as the server last confirmed them)
    // id -> the dots asked for while that item's vote is on its way: quick taps add up
    // here and go out one by one as the answers come (never two votes at once per item,
    // so a tap made before the previous answer is not lost).
    wanted: {},
    dotsLeft: null,
    budget: config.dot_budget || null,
    maxPerItem: config.dot_max_per_item || null,
  };
  let socket = null;

  const fill = (template, values) =>
    template.replace(/\{(\w+)\}/g, (match, key) => (key in values ? String(values[key]) : match));
  const voting = () => state.phase === "vote";
  const ranked = () => state.phase === "vote" || state.phase === "closed";

  /* The phone's panel above the feed: dots left, and the refusal of the last action. */
  let panel = null;
  let panelText = null;
  let panelError = null;
  if (!isBoard) {
    const feed = document.getElementById("feed");
    if (feed) {
      panel = element("div", "vote-panel");
      panel.id = "vote-panel";
      panelText = element("p", "dots-left");
      panelText.id = "dots-left";
      panelText.setAttribute("role", "status");
      panelError = element("p", "vote-error");
      panelError.id = "vote-error";
      panelError.setAttribute("role", "alert");
      panel.append(element("p", "vote-intro", S.vote_intro), panelText, panelError);
      feed.before(panel);
    }
  }
  function drawError(text) {
    if (!panelError) return;
    panelError.textContent = text || "";
    showPanel();
  }
  function showError(text) {
    if (messages) messages.show("vote", text, true); else drawError(text);
  }
  if (messages) messages.register("vote", drawError);
  function showPanel() {
    if (!panel) return;
    panel.hidden = !voting() && !panelError.textContent;
    panel.querySelector(".vote-intro").hidden = !voting();
    panelText.hidden = !voting() || state.dotsLeft === null;
    if (state.dotsLeft !== null) {
      panelText.textContent = fill(S.dots_left, {
        left: state.dotsLeft, budget: state.budget, max: state.maxPerItem,
      });
    }
  }

  /* One card's box: built once, then updated (so keyboard focus stays on its button).
   * Its buttons carry a `data-focus-key`: when the page draws the card again (an item's
   * new tallies), the focus goes back to the same button of the new card (dom.keepFocus). */
  function button(className, text, focusKey) {
    const node = element("button", className, text);
    node.type = "button";
    node.dataset.focusKey = focusKey;
    return node;
  }
  /** The item's title in its buttons' names: its name, else the start of its text. */
  function titleOf(li) {
    const node = li.querySelector(".contribution-name") ||
      li.querySelector(".contribution-description");
    return shortTitle(node ? node.textContent : "");
  }
  function supportsText(n) {
    return n === 0 ? S.supports_zero : n === 1 ? S.supports_one : fill(S.supports_other, { n });
  }
  function build(li) {
    const id = Number(li.dataset.id);
    const box = element("div", "vote-box");
    const tally = element("p", "tally");
    tally.append(element("span", "tally-supports"), element("span", "tally-dots"));
    box.append(tally);
    if (!isBoard) {
      // The count is part of the button's name: shown beside it, not read twice.
      const supportBox = element("span", "support");
      const support = button("support-button", S.support, "support-" + id);
      const count = element("span", "support-count");
      count.setAttribute("aria-hidden", "true");
      supportBox.append(support, count);
      support.addEventListener("click", () => toggleSupport(id));
      const dots = element("div", "dots-control");
      dots.setAttribute("role", "group");
      const minus = button("dot-minus", "−", "dot-minus-" + id);
      const plus = button("dot-plus", "+", "dot-plus-" + id);
      const mine = element("output", "my-dots");
      minus.addEventListener("click", () => vote(id, myDots(id) - 1));
      plus.addEventListener("click", () => vote(id, myDots(id) + 1));
      dots.append(element("span", "my-dots-label", S.my_dots), minus, mine, plus);
      box.append(supportBox, dots);
    }
    li.append(box);
    return box;
  }
  function refresh(li) {
    const id = Number(li.dataset.id);
    const box = li.querySelector(":scope > .vote-box") || build(li);
    const tally = state.tallies[id] || { supports: 0, dots: 0 };
    box.querySelector(".tally-supports").textContent = "+1 × " + tally.supports;
    const dotsText = box.querySelector(".tally-dots");
    dotsText.textContent = tally.dots === 1 ? S.dots_one : fill(S.dots_other, { n: tally.dots });
    dotsText.hidden = !ranked() && !tally.dots;
    box.querySelector(".tally").hidden = !isBoard && !ranked();
    li.dataset.dots = String(tally.dots);
    li.dataset.supports = String(tally.supports);
    if (isBoard) return;
    const support = box.querySelector(".support-button");
    const own = state.own.has(id);
    const pressed = state.supported.has(id);
    const title = titleOf(li);
    box.querySelector(".support").hidden = voting() || state.phase === "closed";
    support.disabled = own;
    // While its answer is on the way the button stays focusable (a disabled button would
    // drop the keyboard focus to the page): it only ignores clicks.
    if (state.busy.has(id)) support.setAttribute("aria-disabled", "true");
    else support.removeAttribute("aria-disabled");
    support.setAttribute("aria-pressed", String(pressed));
    support.setAttribute("aria-label", fill(own ? S.own_named : S.support_named,
      { title: title, supports: supportsText(tally.supports) }));
    box.querySelector(".support-count").textContent = String(tally.supports);
    const mine = myDots(id);
    const counts = { title: title, mine: mine, max: state.maxPerItem || state.budget || "–" };
    const dots = box.querySelector(".dots-control");
    dots.hidden = !voting();
    dots.setAttribute("aria-label", fill(S.my_dots_named, counts));
    dots.querySelector(".dot-plus").setAttribute("aria-label", fill(S.add_dot_named, counts));
    dots.querySelector(".dot-minus").setAttribute("aria-label", fill(S.remove_dot_named, counts));
    box.querySelector(".my-dots").textContent = String(mine);
  }
  function refreshId(id) {
    document.querySelectorAll('.contribution[data-id="' + id + '"]').forEach(refresh);
  }
  function refreshAll() {
    document.querySelectorAll(".contribution[data-id]").forEach(refresh);
    showPanel();
    sortBoard();
  }

  /* Board: in the vote (and closed) phase each column is ranked by dots, then +1. */
  function sortBoard() {
    if (!isBoard || !ranked()) return;
    document.querySelectorAll(".board-column ul").forEach((list) => {
      const items = Array.from(list.children);
      const score = (li) => [Number(li.dataset.dots || 0), Number(li.dataset.supports || 0),
        Number(li.dataset.id || 0)];
      const sorted = items.slice().sort((a, b) => {
        const [x, y] = [score(a), score(b)];
        return (y[0] - x[0]) || (y[1] - x[1]) || (y[2] - x[2]);
      });
      if (sorted.some((li, i) => li !== items[i])) list.append(...sorted);
    });
  }

  /* Cards drawn by the page scripts get their box as soon as they are inserted. */
  const observer = new MutationObserver(() => {
    document.querySelectorAll(".contribution[data-id]").forEach((li) => {
      if (!li.querySelector(":scope > .vote-box")) refresh(li);
    });
    sortBoard();
  });
  document.querySelectorAll("#feed, .board-column ul").forEach((list) => {
    observer.observe(list, { childList: true });
  });

  /* Actions (phones). */
  /** Send an action; ``done(ack)`` on success, then ``after(ok)`` whatever the answer. */
  function emit(event, payload, done, after) {
    if (!socket) return false;
    showError("");
    emitWithAck(socket, event, payload, ({ outcome, ack }) => {
      if (!ack) showError(S.timeout);
      else if (outcome !== "ok") showError(ack.error);
      else done(ack);
      if (after) after(outcome === "ok");
      refreshId(payload.id);
      showPanel();
    });
    return true;
  }
  function toggleSupport(id) {
    if (state.busy.has(id)) return; // one at a time: the answer to the last one first
    state.busy.add(id);
    refreshId(id);
    const sent = emit(state.supported.has(id) ? "unsupport" : "support", { id: id }, (ack) => {
      if (ack.supported) state.supported.add(id); else state.supported.delete(id);
      state.tallies[id] = Object.assign({ dots: 0 }, state.tallies[id], { supports: ack.supports });
    }, () => state.busy.delete(id));
    if (!sent) { state.busy.delete(id); refreshId(id); }
  }
  function myDots(id) {
    return id in state.wanted ? state.wanted[id] : (state.votes[id] || 0);
  }
  function vote(id, dots) {
    if (dots < 0) return;
    const waiting = id in state.wanted;
    state.wanted[id] = dots;
    refreshId(id);
    if (!waiting) sendVote(id);
  }
  function sendVote(id) {
    // One dot at a time towards what was asked, as if each tap waited for its answer:
    // a refusal (budget, at most N per item) then stops at the last dot allowed.
    const confirmed = state.votes[id] || 0;
    const dots = confirmed + Math.sign(state.wanted[id] - confirmed);
    if (dots === confirmed) { delete state.wanted[id]; refreshId(id); return; }
    const sent = emit("vote", { id: id, dots: dots }, (ack) => {
      if (ack.dots) state.votes[id] = ack.dots; else delete state.votes[id];
      state.dotsLeft = ack.dots_left;
      state.tallies[id] = Object.assign({ supports: 0 }, state.tallies[id],
        { dots: ack.total_dots });
    }, (ok) => {
      if (ok && state.wanted[id] !== (state.votes[id] || 0)) sendVote(id);
      else delete state.wanted[id];
    });
    if (!sent) delete state.wanted[id];
  }

  /* Server events. */
  function remember(item) {
    if (item && item.id !== undefined) {
      state.tallies[item.id] = { supports: item.supports || 0, dots: item.dots || 0 };
    }
  }
  function setWorkshop(workshop) {
    if (!workshop) return;
    const spent = state.dotsLeft !== null && state.budget !== null
      ? state.budget - state.dotsLeft : null;
    if (workshop.phase) state.phase = workshop.phase;
    if (workshop.dot_budget) state.budget = workshop.dot_budget;
    if (workshop.dot_max_per_item) state.maxPerItem = workshop.dot_max_per_item;
    if (spent !== null) state.dotsLeft = Math.max(state.budget - spent, 0);
  }
  function itemChanged(item) {
    remember(item);
    refreshId(item.id);
    sortBoard();
  }
  const handlers = {
    workshop_state(data) {
      (data.contributions || []).forEach(remember);
      setWorkshop(data.workshop);
      refreshAll();
    },
    workshop_updated(data) {
      setWorkshop(data && data.workshop ? data.workshop : data);
      refreshAll();
    },
    contribution_added: itemChanged,
    contribution_updated: itemChanged,
    my_votes(mine) {
      state.supported = new Set(mine.supported || []);
      state.own = new Set(mine.own || []);
      state.votes = {};
      Object.entries(mine.votes || {}).forEach(([id, dots]) => { state.votes[Number(id)] = dots; });
      state.dotsLeft = mine.dots_left;
      state.budget = mine.dot_budget;
      state.maxPerItem = mine.dot_max_per_item;
      refreshAll();
    },
  };
  /** An item this participant just sent (its ack): theirs, so never theirs to +1. */
  function markOwn(id) {
    if (!id || state.own.has(id)) return;
    state.own.add(id);
    refreshId(id);
  }
  refreshAll();
  return { handlers, markOwn, attach: (s) => { socket = s; } };
}
