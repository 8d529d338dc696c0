/* The phone's outbox: contributions wait in local storage until the server acknowledges them.
 *
 * An item is stored BEFORE it is sent, with its client_id, so neither a lost connection, a
 * server restart nor a page reload loses it; the server stores each client_id once and
 * acknowledges a resend as success, so sending again is always safe. Which answer keeps
 * or drops an entry, and when it is tried again, is in outbox-queue.js. Entries are sent
 * one at a time, oldest first: on every (re)connection, periodically, and after a reload
 * (the outbox is read when the page loads). */

import { emitWithAck } from "./acks.js";
import { dueOnReconnect, enqueue, nextDue, settle, validEntries } from "./outbox-queue.js";
import { listStore } from "./storage.js";

const PREFIX = "diagnostic-outbox:";
const TICK_MS = 2000;

/**
 * Open the outbox of one workshop on a socket.io socket.
 * options: workshopId, socket, event ("submit_contribution"), ackTimeoutMs, and callbacks
 * onSent(entry, ack), onRefused(entry, ack), onRetry(entry, ack|null), onChange(entries).
 */
export function openOutbox(options) {
  const socket = options.socket;
  const event = options.event || "submit_contribution";
  const entries = listStore(PREFIX + options.workshopId, validEntries);
  const call = (name, ...args) => { if (options[name]) options[name](...args); };
  let inFlight = null; // client_id awaiting its ack
  let generation = 0; // bumped on disconnect: acks of an older connection are stale

  function changed() { call("onChange", entries.read()); }

  /** Send the next due entry if the socket is up and nothing is on its way. */
  function flush() {
    if (inFlight || !socket.connected) return;
    const entry = nextDue(entries.read(), Date.now());
    if (!entry) return;
    inFlight = entry.id;
    const sentIn = generation;
    emitWithAck(socket, event, entry.payload, ({ outcome, ack }) => {
      const current = sentIn === generation;
      if (current) inFlight = null;
      // An answer on a connection that is gone only counts when it is a success: the
      // entry is resent on the new connection otherwise.
      if (!current && outcome !== "ok") return;
      entries.update((list) => settle(list, entry.id, outcome, ack, Date.now()));
      if (outcome === "ok") {
        changed();
        call("onSent", entry, ack);
      } else if (outcome === "retry") {
        call("onRetry", entry, ack);
        changed();
      } else {
        changed();
        call("onRefused", entry, ack); // a definitive refusal: back to the person
      }
      if (current) flush();
    }, options.ackTimeoutMs);
  }

  /** Keep a payload (it must carry its client_id), then try to send it. */
  function add(payload) {
    entries.update((list) => enqueue(list, payload, Date.now()));
    changed();
    flush();
  }

  socket.on("connect", () => {
    entries.update(dueOnReconnect);
    flush();
  });
  socket.on("disconnect", () => {
    generation += 1;
    inFlight = null;
  });
  window.addEventListener("online", flush);
  window.setInterval(flush, TICK_MS);
  changed();
  return { add, flush, entries: () => entries.read() };
}
