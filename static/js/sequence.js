/* Numbered room events, applied once and in order. Pure: no DOM, no socket.
 *
 * Every room event carries a `seq`. A page shows an event only if it is the next one:
 * an older or repeated seq is dropped, a jump (seq > last + 1) means something was lost,
 * so the page holds what comes next and asks the server for the whole state (`sync`).
 * Until the first `workshop_state` (or the `events_replay` of a reconnection) arrives,
 * events are held too. Each function takes an ordering state and returns a new one with
 * the events to hand to the page, in order, and whether to ask for a sync. */

/** The ordering of a page that has seen nothing yet: events wait for the first state. */
export function initialOrder() {
  return { lastSeq: null, held: [] };
}

/**
 * Take one frame from the socket (`workshop_state`, `events_replay`, `events_batch` or one
 * room event). Returns { order, deliver: [[name, payload], ...], sync: boolean }.
 */
export function receive(order, name, payload) {
  const run = begin(order);
  if (name === "workshop_state") {
    run.deliver.push([name, payload]);
    if (seqOf(payload) !== null) run.lastSeq = payload.seq;
    release(run, []);
  } else if (name === "events_replay") {
    release(run, eventsOf(payload));
  } else if (name === "events_batch") {
    // Several room events in one frame (a busy room): each goes through the same path.
    eventsOf(payload).forEach(([event, data]) => apply(run, event, data));
  } else {
    apply(run, name, payload);
  }
  return end(run);
}

/** A sync is on its way: hold what comes until its state (or its failure). */
export function awaitSync(order) {
  return { lastSeq: order.lastSeq, held: order.held || [] };
}

/**
 * The sync brought no fresh state (refused, rate limited or timed out): show what was
 * held from its first numbered event on. Returns { order, deliver, sync } like receive.
 */
export function syncFailed(order) {
  const run = begin(order);
  const queued = run.held || [];
  run.held = null;
  const first = queued.find(([, data]) => seqOf(data) !== null);
  if (first) run.lastSeq = first[1].seq - 1;
  queued.forEach(([event, data]) => apply(run, event, data));
  return end(run);
}

/** The socket dropped: the next connection starts with a state or a replay. */
export function disconnected(order) {
  return { lastSeq: order.lastSeq, held: [] };
}

function seqOf(payload) {
  return payload && typeof payload.seq === "number" ? payload.seq : null;
}

function eventsOf(payload) {
  return ((payload && payload.events) || []).map((e) => [e.name, e.payload]);
}

function begin(order) {
  return { lastSeq: order.lastSeq, held: order.held ? order.held.slice() : null,
    deliver: [], sync: false };
}

function end(run) {
  return { order: { lastSeq: run.lastSeq, held: run.held }, deliver: run.deliver,
    sync: run.sync };
}

function apply(run, name, payload) {
  if (run.held) {
    run.held.push([name, payload]);
    return;
  }
  const seq = seqOf(payload);
  if (seq !== null && run.lastSeq !== null) {
    if (seq <= run.lastSeq) return; // already shown (in the state, or a replay overlap)
    if (seq > run.lastSeq + 1) { // something was lost: redraw from a fresh state
      run.held = [[name, payload]];
      run.sync = true;
      return;
    }
  }
  if (seq !== null) run.lastSeq = seq;
  run.deliver.push([name, payload]);
}

function release(run, first) {
  const queued = run.held || [];
  run.held = null;
  first.forEach(([name, payload]) => apply(run, name, payload));
  queued.forEach(([name, payload]) => apply(run, name, payload));
}
