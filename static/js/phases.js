/* The phase panel of phones and the board: phase name, prompt and countdown, following the
 * facilitator live. Labels and strings come from <script id="phase-config">, in the page's
 * language: a room event carries one language for every listener, so its own texts are
 * only the fallback for a phase the page does not know. */

import { startCountdown } from "./countdown.js";
import { readJson } from "./dom.js";

/** Draw the panel from the page's config now; returns the live handlers that redraw it. */
export function phasePanel() {
  const config = readJson("phase-config") || {};
  const strings = config.strings || {};

  function show(workshop) {
    if (!workshop || !document.getElementById("phase-panel")) return;
    const name = document.getElementById("phase-label");
    const prompt = document.getElementById("phase-prompt");
    if (name) name.textContent = (config.phases || {})[workshop.phase] || workshop.phase_label;
    if (prompt) {
      prompt.textContent = (config.prompts || {})[workshop.phase] || workshop.phase_prompt;
    }
    document.body.dataset.phase = workshop.phase;
    startCountdown(document.getElementById("phase-countdown"), workshop.phase_ends_at, strings);
    // A collection phase opens the phone's form of its kind.
    const button = workshop.phase_kind
      && document.querySelector('[data-show-kind="' + workshop.phase_kind + '"]');
    if (button && button.getAttribute("aria-pressed") !== "true") button.click();
  }

  if (config.workshop) show(config.workshop);
  return {
    workshop_state: (state) => show(state.workshop),
    workshop_updated: show,
  };
}
