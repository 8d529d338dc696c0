/* Facilitator console (entry module): status, phases, timer, settings, pending queue, moderation
 * and scribe entry, all over the /live socket (role "facilitator") with acknowledgements.
 * Strings and the phase prompts come translated from #live-config. */

import { emitWithAck } from "./acks.js";
import { attachCounters } from "./counter.js";
import { consoleItems } from "./console-items.js";
import { startCountdown } from "./countdown.js";
import { element, readJson } from "./dom.js";
import { clearForm, newClientId } from "./forms.js";
import { connect } from "./live.js";
import { presenceHandlers } from "./presence.js";

const config = readJson("live-config");
if (config) start(config);

function start(config) {
  attachCounters();
  const strings = config.strings || {};
  let workshop = config.workshop;
  let socket = null;
  const message = document.getElementById("console-message");

  function say(text, isError) {
    message.textContent = text || "";
    message.classList.toggle("error", Boolean(isError));
  }

  /** Emit a facilitator event; show the refusal, else apply the items of the ack. */
  function call(event, payload, done) {
    if (!socket) return;
    emitWithAck(socket, event, payload, ({ outcome, ack }) => {
      if (!ack) { say(strings.timeout, true); if (done) done(null); return; }
      if (outcome !== "ok") {
        say([ack.error].concat(Object.values(ack.fields || {})).filter(Boolean).join(" "), true);
        if (done) done(ack);
        return;
      }
      say(strings.done, false);
      ["item", "new_item", "target"].forEach((key) => { if (ack[key]) items.upsert(ack[key]); });
      if (ack.workshop) showWorkshop(ack.workshop);
      if (done) done(ack);
    });
  }
  const items = consoleItems(config, call, say);

  /* Workshop: status and its next step, phase buttons, prompt, timer, moderation, votes. */
  const timerDisplay = document.getElementById("console-timer");
  const lifecycle = document.querySelector(".console-lifecycle");
  function showStatus(status) {
    const badge = document.getElementById("workshop-status");
    badge.textContent = (strings.workshop_status || {})[status] || status;
    badge.className = "badge " + status;
    lifecycle.dataset.status = status;
    lifecycle.querySelectorAll("[data-when]").forEach((part) => {
      part.hidden = part.dataset.when !== status;
    });
    // Phases and the timer exist only while the workshop is open (refused otherwise).
    const running = status === "open";
    document.getElementById("phases-locked").hidden = running;
    document.getElementById("console-phase-prompt").hidden = !running;
    document.querySelectorAll("[data-phase], #timer-plus5, #timer-stop, #timer-form button")
      .forEach((button) => { button.disabled = !running; });
  }
  function showWorkshop(data) {
    if (!data) return;
    workshop = data;
    showStatus(data.status);
    document.querySelectorAll("[data-phase]").forEach((button) => {
      button.setAttribute("aria-pressed",
        String(data.status === "open" && button.dataset.phase === data.phase));
    });
    // The page's language, whatever the language of the event.
    document.getElementById("console-phase-prompt").textContent =
      (config.prompts || {})[data.phase] || data.phase_prompt;
    startCountdown(timerDisplay, data.phase_ends_at,
      { no_timer: strings.no_timer, time_left: "", time_up: "0:00" });
    document.querySelectorAll('#moderation-mode input[name="moderation"]').forEach((radio) => {
      radio.checked = radio.value === data.moderation;
    });
    const form = document.getElementById("vote-settings");
    if (document.activeElement === null || !form.contains(document.activeElement)) {
      form.elements.dot_budget.value = data.dot_budget;
      form.elements.dot_max_per_item.value = data.dot_max_per_item;
    }
  }
  document.querySelectorAll("[data-phase]").forEach((button) => {
    button.addEventListener("click", () => call("set_phase", { phase: button.dataset.phase }));
  });

  /* Open, close (confirmed in a dialog), reopen: the socket event, or the form's POST to the
   * same service when the socket is down. Focus moves to the next step's button. */
  const closeDialog = document.getElementById("close-dialog");
  function changeStatus(form) {
    const action = form.dataset.action;
    if (!socket || !socket.connected) {
      const confirm = element("input");
      Object.assign(confirm, { type: "hidden", name: "confirm", value: "1" });
      form.append(confirm);
      form.submit();
      return;
    }
    call(action + "_workshop", {}, (ack) => {
      if (!ack || !ack.ok) return;
      say((strings.lifecycle_done || {})[action] || strings.done, false);
      const next = lifecycle.querySelector(".lifecycle-form:not([hidden]) button");
      if (next) next.focus();
    });
  }
  lifecycle.querySelectorAll(".lifecycle-form").forEach((form) => {
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      if (form.dataset.action !== "close") { changeStatus(form); return; }
      closeDialog.returnValue = "";
      closeDialog.showModal();
      document.getElementById("close-cancel").focus();
    });
  });
  closeDialog.addEventListener("close", () => {
    const form = lifecycle.querySelector('.lifecycle-form[data-action="close"]');
    if (closeDialog.returnValue === "confirm") changeStatus(form);
    else form.querySelector("button").focus(); // cancelled, or Escape
  });
  document.getElementById("timer-plus5").addEventListener("click", () => {
    const left = workshop.phase_ends_at
      ? Math.max(0, Math.round((Date.parse(workshop.phase_ends_at) - Date.now()) / 1000)) : 0;
    call("set_timer", { seconds: Math.min(7200, left + 300) });
  });
  document.getElementById("timer-form").addEventListener("submit", (event) => {
    event.preventDefault();
    const minutes = Number(event.target.elements.minutes.value);
    call("set_timer", { seconds: Math.round(minutes * 60) });
  });
  document.getElementById("timer-stop").addEventListener("click",
    () => call("set_timer", { seconds: 0 }));
  document.querySelectorAll('#moderation-mode input[name="moderation"]').forEach((radio) => {
    radio.addEventListener("change", () => call("set_moderation", { mode: radio.value },
      (ack) => { if (!ack || !ack.ok) showWorkshop(workshop); }));
  });
  document.getElementById("vote-settings").addEventListener("submit", (event) => {
    event.preventDefault();
    const form = event.target;
    call("set_vote_settings", { dot_budget: Number(form.elements.dot_budget.value),
      dot_max_per_item: Number(form.elements.dot_max_per_item.value) });
  });

  /* Scribe forms: one per kind, like the phone's. */
  const scribeButtons = Array.from(document.querySelectorAll("[data-scribe-kind]"));
  const scribeForms = Array.from(document.querySelectorAll(".scribe-form"));
  scribeButtons.forEach((b) => b.addEventListener("click", () => {
    scribeForms.forEach((f) => { f.hidden = f.dataset.kind !== b.dataset.scribeKind; });
    scribeButtons.forEach((o) => o.setAttribute("aria-pressed", String(o === b)));
  }));
  scribeForms.forEach((form) => {
    form.elements.client_id.value = newClientId();
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      const payload = {};
      new FormData(form).forEach((value, key) => { payload[key] = value; });
      const status = form.querySelector(".form-status");
      const errors = form.querySelector(".form-errors");
      errors.replaceChildren();
      call("scribe_contribution", payload, (ack) => {
        if (ack && ack.ok) {
          clearForm(form);
          status.textContent = strings.done;
        } else if (ack) {
          status.textContent = "";
          errors.append(element("p", "error", ack.error));
          Object.values(ack.fields || {}).forEach((text) => errors.append(element("p", "error", text)));
        }
      });
    });
  });

  function upsertFull(item) {
    if (!item.redacted || item.withdrawn) items.upsert(item); // withdrawn: it leaves
  }
  socket = connect(config, [{
    console_state(state) {
      items.clear();
      state.contributions.forEach(items.upsert);
      showWorkshop(state.workshop);
    },
    workshop_state(state) { showWorkshop(state.workshop); },
    workshop_updated: showWorkshop,
    workshop_status: showWorkshop, // the whole workshop: status and phase together
    // A room event about an item the room may not see carries no text ("redacted"): the
    // console has the full item from its own notice, the ack or console_state.
    contribution_added: upsertFull,
    contribution_updated: upsertFull,
    contribution_pending: items.upsert,
  }, presenceHandlers]);
  items.recountPending();
  showWorkshop(workshop);
}
