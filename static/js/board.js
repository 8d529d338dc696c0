/* Board (entry module): phase panel and three columns filled live from the /live socket
 * (board role), with vote tallies and the presence figure; projector mode: a large join
 * screen until the collection starts, then a compact bar, paged columns, full screen. */

import { startPages } from "./board-pages.js";
import { readJson } from "./dom.js";
import { startFullscreen } from "./fullscreen.js";
import { addItem, renderContribution, updateItem } from "./items.js";
import { connect } from "./live.js";
import { phasePanel } from "./phases.js";
import { presenceHandlers } from "./presence.js";
import { startVotes } from "./votes.js";

const config = readJson("live-config");
if (config) start(config);

/** Wire the page: its handlers first, then the phase panel's, votes', presence's. */
function start(config) {
  const phases = phasePanel();
  const votes = startVotes(config);
  const statusBadge = document.getElementById("board-status");
  const projector = config.projector || {};
  startFullscreen(projector.fullscreen || {});
  startPages(projector.pages || {}, projector.rotate_seconds || 12);
  const shown = { phase: config.phase, status: config.status };

  /** The large join screen before opening and during the welcome; a compact bar after. */
  function showMode(changes) {
    Object.assign(shown, changes);
    const welcome = shown.status === "draft" || !shown.phase || shown.phase === "welcome";
    document.body.classList.toggle("board-welcome", welcome);
    document.body.classList.toggle("board-compact", !welcome);
    // A closed workshop cannot be joined: its code and QR code are not shown.
    document.body.classList.toggle("board-closed", shown.status === "closed");
  }

  function listOf(kind) {
    return document.querySelector("#column-" + kind + " ul");
  }
  function recount(kind) {
    const count = document.getElementById("count-" + kind);
    const list = listOf(kind);
    if (count && list) count.textContent = String(list.children.length);
  }
  const card = (item) => renderContribution(config, item, false);
  function added(item) {
    const list = listOf(item.kind);
    if (!list) return;
    addItem(list, card(item));
    recount(item.kind);
  }
  function updated(item) {
    const list = listOf(item.kind);
    if (!list) return;
    updateItem(list, item, card);
    recount(item.kind);
  }
  function showStatus(status) {
    if (!statusBadge) return;
    statusBadge.textContent = (config.strings.status || {})[status] || status;
    statusBadge.className = "badge " + status;
  }

  const socket = connect(config, [{
    workshop_state(state) {
      Object.keys(state.counts).forEach((kind) => {
        const list = listOf(kind);
        if (list) list.replaceChildren();
      });
      state.contributions.forEach(added);
      Object.keys(state.counts).forEach(recount);
      showStatus(state.workshop.status);
      showMode({ phase: state.workshop.phase, status: state.workshop.status });
    },
    contribution_added: added,
    contribution_updated: updated,
    workshop_updated(workshop) {
      if (workshop) showMode({ phase: workshop.phase, status: workshop.status });
    },
    workshop_status(data) {
      showStatus(data.status);
      showMode({ status: data.status });
    },
  }, phases, votes.handlers, presenceHandlers]);
  votes.attach(socket);
}
