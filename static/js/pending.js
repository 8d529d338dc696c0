/* A phone's own contributions awaiting approval (pre-moderation): kept in local storage
 * from their acknowledgement until the room sees them published, or they are refused. */

import { element, readJson } from "./dom.js";
import { listStore } from "./storage.js";

const clean = (list) => (Array.isArray(list) ? list.filter((e) => e && e.id) : []);

/** The phone's "awaiting approval" list (#my-pending, set up by #phase-config). */
export function pendingList() {
  const config = readJson("phase-config") || {};
  const strings = config.strings || {};
  const section = document.getElementById("my-pending");
  const entries = listStore("pending:" + (config.workshop_id || ""), clean);

  function draw() {
    if (!section) return;
    const list = entries.read();
    section.querySelector("ul").replaceChildren(...list.map((entry) => {
      const li = element("li", "contribution pending kind-" + entry.kind);
      li.dataset.pendingId = String(entry.id);
      if (entry.name) li.append(element("p", "contribution-name", entry.name));
      li.append(element("p", "contribution-description", entry.description));
      li.append(element("p", "contribution-details", strings.awaiting || ""));
      return li;
    }));
    section.hidden = list.length === 0;
  }

  /** The room sees the item now (or it was refused): it no longer awaits. */
  function forget(item) {
    if (!entries.read().some((e) => e.id === item.id)) return;
    entries.update((list) => list.filter((e) => e.id !== item.id));
    draw();
  }

  /** An acknowledged outbox entry the server holds for approval ({pending: true, id}). */
  function remember(entry, ack) {
    if (!ack || !ack.pending || !entry) return;
    entries.update((list) => list.filter((e) => e.id !== ack.id).concat([{
      id: ack.id, kind: entry.payload.kind, name: entry.payload.name || "",
      description: entry.payload.description || "" }]));
    draw();
  }

  draw();
  return {
    remember,
    handlers: {
      workshop_state: (state) => (state.contributions || []).forEach(forget),
      contribution_added: forget,
      contribution_updated: forget,
    },
  };
}
