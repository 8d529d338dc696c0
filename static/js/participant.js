/* Participant page (entry module): kind switcher, phase panel, live feed, votes, one's own
 * unpublished items and withdrawing one's own items, messages that clear once stale, and
 * the forms sent over the /live
 * socket through the outbox. Without JavaScript (or when the modules cannot load) the
 * forms POST to the page. */

import { attachCounters } from "./counter.js";
import { element, keepFocus, readJson } from "./dom.js";
import { addItem, renderContribution, updateItem } from "./items.js";
import { connect } from "./live.js";
import { phoneMessages } from "./messages.js";
import { myItems } from "./my-items.js";
import { sendForms } from "./participant-forms.js";
import { phasePanel } from "./phases.js";
import { startVotes } from "./votes.js";
import { startWithdraw } from "./withdraw.js";

const config = readJson("live-config");
if (config) start(config);

/** The page's messages: each live region, and the participant's actions that make them stale. */
function pageMessages(config) {
  const phase = ((readJson("phase-config") || {}).workshop || {}).phase;
  const messages = phoneMessages({ phase: phase, status: config.status });
  const notice = document.getElementById("phone-notice");
  messages.register("notice", (text) => { if (notice) notice.textContent = text; });
  // What the server rendered (a flash after a form without JavaScript, a refusal).
  const served = () => Array.from(document.querySelectorAll(".flashes .flash, #page-error"));
  messages.register("page", (text) => { if (!text) served().forEach((n) => n.remove()); },
    served().map((n) => n.textContent).join(" "));
  // Capture: the old messages clear before the action's own handler shows its answer.
  document.addEventListener("click", (event) => {
    if (event.target instanceof Element && event.target.closest("button")) messages.action();
  }, true);
  document.addEventListener("submit", () => messages.action(), true);
  return messages;
}

/** Wire the page: its handlers first, then the phase panel's, own items', votes'. */
function start(config) {
  attachCounters();
  const phases = phasePanel();
  const messages = pageMessages(config);
  const mine = myItems(config, messages);
  const votes = startVotes(config, messages);
  const withdraw = startWithdraw(config, messages);
  const forms = Array.from(document.querySelectorAll("form.contribution-form"));
  const feed = document.getElementById("feed");
  const emptyNotice = document.querySelector(".feed-empty");
  const needSelect = document.querySelector('#form-recommendation [name="answered_need_ids"]');

  /* Kind switcher: one form at a time. */
  const switcher = document.querySelector(".kind-switcher");
  const buttons = Array.from(document.querySelectorAll("[data-show-kind]"));
  function showKind(kind) {
    forms.forEach((form) => { form.hidden = form.dataset.kind !== kind; });
    buttons.forEach((b) => b.setAttribute("aria-pressed", String(b.dataset.showKind === kind)));
  }
  if (switcher && buttons.length) {
    switcher.hidden = false;
    buttons.forEach((b) => b.addEventListener("click", () => showKind(b.dataset.showKind)));
    const pressed = buttons.find((b) => b.getAttribute("aria-pressed") === "true") || buttons[0];
    showKind(pressed.dataset.showKind);
  }

  /* Feed, newest first. */
  function needText(item) {
    return item.description.length > 90
      ? item.description.slice(0, 89) + "…" : item.description;
  }
  function addNeedOption(item) {
    if (!needSelect || item.kind !== "need" || item.redacted) return;
    if (needSelect.querySelector('option[value="' + item.id + '"]')) return;
    const option = element("option", "", needText(item));
    option.value = String(item.id);
    needSelect.append(option);
  }
  /** A need's option follows the need: reworded, or gone when the room may not see it. */
  function updateNeedOption(item) {
    if (!needSelect || item.kind !== "need") return;
    const option = needSelect.querySelector('option[value="' + item.id + '"]');
    if (item.status !== "published" || item.merged_into_id || item.redacted) {
      if (option) option.remove();
    } else if (option) option.textContent = needText(item);
    else addNeedOption(item);
  }
  function showEmpty() {
    if (emptyNotice) emptyNotice.hidden = feed.children.length > 0;
  }
  // One's own items get their "Retirer" button before insertion (the focus finds it).
  const card = (item) => withdraw.decorate(renderContribution(config, item, true));
  function added(item) {
    addItem(feed, card(item));
    showEmpty();
    addNeedOption(item);
  }
  function updated(item) {
    // A new version replaces the card: the focus follows its button (+1, a dot).
    keepFocus(() => updateItem(feed, item, card));
    showEmpty();
    updateNeedOption(item);
  }
  /** Say what happens to a contribution sent now: published at once, or checked first. */
  const moderationNote = document.getElementById("moderation-note");
  function showModeration(workshop) {
    if (!moderationNote || !workshop || !workshop.moderation) return;
    const text = workshop.moderation === "pre"
      ? config.strings.moderation_pre : config.strings.moderation_post;
    if (moderationNote.textContent !== text) moderationNote.textContent = text;
  }
  function setOpen(open) {
    const notice = document.getElementById("closed-notice");
    if (notice) notice.hidden = open;
    if (moderationNote) moderationNote.hidden = !open; // nothing more can be sent
    forms.forEach((form) => { form.querySelector("button[type=submit]").disabled = !open; });
  }

  const socket = connect(config, [{
    workshop_state(state) {
      messages.workshop(state.workshop);
      keepFocus(() => {
        feed.replaceChildren();
        state.contributions.forEach(added);
      });
      showEmpty();
      setOpen(state.workshop.status === "open");
      showModeration(state.workshop);
    },
    workshop_updated(workshop) {
      messages.workshop(workshop);
      showModeration(workshop);
    },
    contribution_added: added,
    contribution_updated: updated,
    workshop_status(data) {
      messages.workshop({ status: data.status, phase: data.phase });
      setOpen(data.status === "open");
    },
  }, phases, mine, votes.handlers, withdraw.handlers]);
  votes.attach(socket);
  withdraw.attach(socket);
  const markOwn = (id) => { votes.markOwn(id); withdraw.markOwn(id); };
  sendForms(config, socket, forms, { showKind, hasSwitcher: buttons.length > 0, messages,
    markOwn });
}
