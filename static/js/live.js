/* The page's /live socket: connection status, and room events handed to the page's
 * handlers once and in order (the rules are in sequence.js). */

import { io } from "../vendor/socket.io.esm.min.js";
import { emitWithAck } from "./acks.js";
import {
  awaitSync, disconnected, gapExpired, initialOrder, receive, syncFailed,
} from "./sequence.js";

const REORDER_WAIT_MS = 1500; // unless the page's config says otherwise

let current = null;

/** The socket connect() opened on this page (one per page), or null. */
export function pageSocket() {
  return current;
}

/**
 * Open the /live socket for this page. `handlerSets` is a list of {event: handler}
 * objects (the page's own first, then its add-ons); each event goes to every set in turn.
 * The socket reconnects with auth.last_seq and gets `events_replay` (what it missed)
 * instead of the whole `workshop_state`. A gap in the numbers waits up to
 * `config.reorder_wait_ms` for the missing events, then asks for the whole state (`sync`).
 */
export function connect(config, handlerSets) {
  const strings = config.strings || {};
  const status = document.getElementById("live-status");
  // data-state lets a page style the indicator (a closed board hides "En direct").
  const say = (text, state) => {
    if (!status) return;
    status.textContent = text || "";
    status.dataset.state = state;
  };
  let order = initialOrder();
  const reorderWait = typeof config.reorder_wait_ms === "number" ? config.reorder_wait_ms
    : REORDER_WAIT_MS;
  let gapTimer = null; // the wait for missing numbers under way
  let connection = 0; // bumped on disconnect: a late sync answer is then stale
  const socket = io(config.namespace, {
    // A function: socket.io calls it again at each reconnection, with the current seq.
    auth: (send) => {
      const auth = { workshop_id: config.workshop_id };
      if (config.role && config.role !== "participant") auth.role = config.role;
      if (order.lastSeq !== null) auth.last_seq = order.lastSeq;
      send(auth);
    },
  });

  function dispatch(name, payload) {
    handlerSets.forEach((handlers) => {
      const handler = handlers[name];
      if (!handler) return;
      try { handler(payload); } catch (error) { window.console.error(name, error); }
    });
  }
  function stopWaiting() {
    if (gapTimer !== null) window.clearTimeout(gapTimer);
    gapTimer = null;
  }
  function run(step) {
    order = step.order;
    step.deliver.forEach(([name, payload]) => dispatch(name, payload));
    if (!order.gap) stopWaiting(); // the missing numbers came (or a state did)
    if (step.wait) {
      stopWaiting();
      gapTimer = window.setTimeout(() => {
        gapTimer = null;
        run(gapExpired(order));
      }, Math.max(0, reorderWait));
    }
    if (step.sync) sync();
  }
  function sync() {
    order = awaitSync(order);
    const asked = connection;
    emitWithAck(socket, "sync", null, ({ outcome, ack }) => {
      if (asked !== connection || outcome === "ok") return; // the state follows
      // No fresh state for now: show what came, and ask again a little later.
      run(syncFailed(order));
      window.setTimeout(() => { if (socket.connected) sync(); },
        ((ack && ack.retry_after) || 5) * 1000);
    });
  }

  socket.onAny((name, payload) => run(receive(order, name, payload)));
  socket.on("connect", () => say(strings.connected, "connected"));
  socket.on("disconnect", () => {
    order = disconnected(order);
    stopWaiting();
    connection += 1;
    say(strings.offline, "offline");
  });
  socket.on("connect_error", (error) => {
    // Refused by the server (not a network failure): socket.io will not retry.
    say(socket.active ? strings.offline : (error && error.message) || strings.offline,
      "offline");
  });
  current = socket;
  return socket;
}
