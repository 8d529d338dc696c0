/* The phase panel of phones and the board: phase name, prompt and countdown, following the
 * facilitator live. Labels and strings come from <script id="phase-config">, in the page's
 * language: a room event carries one language for every listener, so its own texts are
 * only the fallback for a phase the page does not know. A workshop in preparation or closed
 * has no current phase: the panel then shows its status (config.statuses). */

import { startCountdown } from "./countdown.js";
import { readJson } from "./dom.js";

/** Draw the panel from the page's config now; returns the live handlers that redraw it. */
export function phasePanel() {
  const config = readJson("phase-config") || {};
  const strings = config.strings || {};

  let current = config.workshop || {};

  /** Show `change` merged into what is known: a status event from an older server carries
   * the status alone. In preparation or once closed, the status replaces the phase. */
  function show(change) {
    const panel = document.getElementById("phase-panel");
    if (!change || !panel) return;
    const workshop = current = { ...current, ...change };
    const still = (config.statuses || {})[workshop.status];
    const caption = document.getElementById("phase-caption");
    const name = document.getElementById("phase-label");
    const prompt = document.getElementById("phase-prompt");
    if (caption) caption.textContent = still ? still.caption : strings.phase_caption;
    if (name) {
      name.textContent = still ? still.label
        : (config.phases || {})[workshop.phase] || workshop.phase_label;
    }
    if (prompt) {
      prompt.textContent = still ? still.prompt
        : (config.prompts || {})[workshop.phase] || workshop.phase_prompt;
    }
    panel.dataset.status = workshop.status;
    document.body.dataset.phase = workshop.phase;
    document.body.dataset.status = workshop.status;
    startCountdown(document.getElementById("phase-countdown"),
      still ? null : workshop.phase_ends_at, strings);
    // A collection phase opens the phone's form of its kind.
    const button = !still && workshop.phase_kind
      && document.querySelector('[data-show-kind="' + workshop.phase_kind + '"]');
    if (button && button.getAttribute("aria-pressed") !== "true") button.click();
  }

  if (config.workshop) show(config.workshop);
  return {
    workshop_state: (state) => show(state.workshop),
    workshop_updated: show,
    workshop_status: show, // the whole workshop: status and phase together
  };
}
