/* The affinity board (templates/staff/synthesis_board.html): drag a card onto another to
 * group them, onto a column to move it under that stake (SortableJS, in its pointer mode:
 * the card never moves in the page, the drop is read where the pointer lets go); or with
 * the keyboard: arrows between cards, Space or Enter picks a card up, arrows choose a card
 * or a column title, Enter drops, Escape cancels. Each drop posts to the board's routes
 * (as its "Actions" forms do without JavaScript), then the board is fetched again and the
 * focus comes back to the moved card. The filters also apply as the person types. */

import Sortable from "../vendor/sortable.esm.js";
import { readJson } from "./dom.js";
import { cardMatches, dropAction, format, nextPosition, queryWords } from "./affinity-rules.js";

const KEYS_MOVING = ["ArrowUp", "ArrowDown", "ArrowLeft", "ArrowRight", "Home", "End"];
const region = document.getElementById("board-region");
const messages = readJson("board-config") || {};
const editable = Boolean(region) && region.dataset.editable === "true";
let sortables = [];
let carried = null; // the card picked up with the keyboard: {card, source: {id, stake}}
let busy = false;

const board = () => document.getElementById("board-columns");
const columns = () => Array.from(board().querySelectorAll(".board-column"));
const cardsOf = (column) => Array.from(column.querySelectorAll(".board-card:not([hidden])"));
const gripOf = (card) => card.querySelector(".card-grip");
const titleOf = (column) => column.querySelector(".board-column-title");
const sourceOf = (card) => ({ id: card.dataset.id, stake: card.closest(".board-column").dataset.stake });

/** Say `text` in the visible message line (an error in its colour). */
function say(text, isError = false) {
  const line = document.getElementById("board-message");
  line.classList.toggle("is-error", isError);
  line.textContent = text || "";
}

/** Tell screen readers what the keyboard move is doing (not shown). */
function announce(text) {
  document.getElementById("board-live").textContent = text;
}

/** Shown cards and the count line, after the filters (keyword and workshop). */
function applyFilter() {
  const words = queryWords(document.getElementById("board-q").value);
  const workshop = document.getElementById("board-workshop").value;
  let shown = 0;
  columns().forEach((column) => {
    let count = 0;
    column.querySelectorAll(".board-card").forEach((card) => {
      const kept = cardMatches({ search: card.dataset.search || "",
                                 workshops: (card.dataset.workshops || "").split(" ") },
                               words, workshop);
      card.hidden = !kept;
      count += kept ? 1 : 0;
    });
    column.querySelector("[data-count]").textContent = String(count);
    shown += count;
  });
  const line = document.getElementById("board-count");
  const rule = new Intl.PluralRules(document.documentElement.lang || "fr").select(shown);
  line.textContent = format(rule === "one" ? messages.countOne : messages.countOther,
                            { num: shown, total: line.dataset.total });
}

function positionOf(node) {
  const column = node.closest(".board-column");
  const card = node.closest(".board-card");
  return { col: columns().indexOf(column), row: card ? cardsOf(column).indexOf(card) : -1 };
}

function nodeAt(position) {
  const column = columns()[position.col];
  if (!column) return null;
  if (position.row < 0) return titleOf(column);
  const card = cardsOf(column)[position.row];
  return card ? gripOf(card) : null;
}

/** The drop target a node stands for: a card, or a column (its title or its space). */
function targetOf(node) {
  if (!node || !board().contains(node)) return null;
  const card = node.closest(".board-card");
  if (card) return { type: "card", id: card.dataset.id, node: card };
  const column = node.closest(".board-column");
  return column ? { type: "column", stake: column.dataset.stake, node: column } : null;
}

function clearTargets() {
  board().querySelectorAll(".is-drop-target").forEach((node) => {
    node.classList.remove("is-drop-target");
  });
}

/** Outline where `source` would land on `target`; the words for it (null: nowhere). */
function markTarget(source, target) {
  clearTargets();
  if (!dropAction(source, target)) return null;
  target.node.classList.add("is-drop-target");
  if (target.type === "card") {
    return format(messages.targetCard, { card: gripOf(target.node).dataset.label });
  }
  return format(messages.targetColumn, { column: titleOf(target.node).dataset.label });
}

function release() {
  if (!carried) return;
  carried.card.classList.remove("is-grabbed");
  gripOf(carried.card).setAttribute("aria-pressed", "false");
  carried = null;
  clearTargets();
}

function pickUp(card) {
  say("");
  carried = { card, source: sourceOf(card) };
  card.classList.add("is-grabbed");
  gripOf(card).setAttribute("aria-pressed", "true");
  announce(format(messages.pickedUp, { card: gripOf(card).dataset.label }));
}

function cancel() {
  const card = carried.card;
  release();
  gripOf(card).focus();
  announce(messages.cancelled);
}

function onKey(event) {
  if (busy || event.altKey || event.ctrlKey || event.metaKey) return;
  const grip = event.target.closest(".card-grip");
  const title = event.target.closest(".board-column-title");
  if (!grip && !(title && carried)) return;
  const key = event.key;
  if (KEYS_MOVING.includes(key)) {
    event.preventDefault();
    const sizes = columns().map((column) => cardsOf(column).length);
    const node = nodeAt(nextPosition(sizes, positionOf(event.target), key, Boolean(carried)));
    if (!node) return;
    node.focus();
    node.scrollIntoView({ block: "nearest", inline: "nearest" });
    if (carried) {
      const target = targetOf(node);
      const words = markTarget(carried.source, target);
      announce(words || (target.type === "card" ? messages.sameCard : messages.sameColumn));
    }
  } else if (key === " " || key === "Enter") {
    event.preventDefault();
    if (!carried) {
      pickUp(grip.closest(".board-card"));
      return;
    }
    const action = dropAction(carried.source, targetOf(event.target));
    if (action) perform(action, carried.source.id);
    else cancel();
  } else if (key === "Escape" && carried) {
    event.preventDefault();
    cancel();
  }
}

function focusCard(contributionId) {
  const card = Array.from(board().querySelectorAll(".board-card")).find((node) =>
    (node.dataset.members || "").split(" ").includes(String(contributionId)));
  if (!card) return;
  card.hidden = false; // the moved card stays in sight, even if the filter left it out
  gripOf(card).focus();
  card.scrollIntoView({ block: "nearest", inline: "nearest" });
}

/** Fetch the board again and put its new columns, counts and log in place. */
async function refresh() {
  const response = await fetch(window.location.href, {
    credentials: "same-origin", headers: { Accept: "text/html" } });
  const fresh = new DOMParser().parseFromString(await response.text(), "text/html");
  sortables.forEach((sortable) => sortable.destroy());
  sortables = [];
  for (const selector of ["#board-columns", "#synthesis-audit", "nav.kind-tabs", "#board-count"]) {
    const now = document.querySelector(selector);
    const next = fresh.querySelector(selector);
    if (now && next) now.replaceWith(document.adoptNode(next));
  }
  setUp();
}

async function perform(action, contributionId) {
  busy = true;
  region.setAttribute("aria-busy", "true");
  region.classList.add("is-busy");
  const body = new URLSearchParams({
    csrf_token: region.querySelector("input[name=csrf_token]").value,
    contribution_id: contributionId,
  });
  if (action.action === "group") body.set("target_id", action.target);
  else body.set("stake_id", action.stake);
  const url = action.action === "group" ? region.dataset.groupUrl : region.dataset.moveUrl;
  let result;
  try {
    const response = await fetch(url, { method: "POST", body, credentials: "same-origin",
                                        headers: { Accept: "application/json" } });
    const isJson = (response.headers.get("Content-Type") || "").includes("application/json");
    result = isJson ? await response.json() : { ok: false, error: messages.failed };
  } catch (error) {
    result = { ok: false, error: messages.failed };
  }
  release();
  try {
    if (result.ok) await refresh();
  } catch (error) {
    result = { ok: false, error: messages.failed };
  }
  focusCard(contributionId);
  say(result.ok ? result.message : result.error, !result.ok);
  region.removeAttribute("aria-busy");
  region.classList.remove("is-busy");
  busy = false;
}

function pointOf(event) {
  const touch = event && event.changedTouches && event.changedTouches[0];
  return touch || event || {};
}

/** The drop target under the pointer (a dragged card's clone lets the pointer through). */
function targetUnder(event) {
  const { clientX, clientY } = pointOf(event);
  if (typeof clientX !== "number") return null;
  return targetOf(document.elementFromPoint(clientX, clientY));
}

function makeSortable(list) {
  let source = null;
  const track = (event) => { markTarget(source, targetUnder(event)); };
  return Sortable.create(list, {
    group: "affinity-board", draggable: ".board-card", handle: ".card-grip", sort: false,
    forceFallback: true, fallbackOnBody: true, fallbackTolerance: 4,
    delay: 150, delayOnTouchOnly: true,
    ghostClass: "is-ghost", chosenClass: "is-chosen", dragClass: "is-dragging",
    fallbackClass: "is-dragging",
    onMove: () => false, // nothing moves in the page: the drop is read where it ends
    onStart: (event) => {
      if (carried) release();
      say("");
      source = sourceOf(event.item);
      document.addEventListener("pointermove", track);
    },
    onEnd: (event) => {
      document.removeEventListener("pointermove", track);
      const action = busy ? null : dropAction(source, targetUnder(event.originalEvent));
      clearTargets();
      if (action) perform(action, source.id);
    },
  });
}

/** Make the cards keyboard- and mouse-movable (again after each refresh). */
function setUp() {
  applyFilter();
  if (!editable) return;
  board().querySelectorAll(".card-grip").forEach((grip) => {
    grip.tabIndex = 0;
    grip.setAttribute("role", "button");
    grip.setAttribute("aria-pressed", "false");
    grip.setAttribute("aria-describedby", "board-grip-hint");
  });
  columns().forEach((column) => { titleOf(column).tabIndex = -1; });
  board().addEventListener("keydown", onKey);
  board().addEventListener("focusout", (event) => {
    if (carried && !board().contains(event.relatedTarget) && !busy) release();
  });
  sortables = Array.from(board().querySelectorAll(".board-cards")).map(makeSortable);
  document.body.classList.add("is-enhanced");
}

if (region) {
  const filter = document.getElementById("board-filter");
  filter.addEventListener("input", applyFilter);
  filter.addEventListener("change", applyFilter);
  setUp();
}
